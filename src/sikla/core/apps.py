from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "sikla.core"
    label = "core"
    verbose_name = "Inti"
