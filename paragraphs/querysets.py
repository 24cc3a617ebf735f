from django.db import models

from paragraphs.enums import ObligationStatus


class ObligationQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=ObligationStatus.open_values())

    def for_resolution(self, resolution):
        return self.filter(paragraph__resolution=resolution)
