from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanningConfig(AppConfig):
    name = "sikla.planning"
    verbose_name = _("Koordinasi dan perencanaan")
