import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
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
MAX_TOLERANCE_DAYS = 60

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
    tolerance_days = models.PositiveSmallIntegerField(
        _("tolerance (days)"),
        default=rules.DEFAULT_TOLERANCE_DAYS,
        validators=[MaxValueValidator(MAX_TOLERANCE_DAYS)],
        help_text=_(
            "Days after the scheduled date (and the weekend rule) within which a delivery "
            "still counts as on time: the Council's practice of fitting reports to its "
            "programme of work. 0 for none."
        ),
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

    def due_dates(self, limit: int | None = None) -> list[dt.date]:
        """The rule's dates within its resolution's mandate period: none is ever generated
        after the period ends."""
        dates = rules.due_dates(self.to_rule(), limit=limit)
        period_ends_on = self.obligation.paragraph.resolution.mandate_expires_on
        return [day for day in dates if period_ends_on is None or day <= period_ends_on]

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
            dates = self.due_dates(limit=MAX_OCCURRENCES + 1)
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
    # What happened, as far as it is known: the date the document bears, the day it reached
    # the Council, or (when neither is confirmed) the day it is known to have existed by,
    # with the evidence that it did (a meeting that discussed it, a press release).
    dated_on = models.DateField(
        _("document dated"), null=True, blank=True, validators=[validate_tracked_date]
    )
    circulated_on = models.DateField(
        _("circulated on"), null=True, blank=True, validators=[validate_tracked_date]
    )
    delivered_by = models.DateField(
        _("delivered by"),
        null=True,
        blank=True,
        validators=[validate_tracked_date],
        help_text=_("When the delivery date is not confirmed: a day by which it existed."),
    )
    delivery_evidence = models.TextField(
        _("evidence of delivery"),
        blank=True,
        help_text=_("How the delivery is known, e.g. the meeting that discussed the report."),
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
            # A delivery says when (a date it bears or reached the Council) or how it is
            # known (a bounding date, a symbol, evidence); an open or waived one says none.
            models.CheckConstraint(
                condition=(
                    models.Q(state=DeadlineState.DELIVERED)
                    & (
                        models.Q(dated_on__isnull=False)
                        | models.Q(circulated_on__isnull=False)
                        | models.Q(delivered_by__isnull=False)
                        | ~models.Q(document_symbol="")
                        | ~models.Q(delivery_evidence="")
                    )
                )
                | (
                    ~models.Q(state=DeadlineState.DELIVERED)
                    & models.Q(
                        dated_on__isnull=True,
                        circulated_on__isnull=True,
                        delivered_by__isnull=True,
                        delivery_evidence="",
                    )
                ),
                name="deadline_delivered_iff_known",
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
            *(
                models.CheckConstraint(
                    condition=in_window_q(name, nullable=True), name=f"deadline_{name}_in_window"
                )
                for name in ("dated_on", "circulated_on", "delivered_by")
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
        for name in ("dated_on", "circulated_on", "delivered_by"):
            if getattr(self, name) and getattr(self, name) > timezone.localdate():
                raise ValidationError({name: _("The delivery date cannot be in the future.")})

    @property
    def delivered_on(self) -> dt.date | None:
        """When it counts as delivered (`schedule.delivery_date`); None if not confirmed."""
        return rules.delivery_date(circulated_on=self.circulated_on, dated_on=self.dated_on)

    def timing(self, today: dt.date) -> rules.Timing:
        """Where it stands on `today` (its schedule and resolution are read)."""
        return rules.timing(
            scheduled_on=self.scheduled_on,
            today=today,
            delivered=self.state == DeadlineState.DELIVERED,
            delivered_on=self.delivered_on,
            delivered_by=self.delivered_by,
            waived=self.state == DeadlineState.WAIVED,
            tolerance_days=self.schedule.tolerance_days,
            period_ends_on=self.schedule.obligation.paragraph.resolution.mandate_expires_on,
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
            tolerance_days=self.schedule.tolerance_days,
            period_ends_on=self.schedule.obligation.paragraph.resolution.mandate_expires_on,
        )


# What `alert_plan` reads of a deadline, as ORM lookups from the deadline (for set-based
# reads: the owner of derived state and the scan).
ALERT_PLAN_FIELDS = (
    "state",
    "scheduled_on",
    "schedule__lead_days",
    "schedule__overdue_every_days",
    "schedule__tolerance_days",
    "schedule__obligation__paragraph__resolution__mandate_expires_on",
)


def alert_plan(
    *,
    state: str,
    scheduled_on: dt.date,
    lead_days,
    overdue_every_days: int,
    tolerance_days: int,
    period_ends_on: dt.date | None,
) -> alert_rules.AlertPlan | None:
    """A deadline's alert plan from its stored values; None once delivered or waived."""
    if state != DeadlineState.OPEN:
        return None
    return alert_rules.AlertPlan(
        scheduled_on=scheduled_on,
        zone=timezone.get_default_timezone(),
        lead_days=alert_rules.normalise_lead_days(lead_days),
        overdue_every_days=overdue_every_days,
        tolerance_days=tolerance_days,
        period_ends_on=period_ends_on,
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
    overdue_from = models.DateField(
        _("overdue from"),
        null=True,
        blank=True,
        help_text=_("The first day one of its open deadlines is overdue (tolerance included)."),
    )
    deadlines = models.PositiveIntegerField(_("deadlines"), default=0)
    open = models.PositiveIntegerField(_("open"), default=0)
    delivered_on_time = models.PositiveIntegerField(_("delivered on time"), default=0)
    delivered_late = models.PositiveIntegerField(_("delivered late"), default=0)
    delivered_unconfirmed = models.PositiveIntegerField(
        _("delivered, date not confirmed"), default=0
    )
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
