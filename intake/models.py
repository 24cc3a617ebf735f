"""Drafts: a resolution's text as read, waiting for review. Nothing in a draft is tracked,
shown on dashboards or alerted: obligations exist only once a draft is accepted."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from paragraphs.enums import ObligationKind, TextLanguage


class DraftStatus(models.TextChoices):
    OPEN = "open", _("Under review")
    ACCEPTED = "accepted", _("Accepted")
    DISCARDED = "discarded", _("Discarded")


class Decision(models.TextChoices):
    PENDING = "pending", _("To review")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")


class Draft(models.Model):
    """One text read (uploaded or pasted), its reading, and what became of it."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("imported by"),
    )
    created_at = models.DateTimeField(_("imported at"), auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=10, choices=DraftStatus.choices, default=DraftStatus.OPEN
    )
    filename = models.CharField(_("file"), max_length=255, blank=True)
    source_format = models.CharField(_("format"), max_length=10)
    sha256 = models.CharField(_("SHA-256 of the input"), max_length=64)
    language = models.CharField(_("language"), max_length=5, choices=TextLanguage.choices)
    number = models.PositiveIntegerField(_("resolution number"))
    symbol = models.CharField(_("symbol"), max_length=40)
    text = models.TextField(_("text as read"))
    reading = models.JSONField(_("reading"), help_text=_("What was read: the import's JSON."))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    resolution = models.ForeignKey(
        "paragraphs.Resolution",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="intake_drafts",
        verbose_name=_("resolution"),
    )
    applied = models.JSONField(
        _("applied"),
        default=list,
        blank=True,
        help_text=_("What acceptance changed, one line each, for the record."),
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("import draft")
        verbose_name_plural = _("import drafts")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=DraftStatus.values), name="draft_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(language__in=TextLanguage.values), name="draft_language_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.symbol} [{self.language}] #{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("intake:draft", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status == DraftStatus.OPEN

    @property
    def warnings(self) -> list[dict]:
        return self.reading.get("warnings", [])


class DraftProposal(models.Model):
    """One proposed obligation of a draft, as read and as the reviewer left it."""

    draft = models.ForeignKey(
        Draft, on_delete=models.CASCADE, related_name="proposals", verbose_name=_("draft")
    )
    paragraph_number = models.PositiveSmallIntegerField(_("paragraph"))
    key = models.CharField(_("key"), max_length=80)
    source = models.TextField(_("words it comes from"))
    decision = models.CharField(
        _("decision"), max_length=10, choices=Decision.choices, default=Decision.PENDING
    )
    owner_code = models.SlugField(_("owner"), max_length=40)
    owner_name = models.CharField(
        _("owner's name"), max_length=150, help_text=_("For a new actor: its name as written.")
    )
    contributors = models.JSONField(
        _("contributors"), default=list, blank=True, help_text=_("[{code, name, new}]")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=ObligationKind.choices)
    summary = models.TextField(_("summary"))
    schedule = models.JSONField(
        _("schedule"), null=True, blank=True, help_text=_("The rule, as the import's JSON has it.")
    )
    obligation = models.ForeignKey(
        "paragraphs.Obligation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("obligation created"),
    )

    class Meta:
        ordering = ["draft", "paragraph_number", "id"]
        verbose_name = _("proposed obligation")
        verbose_name_plural = _("proposed obligations")
        constraints = [
            models.UniqueConstraint(fields=["draft", "key"], name="draft_proposal_unique_key"),
            models.CheckConstraint(
                condition=models.Q(decision__in=Decision.values),
                name="draft_proposal_decision_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.draft} op. {self.paragraph_number}: {self.summary[:40]}"
