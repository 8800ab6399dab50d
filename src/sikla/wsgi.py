import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sikla.settings")
application = get_wsgi_application()


def _load_what_requests_need() -> None:
    """The URLs (the API's schemas behind them: ~1.5 s), the translations and the base page,
    loaded now rather than by a process's first request. Under gunicorn's preload this runs
    once, before the workers fork, so a worker — and each one that replaces a retired worker
    (`max_requests`) — starts ready."""
    from django.conf import settings
    from django.template.loader import get_template
    from django.urls import get_resolver
    from django.utils import translation

    get_resolver().url_patterns  # noqa: B018 - imports every URLconf
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Beranda")
    get_template("base.html")


_load_what_requests_need()
