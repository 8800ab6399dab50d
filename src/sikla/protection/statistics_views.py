"""De-identified statistics pages: every role, within its scope (Perm.VIEW_PROTECTION_STATS).
Nothing here names a child, a reporter or a case."""

from __future__ import annotations

from datetime import date

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from sikla.accounts.rules import Perm
from sikla.core.validation import DATE_MESSAGE, sane_date
from sikla.lib import filecheck
from sikla.organisations.access import get_local_government_for_user

from . import statistics as stats
from .actions import log_access
from .models import AccessKind


def parse_range(params) -> tuple[date, date, str]:
    """(start, end, problem) from `?from=YYYY-MM-DD&to=YYYY-MM-DD`. A missing bound takes its
    default (1 January of this year; today); an unreadable or reversed range gives the whole
    default range and a message saying why."""
    default_start, default_end = stats.default_range(timezone.localdate())
    raw_start, raw_end = params.get("from", "").strip(), params.get("to", "").strip()
    try:
        start = date.fromisoformat(raw_start) if raw_start else default_start
        end = date.fromisoformat(raw_end) if raw_end else default_end
    except ValueError:
        return (
            default_start,
            default_end,
            _(
                "Tanggal tidak dapat dibaca (gunakan format TTTT-BB-HH); ditampilkan rentang bawaan."
            ),
        )
    if not (sane_date(start) and sane_date(end)):
        return default_start, default_end, f"{DATE_MESSAGE} {_('Ditampilkan rentang bawaan.')}"
    if start > end:
        return (
            default_start,
            default_end,
            _("Tanggal awal sesudah tanggal akhir; ditampilkan rentang bawaan."),
        )
    return start, end, ""


@require_GET
def statistics(request: HttpRequest, code: str) -> HttpResponse:
    lg = get_local_government_for_user(request.user, code, perm=Perm.VIEW_PROTECTION_STATS)
    start, end, problem = parse_range(request.GET)
    data = stats.report(lg, start, end)
    return render(
        request,
        "protection/statistics.html",
        {"lg": lg, "report": data, "problem": problem, "start": start, "end": end},
    )


@require_GET
def statistics_xlsx(request: HttpRequest, code: str) -> HttpResponse:
    lg = get_local_government_for_user(request.user, code, perm=Perm.VIEW_PROTECTION_STATS)
    start, end, _problem = parse_range(request.GET)
    data = stats.report(lg, start, end)
    body = stats.build_xlsx(data)
    log_access(
        user=request.user,
        local_government=lg,
        kind=AccessKind.EXPORT,
        terms=f"statistik {start.isoformat()}–{end.isoformat()}",
    )
    response = HttpResponse(body, content_type=filecheck.MIME[filecheck.XLSX])
    response["Content-Disposition"] = f'attachment; filename="{stats.file_name(data)}"'
    response["Cache-Control"] = "private, no-store"
    return response
