"""Public consultations, the staff side: opening one, moderating comments, answering them,
turning one into a consultation record."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sikla.core.views_util import add_action_errors, paginate

from .. import actions, queries
from ..access import (
    get_comment,
    get_consultation,
    get_lg,
)
from ..forms import (
    ModerationFilterForm,
    ModerationForm,
    PublicConsultationForm,
    ResponseForm,
)
from ..models import ModerationStatus
from .common import _can_manage, _form_page, _saved, _url

__all__ = [
    "consultations",
    "consultation_edit",
    "moderation",
    "moderate",
    "respond",
    "consultation_convert",
]


@require_GET
def consultations(request: HttpRequest, code: str) -> HttpResponse:
    lg = get_lg(request.user, code)
    return render(
        request,
        "participation/consultations.html",
        {
            "lg": lg,
            "tab": "public",
            "page": paginate(request, queries.consultations_of(lg)),
            "today": timezone.localdate(),
            "can_manage": _can_manage(request, lg),
        },
    )


@require_http_methods(["GET", "POST"])
def consultation_edit(request: HttpRequest, code: str, uid=None) -> HttpResponse:
    lg = get_lg(request.user, code, manage=True)
    consultation = get_consultation(request.user, lg, uid, manage=True) if uid else None
    form = PublicConsultationForm(
        request.POST or None, request.FILES or None, instance=consultation
    )
    if form.is_valid():
        values = dict(form.cleaned_data)
        upload = values.pop("upload", None)
        remove = values.pop("remove_document", False)
        try:
            if consultation is None:
                consultation = actions.create_public_consultation(
                    actor=request.user, local_government=lg, document=upload, **values
                )
                messages.success(request, _("Konsultasi publik disimpan."))
            else:
                _saved(
                    request,
                    actions.update_public_consultation(
                        consultation,
                        actor=request.user,
                        document=upload,
                        remove_document=remove,
                        **values,
                    ),
                )
        except ValidationError as exc:
            if hasattr(exc, "error_dict") and "document" in exc.error_dict:
                exc = ValidationError({"upload": exc.error_dict.pop("document"), **exc.error_dict})
            add_action_errors(form, exc)
        else:
            return redirect("participation:consultations", lg.code)
    return _form_page(
        request,
        lg,
        form,
        title=_("Ubah konsultasi publik") if consultation else _("Konsultasi publik baru"),
        back=_url("participation:consultations", lg.code),
        tab="public",
        multipart=True,
    )


@require_GET
def moderation(request: HttpRequest, code: str, uid) -> HttpResponse:
    lg = get_lg(request.user, code, manage=True)
    consultation = get_consultation(request.user, lg, uid, manage=True)
    form = ModerationFilterForm(request.GET or None)
    status = form.cleaned_data.get("status") if form.is_valid() else ""
    status = status or ModerationStatus.PENDING
    rows = queries.comments_for_moderation(consultation, "" if status == "all" else status)
    today = timezone.localdate()
    counts = queries.comment_counts(consultation)
    return render(
        request,
        "participation/moderation.html",
        {
            "lg": lg,
            "tab": "public",
            "consultation": consultation,
            "status": status,
            "statuses": [
                *[(value, label, counts[value]) for value, label in ModerationStatus.choices],
                ("all", _("Semua"), sum(counts.values())),
            ],
            "page": paginate(request, rows),
            "response_form": ResponseForm(),
            "closed": consultation.is_closed(today),
            "open": consultation.is_open(today),
        },
    )


def _back_to_moderation(request: HttpRequest, lg, consultation) -> HttpResponse:
    url = _url("participation:moderation", lg.code, consultation.uid)
    status = request.POST.get("back_status", "")
    if status in {*ModerationStatus.values, "all"}:
        url += f"?status={status}"
    return redirect(url)


@require_POST
def moderate(request: HttpRequest, code: str, uid, item) -> HttpResponse:
    lg = get_lg(request.user, code, manage=True)
    consultation = get_consultation(request.user, lg, uid, manage=True)
    comment = get_comment(consultation, item)
    form = ModerationForm(request.POST)
    if form.is_valid():
        try:
            actions.moderate_comment(
                comment,
                actor=request.user,
                decision=form.cleaned_data["decision"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                _("Komentar ditampilkan di halaman publik.")
                if form.cleaned_data["decision"] == actions.APPROVE
                else _("Komentar ditolak dan tidak ditampilkan."),
            )
    else:
        messages.error(request, " ".join(m for ms in form.errors.values() for m in ms))
    return _back_to_moderation(request, lg, consultation)


@require_POST
def respond(request: HttpRequest, code: str, uid, item) -> HttpResponse:
    lg = get_lg(request.user, code, manage=True)
    consultation = get_consultation(request.user, lg, uid, manage=True)
    comment = get_comment(consultation, item)
    form = ResponseForm(request.POST)
    if form.is_valid():
        try:
            actions.respond_to_comment(comment, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Tanggapan disimpan."))
    else:
        messages.error(
            request,
            " ".join(f"{form.fields[f].label}: {m}" for f, ms in form.errors.items() for m in ms),
        )
    return _back_to_moderation(request, lg, consultation)


@require_POST
def consultation_convert(request: HttpRequest, code: str, uid) -> HttpResponse:
    lg = get_lg(request.user, code, manage=True)
    consultation = get_consultation(request.user, lg, uid, manage=True)
    try:
        entry = actions.convert_to_record(consultation, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("participation:moderation", lg.code, consultation.uid)
    messages.success(request, _("Catatan konsultasi dibuat dari konsultasi publik ini."))
    return redirect("participation:record", lg.code, entry.uid)
