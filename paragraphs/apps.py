from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParagraphsConfig(AppConfig):
    name = "paragraphs"
    verbose_name = _("Resolutions and obligations")
