"""Partners (business, media, civil society) and their contributions."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sikla.core.views_util import paginate

from .. import actions, queries
from ..access import (
    get_contribution,
    get_lg,
    get_partner,
)
from ..forms import (
    ContributionForm,
    PartnerFilterForm,
    PartnerForm,
)
from .common import _can_manage, _form_page, _save, _url

__all__ = [
    "partners",
    "partner_edit",
    "partner",
    "partner_toggle",
    "contribution_edit",
    "contribution_delete",
]


@require_GET
def partners(request: HttpRequest, code: str) -> HttpResponse:
    lg = get_lg(request.user, code)
    form = PartnerFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    year = filters.get("tahun")
    rows = queries.partners_of(
        lg, component=filters.get("component", ""), year=year, search=filters.get("q", "")
    )
    totals = queries.partner_totals(lg)
    chart = {
        "labels": [str(y) for y in totals.years],
        "datasets": [
            {"label": str(label), "data": [cell[0] for cell in cells]}
            for _code, label, cells in totals.rows()
            if any(cell[0] for cell in cells)
        ],
    }
    return render(
        request,
        "participation/partners.html",
        {
            "lg": lg,
            "tab": "partners",
            "form": form,
            "year": year,
            "page": paginate(request, rows),
            "totals": totals,
            "chart": chart,
            "can_manage": _can_manage(request, lg),
        },
    )


@require_http_methods(["GET", "POST"])
def partner_edit(request: HttpRequest, code: str, uid=None) -> HttpResponse:
    lg = get_lg(request.user, code, manage=True)
    partner_ = get_partner(request.user, lg, uid, manage=True) if uid else None
    form = PartnerForm(request.POST or None, instance=partner_, local_government=lg)
    if done := _save(
        request,
        form,
        partner_,
        create=lambda values: actions.create_partner(
            actor=request.user, local_government=lg, **values
        ),
        update=lambda item, values: actions.update_partner(item, actor=request.user, **values),
        created=_("Mitra dicatat."),
        to=lambda partner: _url("participation:partner", lg.code, partner.uid),
    ):
        return done
    return _form_page(
        request,
        lg,
        form,
        title=_("Ubah mitra") if partner_ else _("Mitra baru"),
        back=_url("participation:partners", lg.code),
        tab="partners",
    )


@require_GET
def partner(request: HttpRequest, code: str, uid) -> HttpResponse:
    lg = get_lg(request.user, code)
    item = get_partner(request.user, lg, uid)
    contributions = list(queries.partner_contributions(item))
    return render(
        request,
        "participation/partner.html",
        {
            "lg": lg,
            "tab": "partners",
            "partner": item,
            "contributions": contributions,
            "total_value": sum(c.value or 0 for c in contributions),
            "can_manage": _can_manage(request, lg),
        },
    )


@require_POST
def partner_toggle(request: HttpRequest, code: str, uid) -> HttpResponse:
    lg = get_lg(request.user, code, manage=True)
    item = get_partner(request.user, lg, uid, manage=True)
    actions.set_partner_active(item, actor=request.user, active=not item.is_active)
    messages.success(request, _("Status mitra diubah."))
    return redirect("participation:partner", lg.code, item.uid)


@require_http_methods(["GET", "POST"])
def contribution_edit(request: HttpRequest, code: str, uid, item=None) -> HttpResponse:
    lg = get_lg(request.user, code, manage=True)
    partner_ = get_partner(request.user, lg, uid, manage=True)
    existing = get_contribution(partner_, item) if item else None
    initial = {} if existing else {"year": timezone.localdate().year}
    form = ContributionForm(request.POST or None, instance=existing, initial=initial)
    if done := _save(
        request,
        form,
        existing,
        create=lambda values: actions.add_contribution(partner_, actor=request.user, **values),
        update=lambda item, values: actions.update_contribution(item, actor=request.user, **values),
        created=_("Kontribusi dicatat."),
        to=lambda _item: _url("participation:partner", lg.code, partner_.uid),
    ):
        return done
    return _form_page(
        request,
        lg,
        form,
        title=(_("Ubah kontribusi") if existing else _("Catat kontribusi")) + f" — {partner_.name}",
        back=_url("participation:partner", lg.code, partner_.uid),
        tab="partners",
    )


@require_POST
def contribution_delete(request: HttpRequest, code: str, uid, item) -> HttpResponse:
    lg = get_lg(request.user, code, manage=True)
    partner_ = get_partner(request.user, lg, uid, manage=True)
    actions.delete_contribution(get_contribution(partner_, item), actor=request.user)
    messages.success(request, _("Kontribusi dihapus."))
    return redirect("participation:partner", lg.code, partner_.uid)
