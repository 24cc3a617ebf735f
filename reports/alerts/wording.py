"""How an alert reads, in whichever language is active: headline, link, list item."""

from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from reports.alerts.enums import AlertKind
from reports.alerts.models import Alert


@dataclass(frozen=True)
class AlertItem:
    """What a message says about one alert, in the language active when it was built."""

    alert: Alert
    headline: str
    link: str

    @property
    def deadline(self):
        return self.alert.deadline

    @property
    def obligation(self):
        return self.alert.deadline.schedule.obligation


def headline(alert: Alert) -> str:
    day = alert.moment.astimezone(timezone.get_default_timezone()).date()
    days = abs((alert.scheduled_on - day).days)
    if alert.kind == AlertKind.LEAD:
        return ngettext("Due in %(days)d day", "Due in %(days)d days", days) % {"days": days}
    if alert.kind == AlertKind.DUE:
        return _("Due today")
    if alert.kind == AlertKind.PERIOD_ENDED:
        return _("Mandate period ended, not recorded: to reconcile (last alert)")
    return ngettext("Overdue by %(days)d day", "Overdue by %(days)d days", days) % {"days": days}


def absolute_link(alert: Alert) -> str:
    path = reverse("reports:obligation", args=[alert.deadline.schedule.obligation_id])
    return f"{settings.SITE_URL.rstrip('/')}{path}#deadline-{alert.deadline_id}"


def item_for(alert: Alert) -> AlertItem:
    return AlertItem(alert=alert, headline=headline(alert), link=absolute_link(alert))
