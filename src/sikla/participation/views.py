"""Staff pages of the participation app: access → form → action → redirect or render.

Reading: everyone in scope (`Perm.VIEW_PLANNING`); changing: the secretariat
(`Perm.MANAGE_PARTICIPATION`). The public consultation pages are in public_views.py.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sikla.accounts.rules import Perm, can
from sikla.core.views_util import add_action_errors, paginate

from . import actions, queries
from .access import (
    get_activity,
    get_comment,
    get_consultation,
    get_contribution,
    get_forum,
    get_input,
    get_lg,
    get_lg_for_forums,
    get_partner,
    get_record,
)
from .forms import (
    ActivityForm,
    ChildForumForm,
    ContributionForm,
    ForumFilterForm,
    InputForm,
    ModerationFilterForm,
    ModerationForm,
    PartnerFilterForm,
    PartnerForm,
    PublicConsultationForm,
    RecordFilterForm,
    RecordForm,
    ResponseForm,
)
from .models import ModerationStatus, PartnerComponent, SourceKind


def _url(name: str, *args) -> str:
    return reverse(name, args=args)


def _can_manage(request: HttpRequest, lg) -> bool:
    return can(request.user, Perm.MANAGE_PARTICIPATION, lg.code)


def _form_page(
    request: HttpRequest,
    lg,
    form,
    *,
    title: str,
    back: str,
    tab: str,
    multipart: bool = False,
) -> HttpResponse:
    return render(
        request,
        "participation/form.html",
        {
            "lg": lg,
            "form": form,
            "title": title,
            "back": back,
            "tab": tab,
            "multipart": multipart,
        },
    )


def _saved(request: HttpRequest, changes) -> None:
    messages.success(request, _("Perubahan disimpan.") if changes else _("Tidak ada perubahan."))


def _data_year(request: HttpRequest) -> int:
    """?tahun=…, else this year: the data year being collected for next year's evaluation."""
    default = timezone.localdate().year
    try:
        year = int(request.GET.get("tahun", default))
    except ValueError:
        return default
    return year if 2000 <= year <= 2100 else default


# -- overview ----------------------------------------------------------------------------------


FORUM_STATUS_LABELS = {
    "belum": _lazy("Belum dibentuk"),
    "sk": _lazy("Dibentuk dengan SK, belum ada kegiatan pada tahun data"),
    "aktif": _lazy("Dibentuk dengan SK dan berkegiatan"),
}


def _yes_no(value: str) -> str:
    return _("Ya") if value == "yes" else _("Tidak")


def _share(part: int, whole: int, pct) -> str:
    if pct is None:
        return f"{part} / {whole}"
    return f"{part} / {whole} ({number_format(pct, 2)} %)"


def _question_rows(lg, counts: queries.ParticipationCounts) -> list[tuple[str, str, str, str]]:
    """(question code, what is counted, value, link to the register) for indicators 3 and 6."""
    answers, year, forums_ = counts.answers(), counts.year, counts.forums
    partners_url = _url("participation:partners", lg.code)
    forums_url = _url("participation:forums", lg.code)
    return [
        (
            "3.1",
            _("Organisasi masyarakat yang berkontribusi pada tahun data"),
            str(answers["3.1"]),
            f"{partners_url}?component=community&tahun={year}",
        ),
        (
            "3.2",
            _("Dunia usaha yang berkontribusi (termasuk CSR)"),
            str(answers["3.2"]),
            f"{partners_url}?component=business&tahun={year}",
        ),
        (
            "3.3",
            _("Media massa yang berkontribusi"),
            str(answers["3.3"]),
            f"{partners_url}?component=media&tahun={year}",
        ),
        (
            "3.4",
            _("Wadah koordinasi (PUSPA, APSAI) tercatat aktif"),
            _yes_no(answers["3.4"]),
            f"{partners_url}?component=coordination",
        ),
        (
            "6.1",
            _("Forum Anak tingkat kab/kota"),
            str(FORUM_STATUS_LABELS[answers["6.1"]]),
            f"{forums_url}?level=regency",
        ),
        (
            "6.2",
            _("Kecamatan yang memiliki Forum Anak aktif"),
            _share(forums_.districts_with_forum, forums_.districts_total, forums_.districts_pct),
            f"{forums_url}?level=district",
        ),
        (
            "6.3",
            _("Desa/kelurahan yang memiliki Forum Anak aktif"),
            _share(forums_.villages_with_forum, forums_.villages_total, forums_.villages_pct),
            f"{forums_url}?level=village",
        ),
        (
            "6.4",
            _("Forum Anak ikut Musrenbang (kegiatan jenis Musrenbang)"),
            _yes_no(answers["6.4"]),
            "",
        ),
        (
            "6.5",
            _("Kebijakan/program/peraturan dengan masukan anak"),
            str(answers["6.5"]),
            f"{_url('participation:records', lg.code)}?tahun={year}",
        ),
    ]


