import datetime as dt

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from reports.alerts.clock import tick
from reports.alerts.selectors import alerts_by_ids


def _moment(value: str) -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError as error:
        raise CommandError(
            f"--now {value!r} is not an ISO date-time such as 2023-08-13T09:05-04:00."
        ) from error
    # A moment without an offset is read in the project's time zone, as people write it.
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


class Command(BaseCommand):
    help = (
        "Raise the deadline alerts that are due and queue their notifications: the step the "
        "Celery beat runs every minute, for cron users and tests. With --now, replay the past: "
        "deadlines are taken as they stood then (one delivered later was still open)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--now",
            help="ISO date-time to replay, e.g. 2023-08-13T09:05 (project time zone if no offset).",
        )

    def handle(self, *args, **options):
        replay = options["now"] is not None
        now = _moment(options["now"]) if replay else timezone.now()
        if now > timezone.now():
            raise CommandError("--now is in the future: alerts are never raised ahead of time.")
        result = tick(now=now, replay=replay)
        if result.scan.skipped:
            self.stdout.write("Another scan holds the lock; it is doing this work.")
        zone = timezone.get_default_timezone()
        for alert in alerts_by_ids(result.scan.alert_ids):
            deadline = alert.deadline
            obligation = deadline.schedule.obligation
            recipients = sorted(
                {f"{d.user.get_username()} ({d.channel})" for d in alert.deliveries.all()}
            )
            self.stdout.write(
                f"{alert.moment.astimezone(zone):%Y-%m-%d %H:%M %Z}  {alert.rule:<10}  "
                f"{obligation.paragraph} · {deadline.schedule.label or obligation.key} "
                f"#{deadline.sequence} · scheduled {alert.scheduled_on:%a %d %b %Y}"
                + (f"\n    → {', '.join(recipients)}" if recipients else "")
            )
        self.stdout.write(
            f"Raised {_count(len(result.scan.alert_ids), 'alert', 'alerts')}, "
            f"created {_count(result.deliveries, 'delivery', 'deliveries')}, "
            f"dispatched {_count(result.messages, 'worker message', 'worker messages')}."
        )


def _count(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"
