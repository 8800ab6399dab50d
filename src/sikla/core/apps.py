from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "sikla.core"
    label = "core"
    verbose_name = "Inti"

    def ready(self):
        from . import choice_labels

        choice_labels.install()
