from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from paragraphs.dates import in_window_q, validate_tracked_date
from paragraphs.enums import (
    ObligationKind,
    ObligationStatus,
    ParagraphKind,
    TextLanguage,
    VerbCategory,
)
from paragraphs.history import ThroughToken
from paragraphs.querysets import ObligationQuerySet


def resolution_symbol(number: int, year: int) -> str:
    return f"S/RES/{number} ({year})"


class Mandate(models.Model):
    """A mission or regime the Council establishes and renews (BINUH), followed across the
    chain of resolutions that govern it, each with its period (`Resolution.period_*`)."""

    code = models.CharField(
        _("code"),
        max_length=40,
        unique=True,
        help_text=_("Short name or acronym, e.g. BINUH."),
        # The code names the mandate's page (/mandates/BINUH/).
        validators=[RegexValidator(r"^[^/]+\Z", _("A code cannot contain a slash."))],
    )
    name = models.CharField(
        _("name"),
        max_length=200,
        blank=True,
        help_text=_("e.g. United Nations Integrated Office in Haiti."),
    )

    history = HistoricalRecords(bases=[ThroughToken])

    class Meta:
        ordering = ["code"]
        verbose_name = _("mandate")
        verbose_name_plural = _("mandates")

    def __str__(self) -> str:
        return self.code

    def get_absolute_url(self) -> str:
        return reverse("reports:mandate", args=[self.code])


class Resolution(models.Model):
    """A Security Council resolution. Resolutions that are only cited have no paragraphs."""

    symbol = models.CharField(_("symbol"), max_length=40, unique=True)
    number = models.PositiveIntegerField(_("number"), unique=True)
    year = models.PositiveSmallIntegerField(_("year"))
    adopted_on = models.DateField(
        _("adopted on"), null=True, blank=True, validators=[validate_tracked_date]
    )
    meeting_number = models.PositiveIntegerField(_("meeting"), null=True, blank=True)
    title = models.CharField(_("subject"), max_length=200, blank=True)
    mandate = models.ForeignKey(
        Mandate,
        verbose_name=_("mandate"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="resolutions",
        help_text=_("The mission it governs, e.g. BINUH."),
    )
    # The resolution's mandate period runs from its adoption to this day: no deadline is
    # generated after it, and open deadlines left when it has passed are to reconcile.
    mandate_expires_on = models.DateField(
        _("mandate expires on"),
        null=True,
        blank=True,
        validators=[validate_tracked_date],
        help_text=_("The end of the mandate period it sets; no deadline falls after it."),
    )
    renews = models.ForeignKey(
        "self",
        verbose_name=_("renews"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="renewed_by",
    )
    references = models.ManyToManyField(
        "self",
        verbose_name=_("references"),
        symmetrical=False,
        blank=True,
        related_name="referenced_by",
    )
    is_synthetic = models.BooleanField(
        _("synthetic"),
        default=False,
        help_text=_("Made by generate_scale_data for benchmarks; removable with --remove."),
    )

    # Its facts change (an expiry extended, a renewal linked): the history says when and
    # by whom, and "as of" views read periods as they stood.
    history = HistoricalRecords(bases=[ThroughToken])

    class Meta:
        ordering = ["-year", "-number"]
        verbose_name = _("resolution")
        verbose_name_plural = _("resolutions")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(renews=models.F("pk")), name="resolution_not_renewing_itself"
            ),
            models.CheckConstraint(
                condition=in_window_q("adopted_on", nullable=True),
                name="resolution_adopted_on_in_window",
            ),
            models.CheckConstraint(
                condition=in_window_q("mandate_expires_on", nullable=True),
                name="resolution_mandate_expires_on_in_window",
            ),
        ]

    def __str__(self) -> str:
        return self.symbol

    def clean(self):
        super().clean()
        expires, adopted = self.mandate_expires_on, self.adopted_on
        if adopted and expires and expires < adopted:
            raise ValidationError(
                {"mandate_expires_on": _("The mandate cannot expire before the adoption.")}
            )
        if self.renews_id:
            previous = self.renews
            if previous.adopted_on and self.adopted_on and previous.adopted_on >= self.adopted_on:
                raise ValidationError({"renews": _("A resolution renews one adopted before it.")})
            seen = {self.pk}
            while previous is not None:
                if previous.pk in seen:
                    raise ValidationError({"renews": _("Renewals cannot go round in a circle.")})
                seen.add(previous.pk)
                previous = previous.renews

    @property
    def has_text(self) -> bool:
        """Whether its text was imported (a resolution known only as a record has none)."""
        return self.paragraphs.exists()


