from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _fill_derived(sender, using="default", **kwargs) -> None:
    """After every `sikla migrate`: the statistics facts of any case that has none, and the name
    index of any named child without one (cases recorded before these existed, or restored from a
    backup). Derived data is made with the code of the running release, once the whole schema is
    in place — never inside a migration, whose models are frozen in the past."""
    from .actions import index_missing_names
    from .facts import fill_missing

    fill_missing()
    index_missing_names()


class ProtectionConfig(AppConfig):
    name = "sikla.protection"
    verbose_name = _("Perlindungan khusus anak")

    def ready(self) -> None:
        post_migrate.connect(_fill_derived, sender=self)
