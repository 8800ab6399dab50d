"""The collection API: a period's submissions, their values, evidence and review workflow.

Thin, like the pages: the same access helpers, the same actions, and the values are checked by
the page's own `ValuesForm` (the JSON is turned into its form fields), so there is one set of rules.
Every route answers the shared error shape; a submission outside the user's scope answers 404.
"""

from datetime import date, datetime
from uuid import UUID

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Path, Query, Router, Schema, Status, UploadedFile
from ninja.errors import HttpError

from sikla.core.api_schemas import (
    ERROR_CODES,
    DecimalText,
    ErrorOut,
    invalid,
    page_of,
    paged,
    responses,
)
from sikla.core.validation import PageIn
from sikla.indicators.models import MeasureType

from . import actions
from .access import can_enter_data, get_period_for_user, get_submission_by_uid
from .entry import ValuesForm
from .forms import EvidenceForm
from .grid import columns, field_name
from .imports import merge
from .models import EvidenceKind, SubmissionStatus
from .queries import entry_rows, submissions_of, values_map

router = Router(tags=["pengumpulan data"])

KIND_ATTRIBUTE = {"n": "numerator", "d": "denominator", "v": "value"}


class SubmissionOut(Schema):
    uid: UUID
    indicator: int
    indicator_name: str
    status: SubmissionStatus
    lead_agency: str | None
    supporting_agencies: list[str]
    version: int
    submitted_at: datetime | None


class ValueIn(Schema):
    region: str = Field(..., max_length=20, description="Kode wilayah baris isian")
    sex: str = Field("", max_length=1, description='"" (semua), "L" atau "P"')
    age_group: str = Field("", max_length=5, description='"" (semua), "0-5", "6-12" atau "13-17"')
    numerator: DecimalText | None = Field(None, description="Pembilang (indikator persentase)")
    denominator: DecimalText | None = Field(None, description="Penyebut (indikator persentase)")
    value: DecimalText | None = Field(
        None, description="Nilai: jumlah, atau 1/0 untuk ketersediaan (selain persentase)"
    )


class ValuesIn(Schema):
    version: int = Field(..., description="Versi yang dibaca; berbeda dari yang tersimpan → 409")
    narrative: str = ""
    values: list[ValueIn] = Field(
        ...,
        description="Seluruh isian: menggantikan yang tersimpan; sel yang tidak ada dikosongkan",
    )


class ValuesPatchIn(Schema):
    version: int = Field(..., description="Versi yang dibaca; berbeda dari yang tersimpan → 409")
    narrative: str | None = Field(None, description="Tidak dikirim: narasi tersimpan dibiarkan")
    values: list[ValueIn] = Field(
        ...,
        description=(
            "Hanya sel yang dikirim yang diubah; sel lain tetap. Sel dengan pembilang, penyebut "
            "dan nilai kosong (null) dikosongkan."
        ),
    )


class CellOut(Schema):
    region: str
    sex: str
    age_group: str


class ValueOut(Schema):
    region: str
    sex: str
    age_group: str
    numerator: DecimalText | None
    denominator: DecimalText | None
    value: DecimalText | None


class ValuesOut(Schema):
    uid: UUID
    version: int
    status: SubmissionStatus
    narrative: str
    values: list[ValueOut]


class WrittenOut(ValuesOut):
    cleared: list[CellOut] = Field(
        ..., description="Sel yang tadinya berisi dan kini dikosongkan oleh penulisan ini"
    )


class StaleOut(ErrorOut):
    current_version: int


class EvidenceOut(Schema):
    uid: UUID
    title: str
    kind: EvidenceKind
    sha256: str
    size: int
    mime: str


class StatusOut(Schema):
    uid: UUID
    status: SubmissionStatus


class ReturnIn(Schema):
    comment: str = Field(..., max_length=2000, description="Apa yang perlu diperbaiki")


def _unprocessable(exc: ValidationError, keys: dict[str, str] | None = None):
    """An action's ValidationError as a 422: its messages, next to the fields it names."""
    if not hasattr(exc, "error_dict"):
        raise HttpError(422, " ".join(exc.messages)) from exc
    keys = keys or {}
    errors = {keys.get(name, name): messages for name, messages in exc.message_dict.items()}
    return Status(422, {"detail": " ".join(exc.messages), "errors": errors})


def _form_errors(form) -> dict[str, list[str]]:
    return {
        name: [error["message"] for error in errors]
        for name, errors in form.errors.get_json_data().items()
    }


def _run(action, *args, **kwargs):
    """Call an action; a refusal that explains itself keeps its message in the 403."""
    try:
        return action(*args, **kwargs)
    except PermissionDenied as exc:
        if str(exc):
            raise HttpError(403, str(exc)) from exc
        raise


def _values_of(submission) -> list[dict]:
    return list(
        submission.values.order_by("region_id", "sex", "age_group").values(
            "region", "sex", "age_group", "numerator", "denominator", "value"
        )
    )


