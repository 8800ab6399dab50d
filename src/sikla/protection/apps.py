from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProtectionConfig(AppConfig):
    name = "sikla.protection"
    verbose_name = _("Perlindungan khusus anak")
