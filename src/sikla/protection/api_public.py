"""The public complaint API (no login, rate-limited): the same action, limiter and spam rules as
the public form (see spam.py). A status answer carries the public label and date only."""

from datetime import date

from django.core.exceptions import ValidationError
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from sikla.core.api_schemas import ERROR_CODES, ErrorOut, invalid
from sikla.core.validation import SaneDate
from sikla.organisations.models import LocalGovernment
from sikla.regions.models import Level, Region

from . import actions, queries, spam
from .models import Place, PublicStatus, ReporterRelation, Sex

router = Router(tags=["pengaduan publik"])


class ComplaintIn(Schema):
    local_government: str = Field(..., description="Kode kab/kota, misalnya 53.71")
    kelurahan: str | None = Field(None, description="Kode kelurahan/desa, misalnya 53.71.04.1001")
    description: str = Field(..., description="Apa yang terjadi (paling banyak 5.000 karakter)")
    incident_date: SaneDate | None = None
    place: Place | None = None
    child_name: str = ""
    child_age: int | None = Field(None, ge=0)
    child_sex: Sex | None = None
    reporter_relation: ReporterRelation | None = None
    reporter_anonymous: bool = False
    reporter_name: str = ""
    reporter_contact: str = ""
    child_wording: bool = False
    in_danger: bool = Field(
        False,
        description="Anak dalam bahaya saat ini: laporan menjadi darurat dan ditangani lebih dulu",
    )
    website: str = Field("", description="Harus kosong (perangkap robot)")


class ComplaintCreatedOut(Schema):
    tracking_code: str = Field(..., description="Simpan kode ini: satu-satunya cara melihat status")


class ComplaintStatusOut(Schema):
    tracking_code: str
    status: PublicStatus
    status_label: str
    received_on: date


def _too_many() -> JsonResponse:
    detail = _(
        "Terlalu banyak permintaan dari perangkat ini; coba lagi dalam satu jam. Dalam keadaan "
        "darurat hubungi SAPA 129 (telepon 129 atau WhatsApp 08111-129-129)."
    )
    return JsonResponse(
        {"detail": detail}, status=429, headers={"Retry-After": str(spam.WINDOW_SECONDS)}
    )


def _invalid(errors: dict[str, list[str]]):
    return invalid(errors)


def _action_errors(exc: ValidationError) -> dict[str, list[str]]:
    if not hasattr(exc, "error_dict"):
        return {"__all__": exc.messages}
    return {
        ("kelurahan" if field == "incident_region" else field): messages
        for field, messages in exc.message_dict.items()
    }


def _submit(payload: ComplaintIn) -> str:
    """Store the report; its tracking code. Raises ValidationError with the API's field names."""
    if problem := spam.links_problem(payload.description):
        raise ValidationError({"description": problem})
    local_government = LocalGovernment.objects.filter(
        pk=payload.local_government, is_active=True
    ).first()
    if local_government is None:
        raise ValidationError(
            {"local_government": _("Daerah ini tidak menerima pengaduan melalui SIKLA.")}
        )
    region = None
    if payload.kelurahan:
        region = Region.objects.filter(code=payload.kelurahan, level=Level.VILLAGE).first()
        if region is None:
            raise ValidationError({"kelurahan": _("Kode kelurahan/desa tidak dikenal.")})
    complaint = actions.submit_public_complaint(
        local_government=local_government,
        description=payload.description,
        incident_date=payload.incident_date,
        incident_region=region,
        place=payload.place or "",
        child_name=payload.child_name,
        child_age=payload.child_age,
        child_sex=payload.child_sex or "",
        reporter_relation=payload.reporter_relation or "",
        reporter_anonymous=payload.reporter_anonymous,
        reporter_name=payload.reporter_name,
        reporter_contact=payload.reporter_contact,
        child_wording=payload.child_wording,
        in_danger=payload.in_danger,
    )
    return complaint.tracking_code


@router.post(
    "",
    auth=None,
    response={201: ComplaintCreatedOut, ERROR_CODES: ErrorOut},
    url_name="complaint_create",
    summary="Kirim pengaduan kekerasan terhadap anak (tanpa login; dibatasi per klien per jam)",
)
def create(request: HttpRequest, payload: ComplaintIn):
    if not spam.report_allowed(request):
        return _too_many()
    if payload.website:  # a robot: answered as if stored, nothing is
        return Status(201, {"tracking_code": spam.decoy_tracking_code()})
    try:
        code = _submit(payload)
    except ValidationError as exc:
        spam.give_back(request, spam.REPORT)
        return _invalid(_action_errors(exc))
    return Status(201, {"tracking_code": code})


@router.get(
    "/{tracking_code}",
    auth=None,
    response={200: ComplaintStatusOut, ERROR_CODES: ErrorOut},
    url_name="complaint_status",
    summary="Status publik sebuah pengaduan: Diterima, Sedang ditangani, atau Selesai",
)
def status(request: HttpRequest, tracking_code: str):
    if not spam.status_lookup_allowed(request):
        return _too_many()
    code = actions.normalise_tracking_code(tracking_code)
    complaint = queries.public_status(code)
    if complaint is None:
        raise HttpError(404, _("Kode tidak ditemukan."))
    return {
        "tracking_code": code,
        "status": complaint.status,
        "status_label": complaint.get_status_display(),
        "received_on": timezone.localdate(complaint.received_at),
    }