def _values_out(submission) -> dict:
    return {
        "uid": submission.uid,
        "version": submission.version,
        "status": submission.status,
        "narrative": submission.narrative,
        "values": _values_of(submission),
    }


@router.get(
    "/local-governments/{code}/periods/{year}/submissions",
    response=responses(page_of(SubmissionOut)),
    url_name="period_submissions",
    summary="Pengisian indikator satu periode",
)
def submissions(request, code: str, page: Query[PageIn], year: int = Path(..., ge=2000, le=2100)):
    period = get_period_for_user(request.user, code, year)
    return paged(submissions_of(period), page, _submission_out)


def _submission_out(s) -> dict:
    return {
        "uid": s.uid,
        "indicator": s.indicator.number,
        "indicator_name": s.indicator.name,
        "status": s.status,
        "lead_agency": s.lead_agency.abbreviation if s.lead_agency else None,
        "supporting_agencies": [a.abbreviation for a in s.supporting_agencies.all()],
        "version": s.version,
        "submitted_at": s.submitted_at,
    }


@router.get(
    "/submissions/{uid}/values",
    response=responses(ValuesOut),
    url_name="submission_values",
    summary="Isian data satu pengisian indikator",
)
def submission_values(request, uid: UUID):
    return _values_out(get_submission_by_uid(request.user, uid))


def _form_data(submission, payload: ValuesIn | ValuesPatchIn):
    """The JSON as the page's form fields, plus the errors of cells outside the grid.

    Returns (form, grid errors, {form field name: API error key}).
    """
    indicator = submission.indicator
    rows = entry_rows(indicator, submission.period.local_government)
    percentage = indicator.measure_type == MeasureType.PERCENTAGE
    codes = {r.code for r in rows}
    cells = set(columns(indicator.disaggregations))
    narrative = submission.narrative if payload.narrative is None else payload.narrative
    data = {"version": payload.version, "narrative": narrative}
    errors: dict[str, list[str]] = {}
    keys = {"version": "version", "narrative": "narrative", NON_FIELD_ERRORS: NON_FIELD_ERRORS}
    seen: dict[tuple, int] = {}
    for index, item in enumerate(payload.values):
        at = f"values[{index}]"
        cell = (item.region, item.sex, item.age_group)
        if item.region not in codes:
            errors[f"{at}.region"] = [
                _("Wilayah %(code)s bukan baris isian indikator ini.") % {"code": item.region}
            ]
            continue
        if (item.sex, item.age_group) not in cells:
            sexes = {sex for sex, _age in cells}
            wrong, allowed = (
                ("sex", sexes)
                if item.sex not in sexes
                else ("age_group", {age for sex, age in cells if sex == item.sex})
            )
            errors[f"{at}.{wrong}"] = [
                _("Pilahan ini tidak dipakai indikator ini; pilihannya: %(allowed)s.")
                % {"allowed": ", ".join(f"“{a}”" for a in sorted(allowed))}
            ]
            continue
        if cell in seen:
            errors[at] = [_("Sel ini sudah diisi pada values[%(i)s].") % {"i": seen[cell]}]
            continue
        seen[cell] = index
        if percentage:
            if item.value is not None:
                errors[f"{at}.value"] = [
                    _("Indikator persentase diisi dengan pembilang dan penyebut, bukan nilai.")
                ]
            inputs = {"n": item.numerator, "d": item.denominator}
        else:
            for name in ("numerator", "denominator"):
                if getattr(item, name) is not None:
                    errors[f"{at}.{name}"] = [
                        _("Indikator ini diisi dengan nilai (value), bukan pembilang/penyebut.")
                    ]
            value = item.value
            if value is not None and indicator.measure_type == MeasureType.AVAILABILITY:
                # The page's choice field takes "1" or "0"; anything else it refuses itself.
                value = "1" if value == 1 else "0" if value == 0 else str(value)
            inputs = {"v": value}
        for kind, number in inputs.items():
            name = field_name(kind, cell)
            keys[name] = f"{at}.{KIND_ATTRIBUTE[kind]}"
            if number is not None:
                data[name] = number
    return ValuesForm(data, indicator=indicator, rows=rows), errors, keys


def _stale(exc: actions.StaleSubmission):
    """409: nothing written; the cells that differ as [saved now, sent], and the version now."""
    detail = " ".join(
        [
            _("Data ini sudah diubah orang lain sejak Anda membukanya."),
            _("Tidak ada yang disimpan; kirim lagi dengan versi terbaru bila isian Anda benar."),
        ]
    )
    return Status(
        409,
        {
            "detail": detail,
            "errors": {**exc.differences, "version": [str(exc.current_version)]},
            "current_version": exc.current_version,
        },
    )


@router.put(
    "/submissions/{uid}/values",
    response={200: WrittenOut, 409: StaleOut, ERROR_CODES: ErrorOut},
    summary="Ganti seluruh isian data (dengan versi yang dibaca)",
    description="Sel yang tidak dikirim dikosongkan; jawaban menyebut sel yang dikosongkan.",
)
def replace_values(request, uid: UUID, payload: ValuesIn):
    return _write(request, uid, payload, partial=False)


