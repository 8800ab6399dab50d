from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "sikla.accounts"
    label = "accounts"
    verbose_name = "Akun"
