from django.db import models
from django.utils.translation import gettext_lazy as _


class AlertKind(models.TextChoices):
    LEAD = "lead", _("Coming up")
    DUE = "due", _("Due")
    OVERDUE = "overdue", _("Overdue")
    # The mandate period ended with the deadline unrecorded: the last alert it raises.
    PERIOD_ENDED = "period_end", _("Period ended, not recorded")

    @property
    def escalated(self) -> bool:
        """Managers are told too."""
        return self in (AlertKind.OVERDUE, AlertKind.PERIOD_ENDED)


class Channel(models.TextChoices):
    INBOX = "inbox", _("In-app inbox")
    EMAIL = "email", _("E-mail")
    DIGEST = "digest", _("Daily digest e-mail")
    WEBHOOK = "webhook", _("Webhook")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    SKIPPED = "skipped", _("Skipped")
