import copy
import mimetypes

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sikla.accounts.rules import Perm, can, has_role_perm, require
from sikla.core.views_util import add_action_errors, paginate
from sikla.regions.models import Region

from . import actions
from .access import get_agency_for_user, get_local_government_for_user, get_member_for_user
from .forms import (
    AgencyFilterForm,
    AgencyForm,
    LocalGovernmentForm,
    MemberForm,
    RegisterLocalGovernmentForm,
    TaskForceForm,
)
from .models import AgencyKind
from .queries import (
    active_task_force,
    agencies_of,
    history_of,
    local_government_list,
    task_force_members,
)


@require_GET
def lg_list(request: HttpRequest) -> HttpResponse:
    search = request.GET.get("q", "").strip()[:60]
    page = paginate(request, local_government_list(request.user, search=search))
    return render(
        request,
        "organisations/list.html",
        {
            "page": page,
            "q": search,
            "can_register": has_role_perm(request.user, Perm.REGISTER_LOCAL_GOVERNMENT),
        },
    )


@require_http_methods(["GET", "POST"])
def lg_register(request: HttpRequest) -> HttpResponse:
    if not has_role_perm(request.user, Perm.REGISTER_LOCAL_GOVERNMENT):
        raise Http404
    form = RegisterLocalGovernmentForm(request.POST or None)
    if form.is_valid():
        region = Region.objects.filter(code=form.cleaned_data["code"], is_active=True).first()
        try:
            if region is None:
                raise ValidationError({"code": _("Kode wilayah tidak dikenal.")})
            require(request.user, Perm.REGISTER_LOCAL_GOVERNMENT, region.code)
            lg = actions.register_local_government(
                actor=request.user, region=region, head_name=form.cleaned_data["head_name"]
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, _("%(name)s terdaftar.") % {"name": lg.name})
            return redirect("organisations:detail", lg.code)
    return render(request, "organisations/register.html", {"form": form})


@require_GET
def lg_detail(request: HttpRequest, code: str) -> HttpResponse:
    lg = get_local_government_for_user(request.user, code)
    counts = {kind: 0 for kind in AgencyKind.values}
    for kind in lg.agencies.filter(is_active=True).values_list("kind", flat=True):
        counts[kind] += 1
    return render(
        request,
        "organisations/detail.html",
        {
            "lg": lg,
            "kind_counts": [(AgencyKind(k).label, n) for k, n in counts.items()],
            "task_force": active_task_force(lg),
            "can_manage": can(request.user, Perm.MANAGE_ORGANISATIONS, lg.code),
            # a kecamatan/kelurahan officer is shown only the pages they may open
            "can_plan": can(request.user, Perm.VIEW_PLANNING, lg.code),
            "can_statistics": can(request.user, Perm.VIEW_PROTECTION_STATS, lg.code),
            "district_count": lg.region.children.filter(is_active=True).count(),
        },
    )


@require_http_methods(["GET", "POST"])
def lg_edit(request: HttpRequest, code: str) -> HttpResponse:
    lg = get_local_government_for_user(request.user, code, perm=Perm.MANAGE_ORGANISATIONS)
    form = LocalGovernmentForm(request.POST or None, request.FILES or None, instance=copy.copy(lg))
    if form.is_valid():
        values = {k: v for k, v in form.cleaned_data.items() if k != "logo"}
        if request.FILES.get("logo"):
            values["logo"] = form.cleaned_data["logo"]
        elif form.cleaned_data.get("logo") is False:
            values["logo"] = ""
        try:
            changed = actions.update_local_government(lg, actor=request.user, **values)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(
                request, _("Profil disimpan.") if changed else _("Tidak ada perubahan.")
            )
            return redirect("organisations:detail", lg.code)
    return render(request, "organisations/edit.html", {"lg": lg, "form": form})


@require_GET
def lg_logo(request: HttpRequest, code: str) -> HttpResponse:
    lg = get_local_government_for_user(request.user, code)
    if not lg.logo:
        raise Http404
    content_type = mimetypes.guess_type(lg.logo.name)[0] or "application/octet-stream"
    return FileResponse(lg.logo.open("rb"), content_type=content_type)


@require_GET
def agencies(request: HttpRequest, code: str) -> HttpResponse:
    lg = get_local_government_for_user(request.user, code)
    form = AgencyFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    status = filters.get("status", "")
    rows = agencies_of(
        lg,
        kind=filters.get("kind", ""),
        search=filters.get("q", ""),
        active={"": True, "inactive": False, "all": None}[status],
    )
    return render(
        request,
        "organisations/agencies.html",
        {
            "lg": lg,
            "form": form,
            "page": paginate(request, rows),
            "can_manage": can(request.user, Perm.MANAGE_ORGANISATIONS, lg.code),
        },
    )