@require_GET
def overview(request: HttpRequest, code: str) -> HttpResponse:
    lg = get_lg(request.user, code)
    year = _data_year(request)
    counts = queries.participation_counts(lg, year)
    this_year = timezone.localdate().year
    return render(
        request,
        "participation/overview.html",
        {
            "lg": lg,
            "tab": "overview",
            "year": year,
            "years": range(this_year, this_year - 6, -1),
            "counts": counts,
            "rows": _question_rows(lg, counts),
            "inputs": [(SourceKind(k).label, n) for k, n in counts.inputs_by_source.items()],
            "components": [
                (PartnerComponent(k).label, n) for k, n in counts.partners_by_component.items()
            ],
        },
    )


# -- Forum Anak ----------------------------------------------------------------------------------


@require_GET
def forums(request: HttpRequest, code: str) -> HttpResponse:
    lg = get_lg_for_forums(request.user, code)
    form = ForumFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    rows = queries.forums_of(
        lg,
        request.user,
        level=filters.get("level", ""),
        status=filters.get("status", ""),
        search=filters.get("q", ""),
    )
    return render(
        request,
        "participation/forums.html",
        {
            "lg": lg,
            "tab": "forums",
            "form": form,
            "page": paginate(request, rows),
            "summary": queries.forum_summary(lg),
            "can_manage": _can_manage(request, lg),
        },
    )


@require_http_methods(["GET", "POST"])
def forum_create(request: HttpRequest, code: str) -> HttpResponse:
    lg = get_lg_for_forums(request.user, code, manage=True)
    form = ChildForumForm(request.POST or None, local_government=lg)
    if form.is_valid():
        values = dict(form.cleaned_data)
        region = values.pop("region")
        try:
            forum = actions.create_child_forum(
                actor=request.user, local_government=lg, region=region, **values
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, _("%(name)s dicatat.") % {"name": forum.name})
            return redirect("participation:forum", lg.code, forum.uid)
    return _form_page(
        request,
        lg,
        form,
        title=_("Catat Forum Anak"),
        back=_url("participation:forums", lg.code),
        tab="forums",
    )


@require_GET
def forum(request: HttpRequest, code: str, uid) -> HttpResponse:
    lg = get_lg_for_forums(request.user, code)
    item = get_forum(request.user, lg, uid)
    return render(
        request,
        "participation/forum.html",
        {
            "lg": lg,
            "tab": "forums",
            "forum": item,
            "page": paginate(request, queries.forum_activities(item)),
            "can_manage": _can_manage(request, lg),
            # the records live at kab/kota level: not for a kecamatan officer
            "inputs": item.inputs.select_related("record").order_by("-date")[:20]
            if can(request.user, Perm.VIEW_PLANNING, lg.code)
            else [],
        },
    )


