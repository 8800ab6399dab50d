"""Monitoring pages for provinces and the nation: the season's roll-up per kab/kota (with its map
and exports), the season board, where points are lost, and the trends over the years — each
scoped by the access rule, and kept between visits until a change (`core.public_cache`)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Max
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from sikla.accounts.rules import Perm, has_role_perm
from sikla.core import public_cache
from sikla.core.views_util import add_action_errors, paginate
from sikla.indicators.queries import active_catalog, indicator_names

from . import actions, losses, monitoring, reports
from . import rollup as rollups
from . import trends as trends_module
from .forms import SeasonForm
from .models import Season, Stage


@require_GET
def rollup(request: HttpRequest) -> HttpResponse:
    year, province = _monitoring_scope(request)
    category = request.GET.get("kategori", "")[:20]
    stage = request.GET.get("tahap", "")
    if stage not in Stage.values:
        stage = ""
    user = request.user
    if request.GET.get("format") in ("xlsx", "xlsx-rinci"):  # streamed as they are read
        rows = rollups.rollup(user, year=year, province=province, category=category, stage=stage)
        if request.GET["format"] == "xlsx":
            return reports.rollup_xlsx_response(rows, year=year)
        return reports.rollup_questions_xlsx_response(rows, year=year)

    def shown() -> dict:
        rows = rollups.rollup(user, year=year, province=province, category=category, stage=stage)
        # The map and the category chart show the whole year of the scope (or province); the
        # table the rows the filters keep — the same rows, read once, when there are no filters.
        everything = [
            rollups.RollupRow.of(r)
            for r in (
                rows
                if not (category or stage)
                else rollups.rollup(user, year=year, province=province)
            )
        ]
        catalog = active_catalog()  # read once for the names, the indicator list and the map
        names = rollups.category_names(catalog)
        counts = rollups.distribution(everything, names)
        number = request.GET.get("indikator", "")
        indicator = (
            losses.one_indicator(user, year, province, int(number))
            if number.isdigit() and len(number) <= 3
            else None
        )
        page = paginate(request, everything if not (category or stage) else rows, per_page=50)
        if category or stage:
            page.object_list = [rollups.RollupRow.of(r) for r in page.object_list]
        return {
            "page": page,
            "rows_count": page.paginator.count,
            "provinces": rollups.provinces_for(user),
            "names": names,
            "indicators": indicator_names(catalog),
            "indicator": indicator,
            "map": monitoring.rollup_map(
                everything, year=year, province=province, indicator=indicator, catalog=catalog
            ),
            "chart": {
                "labels": [n or _("Belum berkategori") for n in counts],
                "datasets": [{"label": _("Jumlah kabupaten/kota"), "data": list(counts.values())}],
            },
        }

    return render(
        request,
        "evaluation/rollup.html",
        {
            "year": year,
            "province": province,
            "category": category,
            "stage": stage,
            "stages": [(s.value, s.label) for s in Stage],
            "map_title": _("Peta kabupaten/kota %(y)s") % {"y": year},
            # The page's content, rendered once for this scope and address and kept until any
            # change anywhere (a roll-up lists every kab/kota of the scope) — a minute only when
            # read from the replica, which may lag behind it; worked out only then.
            "content": public_cache.key(
                f"evaluation-rollup:{user.scope}:{request.get_full_path()}", ""
            ),
            "content_ttl": public_cache.ttl(),
            "shown": SimpleLazyObject(shown),
        },
    )


def _monitoring_scope(request) -> tuple[int, str]:
    """The year and province a monitoring page shows, once the user may see evaluations at all:
    a province outside the user's scope is a 404 (`monitoring.province_for`)."""
    if not has_role_perm(request.user, Perm.VIEW_EVALUATION):
        raise PermissionDenied
    year = _year_of(request, request.user)
    return year, monitoring.province_for(request.user, request.GET.get("provinsi", ""))


def _year_of(request, user) -> int:
    """The year asked for, else the latest with anything started in the user's scope."""
    latest = rollups.evaluations_visible_to(user).aggregate(y=Max("year"))["y"]
    default_year = latest or timezone.localdate().year
    try:
        year = int(request.GET.get("tahun") or default_year)
    except ValueError:
        return default_year
    return year if 2000 <= year <= 2100 else default_year


