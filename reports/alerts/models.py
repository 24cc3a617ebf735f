"""The alert ledger and who receives what.

Every alert is one `Alert` row and every notification one `AlertDelivery` row, each under a
unique constraint on what makes it unique, so a repeated scan, two scans at once or a
retried task can only hit the constraint, never write a second alert or a second delivery.

Foreign keys name their targets as strings: `reports.models` imports this module.
"""

import secrets

from django.conf import settings
from django.core.validators import URLValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from reports.alerts.enums import AlertKind, Channel, DeliveryStatus


def new_webhook_secret() -> str:
    return secrets.token_urlsafe(32)


class Alert(models.Model):
    """One alert rule of one deadline that fell due at one moment."""

    # No index of its own: the unique constraint below starts with the deadline.
    deadline = models.ForeignKey(
        "reports.Deadline",
        on_delete=models.CASCADE,
        related_name="alerts",
        verbose_name=_("deadline"),
        db_index=False,
    )
    kind = models.CharField(_("kind"), max_length=10, choices=AlertKind.choices)
    rule = models.CharField(_("rule"), max_length=20, help_text=_("e.g. lead-14d, due, overdue-2"))
    moment = models.DateTimeField(_("moment"), help_text=_("When the rule fell due."))
    scheduled_on = models.DateField(
        _("scheduled date"), help_text=_("The scheduled date the alert was about, as it stood.")
    )
    raised_at = models.DateTimeField(_("raised at"), help_text=_("When the scan recorded it."))
    fanned_out = models.BooleanField(
        _("recipients resolved"), default=False, help_text=_("Its deliveries exist.")
    )

    class Meta:
        ordering = ["-moment", "-id"]
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        constraints = [
            # The moment is part of the key: a rescheduled deadline earns new alerts for
            # its new date, but the same rule never fires twice for the same moment.
            models.UniqueConstraint(
                fields=["deadline", "rule", "moment"], name="alert_unique_rule_moment"
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=AlertKind.values), name="alert_kind_valid"
            ),
        ]
        indexes = [
            models.Index(
                fields=["id"],
                condition=models.Q(fanned_out=False),
                name="alert_pending_fan_out_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.rule} · {self.deadline_id} · {self.moment:%Y-%m-%d %H:%M}"

    @property
    def escalated(self) -> bool:
        """Overdue alerts, and the notice that a period ended unrecorded, also go to the
        managers."""
        return AlertKind(self.kind).escalated


class AlertDelivery(models.Model):
    """One alert to one recipient through one channel: its status is the delivery log."""

    alert = models.ForeignKey(
        Alert, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("alert")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="alert_deliveries",
        verbose_name=_("recipient"),
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    webhook = models.ForeignKey(
        "reports.Webhook",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="deliveries",
        verbose_name=_("webhook"),
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=DeliveryStatus.choices,
        default=DeliveryStatus.PENDING,
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    next_attempt_at = models.DateTimeField(
        _("next attempt at"),
        null=True,
        blank=True,
        help_text=_("While pending: when the worker may try (again)."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("alert delivery")
        verbose_name_plural = _("alert deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["alert", "user", "channel"],
                condition=models.Q(webhook__isnull=True),
                name="alert_delivery_unique_user_channel",
            ),
            models.UniqueConstraint(
                fields=["alert", "webhook"],
                condition=models.Q(webhook__isnull=False),
                name="alert_delivery_unique_webhook",
            ),
            models.CheckConstraint(
                condition=models.Q(channel__in=Channel.values), name="alert_delivery_channel_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=DeliveryStatus.values),
                name="alert_delivery_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(channel=Channel.WEBHOOK, webhook__isnull=False)
                | (~models.Q(channel=Channel.WEBHOOK) & models.Q(webhook__isnull=True)),
                name="alert_delivery_webhook_iff_channel",
            ),
            models.CheckConstraint(
                condition=~models.Q(status=DeliveryStatus.PENDING)
                | models.Q(next_attempt_at__isnull=False),
                name="alert_delivery_pending_has_attempt_time",
            ),
            models.CheckConstraint(
                condition=models.Q(channel=Channel.INBOX) | models.Q(read_at__isnull=True),
                name="alert_delivery_read_only_in_inbox",
            ),
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(status=DeliveryStatus.PENDING),
                name="alert_delivery_due_idx",
            ),
            models.Index(
                fields=["user", "-id"],
                condition=models.Q(channel=Channel.INBOX),
                name="alert_delivery_inbox_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.alert} → {self.user} ({self.channel}, {self.status})"


class Subscription(models.Model):
    """A user follows an actor's obligations, a resolution's, or both at once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="alert_subscriptions",
        verbose_name=_("user"),
    )
    actor = models.ForeignKey(
        "paragraphs.Actor",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="alert_subscriptions",
        verbose_name=_("actor"),
        help_text=_("Obligations this actor owns or contributes to."),
    )
    resolution = models.ForeignKey(
        "paragraphs.Resolution",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="alert_subscriptions",
        verbose_name=_("resolution"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["user", "id"]
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(actor__isnull=False) | models.Q(resolution__isnull=False),
                name="subscription_has_a_subject",
            ),
            # Three partial constraints rather than one with NULLS NOT DISTINCT, which
            # SQLite (make run) does not have.
            models.UniqueConstraint(
                fields=["user", "actor"],
                condition=models.Q(resolution__isnull=True),
                name="subscription_unique_actor",
            ),
            models.UniqueConstraint(
                fields=["user", "resolution"],
                condition=models.Q(actor__isnull=True),
                name="subscription_unique_resolution",
            ),
            models.UniqueConstraint(
                fields=["user", "actor", "resolution"],
                condition=models.Q(actor__isnull=False, resolution__isnull=False),
                name="subscription_unique_actor_resolution",
            ),
        ]

    def __str__(self) -> str:
        parts = [str(p) for p in (self.actor, self.resolution) if p is not None]
        return f"{self.user}: {' in '.join(parts)}"


class Webhook(models.Model):
    """A URL that receives its owner's alerts as signed JSON POSTs."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="webhooks",
        verbose_name=_("owner"),
    )
    url = models.URLField(
        _("URL"), max_length=500, validators=[URLValidator(schemes=["http", "https"])]
    )
    secret = models.CharField(
        _("signing secret"),
        max_length=64,
        default=new_webhook_secret,
        editable=False,
        help_text=_("Key of the HMAC-SHA256 signature in the X-Mandate-Signature header."),
    )
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["owner", "id"]
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(url__startswith="http://")
                | models.Q(url__startswith="https://"),
                name="webhook_url_http_or_https",
            ),
            models.UniqueConstraint(fields=["owner", "url"], name="webhook_unique_owner_url"),
        ]

    def __str__(self) -> str:
        return self.url


class AlertPreference(models.Model):
    """How a user wants alert mail: one per alert or one digest a day, and in which language."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="alert_preference",
        verbose_name=_("user"),
    )
    digest = models.BooleanField(
        _("daily digest"), default=False, help_text=_("One e-mail a day instead of one per alert.")
    )
    # No choices here: the list of languages is a setting and changing it needs no migration.
    language = models.CharField(_("language"), max_length=10, default=settings.LANGUAGE_CODE)

    class Meta:
        verbose_name = _("alert preference")
        verbose_name_plural = _("alert preferences")

    def __str__(self) -> str:
        return f"{self.user}: {'digest' if self.digest else 'each alert'}, {self.language}"
