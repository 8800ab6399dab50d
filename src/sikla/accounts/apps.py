from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "sikla.accounts"
    label = "accounts"
    verbose_name = "Akun"

    def ready(self) -> None:
        from . import throttle  # noqa: F401  (counts failed logins per address)
