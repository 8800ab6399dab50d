"""Every change to a child-friendly village or district: set its status (declare, revoke, update
the decree and the task force), save a year's checklist, upload an item's evidence.

Each action checks `Perm.MANAGE_VILLAGES` on the region's own code (so a village officer only
within their kecamatan or kelurahan), checks the region belongs to the local government, writes,
and leaves its audit row, inside one transaction.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sikla.accounts.rules import Perm, require
from sikla.core.audit import apply_changes, diff, record
from sikla.core.validation import TAG_RE
from sikla.lib.uploads import inspect_upload
from sikla.regions.models import Level, Region

from .models import (
    DECLARED_STATUSES,
    Checklist,
    ChecklistAnswer,
    ChecklistItem,
    Status,
    StatusChange,
    VillageStatus,
)

FIRST_YEAR = 2000
MAX_MEMBERS = 999
NOTE_LENGTH = 500


def _check_area(actor, local_government, region: Region) -> None:
    require(actor, Perm.MANAGE_VILLAGES, region.code)
    if region.level not in (Level.DISTRICT, Level.VILLAGE) or not region.code.startswith(
        local_government.code + "."
    ):
        raise ValidationError(
            _("Wilayah itu bukan kecamatan atau desa/kelurahan %(lg)s.")
            % {"lg": local_government.name}
        )


def _check_year(year: int) -> None:
    today = timezone.localdate()
    if not FIRST_YEAR <= year <= today.year:
        raise ValidationError(
            {"year": _("Tahun harus antara %(a)s dan %(b)s.") % {"a": FIRST_YEAR, "b": today.year}}
        )


def _plain(errors: dict, name: str, value: str) -> None:
    if value and TAG_RE.search(value):
        errors[name] = _("Teks tidak boleh berisi tag HTML atau skrip.")


def _locked_status(local_government, region: Region) -> VillageStatus:
    """The area's status row, made (as "not started") on first use, locked for this
    transaction."""
    VillageStatus.objects.get_or_create(local_government=local_government, region=region)
    status = VillageStatus.objects.select_for_update().get(
        local_government=local_government, region=region
    )
    status.region = region  # for labels, without another query
    status.local_government = local_government
    return status


@transaction.atomic
def set_status(
    *,
    actor,
    local_government,
    region: Region,
    status: str,
    declared_on: date | None = None,
    decree_number: str = "",
    task_force_decree: str = "",
    task_force_chair: str = "",
    task_force_members: int | None = None,
    note: str = "",
) -> VillageStatus:
    """Declare, evaluate, revoke or update an area's status, its decree and its task force.

    A declared (or evaluated) area needs the declaration date and decree number; any other
    status carries neither (they stay in the history). Leaving a declared status needs a note.
    Nothing is written when nothing changed.
    """
    _check_area(actor, local_government, region)
    decree_number = (decree_number or "").strip()
    task_force_decree = (task_force_decree or "").strip()
    task_force_chair = (task_force_chair or "").strip()
    note = (note or "").strip()
    errors: dict[str, str] = {}
    if status not in Status.values:
        errors["status"] = _("Pilih status yang tersedia.")
    declared = status in DECLARED_STATUSES
    if declared:
        if declared_on is None:
            errors["declared_on"] = _("Tanggal deklarasi wajib diisi untuk status ini.")
        elif declared_on > timezone.localdate():
            errors["declared_on"] = _("Tanggal deklarasi tidak boleh di masa depan.")
        elif declared_on.year < FIRST_YEAR:
            errors["declared_on"] = _("Tanggal deklarasi terlalu lama.")
        if not decree_number:
            errors["decree_number"] = _("Nomor SK deklarasi wajib diisi untuk status ini.")
    else:
        declared_on, decree_number = None, ""
    if task_force_members is not None and not 0 <= task_force_members <= MAX_MEMBERS:
        errors["task_force_members"] = _("Jumlah anggota antara 0 dan %(n)s.") % {"n": MAX_MEMBERS}
    for name, value, limit in (
        ("decree_number", decree_number, 120),
        ("task_force_decree", task_force_decree, 120),
        ("task_force_chair", task_force_chair, 150),
        ("note", note, 2000),
    ):
        if len(value) > limit:
            errors[name] = _("Paling banyak %(n)s karakter.") % {"n": limit}
        _plain(errors, name, value)
    if errors:
        raise ValidationError(errors)

    row = _locked_status(local_government, region)
    before = row.status
    if before in DECLARED_STATUSES and not declared and not note:
        raise ValidationError(
            {"note": _("Tuliskan alasan mengapa status deklarasi dicabut atau diturunkan.")}
        )
    changes = apply_changes(
        row,
        {
            "status": status,
            "declared_on": declared_on,
            "decree_number": decree_number,
            "task_force_decree": task_force_decree,
            "task_force_chair": task_force_chair,
            "task_force_members": task_force_members,
        },
        actor=actor,
        action="village.set_status",
        region_code=local_government.code,
        note=note,
    )
    if changes:
        StatusChange.objects.create(
            village_status=row,
            actor=actor if getattr(actor, "pk", None) else None,
            from_status=before,
            to_status=row.status,
            declared_on=row.declared_on,
            decree_number=row.decree_number,
            changes=changes,
            note=note,
        )
    return row


def _answers_in(answers: dict) -> dict[str, tuple[bool, str]]:
    """{item: (done, note)} from {item: bool | (done, note) | {"done", "note"}}; every item
    present (missing items are "no", without a note)."""
    unknown = set(answers) - set(ChecklistItem.values)
    if unknown:
        raise ValidationError(
            _("Butir tidak dikenal: %(items)s.") % {"items": ", ".join(sorted(unknown))}
        )
    result: dict[str, tuple[bool, str]] = {}
    errors: dict[str, str] = {}
    for item in ChecklistItem.values:
        value = answers.get(item, False)
        if isinstance(value, dict):
            done, note = value.get("done", False), value.get("note", "")
        elif isinstance(value, tuple | list):
            done, note = value
        else:
            done, note = value, ""
        note = (note or "").strip()
        if len(note) > NOTE_LENGTH:
            errors[f"{item}_note"] = _("Paling banyak %(n)s karakter.") % {"n": NOTE_LENGTH}
        _plain(errors, f"{item}_note", note)
        result[item] = (bool(done), note)
    if errors:
        raise ValidationError(errors)
    return result


@transaction.atomic
def save_checklist(
    *,
    actor,
    local_government,
    region: Region,
    year: int,
    answers: dict,
    files: dict | None = None,
) -> Checklist:
    """Save the checklist of `year` (every item yes/no with a note), then any evidence files
    ({item: upload}). One audit row lists what changed; earlier years stay as they were."""
    _check_area(actor, local_government, region)
    _check_year(year)
    wanted = _answers_in(answers)
    status = _locked_status(local_government, region)
    checklist, created = Checklist.objects.get_or_create(
        village_status=status, year=year, defaults={"saved_by": actor}
    )
    checklist.village_status = status
    existing = {a.item: a for a in checklist.answers.all()}
    before, after = {}, {}
    new_rows = []
    for item, (done, note) in wanted.items():
        answer = existing.get(item)
        before[item] = answer.done if answer else None
        before[f"{item}_note"] = answer.note if answer else ""
        after[item], after[f"{item}_note"] = done, note
        if answer is None:
            new_rows.append(ChecklistAnswer(checklist=checklist, item=item, done=done, note=note))
        elif (answer.done, answer.note) != (done, note):
            answer.done, answer.note = done, note
            answer.save(update_fields=["done", "note", "updated_at"])
    ChecklistAnswer.objects.bulk_create(new_rows)
    changes = diff(before, after)
    if changes:
        if not created:
            checklist.saved_by = actor
            checklist.save(update_fields=["saved_by", "updated_at"])
        record(
            actor=actor,
            action="village.save_checklist",
            target=checklist,
            region_code=local_government.code,
            changes=changes,
        )
    for item, upload in (files or {}).items():
        if upload:
            upload_evidence(
                actor=actor,
                local_government=local_government,
                region=region,
                year=year,
                item=item,
                upload=upload,
            )
    return checklist


@transaction.atomic
def upload_evidence(
    *, actor, local_government, region: Region, year: int, item: str, upload
) -> ChecklistAnswer:
    """Attach a checked file (PDF, JPG/PNG, DOCX, XLSX) to one item of a year's checklist,
    replacing the one before (removed from storage after commit). Raises
    ValidationError({"<item>_file": ...}) for a refused file."""
    _check_area(actor, local_government, region)
    _check_year(year)
    if item not in ChecklistItem.values:
        raise ValidationError({"item": _("Butir tidak dikenal.")})
    field = f"{item}_file"
    checked, sha256 = inspect_upload(upload, field=field)

    status = _locked_status(local_government, region)
    checklist, _created = Checklist.objects.get_or_create(
        village_status=status, year=year, defaults={"saved_by": actor}
    )
    checklist.village_status = status
    answer, _created = ChecklistAnswer.objects.get_or_create(checklist=checklist, item=item)
    answer.checklist = checklist
    if answer.evidence and answer.evidence_sha256 == sha256:
        return answer  # the same file again: nothing to do
    old_name = answer.evidence.name if answer.evidence else ""
    answer.evidence_ext = checked.kind
    answer.evidence_mime = checked.mime
    answer.evidence_size = upload.size
    answer.evidence_sha256 = sha256
    answer.evidence_uploaded_at = timezone.now()
    answer.evidence_uploaded_by = actor if getattr(actor, "pk", None) else None
    answer.evidence.save(checked.kind, upload, save=False)
    answer.save()
    record(
        actor=actor,
        action="village.upload_evidence",
        target=checklist,
        region_code=local_government.code,
        changes={f"{item}_file": [old_name or None, answer.evidence.name]},
    )
    if old_name and old_name != answer.evidence.name:
        storage = answer.evidence.storage
        transaction.on_commit(lambda: storage.delete(old_name))
    return answer