@require_http_methods(["GET", "POST"])
def agency_create(request: HttpRequest, code: str) -> HttpResponse:
    lg = get_local_government_for_user(request.user, code, perm=Perm.MANAGE_ORGANISATIONS)
    form = AgencyForm(request.POST or None)
    if form.is_valid():
        try:
            agency = actions.create_agency(
                actor=request.user, local_government=lg, **form.cleaned_data
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, _("%(name)s ditambahkan.") % {"name": agency.name})
            return redirect("organisations:agencies", lg.code)
    return render(request, "organisations/agency_form.html", {"lg": lg, "form": form})


@require_http_methods(["GET", "POST"])
def agency_edit(request: HttpRequest, code: str, uid) -> HttpResponse:
    lg = get_local_government_for_user(request.user, code, perm=Perm.MANAGE_ORGANISATIONS)
    agency = get_agency_for_user(request.user, lg, uid, perm=Perm.MANAGE_ORGANISATIONS)
    form = AgencyForm(request.POST or None, instance=copy.copy(agency))
    if form.is_valid():
        try:
            actions.update_agency(agency, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, _("%(name)s disimpan.") % {"name": agency.name})
            return redirect("organisations:agencies", lg.code)
    return render(
        request, "organisations/agency_form.html", {"lg": lg, "form": form, "agency": agency}
    )


@require_POST
def agency_toggle(request: HttpRequest, code: str, uid) -> HttpResponse:
    lg = get_local_government_for_user(request.user, code, perm=Perm.MANAGE_ORGANISATIONS)
    agency = get_agency_for_user(request.user, lg, uid, perm=Perm.MANAGE_ORGANISATIONS)
    try:
        actions.set_agency_active(agency, actor=request.user, active=not agency.is_active)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        state = _("diaktifkan") if agency.is_active else _("dinonaktifkan")
        messages.success(request, f"{agency.name} {state}.")
    return redirect("organisations:agencies", lg.code)


def _task_force_page(request, lg, *, member_form=None, status=200) -> HttpResponse:
    current = active_task_force(lg)
    can_manage = can(request.user, Perm.MANAGE_ORGANISATIONS, lg.code)
    members = list(task_force_members(current)) if current else []
    if member_form is None and can_manage and current:
        member_form = MemberForm(local_government=lg)
    return render(
        request,
        "organisations/task_force.html",
        {
            "lg": lg,
            "task_force": current,
            "members": members,
            "coordinators": [m for m in members if m.role == "cluster_coordinator"],
            "can_manage": can_manage,
            "member_form": member_form,
            "previous": lg.task_forces.filter(is_active=False).order_by("-decree_date")[:10],
        },
        status=status,
    )


@require_GET
def task_force(request: HttpRequest, code: str) -> HttpResponse:
    return _task_force_page(request, get_local_government_for_user(request.user, code))


@require_http_methods(["GET", "POST"])
def task_force_edit(request: HttpRequest, code: str) -> HttpResponse:
    """Edit the decree in force, or (?baru=1, or when none exists) record a new decree."""
    lg = get_local_government_for_user(request.user, code, perm=Perm.MANAGE_ORGANISATIONS)
    current = active_task_force(lg)
    creating = current is None or request.GET.get("baru") == "1"
    instance = None if creating else copy.copy(current)
    form = TaskForceForm(request.POST or None, instance=instance, local_government=lg)
    if form.is_valid():
        try:
            if creating:
                actions.create_task_force(
                    actor=request.user, local_government=lg, **form.cleaned_data
                )
            else:
                actions.update_task_force(current, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, _("Gugus tugas disimpan."))
            return redirect("organisations:task_force", lg.code)
    return render(
        request,
        "organisations/task_force_form.html",
        {"lg": lg, "form": form, "creating": creating, "current": current},
    )


@require_POST
def member_add(request: HttpRequest, code: str) -> HttpResponse:
    lg = get_local_government_for_user(request.user, code, perm=Perm.MANAGE_ORGANISATIONS)
    current = active_task_force(lg)
    if current is None:
        raise Http404
    form = MemberForm(request.POST, local_government=lg)
    if form.is_valid():
        try:
            actions.add_task_force_member(current, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, _("Anggota ditambahkan."))
            return redirect("organisations:task_force", lg.code)
    return _task_force_page(request, lg, member_form=form, status=422)


@require_POST
def member_remove(request: HttpRequest, code: str, uid) -> HttpResponse:
    lg = get_local_government_for_user(request.user, code, perm=Perm.MANAGE_ORGANISATIONS)
    member = get_member_for_user(request.user, lg, uid, perm=Perm.MANAGE_ORGANISATIONS)
    actions.remove_task_force_member(member, actor=request.user)
    messages.success(request, _("Anggota dihapus dari gugus tugas."))
    return redirect("organisations:task_force", lg.code)


@require_GET
def history(request: HttpRequest, code: str) -> HttpResponse:
    lg = get_local_government_for_user(request.user, code, perm=Perm.VIEW_AUDIT)
    return render(
        request,
        "organisations/history.html",
        {"lg": lg, "page": paginate(request, history_of(lg), per_page=50)},
    )
