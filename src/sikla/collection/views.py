from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sikla.accounts.models import Role
from sikla.accounts.rules import Perm, can
from sikla.core.views_util import add_action_errors
from sikla.organisations.access import get_local_government_for_user

from . import actions
from .access import get_period_for_user, get_submission_for_user
from .forms import AssignmentForm, DeadlinesForm, PeriodForm
from .models import PeriodStatus
from .queries import periods_of, submissions_for_agency, submissions_of


@require_http_methods(["GET", "POST"])
def periods(request: HttpRequest, code: str) -> HttpResponse:
    lg = get_local_government_for_user(request.user, code, perm=Perm.VIEW_COLLECTION)
    can_manage = can(request.user, Perm.MANAGE_PERIODS, lg.code)
    form = PeriodForm(request.POST or None) if can_manage else None
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if form.is_valid():
            try:
                period = actions.open_period(
                    actor=request.user, local_government=lg, **form.cleaned_data
                )
            except ValidationError as exc:
                add_action_errors(form, exc)
            else:
                messages.success(request, _("Periode %(year)s dibuka.") % {"year": period.year})
                return redirect("collection:period", lg.code, period.year)
    return render(
        request,
        "collection/periods.html",
        {"lg": lg, "periods": periods_of(lg), "form": form, "can_manage": can_manage},
        status=422 if form is not None and form.errors else 200,
    )


def _period_page(request, period, *, deadlines_form=None, status=200) -> HttpResponse:
    can_manage = can(request.user, Perm.MANAGE_PERIODS, period.local_government_id)
    rows = list(submissions_of(period))
    if deadlines_form is None and can_manage:
        deadlines_form = DeadlinesForm(
            initial={
                "input_deadline": period.input_deadline,
                "review_deadline": period.review_deadline,
            }
        )
    return render(
        request,
        "collection/period.html",
        {
            "lg": period.local_government,
            "period": period,
            "rows": rows,
            "unassigned": sum(1 for r in rows if r.lead_agency_id is None),
            "unconfirmed": sum(1 for r in rows if not r.is_assignment_confirmed),
            "can_manage": can_manage and not period.is_locked,
            "deadlines_form": deadlines_form,
            "transitions": sorted(actions.PERIOD_TRANSITIONS[period.status]) if can_manage else [],
            "statuses": PeriodStatus,
        },
        status=status,
    )


@require_GET
def period(request: HttpRequest, code: str, year: int) -> HttpResponse:
    return _period_page(request, get_period_for_user(request.user, code, year))


@require_POST
def period_deadlines(request: HttpRequest, code: str, year: int) -> HttpResponse:
    period = get_period_for_user(request.user, code, year, perm=Perm.MANAGE_PERIODS)
    form = DeadlinesForm(request.POST)
    if form.is_valid():
        try:
            actions.update_period_deadlines(period, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, _("Batas waktu disimpan."))
            return redirect("collection:period", code, year)
    return _period_page(request, period, deadlines_form=form, status=422)


@require_POST
def period_status(request: HttpRequest, code: str, year: int) -> HttpResponse:
    period = get_period_for_user(request.user, code, year, perm=Perm.MANAGE_PERIODS)
    try:
        actions.set_period_status(
            period,
            actor=request.user,
            status=request.POST.get("status", ""),
            note=request.POST.get("note", "")[:500],
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Status periode diperbarui."))
    return redirect("collection:period", code, year)


@require_POST
def confirm_assignments(request: HttpRequest, code: str, year: int) -> HttpResponse:
    period = get_period_for_user(request.user, code, year, perm=Perm.MANAGE_PERIODS)
    try:
        count = actions.confirm_assignments(period, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("%(n)s penugasan dikonfirmasi.") % {"n": count})
    return redirect("collection:period", code, year)


@require_http_methods(["GET", "POST"])
def assignment(request: HttpRequest, code: str, year: int, number: int) -> HttpResponse:
    period = get_period_for_user(request.user, code, year, perm=Perm.MANAGE_PERIODS)
    submission = get_submission_for_user(request.user, period, number, perm=Perm.MANAGE_PERIODS)
    lg = period.local_government
    initial = {
        "lead_agency": submission.lead_agency,
        "supporting_agencies": list(submission.supporting_agencies.all()),
    }
    form = AssignmentForm(request.POST or None, initial=initial, local_government=lg)
    if form.is_valid():
        try:
            actions.assign_submission(
                submission,
                actor=request.user,
                lead_agency=form.cleaned_data["lead_agency"],
                supporting_agencies=list(form.cleaned_data["supporting_agencies"]),
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(
                request,
                _("Penugasan indikator %(n)s disimpan.") % {"n": submission.indicator.number},
            )
            return redirect("collection:period", code, year)
    return render(
        request,
        "collection/assignment.html",
        {"lg": lg, "period": period, "submission": submission, "form": form},
        status=422 if form.errors else 200,
    )


@require_GET
def my_indicators(request: HttpRequest) -> HttpResponse:
    user = request.user
    if user.role != Role.AGENCY_OPERATOR or user.agency is None:
        raise Http404
    return render(
        request,
        "collection/my_indicators.html",
        {
            "agency": user.agency,
            "rows": list(submissions_for_agency(user.agency)),
            "today": timezone.localdate(),
        },
    )
