from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VillagesConfig(AppConfig):
    name = "sikla.villages"
    verbose_name = _("Desa/kelurahan dan kecamatan layak anak")
