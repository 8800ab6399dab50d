from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "sikla.accounts"
    label = "accounts"
    verbose_name = "Akun"

    def ready(self) -> None:
        from . import middleware, throttle  # noqa: F401  (idle stamp at login; failed logins)
