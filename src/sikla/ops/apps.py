from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "sikla.ops"
    label = "ops"
    verbose_name = "Operasional"
