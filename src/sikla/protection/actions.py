"""Every state change of the protection module: keyword-only, checking the rule, writing the
audit row (never an identity: case numbers, codes and field names only), in one transaction.

Reads of identities are logged by `log_access`, called from the fetch helpers in access.py.
"""

import hashlib
import secrets
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Exists, Max, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from sikla.accounts.models import Role, User
from sikla.accounts.rules import Perm, can, require
from sikla.core.audit import record
from sikla.core.notify import notify
from sikla.core.validation import refuse_markup, refuse_odd_dates
from sikla.lib.filecheck import FileRejected, check_upload

from . import crypto, facts
from .access import can_open_case
from .models import (
    AccessKind,
    AccessLog,
    BreakGlass,
    Case,
    CaseStatus,
    CaseTransition,
    CaseType,
    Channel,
    Child,
    ChildNameToken,
    Complaint,
    Document,
    GuardianConsent,
    Perpetrator,
    PublicStatus,
    Referral,
    ReferralKind,
    ReferralStatus,
    Service,
    Urgency,
)
from .nik import validate_nik
from .standards import response_due

# Codes without look-alikes (no 0/O, 1/I/L), read out over a phone without confusion.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"

TRANSITIONS: dict[str, set[str]] = {
    CaseStatus.RECEIVED: {CaseStatus.ASSESSED, CaseStatus.CLOSED},
    CaseStatus.ASSESSED: {CaseStatus.IN_SERVICE, CaseStatus.REFERRED, CaseStatus.CLOSED},
    CaseStatus.IN_SERVICE: {CaseStatus.REFERRED, CaseStatus.CLOSED},
    CaseStatus.REFERRED: {CaseStatus.IN_SERVICE, CaseStatus.CLOSED},
    CaseStatus.CLOSED: {CaseStatus.ASSESSED},  # a reopening, with its reason
}


class StaleCase(Exception):
    """Somebody saved the case after this form was opened."""


# -- helpers ---------------------------------------------------------------------------------


def log_access(
    *, user, local_government, kind: str, case=None, complaint=None, terms="", reason=""
) -> AccessLog:
    return AccessLog.objects.create(
        user=user,
        local_government=local_government,
        kind=kind,
        case=case,
        complaint=complaint,
        terms=terms,
        reason=reason,
    )


def unit_staff(local_government, *, supervisors_only: bool = False):
    roles = [Role.CASE_SUPERVISOR] if supervisors_only else [Role.CASE_WORKER, Role.CASE_SUPERVISOR]
    return User.objects.filter(is_active=True, role__in=roles, scope=local_government.pk)


def _case_link(case: Case) -> str:
    from django.urls import reverse

    return reverse("protection:case", args=[case.local_government_id, case.uid])


def _require_handler(actor, case: Case) -> None:
    """The rule for acting on a case: the unit's role, in scope, and the case is the actor's
    (assigned, supervised, or opened by breaking the glass)."""
    require(actor, Perm.HANDLE_CASES, case.local_government_id)
    if not can_open_case(actor, case):
        raise PermissionDenied


def _require_open(case: Case) -> None:
    if case.is_closed:
        raise ValidationError(_("Kasus sudah ditutup; buka kembali dulu untuk mengubahnya."))


def _clean_text(value: str, *, field: str, limit: int, required: bool = False) -> str:
    value = (value or "").strip()
    if "\x00" in value:
        raise ValidationError({field: _("Teks berisi karakter yang tidak diizinkan.")})
    if required and not value:
        raise ValidationError({field: _("Wajib diisi.")})
    if len(value) > limit:
        raise ValidationError(
            {field: _("Terlalu panjang: paling banyak %(n)s karakter.") % {"n": limit}}
        )
    return value


def _check_region(region, local_government, field: str) -> None:
    if region is not None and not region.code.startswith(local_government.pk + "."):
        raise ValidationError({field: _("Kelurahan/desa itu bukan bagian dari daerah ini.")})


