"""Consultation records (Musrenbang Anak and others) and the children's inputs in them."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sikla.core.views_util import paginate

from .. import actions, queries
from ..access import (
    get_input,
    get_lg,
    get_record,
)
from ..forms import (
    InputForm,
    RecordFilterForm,
    RecordForm,
)
from .common import _can_manage, _form_page, _save, _url

__all__ = [
    "records",
    "record_edit",
    "record",
    "input_edit",
    "input_delete",
]


@require_GET
def records(request: HttpRequest, code: str) -> HttpResponse:
    lg = get_lg(request.user, code)
    form = RecordFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    rows = queries.records_of(
        lg,
        kind=filters.get("kind", ""),
        source=filters.get("source", ""),
        year=filters.get("tahun"),
        search=filters.get("q", ""),
    )
    return render(
        request,
        "participation/records.html",
        {
            "lg": lg,
            "tab": "records",
            "form": form,
            "page": paginate(request, rows),
            "can_manage": _can_manage(request, lg),
        },
    )


@require_http_methods(["GET", "POST"])
def record_edit(request: HttpRequest, code: str, uid=None) -> HttpResponse:
    lg = get_lg(request.user, code, manage=True)
    entry = get_record(request.user, lg, uid, manage=True) if uid else None
    form = RecordForm(request.POST or None, instance=entry)
    if done := _save(
        request,
        form,
        entry,
        create=lambda values: actions.create_record(
            actor=request.user, local_government=lg, **values
        ),
        update=lambda item, values: actions.update_record(item, actor=request.user, **values),
        created=_("Catatan konsultasi dibuat; tambahkan masukannya."),
        to=lambda record: _url("participation:record", lg.code, record.uid),
    ):
        return done
    return _form_page(
        request,
        lg,
        form,
        title=_("Ubah catatan konsultasi") if entry else _("Catatan konsultasi baru"),
        back=(
            _url("participation:record", lg.code, entry.uid)
            if entry
            else _url("participation:records", lg.code)
        ),
        tab="records",
    )


@require_GET
def record(request: HttpRequest, code: str, uid) -> HttpResponse:
    lg = get_lg(request.user, code)
    entry = get_record(request.user, lg, uid)
    consultation = getattr(entry, "public_consultation", None) if entry.pk else None
    return render(
        request,
        "participation/record.html",
        {
            "lg": lg,
            "tab": "records",
            "record": entry,
            "inputs": queries.record_inputs(entry),
            "consultation": consultation,
            "can_manage": _can_manage(request, lg),
        },
    )


@require_http_methods(["GET", "POST"])
def input_edit(request: HttpRequest, code: str, uid, item=None) -> HttpResponse:
    lg = get_lg(request.user, code, manage=True)
    entry = get_record(request.user, lg, uid, manage=True)
    existing = get_input(entry, item) if item else None
    form = InputForm(request.POST or None, instance=existing, local_government=lg)
    if done := _save(
        request,
        form,
        existing,
        create=lambda values: actions.add_input(entry, actor=request.user, **values),
        update=lambda item, values: actions.update_input(item, actor=request.user, **values),
        created=_("Masukan dicatat."),
        to=lambda _item: _url("participation:record", lg.code, entry.uid),
    ):
        return done
    return _form_page(
        request,
        lg,
        form,
        title=(_("Ubah masukan") if existing else _("Catat masukan")) + f" — {entry.title}",
        back=_url("participation:record", lg.code, entry.uid),
        tab="records",
    )


@require_POST
def input_delete(request: HttpRequest, code: str, uid, item) -> HttpResponse:
    lg = get_lg(request.user, code, manage=True)
    entry = get_record(request.user, lg, uid, manage=True)
    actions.delete_input(get_input(entry, item), actor=request.user)
    messages.success(request, _("Masukan dihapus."))
    return redirect("participation:record", lg.code, entry.uid)