@require_http_methods(["GET", "POST"])
def season(request: HttpRequest) -> HttpResponse:
    """The evaluation season at a glance: how many kab/kota stand at each stage, who is behind
    the timetable, and what waits for each province's evaluators and for the ministry. The
    national admin sets the timetable on the same page."""
    year, province = _monitoring_scope(request)
    form = None
    if can_set_season(request.user):
        form = SeasonForm(request.POST or None, initial=_season_initial(year))
        if request.method == "POST" and form.is_valid():
            try:
                actions.set_season(year, actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                add_action_errors(form, exc)
            else:
                messages.success(request, _("Jadwal musim %(y)s disimpan.") % {"y": year})
                return redirect(reverse("evaluation:season") + f"?tahun={year}")
    elif request.method == "POST":
        raise PermissionDenied
    stage = request.GET.get("tahap", "")
    stage = stage if stage in ["-", *Stage.values] else ""
    rows = [
        rollups.RollupRow.of(r) for r in rollups.rollup(request.user, year=year, province=province)
    ]
    board = monitoring.season_board(rows, year=year, province=province, today=timezone.localdate())
    if request.GET.get("format") == "xlsx":
        return reports.season_xlsx_response(board)
    late = [x for x in board.late if not stage or x.stage == ("" if stage == "-" else stage)]
    return render(
        request,
        "evaluation/season.html",
        {
            "board": board,
            "year": year,
            "province": province,
            "stage": stage,
            "stages": [(s.value, s.label) for s in Stage],
            "late": late,
            "provinces": rollups.provinces_for(request.user),
            "season_form": form,
        },
        status=400 if request.method == "POST" else 200,
    )


def can_set_season(user) -> bool:
    return has_role_perm(user, Perm.MANAGE_CALENDAR) and user.scope == ""


def _season_initial(year: int) -> dict:
    found = Season.objects.filter(year=year).first()
    return {f: getattr(found, f) for f in actions.SEASON_FIELDS} if found else {}


@require_GET
def losses_page(request: HttpRequest) -> HttpResponse:
    """Where the province or the nation loses points: per cluster and indicator, a heat map of
    kab/kota × indicators, and the indicators that most often hold a kab/kota back."""
    year, province = _monitoring_scope(request)
    user = request.user

    def shown() -> dict:
        found = losses.kept(user, year, province)
        cluster = request.GET.get("klaster", "")
        numbers = [i.number for i in found.indicators if not cluster or str(i.cluster) == cluster]
        order = request.GET.get("urut", "nama")
        if order not in ("nama", "total") and not (order.isdigit() and int(order) in numbers):
            order = "nama"
        rows = losses.sorted_rows(found.rows, order)
        return {
            "found": found,
            "cluster": cluster,
            "numbers": numbers,
            "order": order,
            "rows": rows,
        }

    if request.GET.get("format") == "xlsx":
        table = shown()
        return reports.losses_xlsx_response(table["found"], table["rows"])

    def page() -> dict:
        table = shown()
        page = paginate(request, table["rows"], per_page=50)
        page.object_list = [(r, losses.heat_cells(r, table["numbers"])) for r in page.object_list]
        return {**table, "page": page, "provinces": rollups.provinces_for(user)}

    return render(
        request,
        "evaluation/losses.html",
        {
            "year": year,
            "province": province,
            # The page's content, rendered once for this scope and address and kept until any
            # evaluation anywhere changes; what it shows is worked out only then.
            "content": public_cache.key(
                f"evaluation-losses:{user.scope}:{request.get_full_path()}", ""
            ),
            "shown": SimpleLazyObject(page),
        },
    )


@require_GET
def trends(request: HttpRequest) -> HttpResponse:
    """Categories over the years, who moved up or down, and where a year's scores drop between
    the self-assessment and the verifications."""
    year, province = _monitoring_scope(request)
    names = rollups.category_names()
    by_year = trends_module.categories_by_year(request.user, province, names)
    up, down = trends_module.movers(request.user, province, names)
    paths = trends_module.score_paths(request.user, year, province)
    shown = list(names) + sorted({k for y in by_year for k in y.counts} - set(names))
    return render(
        request,
        "evaluation/trends.html",
        {
            "year": year,
            "province": province,
            "provinces": rollups.provinces_for(request.user),
            "names": shown,
            "by_year": by_year,
            "up": up[:20],
            "down": down[:20],
            "paths": paths[: trends_module.DROPS_SHOWN],
            "paths_count": len(paths),
            "chart": {
                "labels": [str(y.year) for y in by_year],
                "stacked": True,
                "datasets": [
                    {"label": n, "data": [y.counts.get(n, 0) for y in by_year]} for n in shown
                ],
            },
        },
    )