class Paragraph(models.Model):
    resolution = models.ForeignKey(
        Resolution,
        on_delete=models.CASCADE,
        related_name="paragraphs",
        verbose_name=_("resolution"),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=ParagraphKind.choices)
    position = models.PositiveSmallIntegerField(
        _("position"), help_text=_("Order within its kind, starting at 1.")
    )
    number = models.PositiveSmallIntegerField(
        _("number"), null=True, blank=True, help_text=_("Operative paragraphs only.")
    )
    summary_en = models.TextField(
        _("summary (English)"),
        blank=True,
        help_text=_("An analyst's summary, not the official English text."),
    )
    verb_category = models.CharField(
        _("verb category"), max_length=20, choices=VerbCategory.choices, default=VerbCategory.OTHER
    )
    cites = models.ManyToManyField(
        Resolution, verbose_name=_("cites"), blank=True, related_name="cited_in"
    )

    history = HistoricalRecords(bases=[ThroughToken])

    class Meta:
        ordering = ["resolution", "-kind", "position"]
        verbose_name = _("paragraph")
        verbose_name_plural = _("paragraphs")
        constraints = [
            models.UniqueConstraint(
                fields=["resolution", "kind", "position"], name="paragraph_unique_position"
            ),
            models.UniqueConstraint(
                fields=["resolution", "number"],
                condition=models.Q(number__isnull=False),
                name="paragraph_unique_number",
            ),
            models.CheckConstraint(
                condition=models.Q(kind=ParagraphKind.OPERATIVE, number__isnull=False)
                | models.Q(kind=ParagraphKind.PREAMBULAR, number__isnull=True),
                name="paragraph_number_iff_operative",
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=ParagraphKind.values), name="paragraph_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        if self.kind == ParagraphKind.OPERATIVE:
            return f"{self.resolution.symbol} op. {self.number}"
        return f"{self.resolution.symbol} pp. {self.position}"

    def _texts_for_reader(self) -> list["ParagraphText"]:
        """The paragraph's texts (prefetch `texts`), the reader's interface language first,
        then in the order of TextLanguage."""
        order = list(TextLanguage.values)
        reader = TextLanguage.of_interface(get_language())
        texts = sorted(self.texts.all(), key=lambda t: order.index(t.language))
        return sorted(texts, key=lambda t: t.language != reader)

    @property
    def local_text(self) -> "ParagraphText | None":
        """The text a page shows first: in the reader's language when there is one."""
        texts = self._texts_for_reader()
        return texts[0] if texts else None

    @property
    def other_texts(self) -> list["ParagraphText"]:
        """The texts in the other languages, shown on demand."""
        return self._texts_for_reader()[1:]

    @property
    def label(self) -> str:
        return str(self.number) if self.number is not None else f"PP{self.position}"


class ParagraphText(models.Model):
    """A paragraph's text in one official language, as adopted. Every language imported is
    authoritative; the paragraph (its number, its obligations) is the same in all of them."""

    paragraph = models.ForeignKey(
        Paragraph, on_delete=models.CASCADE, related_name="texts", verbose_name=_("paragraph")
    )
    language = models.CharField(_("language"), max_length=5, choices=TextLanguage.choices)
    text = models.TextField(_("text"))
    lead_verb = models.CharField(
        _("lead verb"), max_length=60, blank=True, help_text=_("As written, e.g. “Requests”.")
    )

    history = HistoricalRecords(bases=[ThroughToken])

    class Meta:
        ordering = ["paragraph", "language"]
        verbose_name = _("paragraph text")
        verbose_name_plural = _("paragraph texts")
        constraints = [
            models.UniqueConstraint(
                fields=["paragraph", "language"], name="paragraph_text_unique_language"
            ),
            models.CheckConstraint(
                condition=models.Q(language__in=TextLanguage.values),
                name="paragraph_text_language_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.paragraph_id} [{self.language}]"

    @property
    def html_lang(self) -> str:
        return TextLanguage(self.language).html_lang

    @property
    def text_after_verb(self) -> str:
        """The text without its lead verb, so a page can emphasise the verb as UN documents do."""
        if self.lead_verb and self.text.startswith(self.lead_verb):
            return self.text[len(self.lead_verb) :]
        return self.text


class Actor(models.Model):
    """Someone a paragraph can ask something of: an office, a body, a group of States."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=150)
    name_zh = models.CharField(_("name (Chinese)"), max_length=100)
    abbreviation = models.CharField(_("abbreviation"), max_length=20, blank=True)

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("actor")
        verbose_name_plural = _("actors")

    def __str__(self) -> str:
        return self.abbreviation or self.name_en

    @property
    def local_name(self) -> str:
        """The short name in the language of the page: Chinese pages use the Chinese name."""
        if (get_language() or "").startswith("zh"):
            return self.name_zh
        return str(self)


class Obligation(models.Model):
    """What one paragraph asks of whom, and how far it has got."""

    paragraph = models.ForeignKey(
        Paragraph, on_delete=models.PROTECT, related_name="obligations", verbose_name=_("paragraph")
    )
    key = models.SlugField(
        _("key"),
        max_length=80,
        unique=True,
        help_text=_(
            "Stable identifier used by the curated data file, e.g. 2692-op18-options-report."
        ),
    )
    summary = models.TextField(_("summary"))
    owner = models.ForeignKey(
        Actor, on_delete=models.PROTECT, related_name="owned_obligations", verbose_name=_("owner")
    )
    contributors = models.ManyToManyField(
        Actor, blank=True, related_name="contributed_obligations", verbose_name=_("contributors")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=ObligationKind.choices)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ObligationStatus.choices,
        default=ObligationStatus.NOT_STARTED,
    )
    note = models.TextField(_("progress note"), blank=True)
    assigned_analyst = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_obligations",
        verbose_name=_("assigned analyst"),
    )
    carried_forward_to = models.ForeignKey(
        "self",
        verbose_name=_("carried forward to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="carried_forward_from",
        help_text=_("The obligation of the renewing resolution that continues this one."),
    )
    version = models.PositiveIntegerField(
        _("version"),
        default=1,
        editable=False,
        help_text=_("Raised by every save; detects edit conflicts."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"], bases=[ThroughToken])
    objects = ObligationQuerySet.as_manager()

    class Meta:
        ordering = ["paragraph__resolution", "paragraph__position", "id"]
        verbose_name = _("obligation")
        verbose_name_plural = _("obligations")
        permissions = [("assign_obligation", "Can assign owners and analysts to obligations")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=ObligationStatus.values),
                name="obligation_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=ObligationKind.values), name="obligation_kind_valid"
            ),
        ]
        indexes = [models.Index(fields=["status"]), models.Index(fields=["updated_at"])]

    def __str__(self) -> str:
        return f"{self.paragraph}: {self.summary[:60]}"

    def get_absolute_url(self) -> str:
        # A URL name, not an import: the obligation page lives in the reports app.
        return reverse("reports:obligation", args=[self.pk])


class Evidence(models.Model):
    """What shows progress on an obligation: a document, a link, a date. Append-only."""

    obligation = models.ForeignKey(
        Obligation, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("obligation")
    )
    document_symbol = models.CharField(_("document symbol"), max_length=40, blank=True)
    url = models.URLField(_("link"), max_length=500, blank=True)
    dated = models.DateField(_("date"), null=True, blank=True, validators=[validate_tracked_date])
    note = models.TextField(_("note"), blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, verbose_name=_("added by")
    )
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)

    history = HistoricalRecords(bases=[ThroughToken])

    class Meta:
        ordering = ["-dated", "-added_at"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(document_symbol="", url=""), name="evidence_symbol_or_link"
            ),
            models.CheckConstraint(
                condition=in_window_q("dated", nullable=True), name="evidence_dated_in_window"
            ),
        ]

    def __str__(self) -> str:
        return self.document_symbol or self.url


class ApiToken(models.Model):
    """A credential another system uses to call the API as one user.

    Only a SHA-256 digest of the token is stored: the token itself is shown once, when it is
    created. The prefix (also part of the token) finds the row without scanning digests.
    A token never does more than its user may do in the browser, and a read-only token
    never writes, whatever its user may do.
    """

    name = models.CharField(
        _("name"), max_length=100, help_text=_("Which system uses it, e.g. “DPPA warehouse”.")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("acts as"),
    )
    read_only = models.BooleanField(_("read-only"), default=True)
    prefix = models.CharField(_("prefix"), max_length=12, unique=True, editable=False)
    digest = models.CharField(_("SHA-256 digest"), max_length=64, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, editable=False)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("revoked by"),
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