def store_documents(uploads, *, local_government, actor=None, **owner) -> list[Document]:
    """Check each file from its bytes, encrypt it, store it. Raises ValidationError({"files"})."""
    max_bytes = settings.COMPLAINT_MAX_UPLOAD_MB * 1048576
    checked = []
    for upload in uploads:
        try:
            checked.append((upload, check_upload(upload, upload.size, max_bytes=max_bytes)))
        except FileRejected as exc:
            raise ValidationError({"files": f"{upload.name[:60]}: {exc}"}) from exc
    documents = []
    for upload, kind in checked:
        data = upload.read()
        document = Document(
            local_government=local_government,
            kind_ext=kind.kind,
            mime=kind.mime,
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            uploaded_by=actor,
            **owner,
        )
        document.file.save("x.bin", ContentFile(crypto.encrypt_bytes(data)), save=False)
        document.save()
        documents.append(document)
    return documents


def _new_tracking_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
    return f"{raw[:4]}-{raw[4:]}"


def normalise_tracking_code(text: str) -> str:
    raw = "".join(ch for ch in (text or "").upper() if ch.isalnum())
    return f"{raw[:4]}-{raw[4:8]}" if len(raw) == 8 else ""


# -- complaints ------------------------------------------------------------------------------


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


# -- cases -----------------------------------------------------------------------------------


def _bump(case: Case, version: int | None) -> Case:
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if version is not None and locked.version != version:
        raise StaleCase
    locked.version += 1
    return locked


CASE_FIELDS = (
    "urgency",
    "risk",
    "responsible_level",
    "incident_date",
    "incident_place",
    "incident_region",
    "chronology",
)


@transaction.atomic
def update_case(case: Case, *, actor, version: int | None, types=None, **values) -> Case:
    _require_handler(actor, case)
    case = _bump(case, version)
    _require_open(case)
    unknown = set(values) - set(CASE_FIELDS)
    if unknown:
        raise TypeError(f"not case fields: {unknown}")
    if "chronology" in values:
        values["chronology"] = _clean_text(values["chronology"], field="chronology", limit=20000)
    _check_region(values.get("incident_region"), case.local_government, "incident_region")
    if values.get("incident_date") and values["incident_date"] > timezone.localdate():
        raise ValidationError({"incident_date": _("Tanggal kejadian tidak boleh di masa depan.")})
    changes = {}
    for name, value in values.items():
        old = getattr(case, name)
        if old != value:
            # the chronology's text never goes into the audit log
            changes[name] = (
                ["…", "…"] if name == "chronology" else [str(old or ""), str(value or "")]
            )
            setattr(case, name, value)
    if "urgency" in changes:
        case.response_due_at = response_due(
            case.received_at, case.urgency, case.local_government_id
        )
    case.save()
    if types is not None:
        old_types = set(case.types.values_list("type", flat=True))
        new_types = set(types)
        if old_types != new_types:
            case.types.filter(type__in=old_types - new_types).delete()
            CaseType.objects.bulk_create(
                CaseType(case=case, type=t) for t in sorted(new_types - old_types)
            )
            changes["types"] = [sorted(old_types), sorted(new_types)]
    facts.refresh(case)
    if changes:
        record(
            actor=actor,
            action="case.update",
            target=case,
            region_code=case.local_government_id,
            changes=changes,
        )
    return case


@transaction.atomic
def assign_case(case: Case, *, actor, workers, supervisor=None) -> Case:
    """The supervisor names the case workers (and the supervisor) of a case."""
    require(actor, Perm.SUPERVISE_CASES, case.local_government_id)
    lg = case.local_government_id
    workers = list(workers)
    if not workers:
        raise ValidationError({"workers": _("Pilih paling sedikit satu pendamping.")})
    for person in [*workers, *([supervisor] if supervisor else [])]:
        if not can(person, Perm.HANDLE_CASES, lg) or person.scope != lg:
            raise ValidationError(
                {"workers": _("Hanya staf UPTD PPA daerah ini yang dapat ditugaskan.")}
            )
    if supervisor is not None and supervisor.role != Role.CASE_SUPERVISOR:
        raise ValidationError({"supervisor": _("Supervisor harus berperan supervisor kasus.")})
    case = _bump(case, None)
    before = sorted(case.workers.values_list("username", flat=True))
    case.workers.set(workers)
    changes = {}
    after = sorted(w.username for w in workers)
    if before != after:
        changes["workers"] = [before, after]
    if supervisor is not None and supervisor.pk != case.supervisor_id:
        changes["supervisor"] = [str(case.supervisor or ""), supervisor.username]
        case.supervisor = supervisor
    case.save()
    if changes:
        record(actor=actor, action="case.assign", target=case, region_code=lg, changes=changes)
        notify(
            [w for w in workers if w.username not in before],
            text=_("Anda ditugaskan pada kasus %(n)s") % {"n": case.number},
            link=_case_link(case),
        )
    return case


