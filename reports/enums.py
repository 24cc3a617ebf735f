from django.db import models
from django.utils.translation import gettext_lazy as _

from reports.schedule import Timing


class ScheduleKind(models.TextChoices):
    ON_DATE = "on_date", _("One-off, on a date")
    WITHIN_DAYS = "within_days", _("One-off, within N days of adoption")
    RECURRING = "recurring", _("Recurring until the mandate expires")
    ALIGNED = "aligned", _("On the same cycle as another schedule")
    MANDATE_EXPIRY = "mandate_expiry", _("Mandate expiry milestone")


class DeadlineState(models.TextChoices):
    """What was recorded about a deadline. Upcoming, due and overdue are derived from dates."""

    OPEN = "open", _("Open")
    DELIVERED = "delivered", _("Delivered")
    WAIVED = "waived", _("Waived")


TIMING_LABELS = {
    Timing.UPCOMING: _("Upcoming"),
    Timing.DUE: _("Due"),
    Timing.OVERDUE: _("Overdue"),
    Timing.ON_TIME: _("Delivered on time"),
    Timing.LATE: _("Delivered late"),
    Timing.UNCONFIRMED: _("Delivered, date not confirmed"),
    Timing.WAIVED: _("Waived"),
    Timing.RECONCILE: _("To reconcile"),
}
