from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from sikla.api.main import api


def _public(urlconf):
    """The API authenticates every route itself (401 JSON), so the login middleware steps aside."""
    patterns, app_name, namespace = urlconf
    for pattern in patterns:
        pattern.callback.login_required = False
    return patterns, app_name, namespace


urlpatterns = [
    path("", include("sikla.ops.urls")),
    path("", include("sikla.core.urls")),
    path("", include("sikla.accounts.urls")),
    path("", include("sikla.collection.urls")),
    path("", include("sikla.evaluation.urls")),
    path("", include("sikla.protection.urls")),
    path("", include("sikla.planning.urls")),
    path("", include("sikla.villages.urls")),
    path("", include("sikla.participation.urls")),
    path("", include("sikla.dashboards.urls")),
    path("organisasi/", include("sikla.organisations.urls")),
    path("indikator/", include("sikla.indicators.urls")),
    path("wilayah/", include("sikla.regions.urls")),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("api/v1/", _public(api.urls)),
]

handler404 = "sikla.core.errors.not_found"
handler403 = "sikla.core.errors.forbidden"
handler500 = "sikla.core.errors.server_error"
