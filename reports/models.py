import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from paragraphs.dates import in_window_q, validate_tracked_date
from paragraphs.history import ThroughToken
from paragraphs.models import Obligation
from reports import schedule as rules
from reports.alerts import rules as alert_rules

# The alert models live in their own module; importing them here registers them with the app.
from reports.alerts.models import (
    Alert,
    AlertDelivery,
    AlertPreference,
    Subscription,
    Webhook,
)
from reports.enums import DeadlineState, ScheduleKind
from reports.querysets import DeadlineQuerySet

# More deadlines than a mandate's weekly reports over a decade: a rule giving more is a typo.
MAX_OCCURRENCES = 500

__all__ = [
    "Alert",
    "AlertDelivery",
    "AlertPreference",
    "Deadline",
    "Schedule",
    "Subscription",
    "Webhook",
]


def default_lead_days() -> list[int]:
    return list(alert_rules.DEFAULT_LEAD_DAYS)


def validate_lead_days(value) -> None:
    try:
        alert_rules.normalise_lead_days(value)
    except ValueError as error:
        raise ValidationError(str(error)) from error


class Schedule(models.Model):
    """The deadline rule of an obligation, as data; `rules` turns it into dates."""

    obligation = models.ForeignKey(
        Obligation, on_delete=models.CASCADE, related_name="schedules", verbose_name=_("obligation")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=ScheduleKind.choices)
    label = models.CharField(_("label"), max_length=120, blank=True)
    on_date = models.DateField(
        _("on date"), null=True, blank=True, validators=[validate_tracked_date]
    )
    within_days = models.PositiveSmallIntegerField(_("within days"), null=True, blank=True)
    anchor_on = models.DateField(
        _("anchor"),
        null=True,
        blank=True,
        validators=[validate_tracked_date],
        help_text=_("Recurring: occurrences count from this date (default: adoption)."),
    )
    every_days = models.PositiveSmallIntegerField(_("every N days"), null=True, blank=True)
    every_months = models.PositiveSmallIntegerField(_("every N months"), null=True, blank=True)
    until = models.DateField(
        _("until"),
        null=True,
        blank=True,
        validators=[validate_tracked_date],
        help_text=_("Recurring: default is the mandate expiry."),
    )
    aligned_to = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="aligned_schedules",
        verbose_name=_("same cycle as"),
    )
    rationale = models.TextField(
        _("rationale"), blank=True, help_text=_("Why the rule reads the text this way.")
    )
    # Kept as JSON, not an ArrayField, so that the SQLite database of `make run` works too.
    lead_days = models.JSONField(
        _("alert lead days"),
        default=default_lead_days,
        validators=[validate_lead_days],
        help_text=_("Days before the scheduled date on which to alert, e.g. [14, 7, 1]."),
    )
    overdue_every_days = models.PositiveSmallIntegerField(
        _("overdue reminder every N days"),
        default=alert_rules.DEFAULT_OVERDUE_EVERY_DAYS,
        validators=[MinValueValidator(1)],
    )

    history = HistoricalRecords(bases=[ThroughToken])

    class Meta:
        ordering = ["obligation", "id"]
        verbose_name = _("schedule")
        verbose_name_plural = _("schedules")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=ScheduleKind.values), name="schedule_kind_valid"
            ),
            models.CheckConstraint(
                condition=~models.Q(kind=ScheduleKind.ON_DATE) | models.Q(on_date__isnull=False),
                name="schedule_on_date_has_date",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind=ScheduleKind.WITHIN_DAYS)
                | models.Q(within_days__isnull=False),
                name="schedule_within_days_has_days",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind=ScheduleKind.RECURRING)
                | models.Q(every_days__isnull=False, every_months__isnull=True)
                | models.Q(every_days__isnull=True, every_months__isnull=False),
                name="schedule_recurring_has_one_interval",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind=ScheduleKind.ALIGNED) | models.Q(aligned_to__isnull=False),
                name="schedule_aligned_has_target",
            ),
            *(
                models.CheckConstraint(
                    condition=in_window_q(name, nullable=True), name=f"schedule_{name}_in_window"
                )
                for name in ("on_date", "anchor_on", "until")
            ),
        ]

    def __str__(self) -> str:
        return self.label or f"{self.get_kind_display()} ({self.obligation.key})"

    def to_rule(self) -> rules.Rule:
        """The pure rule, filling defaults from the resolution (adoption, mandate expiry)."""
        resolution = self.obligation.paragraph.resolution
        match self.kind:
            case ScheduleKind.ON_DATE:
                return rules.OnDate(self.on_date)
            case ScheduleKind.MANDATE_EXPIRY:
                return rules.OnDate(resolution.mandate_expires_on)
            case ScheduleKind.WITHIN_DAYS:
                return rules.WithinDays(start=resolution.adopted_on, days=self.within_days)
            case ScheduleKind.RECURRING:
                return rules.Every(
                    anchor=self.anchor_on or resolution.adopted_on,
                    until=self.until or resolution.mandate_expires_on,
                    days=self.every_days,
                    months=self.every_months,
                )
            case ScheduleKind.ALIGNED:
                return rules.SameCycleAs(self.aligned_to.to_rule())
        raise ValueError(f"Unknown schedule kind {self.kind!r}")

    def due_dates(self) -> list[dt.date]:
        return rules.due_dates(self.to_rule())

    def clean(self):
        super().clean()
        try:
            self.check_occurrences()
        except (AttributeError, TypeError, ValueError, Schedule.DoesNotExist):
            return  # an incomplete rule: its fields' own errors say what is missing

    def check_occurrences(self) -> list[dt.date]:
        """The rule's due dates, if there are not too many and each lies in the tracked
        window; a ValidationError that says which otherwise (a typo such as "every 1 day"
        would make thousands of deadlines)."""
        try:
            dates = rules.due_dates(self.to_rule(), limit=MAX_OCCURRENCES + 1)
        except OverflowError:
            dates = [dt.date.max]
        if len(dates) > MAX_OCCURRENCES:
            raise ValidationError(
                _("This rule gives more than %(max)d deadlines; check its interval and end.")
                % {"max": MAX_OCCURRENCES},
                code="too_many_occurrences",
            )
        for day in dates:
            validate_tracked_date(day)
        return dates