@router.patch(
    "/submissions/{uid}/values",
    response={200: WrittenOut, 409: StaleOut, ERROR_CODES: ErrorOut},
    summary="Ubah sebagian isian data (dengan versi yang dibaca)",
    description=(
        "Hanya sel yang dikirim yang diubah; sel dengan pembilang, penyebut dan nilai null "
        "dikosongkan. Narasi yang tidak dikirim dibiarkan."
    ),
)
def update_values(request, uid: UUID, payload: ValuesPatchIn):
    return _write(request, uid, payload, partial=True)


def _write(request, uid: UUID, payload, *, partial: bool):
    submission = get_submission_by_uid(request.user, uid)
    if not can_enter_data(request.user, submission):
        raise PermissionDenied
    form, errors, keys = _form_data(submission, payload)
    if not form.is_valid() or errors:
        for name, messages in _form_errors(form).items():
            errors.setdefault(keys.get(name, name), []).extend(messages)
        return invalid(errors)
    # What the write means, as for an Excel import: the cells sent over the stored ones; the
    # others cleared by a PUT, kept by a PATCH (where a cell sent all null is a clearing).
    sent = {
        (item.region, item.sex, item.age_group): (None, None, None)
        for item in payload.values
        if item.numerator is None and item.denominator is None and item.value is None
    } | form.values()
    changes = merge(values_map(submission), sent, clear_missing=not partial)
    try:
        _run(
            actions.save_values,
            submission,
            actor=request.user,
            values=changes.final,
            narrative=form.cleaned_data["narrative"],
            expected_version=form.cleaned_data["version"],
        )
    except actions.StaleSubmission as exc:
        return _stale(exc)
    except ValidationError as exc:
        return _unprocessable(exc, keys)
    submission.refresh_from_db(fields=["version", "narrative", "status"])
    cleared = changes.cleared
    return {
        **_values_out(submission),
        "cleared": [{"region": c, "sex": s, "age_group": a} for (c, s, a), _o, _n in cleared],
    }


@router.post(
    "/submissions/{uid}/evidence",
    response={201: EvidenceOut, ERROR_CODES: ErrorOut},
    url_name="submission_evidence",
    summary="Unggah bukti dukung",
)
def upload_evidence(
    request,
    uid: UUID,
    file: File[UploadedFile],
    title: Form[str],
    kind: Form[EvidenceKind],
    document_date: Form[date | None] = None,
    question: Form[str | None] = None,
):
    """`question` is a catalog question code of this indicator (e.g. "4.1"); empty = the
    indicator as a whole."""
    submission = get_submission_by_uid(request.user, uid)
    if not can_enter_data(request.user, submission):
        raise PermissionDenied
    chosen = submission.indicator.questions.filter(code=question).first() if question else None
    if question and chosen is None:
        return invalid({"question": [_("Pertanyaan tidak dikenal.")]})
    form = EvidenceForm(
        {"title": title, "kind": kind, "document_date": document_date}, {"file": file}
    )
    if not form.is_valid():
        return invalid(_form_errors(form))
    try:
        evidence = _run(
            actions.upload_evidence,
            submission,
            actor=request.user,
            upload=form.cleaned_data["file"],
            title=form.cleaned_data["title"],
            kind=form.cleaned_data["kind"],
            document_date=form.cleaned_data["document_date"],
            question=chosen,
        )
    except ValidationError as exc:
        return _unprocessable(exc)
    return Status(
        201,
        {
            "uid": evidence.uid,
            "title": evidence.title,
            "kind": evidence.kind,
            "sha256": evidence.sha256,
            "size": evidence.size,
            "mime": evidence.mime,
        },
    )


def _transition(request, uid: UUID, action, **text):
    submission = get_submission_by_uid(request.user, uid)
    try:
        _run(action, submission, actor=request.user, **text)
    except ValidationError as exc:
        return _unprocessable(exc)
    submission.refresh_from_db(fields=["status"])
    return {"uid": submission.uid, "status": submission.status}


@router.post(
    "/submissions/{uid}/submit",
    response=responses(StatusOut),
    url_name="submission_submit",
    summary="Ajukan ke sekretariat (semua sel harus terisi)",
)
def submit_submission(request, uid: UUID):
    return _transition(request, uid, actions.submit_submission)


@router.post(
    "/submissions/{uid}/return",
    response=responses(StatusOut),
    url_name="submission_return",
    summary="Kembalikan ke perangkat daerah, dengan catatan",
)
def return_submission(request, uid: UUID, payload: ReturnIn):
    return _transition(request, uid, actions.return_submission, comment=payload.comment)


@router.post(
    "/submissions/{uid}/approve",
    response=responses(StatusOut),
    url_name="submission_approve",
    summary="Setujui (bukan oleh yang mengajukan)",
)
def approve_submission(request, uid: UUID):
    return _transition(request, uid, actions.approve_submission)