@require_http_methods(["GET", "POST"])
def forum_edit(request: HttpRequest, code: str, uid) -> HttpResponse:
    lg = get_lg_for_forums(request.user, code, manage=True)
    item = get_forum(request.user, lg, uid, manage=True)
    form = ChildForumForm(request.POST or None, instance=item, local_government=lg)
    if form.is_valid():
        try:
            changes = actions.update_child_forum(item, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            _saved(request, changes)
            return redirect("participation:forum", lg.code, item.uid)
    return _form_page(
        request,
        lg,
        form,
        title=_("Ubah %(name)s") % {"name": item.name},
        back=_url("participation:forum", lg.code, item.uid),
        tab="forums",
    )


@require_http_methods(["GET", "POST"])
def activity_edit(request: HttpRequest, code: str, uid, item=None) -> HttpResponse:
    lg = get_lg_for_forums(request.user, code, manage=True)
    forum_ = get_forum(request.user, lg, uid, manage=True)
    activity = get_activity(forum_, item) if item else None
    form = ActivityForm(request.POST or None, instance=activity)
    if form.is_valid():
        try:
            if activity is None:
                actions.add_activity(forum_, actor=request.user, **form.cleaned_data)
                messages.success(request, _("Kegiatan dicatat."))
            else:
                _saved(
                    request,
                    actions.update_activity(activity, actor=request.user, **form.cleaned_data),
                )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            return redirect("participation:forum", lg.code, forum_.uid)
    return _form_page(
        request,
        lg,
        form,
        title=(_("Ubah kegiatan") if activity else _("Catat kegiatan")) + f" — {forum_.name}",
        back=_url("participation:forum", lg.code, forum_.uid),
        tab="forums",
    )


@require_POST
def activity_delete(request: HttpRequest, code: str, uid, item) -> HttpResponse:
    lg = get_lg_for_forums(request.user, code, manage=True)
    forum_ = get_forum(request.user, lg, uid, manage=True)
    actions.delete_activity(get_activity(forum_, item), actor=request.user)
    messages.success(request, _("Kegiatan dihapus."))
    return redirect("participation:forum", lg.code, forum_.uid)


# -- consultation records ------------------------------------------------------------------------


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
    if form.is_valid():
        try:
            if entry is None:
                entry = actions.create_record(
                    actor=request.user, local_government=lg, **form.cleaned_data
                )
                messages.success(request, _("Catatan konsultasi dibuat; tambahkan masukannya."))
            else:
                _saved(
                    request, actions.update_record(entry, actor=request.user, **form.cleaned_data)
                )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            return redirect("participation:record", lg.code, entry.uid)
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
    if form.is_valid():
        try:
            if existing is None:
                actions.add_input(entry, actor=request.user, **form.cleaned_data)
                messages.success(request, _("Masukan dicatat."))
            else:
                _saved(
                    request, actions.update_input(existing, actor=request.user, **form.cleaned_data)
                )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            return redirect("participation:record", lg.code, entry.uid)
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


# -- public consultation (staff side) ------------------------------------------------------------


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


# -- partners ----------------------------------------------------------------------------------


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
    if form.is_valid():
        try:
            if partner_ is None:
                partner_ = actions.create_partner(
                    actor=request.user, local_government=lg, **form.cleaned_data
                )
                messages.success(request, _("Mitra dicatat."))
            else:
                _saved(
                    request,
                    actions.update_partner(partner_, actor=request.user, **form.cleaned_data),
                )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            return redirect("participation:partner", lg.code, partner_.uid)
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
    if form.is_valid():
        try:
            if existing is None:
                actions.add_contribution(partner_, actor=request.user, **form.cleaned_data)
                messages.success(request, _("Kontribusi dicatat."))
            else:
                _saved(
                    request,
                    actions.update_contribution(existing, actor=request.user, **form.cleaned_data),
                )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            return redirect("participation:partner", lg.code, partner_.uid)
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
