"""Pages of the children's profile: choose a data year, read the profile (with its charts and
sources), download it as PDF, and — for the secretariat — enter the year's population figures.
Access rules in access.py; the numbers in profile.py; the one write in actions.py."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from sikla.collection.models import Period

from . import actions
from .access import (
    FIRST_YEAR,
    can_enter_population,
    get_population_lg_for_user,
    get_profile_lg_for_user,
)
from .forms import PopulationForm, population_initial
from .models import AGE_GROUPS, SEXES, ChildPopulation
from .pdf_profile import build_pdf, file_name
from .profile import build_profile, districts_of, population_section


def _columns() -> list[tuple[str, str]]:
    return [(str(s.label), str(a.label)) for s in SEXES for a in AGE_GROUPS]


def profile_years(lg) -> list[int]:
    """Data years worth offering: this year and last, years with population figures, and the
    data years of the evaluation periods; newest first."""
    this_year = timezone.localdate().year
    years = {this_year, this_year - 1}
    years |= set(ChildPopulation.objects.filter(local_government=lg).values_list("year", flat=True))
    years |= {
        y - 1 for y in Period.objects.filter(local_government=lg).values_list("year", flat=True)
    }
    return sorted((y for y in years if FIRST_YEAR <= y <= this_year), reverse=True)


@require_GET
def profile_index(request: HttpRequest, code: str) -> HttpResponse:
    lg = get_profile_lg_for_user(request.user, code)
    entered = set(
        ChildPopulation.objects.filter(local_government=lg).values_list("year", flat=True)
    )
    years = [(y, y in entered) for y in profile_years(lg)]
    return render(
        request,
        "dashboards/profile_index.html",
        {"lg": lg, "years": years, "can_enter": can_enter_population(request.user, lg)},
    )


@require_GET
def profile(request: HttpRequest, code: str, year: int) -> HttpResponse:
    lg = get_profile_lg_for_user(request.user, code, year)
    data = build_profile(lg, year)
    return render(
        request,
        "dashboards/profile.html",
        {
            "lg": lg,
            "year": year,
            "p": data,
            "charts": data.charts,
            "columns": _columns(),
            "sex_age_keys": [(str(s), str(a)) for s in SEXES for a in AGE_GROUPS],
            "sexes": [(str(s), s.label) for s in SEXES],
            "ages": [(str(a), a.label) for a in AGE_GROUPS],
            "can_enter": can_enter_population(request.user, lg),
        },
    )


@require_GET
def profile_pdf(request: HttpRequest, code: str, year: int) -> HttpResponse:
    lg = get_profile_lg_for_user(request.user, code, year)
    data = build_profile(lg, year)
    response = HttpResponse(build_pdf(data), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{file_name(data)}"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_http_methods(["GET", "POST"])
def population_edit(request: HttpRequest, code: str, year: int) -> HttpResponse:
    lg = get_population_lg_for_user(request.user, code, year)
    districts = districts_of(lg)
    form = PopulationForm(
        request.POST or None,
        districts=districts,
        initial=population_initial(population_section(lg, year, districts)),
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_population(
                actor=request.user,
                local_government=lg,
                year=year,
                source=form.cleaned_data["source"],
                figures=form.figures(),
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for key, errors in exc.error_dict.items():
                    form.add_action_error(key, errors)
            else:
                form.add_error(None, exc)
        else:
            messages.success(request, _("Jumlah anak tahun %(y)s disimpan.") % {"y": year})
            return redirect("dashboards:profile", lg.code, year)
    return render(
        request,
        "dashboards/profile_population.html",
        {"lg": lg, "year": year, "form": form, "columns": _columns()},
        status=422 if form.errors else 200,
    )
