from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "sikla.demo"
    label = "demo"
    verbose_name = "Data demo"
