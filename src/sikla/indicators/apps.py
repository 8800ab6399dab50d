from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "sikla.indicators"
    label = "indicators"
    verbose_name = "Indikator"
