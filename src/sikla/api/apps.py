from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "sikla.api"
    label = "api"
    verbose_name = "API"
