"""De-identified statistics pages: every role, within its scope (Perm.VIEW_PROTECTION_STATS).
Nothing here names a child, a reporter or a case. The UPTD PPA may choose any range of days and
see exact counts; everyone else chooses an ended month, quarter or year and sees its published
counts (`disclosure/`)."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from sikla.accounts.rules import Perm
from sikla.core import public_cache
from sikla.core.validation import DATE_MESSAGE, sane_date
from sikla.lib import filecheck
from sikla.organisations.access import get_local_government_for_user

from . import disclosure
from . import statistics as stats
from .actions import log_access
from .models import AccessKind

BODY = "protection/includes/statistics_body.html"
AREAS_BODY = "protection/includes/statistics_areas_body.html"
# A kab/kota with more kelurahan/desa than this shows their table on a page of its own (Kab.
# Aceh Utara's 852 rows were 84 of the page's 104 kB, on a phone and a slow connection).
INLINE_AREAS = 100
YEARS_LISTED = 5  # how many years of ended periods the choice lists (any ended one may be asked)


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


@dataclass
class Choice:
    """What the request asks for and may see. For a published period everything the page's
    heading needs is known without the counts, so a cached page body never unpacks them."""

    lg: object
    today: date
    problem: str
    exact: bool  # the user may choose a day range (UPTD PPA)
    period: disclosure.Period | None = None  # None: the UPTD PPA's exact range
    range: tuple[date, date] | None = None

    @cached_property
    def report(self) -> stats.Report:
        if self.period is None:
            return stats.exact_report(self.lg, *self.range)
        return stats.published_report(self.lg, self.period, self.today)

    @property
    def controlled(self) -> bool:
        return self.period is not None

    @property
    def start(self) -> date:
        return self.period.start if self.period else self.range[0]

    @property
    def end(self) -> date:
        return self.period.end if self.period else self.range[1]

    @property
    def period_label(self) -> str:
        return self.period.label if self.period else self.report.period_label

    @property
    def period_token(self) -> str:
        return self.period.token if self.period else ""

    @property
    def query(self) -> str:
        """The query string that asks for the same report (the period, or the UPTD PPA's days)."""
        if self.controlled:
            return urlencode({"periode": self.period_token})
        return urlencode({"from": self.start.isoformat(), "to": self.end.isoformat()})


def choose(request: HttpRequest, lg) -> Choice:
    """The report the request asks for and may see: the UPTD PPA's exact range unless it asks
    for a period (`?periode=`); for everyone else an ended period, by default the last ended
    quarter."""
    today = timezone.localdate()
    exact = disclosure.sees_exact(request.user, lg)
    token = request.GET.get("periode", "").strip()
    if exact and not token:
        start, end, problem = parse_range(request.GET)
        return Choice(lg, today, problem, exact, range=(start, end))
    period = disclosure.Period.parse(token) if token else None
    problem = disclosure.period_problem(period, today) if token else ""
    if problem or period is None:
        period = disclosure.latest_ended(today, "quarter")
        if problem:
            problem = f"{problem} {_('Ditampilkan %(period)s.') % {'period': period.label}}"
    return Choice(lg, today, problem, exact, period=period)


def body_of(chosen: Choice, lg, template: str = BODY) -> str:
    """The tables and charts of the page (or of the kelurahan/desa page). A published report is
    the same for everyone who may read it, so its HTML is kept in the cache until a protection
    action of the kab/kota moves its version on (`core.public_cache`); the UPTD PPA's exact
    ranges are rendered each time."""

    def render_body() -> str:
        context = {
            "report": chosen.report,
            "lg": lg,
            "query": chosen.query,
            "inline_areas": INLINE_AREAS,
        }
        return render_to_string(template, context)

    if not chosen.controlled:
        return render_body()
    return public_cache.get_or_build(
        f"protection-statistics-body:{template}:{chosen.period_token}", lg.code, render_body
    )


@require_GET
def statistics(request: HttpRequest, code: str) -> HttpResponse:
    return _statistics_page(request, code, BODY)


@require_GET
def statistics_areas(request: HttpRequest, code: str) -> HttpResponse:
    """The kelurahan/desa table of the same report, for a kab/kota with too many to show inline."""
    return _statistics_page(request, code, AREAS_BODY)


def _statistics_page(request: HttpRequest, code: str, template: str) -> HttpResponse:
    lg = get_local_government_for_user(request.user, code, perm=Perm.VIEW_PROTECTION_STATS)
    chosen = choose(request, lg)
    today = timezone.localdate()
    return render(
        request,
        "protection/statistics.html",
        {
            "lg": lg,
            "areas": template == AREAS_BODY,
            "body": mark_safe(body_of(chosen, lg, template)),  # noqa: S308 - our own template
            "chosen": chosen,
            "problem": chosen.problem,
            "exact": chosen.exact,
            "start": chosen.start,
            "end": chosen.end,
            "period_options": period_options(today, chosen.period_token, get_language()),
        },
    )


@functools.lru_cache(maxsize=512)
def period_options(today: date, chosen: str, language: str | None) -> str:
    """The <option>s of the period choice: the ~80 ended periods of the years listed, the same
    all day for everyone (kept, and built here rather than by a template loop)."""
    periods = disclosure.ended_periods(today, today.year - YEARS_LISTED + 1)
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((p.token, mark_safe(" selected") if p.token == chosen else "", p.label) for p in periods),  # noqa: S308
    )


@require_GET
def statistics_xlsx(request: HttpRequest, code: str) -> HttpResponse:
    lg = get_local_government_for_user(request.user, code, perm=Perm.VIEW_PROTECTION_STATS)
    data = choose(request, lg).report
    body = stats.build_xlsx(data)
    log_access(
        user=request.user,
        local_government=lg,
        kind=AccessKind.EXPORT,
        terms=f"statistik {data.period_token or f'{data.start.isoformat()}–{data.end.isoformat()}'}",
    )
    response = HttpResponse(body, content_type=filecheck.MIME[filecheck.XLSX])
    response["Content-Disposition"] = f'attachment; filename="{stats.file_name(data)}"'
    response["Cache-Control"] = "private, no-store"
    return response
