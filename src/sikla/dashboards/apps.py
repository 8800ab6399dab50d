from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    name = "sikla.dashboards"
    verbose_name = _("Profil anak dan portal publik")
