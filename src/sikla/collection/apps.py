from django.apps import AppConfig


class CollectionConfig(AppConfig):
    name = "sikla.collection"
    label = "collection"
    verbose_name = "Pengumpulan data"
