from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParagraphsConfig(AppConfig):
    name = "paragraphs"
    verbose_name = _("Resolutions and obligations")

    def ready(self):
        from simple_history.signals import pre_create_historical_record

        from paragraphs.history import record_token

        pre_create_historical_record.connect(record_token, dispatch_uid="history-api-token")
