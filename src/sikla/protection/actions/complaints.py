"""Reports of violence against children: made by the public or recorded by the unit, triaged,
dismissed, or taken up as a case (and its number)."""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from sikla.accounts.rules import Perm, require
from sikla.core.audit import record
from sikla.core.notify import notify
from sikla.core.validation import refuse_markup, refuse_odd_dates

from .. import facts
from ..models import (
    Case,
    CaseStatus,
    CaseTransition,
    Channel,
    Child,
    Complaint,
    PublicStatus,
    Urgency,
)
from ..standards import response_due
from .children import index_name
from .common import _check_region, _clean_text, store_documents, unit_staff

__all__ = [
    "CODE_ALPHABET",
    "normalise_tracking_code",
    "submit_public_complaint",
    "record_complaint",
    "triage_complaint",
    "dismiss_complaint",
    "case_number",
    "take_complaint",
]


# Codes without look-alikes (no 0/O, 1/I/L), read out over a phone without confusion.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def _new_tracking_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
    return f"{raw[:4]}-{raw[4:]}"


def normalise_tracking_code(text: str) -> str:
    raw = "".join(ch for ch in (text or "").upper() if ch.isalnum())
    return f"{raw[:4]}-{raw[4:8]}" if len(raw) == 8 else ""


def _create_complaint(*, local_government, actor, channel, files=(), **fields) -> Complaint:
    fields["description"] = _clean_text(
        fields.get("description", ""), field="description", limit=5000, required=True
    )
    for name, limit in (("child_name", 150), ("reporter_name", 150), ("reporter_contact", 150)):
        fields[name] = _clean_text(fields.get(name, ""), field=name, limit=limit)
    if fields.get("reporter_anonymous"):
        fields["reporter_name"] = fields["reporter_contact"] = ""
    refuse_markup(**{n: fields[n] for n in ("child_name", "reporter_name", "reporter_contact")})
    refuse_odd_dates(incident_date=fields.get("incident_date"))
    _check_region(fields.get("incident_region"), local_government, "incident_region")
    if (fields.get("child_age") or 0) > 17:
        raise ValidationError(
            {"child_age": _("Anak adalah seseorang yang belum berumur 18 tahun.")}
        )
    if fields.get("incident_date") and fields["incident_date"] > timezone.localdate():
        raise ValidationError({"incident_date": _("Tanggal kejadian tidak boleh di masa depan.")})
    if len(files) > settings.COMPLAINT_MAX_FILES:
        raise ValidationError(
            {"files": _("Paling banyak %(n)s berkas.") % {"n": settings.COMPLAINT_MAX_FILES}}
        )
    for _attempt in range(5):
        try:
            with transaction.atomic():
                complaint = Complaint.objects.create(
                    local_government=local_government,
                    tracking_code=_new_tracking_code(),
                    channel=channel,
                    received_at=timezone.now(),
                    recorded_by=actor,
                    **fields,
                )
            break
        except IntegrityError:  # a tracking code drawn twice: draw again
            continue
    else:  # pragma: no cover - 31^8 codes
        raise RuntimeError("no free tracking code")
    store_documents(files, local_government=local_government, actor=actor, complaint=complaint)
    record(
        actor=actor,
        action="complaint.receive",
        target=complaint,
        region_code=local_government.pk,
        changes={"channel": [None, channel], "urgency": [None, complaint.urgency]},
    )
    urgent = complaint.urgency != Urgency.NORMAL
    notify(
        unit_staff(local_government),
        text=(_("Pengaduan MENDESAK baru masuk") if urgent else _("Pengaduan baru masuk")),
        link=_complaint_link(complaint),
    )
    return complaint


def _complaint_link(complaint: Complaint) -> str:
    from django.urls import reverse

    return reverse("protection:complaint", args=[complaint.local_government_id, complaint.uid])


@transaction.atomic
def submit_public_complaint(
    *, local_government, files=(), in_danger: bool = False, **fields
) -> Complaint:
    """A report through the public channel (no login). Stored even when notifying staff fails:
    notifications go out after the commit and never undo it. A child said to be in danger right
    now makes the report an emergency: it heads the unit's urgent banner at once."""
    if not local_government.is_active:
        raise ValidationError(_("Daerah ini tidak menerima pengaduan melalui SIKLA."))
    if in_danger:
        fields["urgency"] = Urgency.EMERGENCY
    return _create_complaint(
        local_government=local_government, actor=None, channel=Channel.WEB, files=files, **fields
    )


@transaction.atomic
def record_complaint(
    *,
    actor,
    local_government,
    channel: str,
    urgency: str = Urgency.NORMAL,
    risk: str = "",
    files=(),
    **fields,
) -> Complaint:
    """Intake by the unit's staff: hotline, walk-in, school, police, other agency, Forum Anak."""
    require(actor, Perm.HANDLE_CASES, local_government.pk)
    if channel == Channel.WEB:
        raise ValidationError(
            {"channel": _("Pengaduan daring masuk sendiri melalui formulir publik.")}
        )
    complaint = _create_complaint(
        local_government=local_government,
        actor=actor,
        channel=channel,
        files=files,
        urgency=urgency,
        risk=risk,
        **fields,
    )
    if risk or urgency != Urgency.NORMAL:
        Complaint.objects.filter(pk=complaint.pk).update(
            triaged_at=timezone.now(), triaged_by=actor
        )
    return complaint