class Deadline(models.Model):
    """One occurrence of a schedule: when it is due and what became of it."""

    # No index of its own: the unique (schedule, sequence) index starts with it, and one
    # index fewer makes every alert-cursor update cheaper.
    schedule = models.ForeignKey(
        Schedule,
        on_delete=models.CASCADE,
        related_name="deadlines",
        verbose_name=_("schedule"),
        db_index=False,
    )
    sequence = models.PositiveSmallIntegerField(_("occurrence"))
    due_on = models.DateField(_("nominal due date"), validators=[validate_tracked_date])
    scheduled_on = models.DateField(_("scheduled date"), validators=[validate_tracked_date])
    scheduled_reason = models.TextField(_("reason for the scheduled date"), blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=DeadlineState.choices, default=DeadlineState.OPEN
    )
    delivered_on = models.DateField(
        _("delivered on"), null=True, blank=True, validators=[validate_tracked_date]
    )
    document_symbol = models.CharField(_("document symbol"), max_length=40, blank=True)
    waived_reason = models.TextField(_("reason for the waiver"), blank=True)
    version = models.PositiveIntegerField(
        _("version"),
        default=1,
        editable=False,
        help_text=_("Raised by every save; detects edit conflicts."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    next_alert_at = models.DateTimeField(
        _("next alert at"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("The first alert moment not raised yet; empty once delivered or waived."),
    )

    # next_alert_at is the scan's cursor, not a fact about the deadline: no history for it.
    history = HistoricalRecords(
        excluded_fields=["updated_at", "next_alert_at"], bases=[ThroughToken]
    )
    objects = DeadlineQuerySet.as_manager()

    class Meta:
        ordering = ["scheduled_on", "id"]
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")
        constraints = [
            models.UniqueConstraint(
                fields=["schedule", "sequence"], name="deadline_unique_sequence"
            ),
            models.CheckConstraint(
                condition=models.Q(state__in=DeadlineState.values), name="deadline_state_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(state=DeadlineState.DELIVERED, delivered_on__isnull=False)
                | (~models.Q(state=DeadlineState.DELIVERED) & models.Q(delivered_on__isnull=True)),
                name="deadline_delivered_iff_date",
            ),
            models.CheckConstraint(
                condition=~models.Q(state=DeadlineState.WAIVED) | ~models.Q(waived_reason=""),
                name="deadline_waiver_has_reason",
            ),
            models.CheckConstraint(
                condition=in_window_q("due_on"), name="deadline_due_on_in_window"
            ),
            models.CheckConstraint(
                condition=in_window_q("scheduled_on"), name="deadline_scheduled_on_in_window"
            ),
            models.CheckConstraint(
                condition=in_window_q("delivered_on", nullable=True),
                name="deadline_delivered_on_in_window",
            ),
        ]
        indexes = [
            models.Index(
                fields=["scheduled_on"],
                condition=models.Q(state=DeadlineState.OPEN),
                name="deadline_open_scheduled_idx",
            ),
            # Date windows over every state: the calendar month and the dashboard's range.
            models.Index(fields=["scheduled_on"], name="deadline_scheduled_idx"),
            models.Index(
                fields=["next_alert_at"],
                condition=models.Q(state=DeadlineState.OPEN),
                name="deadline_open_next_alert_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.schedule} #{self.sequence} ({self.due_on.isoformat()})"

    def clean(self):
        if self.delivered_on and self.delivered_on > timezone.localdate():
            raise ValidationError({"delivered_on": _("The delivery date cannot be in the future.")})

    def timing(self, today: dt.date) -> rules.Timing:
        return rules.timing(
            scheduled_on=self.scheduled_on,
            today=today,
            delivered_on=self.delivered_on,
            waived=self.state == DeadlineState.WAIVED,
        )

    @property
    def next_working_day(self) -> dt.date:
        """When a weekend due date is met in practice."""
        return rules.next_working_day(self.scheduled_on)

    def alert_plan(self) -> alert_rules.AlertPlan | None:
        """When it alerts (its schedule's settings); None once delivered or waived."""
        return alert_plan(
            state=self.state,
            scheduled_on=self.scheduled_on,
            lead_days=self.schedule.lead_days,
            overdue_every_days=self.schedule.overdue_every_days,
        )


def alert_plan(
    *, state: str, scheduled_on: dt.date, lead_days, overdue_every_days: int
) -> alert_rules.AlertPlan | None:
    """A deadline's alert plan from its stored values; None once delivered or waived."""
    if state != DeadlineState.OPEN:
        return None
    return alert_rules.AlertPlan(
        scheduled_on=scheduled_on,
        zone=timezone.get_default_timezone(),
        lead_days=alert_rules.normalise_lead_days(lead_days),
        overdue_every_days=overdue_every_days,
    )


class DeadlineSummary(models.Model):
    """What an obligation's deadlines add up to: derived, like `Deadline.next_alert_at`.

    Its one owner is `reports.services.obligation_deadlines_refresh`, which every path that
    changes deadlines calls in its transaction; reads that would otherwise aggregate every
    deadline (the dashboard's per-owner figures, the API's next deadline and its `overdue`
    filter) read one row per obligation instead. The row is made by the first refresh: an
    obligation without one has never had a deadline, and reads (outer joins) see no next
    deadline and zeros, which is exactly what it has.
    """

    obligation = models.OneToOneField(
        Obligation,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="deadline_summary",
        verbose_name=_("obligation"),
    )
    next_deadline = models.DateField(
        _("next deadline"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_("The earliest scheduled date among its open deadlines."),
    )
    deadlines = models.PositiveIntegerField(_("deadlines"), default=0)
    open = models.PositiveIntegerField(_("open"), default=0)
    delivered_on_time = models.PositiveIntegerField(_("delivered on time"), default=0)
    delivered_late = models.PositiveIntegerField(_("delivered late"), default=0)
    waived = models.PositiveIntegerField(_("waived"), default=0)

    class Meta:
        verbose_name = _("deadline summary")
        verbose_name_plural = _("deadline summaries")

    def __str__(self) -> str:
        return f"{self.obligation_id}: {self.open}/{self.deadlines} open"


class CalendarFeed(models.Model):
    """A user's private iCalendar subscription.

    Only a random key is stored; the URL carries the key with an HMAC signature made with
    the project's secret key (see `reports.dashboard.feeds`), so a copy of the database
    alone opens nobody's feed, and the owner can see their URL again at any time.
    Regenerating replaces the key (the old URL stops); revoking deletes the row.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="calendar_feed",
        verbose_name=_("user"),
    )
    key = models.CharField(_("key"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return f"{self.user} ({self.created_at:%Y-%m-%d})"
