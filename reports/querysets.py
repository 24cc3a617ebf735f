import datetime as dt

from django.db import models

from reports import schedule as rules
from reports.enums import DeadlineState


class DeadlineQuerySet(models.QuerySet):
    def open(self):
        return self.filter(state=DeadlineState.OPEN)

    def due_between(self, start: dt.date, end: dt.date):
        """Open deadlines scheduled within [start, end], both included."""
        return self.open().filter(scheduled_on__gte=start, scheduled_on__lte=end)

    def overdue(self, *, today: dt.date):
        return self.open().filter(scheduled_on__lt=rules.overdue_cutoff(today))

    def for_obligation(self, obligation):
        return self.filter(schedule__obligation=obligation)