def _locked_complaint(complaint: Complaint, actor) -> Complaint:
    require(actor, Perm.HANDLE_CASES, complaint.local_government_id)
    return Complaint.objects.select_for_update().get(pk=complaint.pk)


@transaction.atomic
def triage_complaint(complaint: Complaint, *, actor, urgency: str, risk: str) -> Complaint:
    complaint = _locked_complaint(complaint, actor)
    if not complaint.is_pending:
        raise ValidationError(_("Pengaduan ini sudah ditangani; ubah urgensi pada kasusnya."))
    before = {"urgency": complaint.urgency, "risk": complaint.risk}
    complaint.urgency, complaint.risk = urgency, risk
    complaint.triaged_at, complaint.triaged_by = timezone.now(), actor
    complaint.save(update_fields=["urgency", "risk", "triaged_at", "triaged_by", "updated_at"])
    record(
        actor=actor,
        action="complaint.triage",
        target=complaint,
        region_code=complaint.local_government_id,
        changes={
            k: [v, getattr(complaint, k)] for k, v in before.items() if v != getattr(complaint, k)
        },
    )
    if urgency != Urgency.NORMAL and before["urgency"] == Urgency.NORMAL:
        notify(
            unit_staff(complaint.local_government),
            text=_("Pengaduan ditandai mendesak dan belum diambil"),
            link=_complaint_link(complaint),
        )
    return complaint


@transaction.atomic
def dismiss_complaint(complaint: Complaint, *, actor, reason: str) -> Complaint:
    complaint = _locked_complaint(complaint, actor)
    if not complaint.is_pending:
        raise ValidationError(_("Pengaduan ini sudah ditangani."))
    complaint.status, complaint.dismissed_reason = PublicStatus.CLOSED, reason
    complaint.save(update_fields=["status", "dismissed_reason", "updated_at"])
    record(
        actor=actor,
        action="complaint.dismiss",
        target=complaint,
        region_code=complaint.local_government_id,
        changes={"status": [PublicStatus.RECEIVED, PublicStatus.CLOSED], "reason": [None, reason]},
    )
    return complaint


def _next_sequence(local_government, year: int) -> int:
    top = Case.objects.filter(local_government=local_government, year=year).aggregate(
        top=Max("sequence")
    )["top"]
    return (top or 0) + 1


def case_number(local_government, year: int, sequence: int) -> str:
    return f"{sequence:04d}/PPA/{local_government.pk.replace('.', '')}/{year}"


@transaction.atomic
def take_complaint(complaint: Complaint, *, actor) -> Case:
    """Someone of the unit takes a report: it becomes a case assigned to them, with the next
    case number of the local government and year. Two people taking it at once: one wins."""
    complaint = _locked_complaint(complaint, actor)
    if not complaint.is_pending:
        raise ValidationError(_("Pengaduan ini sudah diambil atau ditutup."))
    lg = complaint.local_government
    year = timezone.localtime(complaint.received_at).year
    for _attempt in range(5):
        sequence = _next_sequence(lg, year)
        try:
            with transaction.atomic():
                case = Case.objects.create(
                    local_government=lg,
                    year=year,
                    sequence=sequence,
                    number=case_number(lg, year, sequence),
                    complaint=complaint,
                    channel=complaint.channel,
                    urgency=complaint.urgency,
                    risk=complaint.risk,
                    received_at=complaint.received_at,
                    response_due_at=response_due(
                        complaint.received_at, complaint.urgency, complaint.local_government_id
                    ),
                    incident_date=complaint.incident_date,
                    incident_place=complaint.place,
                    incident_region=complaint.incident_region,
                    chronology=complaint.description,
                    supervisor=unit_staff(lg, supervisors_only=True).order_by("pk").first(),
                )
            break
        except IntegrityError:  # another case took the number in the meantime
            continue
    else:  # pragma: no cover
        raise RuntimeError("no free case number")
    case.workers.add(actor)
    if complaint.child_name or complaint.child_age is not None or complaint.child_sex:
        child = Child.objects.create(
            case=case,
            name=complaint.child_name,
            age=complaint.child_age,
            sex=complaint.child_sex,
            address_region=complaint.incident_region,
        )
        index_name(child)
    complaint.documents.update(case=case)
    complaint.status = PublicStatus.IN_HANDLING
    complaint.save(update_fields=["status", "updated_at"])
    CaseTransition.objects.create(case=case, actor=actor, to_status=CaseStatus.RECEIVED)
    facts.refresh(case)
    record(
        actor=actor,
        action="case.open",
        target=case,
        region_code=lg.pk,
        changes={"complaint": [None, complaint.tracking_code], "workers": [None, [actor.username]]},
    )
    return case