def _mark_first_response(case: Case) -> None:
    if case.first_response_at is None:
        case.first_response_at = timezone.now()


@transaction.atomic
def transition_case(
    case: Case,
    *,
    actor,
    to_status: str,
    reason: str = "",
    outcome: str = "",
    closing_note: str = "",
) -> Case:
    _require_handler(actor, case)
    case = _bump(case, None)
    if to_status not in TRANSITIONS.get(case.status, set()):
        raise ValidationError(
            _("Status “%(a)s” tidak dapat diubah menjadi “%(b)s”.")
            % {"a": CaseStatus(case.status).label, "b": CaseStatus(to_status).label}
        )
    reason = _clean_text(reason, field="reason", limit=2000)
    reopening = case.status == CaseStatus.CLOSED
    if reopening and not reason:
        raise ValidationError({"reason": _("Sebutkan alasan membuka kembali kasus ini.")})
    if (
        to_status == CaseStatus.REFERRED
        and not case.referrals.exclude(status=ReferralStatus.DECLINED).exists()
    ):
        raise ValidationError(
            _("Catat rujukannya dulu: status Dirujuk memerlukan rujukan yang aktif.")
        )
    changes = {"status": [case.status, to_status]}
    if to_status == CaseStatus.CLOSED:
        if not outcome:
            raise ValidationError({"outcome": _("Pilih hasil penanganan untuk menutup kasus.")})
        case.outcome, case.closed_at = outcome, timezone.now()
        case.closing_note = _clean_text(closing_note, field="closing_note", limit=5000)
        changes["outcome"] = [None, outcome]
    elif reopening:
        case.outcome, case.closed_at, case.closing_note = "", None, ""
    if case.status == CaseStatus.RECEIVED:
        _mark_first_response(case)
    CaseTransition.objects.create(
        case=case, actor=actor, from_status=case.status, to_status=to_status, reason=reason
    )
    case.status = to_status
    case.save()
    facts.refresh(case)
    if case.complaint_id:
        Complaint.objects.filter(pk=case.complaint_id).update(
            status=PublicStatus.CLOSED
            if to_status == CaseStatus.CLOSED
            else PublicStatus.IN_HANDLING,
            updated_at=timezone.now(),
        )
    record(
        actor=actor,
        action="case.reopen" if reopening else "case.transition",
        target=case,
        region_code=case.local_government_id,
        changes=changes,
    )
    if reopening and case.supervisor:
        notify(
            [case.supervisor],
            text=_("Kasus %(n)s dibuka kembali") % {"n": case.number},
            link=_case_link(case),
        )
    return case


def _child_values(case: Case, values: dict) -> dict:
    values = dict(values)
    values["name"] = _clean_text(values.get("name", ""), field="name", limit=150, required=True)
    for name, limit in (("school", 150), ("address", 300)):
        values[name] = _clean_text(values.get(name, ""), field=name, limit=limit)
    nik = (values.get("nik") or "").strip()
    if nik:
        validate_nik(nik, birth_date=values.get("birth_date"), sex=values.get("sex"))
    values["nik"], values["nik_hash"] = nik, crypto.lookup_hash(nik)
    birth = values.get("birth_date")
    if birth:
        if birth > timezone.localdate():
            raise ValidationError({"birth_date": _("Tanggal lahir tidak boleh di masa depan.")})
        values["age"] = age_on(birth, timezone.localtime(case.received_at).date())
        values["birth_date"] = birth.isoformat()
    else:
        values["birth_date"] = ""
    if values.get("age") is not None and values["age"] > 17:
        raise ValidationError({"age": _("Anak adalah seseorang yang belum berumur 18 tahun.")})
    _check_region(values.get("address_region"), case.local_government, "address_region")
    return values


