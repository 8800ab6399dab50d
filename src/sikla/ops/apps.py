from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _create_cache_table(sender, using="default", **kwargs) -> None:
    """`sikla migrate` also makes the cache table when the cache is the database's (PostgreSQL
    without Redis), so every command after it — the demo, the generator, serve — finds it."""
    from django.conf import settings
    from django.core.management import call_command

    if any(c["BACKEND"].endswith("DatabaseCache") for c in settings.CACHES.values()):
        call_command("createcachetable", database=using, verbosity=0)


class OpsConfig(AppConfig):
    name = "sikla.ops"
    label = "ops"
    verbose_name = "Operasional"

    def ready(self) -> None:
        post_migrate.connect(_create_cache_table, sender=self)
