from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "sikla.organisations"
    label = "organisations"
    verbose_name = "Organisasi"
