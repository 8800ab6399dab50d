"""The public portal: a page per participating kab/kota, no login (promotion, communication,
information and education). Counts only, never an identity; no script but the vendored Chart.js,
Leaflet and their SIKLA helpers (the tables carry the same numbers for phones with JavaScript
off)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from sikla.core.public_cache import cached_page
from sikla.evaluation.monitoring import public_map

from . import portal


@login_not_required
@require_GET
@cached_page(lambda: "")
def portal_list(request: HttpRequest) -> HttpResponse:
    local_governments = list(portal.participating())
    return render(
        request,
        "dashboards/portal_list.html",
        {
            "local_governments": local_governments,
            "map": public_map(local_governments),
            "map_title": _("Peta Kabupaten/Kota Layak Anak"),
        },
    )


@login_not_required
@require_GET
@cached_page(lambda code: code)
def portal_page(request: HttpRequest, code: str) -> HttpResponse:
    lg = portal.active_local_government(code)
    data = portal.portal(lg)
    return render(
        request,
        "dashboards/portal.html",
        {
            "lg": lg,
            "p": data,
            "headline_chart": data.headline_chart,
            "protection_chart": data.protection_chart,
            "sapa_phone": portal.SAPA_PHONE,
            "sapa_whatsapp": portal.SAPA_WHATSAPP,
            "sapa_whatsapp_url": portal.SAPA_WHATSAPP_URL,
            "threshold": portal.THRESHOLD,
        },
    )