def age_on(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


CHILD_DEFAULTS = {
    "nik": "",
    "birth_date": None,
    "age": None,
    "sex": "",
    "has_disability": False,
    "school": "",
    "address_region": None,
    "address": "",
}
CHILD_FIELDS = (
    "name",
    "nik",
    "birth_date",
    "age",
    "sex",
    "has_disability",
    "school",
    "address_region",
    "address",
)


@transaction.atomic
def index_name(child: Child) -> None:
    """Rewrite the blind index of a child's name (`ChildNameToken`)."""
    ChildNameToken.objects.filter(child=child).delete()
    tokens = sorted(crypto.name_tokens(child.name))
    ChildNameToken.objects.bulk_create(
        ChildNameToken(
            child=child,
            case_id=child.case_id,
            local_government_id=child.case.local_government_id,
            words=len(tokens),
            token=t,
        )
        for t in tokens
    )


def index_missing_names() -> int:
    """The blind index of every named child that has none yet; returns how many."""
    count = 0
    unindexed = Child.objects.filter(
        ~Exists(ChildNameToken.objects.filter(child_id=OuterRef("pk")))
    ).exclude(name="")  # an empty name is stored empty, not encrypted
    for child in unindexed.select_related("case").iterator(chunk_size=1000):
        if crypto.name_tokens(child.name):
            index_name(child)
            count += 1
    return count


def save_child(case: Case, *, actor, child: Child | None = None, **values) -> Child:
    """Add a child to the case, or change one. The audit names the fields, never their values."""
    _require_handler(actor, case)
    _require_open(case)
    unknown = set(values) - set(CHILD_FIELDS)
    if unknown:
        raise TypeError(f"not child fields: {unknown}")
    values = _child_values(case, {**CHILD_DEFAULTS, **values})
    if values["nik_hash"] and (
        Child.objects.filter(case=case, nik_hash=values["nik_hash"])
        .exclude(pk=getattr(child, "pk", None))
        .exists()
    ):
        raise ValidationError({"nik": _("Anak dengan NIK ini sudah tercatat pada kasus ini.")})
    if child is None:
        child = Child.objects.create(case=case, **values)
        changed = sorted(k for k, v in values.items() if v not in ("", None, False))
        action = "case.child_add"
    else:
        changed = sorted(k for k, v in values.items() if getattr(child, k) != v)
        for k, v in values.items():
            setattr(child, k, v)
        child.save()
        action = "case.child_update"
    index_name(child)
    facts.refresh(case)
    record(
        actor=actor,
        action=action,
        target=case,
        region_code=case.local_government_id,
        changes={"fields": [None, [f for f in changed if f != "nik_hash"]]},
    )
    return child


@transaction.atomic
def add_perpetrator(
    case: Case, *, actor, relationship: str, name: str = "", age=None, sex=""
) -> Perpetrator:
    _require_handler(actor, case)
    _require_open(case)
    name = _clean_text(name, field="name", limit=150)
    perpetrator = Perpetrator.objects.create(
        case=case, name=name, relationship=relationship, age=age, sex=sex
    )
    record(
        actor=actor,
        action="case.perpetrator_add",
        target=case,
        region_code=case.local_government_id,
        changes={"relationship": [None, relationship]},
    )
    return perpetrator


@transaction.atomic
def remove_perpetrator(perpetrator: Perpetrator, *, actor) -> None:
    case = perpetrator.case
    _require_handler(actor, case)
    _require_open(case)
    relationship = perpetrator.relationship
    perpetrator.delete()
    record(
        actor=actor,
        action="case.perpetrator_remove",
        target=case,
        region_code=case.local_government_id,
        changes={"relationship": [relationship, None]},
    )


@transaction.atomic
def record_service(
    case: Case, *, actor, kind: str, date, provider: str, notes: str = "", child=None, files=()
) -> Service:
    _require_handler(actor, case)
    _require_open(case)
    if date > timezone.localdate():
        raise ValidationError({"date": _("Tanggal layanan tidak boleh di masa depan.")})
    if date < timezone.localtime(case.received_at).date() - timedelta(days=1):
        raise ValidationError({"date": _("Tanggal layanan sebelum laporan diterima.")})
    if child is not None and child.case_id != case.pk:
        raise ValidationError({"child": _("Anak itu bukan bagian dari kasus ini.")})
    provider = _clean_text(provider, field="provider", limit=150, required=True)
    notes = _clean_text(notes, field="notes", limit=5000)
    service = Service.objects.create(
        case=case,
        child=child,
        kind=kind,
        date=date,
        provider=provider,
        notes=notes,
        created_by=actor,
    )
    store_documents(
        files, local_government=case.local_government, actor=actor, case=case, service=service
    )
    locked = _bump(case, None)
    _mark_first_response(locked)
    locked.save()
    facts.refresh(case)
    record(
        actor=actor,
        action="case.service",
        target=case,
        region_code=case.local_government_id,
        changes={"service": [None, kind], "date": [None, date.isoformat()]},
    )
    return service


@transaction.atomic
def record_consent(
    case: Case,
    *,
    actor,
    obtained: bool,
    given_on,
    guardian_relation: str = "",
    reason_unobtainable: str = "",
) -> GuardianConsent:
    _require_handler(actor, case)
    reason_unobtainable = _clean_text(reason_unobtainable, field="reason_unobtainable", limit=2000)
    if obtained and not guardian_relation:
        raise ValidationError({"guardian_relation": _("Sebutkan siapa yang memberi persetujuan.")})
    if not obtained and len(reason_unobtainable) < 10:
        raise ValidationError(
            {"reason_unobtainable": _("Jelaskan mengapa persetujuan wali tidak dapat diperoleh.")}
        )
    consent = GuardianConsent.objects.create(
        case=case,
        obtained=obtained,
        guardian_relation=guardian_relation if obtained else "",
        given_on=given_on,
        reason_unobtainable="" if obtained else reason_unobtainable,
        recorded_by=actor,
    )
    record(
        actor=actor,
        action="case.consent",
        target=case,
        region_code=case.local_government_id,
        changes={"obtained": [None, obtained]},
    )
    return consent


def has_consent(case: Case) -> bool:
    """The guardian agreed, or the reason it cannot be obtained is documented."""
    return case.consents.exists()


@transaction.atomic
def refer_case(
    case: Case,
    *,
    actor,
    kind: str,
    institution: str,
    reason: str,
    sent_on,
    target_local_government=None,
    override_reason: str = "",
) -> Referral:
    """A referral to another institution, or a transfer to another local government — refused
    until the guardian's consent (or why it cannot be had) is recorded. A supervisor may override
    with a stated reason: that is its own permission, logged in the access log."""
    _require_handler(actor, case)
    _require_open(case)
    institution = _clean_text(institution, field="institution", limit=150, required=True)
    reason = _clean_text(reason, field="reason", limit=2000, required=True)
    override_reason = _clean_text(override_reason, field="override_reason", limit=2000)
    if kind == ReferralKind.TRANSFER:
        if target_local_government is None:
            raise ValidationError({"target_local_government": _("Pilih pemerintah daerah tujuan.")})
        if target_local_government.pk == case.local_government_id:
            raise ValidationError(
                {"target_local_government": _("Pengalihan harus ke daerah lain.")}
            )
    overridden = False
    if not has_consent(case):
        if not override_reason:
            raise ValidationError(
                _(
                    "Rujukan ditolak: persetujuan wali anak (atau alasan tidak dapat diperoleh) "
                    "belum dicatat."
                )
            )
        if not can(actor, Perm.OVERRIDE_CONSENT, case.local_government_id):
            raise PermissionDenied
        if len(override_reason) < 10:
            raise ValidationError(
                {"override_reason": _("Jelaskan alasan merujuk tanpa persetujuan.")}
            )
        overridden = True
    referral = Referral.objects.create(
        case=case,
        kind=kind,
        institution=institution,
        reason=reason,
        sent_on=sent_on,
        target_local_government=target_local_government if kind == ReferralKind.TRANSFER else None,
        consent_overridden=overridden,
        override_reason=override_reason if overridden else "",
        created_by=actor,
    )
    if overridden:
        log_access(
            user=actor,
            local_government=case.local_government,
            kind=AccessKind.CONSENT_OVERRIDE,
            case=case,
            reason=override_reason,
        )
    facts.refresh(case)
    record(
        actor=actor,
        action="case.refer",
        target=case,
        region_code=case.local_government_id,
        changes={"kind": [None, kind], "consent_overridden": [None, overridden]},
    )
    return referral


@transaction.atomic
def update_referral(referral: Referral, *, actor, status: str, feedback: str = "") -> Referral:
    case = referral.case
    _require_handler(actor, case)
    feedback = _clean_text(feedback, field="feedback", limit=5000)
    if status == ReferralStatus.COMPLETED and not feedback:
        raise ValidationError({"feedback": _("Catat umpan balik dari lembaga tujuan.")})
    before = referral.status
    referral.status = status
    if feedback:
        referral.feedback = feedback
    referral.save()
    facts.refresh(case)
    record(
        actor=actor,
        action="case.referral_update",
        target=case,
        region_code=case.local_government_id,
        changes={"status": [before, status]},
    )
    return referral


@transaction.atomic
def break_glass(case: Case, *, actor, reason: str) -> BreakGlass:
    """An emergency opening of a case by a unit member not assigned to it: a reason, a time
    limit, an access-log row, and the supervisors alerted at once."""
    require(actor, Perm.HANDLE_CASES, case.local_government_id)
    reason = _clean_text(reason, field="reason", limit=1000)
    if len(reason) < 15:
        raise ValidationError(
            {"reason": _("Jelaskan keadaan daruratnya (paling sedikit 15 karakter).")}
        )
    grant = BreakGlass.objects.create(
        user=actor,
        case=case,
        reason=reason,
        expires_at=timezone.now() + timedelta(hours=settings.BREAK_GLASS_HOURS),
    )
    log_access(
        user=actor,
        local_government=case.local_government,
        kind=AccessKind.BREAK_GLASS,
        case=case,
        reason=reason,
    )
    record(
        actor=actor, action="case.break_glass", target=case, region_code=case.local_government_id
    )
    supervisors = list(unit_staff(case.local_government, supervisors_only=True))
    if case.supervisor and case.supervisor not in supervisors:
        supervisors.append(case.supervisor)
    notify(
        supervisors,
        text=_("AKSES DARURAT: %(u)s membuka kasus %(n)s")
        % {"u": actor.display_name, "n": case.number},
        link=_case_link(case),
    )
    return grant


# -- retention ---------------------------------------------------------------------------


@transaction.atomic
def anonymise_case(case: Case, *, now=None) -> None:
    """Erase a closed case's identities at the end of its retention (`retention.py` says what
    goes and when), audited; no actor: the retention rule does it."""
    moment = now or timezone.now()
    Child.objects.filter(case=case).update(
        name="", nik="", nik_hash="", birth_date="", school="", address=""
    )
    ChildNameToken.objects.filter(child__case=case).delete()
    Perpetrator.objects.filter(case=case).update(name="")
    Service.objects.filter(case=case).update(notes="")
    Referral.objects.filter(case=case).update(reason="", feedback="", override_reason="")
    GuardianConsent.objects.filter(case=case).update(reason_unobtainable="")
    CaseTransition.objects.filter(case=case).update(reason="")
    if case.complaint_id:
        Complaint.objects.filter(pk=case.complaint_id).update(
            description="", child_name="", reporter_name="", reporter_contact=""
        )
    documents = Document.objects.filter(case=case) | Document.objects.filter(
        complaint_id=case.complaint_id
    )
    for document in documents:
        document.file.delete(save=False)
        document.delete()
    Case.objects.filter(pk=case.pk).update(
        chronology="", closing_note="", anonymised_at=moment, version=case.version + 1
    )
    record(
        actor=None,
        action="case.anonymise",
        target=case,
        region_code=case.local_government_id,
        note=f"retensi {settings.PROTECTION_RETENTION_YEARS} tahun setelah anak dewasa",
    )
