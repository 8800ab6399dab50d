from django.apps import AppConfig


class RegionsConfig(AppConfig):
    name = "sikla.regions"
    label = "regions"
    verbose_name = "Wilayah"
