"""Task-force meetings and follow-ups: schedule, record attendance and minutes, decide, assign
follow-ups to agencies, report on them, remind once when overdue."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sikla.accounts.models import Role, User
from sikla.accounts.rules import Perm, require
from sikla.core.audit import apply_changes, record
from sikla.core.localtime import zone_of
from sikla.core.notify import notify
from sikla.core.validation import refuse_markup, refuse_odd_dates
from sikla.lib.uploads import inspect_upload

from ..access import can_update_follow_up
from ..models import (
    OPEN_FOLLOW_UP,
    Attendance,
    Decision,
    FollowUp,
    FollowUpStatus,
    FollowUpUpdate,
    Meeting,
    MeetingDocument,
    MeetingStatus,
)

__all__ = [
    "MEETING_FIELDS",
    "StaleFollowUp",
    "add_decision",
    "add_follow_up",
    "cancel_meeting",
    "record_meeting",
    "schedule_meeting",
    "send_overdue_reminders",
    "update_follow_up",
    "update_meeting",
    "upload_meeting_document",
]

MEETING_FIELDS = (
    "kind",
    "cluster",
    "title",
    "agenda",
    "starts_at",
    "ends_at",
    "place",
    "video_link",
    "partners",
)


class StaleFollowUp(Exception):
    """Somebody reported on this follow-up after the form was opened."""


def _people_of(agencies) -> list[User]:
    return list(User.objects.filter(is_active=True, role=Role.AGENCY_OPERATOR, agency__in=agencies))


def _secretariat(local_government) -> list[User]:
    return list(
        User.objects.filter(is_active=True, role=Role.SECRETARIAT, scope=local_government.pk)
    )


def meeting_link(meeting: Meeting) -> str:
    return reverse("planning:meeting", args=[meeting.local_government_id, meeting.uid])


def follow_up_link(follow_up: FollowUp) -> str:
    return reverse("planning:follow_up", args=[follow_up.local_government_id, follow_up.uid])


def _check_meeting(values: dict, local_government) -> None:
    refuse_markup(**{k: values.get(k) for k in ("title", "agenda", "place", "partners")})
    refuse_odd_dates(starts_at=values["starts_at"], ends_at=values["ends_at"])
    if values["ends_at"] <= values["starts_at"]:
        raise ValidationError({"ends_at": _("Waktu selesai harus setelah waktu mulai.")})
    if not values.get("place") and not values.get("video_link"):
        raise ValidationError({"place": _("Isi tempat rapat atau tautan rapat daring.")})
    cluster = values.get("cluster")
    if cluster is not None and not 0 <= cluster <= 5:
        raise ValidationError({"cluster": _("Klaster 0 (kelembagaan) sampai 5.")})


def _check_agencies(agencies, local_government) -> list:
    agencies = list(agencies)
    if any(a.local_government_id != local_government.pk for a in agencies):
        raise ValidationError({"invited": _("Perangkat daerah itu bukan milik daerah ini.")})
    return agencies


@transaction.atomic
def schedule_meeting(*, actor, local_government, invited=(), **values) -> Meeting:
    require(actor, Perm.MANAGE_MEETINGS, local_government.pk)
    values = {name: values.get(name) for name in MEETING_FIELDS}
    for name in ("place", "video_link", "partners", "agenda", "title"):
        values[name] = (values[name] or "").strip()
    _check_meeting(values, local_government)
    agencies = _check_agencies(invited, local_government)
    meeting = Meeting(local_government=local_government, created_by=actor, **values)
    meeting.full_clean()
    meeting.save()
    Attendance.objects.bulk_create(Attendance(meeting=meeting, agency=a) for a in agencies)
    record(
        actor=actor,
        action="meeting.schedule",
        target=meeting,
        region_code=local_government.pk,
        changes={
            "starts_at": [None, meeting.starts_at.isoformat()],
            "invited": [None, len(agencies)],
        },
    )
    notify(
        _people_of(agencies),
        text=_("Undangan rapat: %(t)s, %(d)s")
        % {
            "t": meeting.title,
            "d": timezone.localtime(
                meeting.starts_at, zone_of(meeting.local_government_id)
            ).strftime("%d-%m-%Y %H:%M %Z"),
        },
        link=meeting_link(meeting),
    )
    return meeting


def _require_editable(meeting: Meeting, actor) -> None:
    require(actor, Perm.MANAGE_MEETINGS, meeting.local_government_id)
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError(_("Rapat ini sudah dibatalkan."))


@transaction.atomic
def update_meeting(meeting: Meeting, *, actor, invited=None, **values) -> Meeting:
    _require_editable(meeting, actor)
    merged = {name: values.get(name, getattr(meeting, name)) for name in MEETING_FIELDS}
    _check_meeting(merged, meeting.local_government)
    changes = apply_changes(
        meeting,
        {k: v for k, v in merged.items() if k in values},
        actor=actor,
        action="meeting.update",
        region_code=meeting.local_government_id,
    )
    if invited is not None:
        agencies = _check_agencies(invited, meeting.local_government)
        current = set(meeting.attendance.values_list("agency_id", flat=True))
        wanted = {a.pk for a in agencies}
        meeting.attendance.filter(agency_id__in=current - wanted).delete()
        Attendance.objects.bulk_create(
            Attendance(meeting=meeting, agency=a) for a in agencies if a.pk not in current
        )
        if current != wanted:
            record(
                actor=actor,
                action="meeting.invite",
                target=meeting,
                region_code=meeting.local_government_id,
                changes={"invited": [len(current), len(wanted)]},
            )
            notify(
                _people_of([a for a in agencies if a.pk not in current]),
                text=_("Undangan rapat: %(t)s") % {"t": meeting.title},
                link=meeting_link(meeting),
            )
    if changes and "starts_at" in changes:
        notify(
            _people_of(a.agency for a in meeting.attendance.select_related("agency")),
            text=_("Jadwal rapat berubah: %(t)s") % {"t": meeting.title},
            link=meeting_link(meeting),
        )
    return meeting


@transaction.atomic
def cancel_meeting(meeting: Meeting, *, actor, reason: str) -> Meeting:
    _require_editable(meeting, actor)
    if meeting.status == MeetingStatus.HELD:
        raise ValidationError(_("Rapat yang sudah terlaksana tidak dapat dibatalkan."))
    if not reason.strip():
        raise ValidationError({"reason": _("Sebutkan alasan pembatalan.")})
    apply_changes(
        meeting,
        {"status": MeetingStatus.CANCELLED},
        actor=actor,
        action="meeting.cancel",
        region_code=meeting.local_government_id,
        note=reason.strip(),
    )
    notify(
        _people_of(a.agency for a in meeting.attendance.select_related("agency")),
        text=_("Rapat dibatalkan: %(t)s") % {"t": meeting.title},
        link=meeting_link(meeting),
    )
    return meeting


@transaction.atomic
def record_meeting(
    meeting: Meeting, *, actor, present: dict[int, bool], representatives=None, minutes: str = ""
) -> Meeting:
    """Attendance per invited agency and the minutes; the meeting is then held. It cannot be
    recorded before it starts."""
    _require_editable(meeting, actor)
    if meeting.starts_at > timezone.now():
        raise ValidationError(_("Kehadiran dicatat setelah rapat dimulai."))
    representatives = representatives or {}
    rows = list(meeting.attendance.all())
    for row in rows:
        row.present = bool(present.get(row.agency_id, False))
        row.representative = (representatives.get(row.agency_id) or "").strip()[:150]
    Attendance.objects.bulk_update(rows, ["present", "representative"])
    apply_changes(
        meeting,
        {"status": MeetingStatus.HELD, "minutes": minutes.strip()},
        actor=actor,
        action="meeting.record",
        region_code=meeting.local_government_id,
    )
    record(
        actor=actor,
        action="meeting.attendance",
        target=meeting,
        region_code=meeting.local_government_id,
        changes={"present": [None, sum(r.present for r in rows)], "invited": [None, len(rows)]},
    )
    return meeting


@transaction.atomic
def upload_meeting_document(meeting: Meeting, *, actor, upload, title: str) -> MeetingDocument:
    _require_editable(meeting, actor)
    title = title.strip()
    if not title:
        raise ValidationError({"title": _("Wajib diisi.")})
    checked, sha256 = inspect_upload(upload)
    if meeting.documents.filter(sha256=sha256).exists():
        raise ValidationError({"file": _("Berkas yang sama sudah diunggah.")})
    document = MeetingDocument(
        meeting=meeting,
        title=title,
        kind_ext=checked.kind,
        mime=checked.mime,
        size=upload.size,
        sha256=sha256,
        uploaded_by=actor,
    )
    document.file.save(checked.kind, upload, save=False)
    document.save()
    record(
        actor=actor,
        action="meeting.document",
        target=meeting,
        region_code=meeting.local_government_id,
        changes={"document": [None, title]},
    )
    return document


def _follow_up_values(local_government, *, agency, title: str, due_date: date, indicator=None):
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("Tuliskan tindak lanjutnya.")})
    if agency is None or agency.local_government_id != local_government.pk:
        raise ValidationError({"agency": _("Pilih perangkat daerah dari daerah ini.")})
    if not agency.is_active:
        raise ValidationError({"agency": _("Perangkat daerah itu tidak aktif.")})
    if due_date is None:
        raise ValidationError({"due_date": _("Isi batas waktu.")})
    refuse_markup(title=title)
    refuse_odd_dates(due_date=due_date)
    return {"agency": agency, "title": title[:300], "due_date": due_date, "indicator": indicator}


@transaction.atomic
def add_decision(meeting: Meeting, *, actor, text: str, follow_ups=()) -> Decision:
    """A decision of the meeting, with the follow-ups it assigns (agency, title, due date,
    optionally an indicator)."""
    _require_editable(meeting, actor)
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Tuliskan keputusannya.")})
    lg = meeting.local_government
    prepared = [_follow_up_values(lg, **f) for f in follow_ups]
    number = (
        meeting.decisions.order_by("-number").values_list("number", flat=True).first() or 0
    ) + 1
    decision = Decision.objects.create(meeting=meeting, number=number, text=text)
    record(
        actor=actor,
        action="meeting.decision",
        target=meeting,
        region_code=lg.pk,
        changes={"decision": [None, number], "follow_ups": [None, len(prepared)]},
    )
    for values in prepared:
        _create_follow_up(
            actor=actor, local_government=lg, meeting=meeting, decision=decision, **values
        )
    return decision


def _create_follow_up(
    *, actor, local_government, meeting=None, decision=None, **values
) -> FollowUp:
    follow_up = FollowUp.objects.create(
        local_government=local_government,
        meeting=meeting,
        decision=decision,
        created_by=actor,
        **values,
    )
    record(
        actor=actor,
        action="follow_up.create",
        target=follow_up,
        region_code=local_government.pk,
        changes={
            "agency": [None, str(values["agency"])],
            "due_date": [None, values["due_date"].isoformat()],
        },
    )
    notify(
        _people_of([values["agency"]]),
        text=_("Tindak lanjut baru untuk %(a)s: %(t)s, batas %(d)s")
        % {
            "a": values["agency"].abbreviation or values["agency"].name,
            "t": follow_up.title[:80],
            "d": values["due_date"].strftime("%d-%m-%Y"),
        },
        link=follow_up_link(follow_up),
    )
    return follow_up


@transaction.atomic
def add_follow_up(
    *, actor, local_government, agency, title: str, due_date, indicator=None, meeting=None
) -> FollowUp:
    require(actor, Perm.MANAGE_MEETINGS, local_government.pk)
    values = _follow_up_values(
        local_government, agency=agency, title=title, due_date=due_date, indicator=indicator
    )
    if meeting is not None and meeting.local_government_id != local_government.pk:
        raise ValidationError({"meeting": _("Rapat itu bukan milik daerah ini.")})
    return _create_follow_up(
        actor=actor, local_government=local_government, meeting=meeting, **values
    )


@transaction.atomic
def update_follow_up(
    follow_up: FollowUp,
    *,
    actor,
    status: str,
    note: str = "",
    upload=None,
    version: int | None = None,
) -> FollowUpUpdate:
    """The agency reports: a status with a note and, when it can, evidence. Done needs either."""
    if not can_update_follow_up(actor, follow_up):
        raise PermissionDenied
    locked = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
    if version is not None and locked.version != version:
        raise StaleFollowUp
    if locked.status in (FollowUpStatus.DONE, FollowUpStatus.CANCELLED) and status == locked.status:
        raise ValidationError(
            _("Tindak lanjut ini sudah %(s)s.") % {"s": locked.get_status_display()}
        )
    if status == FollowUpStatus.CANCELLED and actor.role == Role.AGENCY_OPERATOR:
        raise ValidationError(
            {"status": _("Hanya sekretariat yang dapat membatalkan tindak lanjut.")}
        )
    note = (note or "").strip()
    if "\x00" in note or len(note) > 2000:
        raise ValidationError(
            {"note": _("Catatan terlalu panjang atau berisi karakter terlarang.")}
        )
    if not note and upload is None:
        raise ValidationError({"note": _("Tuliskan catatan perkembangan atau lampirkan bukti.")})
    update = FollowUpUpdate(
        follow_up=locked, actor=actor, from_status=locked.status, to_status=status, note=note
    )
    if upload is not None:
        checked, sha256 = inspect_upload(upload)
        update.kind_ext, update.mime, update.size, update.sha256 = (
            checked.kind,
            checked.mime,
            upload.size,
            sha256,
        )
        update.file.save(checked.kind, upload, save=False)
    update.save()
    locked.version += 1
    old = locked.status
    locked.status = status
    if status == FollowUpStatus.DONE:
        locked.done_at = timezone.now()
    elif old == FollowUpStatus.DONE:
        locked.done_at = None  # reopened
    locked.save(update_fields=["status", "done_at", "version", "updated_at"])
    record(
        actor=actor,
        action="follow_up.update",
        target=locked,
        region_code=locked.local_government_id,
        changes={
            "status": [old, status],
            **({"evidence": [None, update.sha256[:16]]} if upload else {}),
        },
        note=note[:500],
    )
    if actor.role == Role.AGENCY_OPERATOR:
        notify(
            _secretariat(locked.local_government),
            text=_("%(a)s melaporkan tindak lanjut: %(s)s")
            % {
                "a": locked.agency.abbreviation or locked.agency.name,
                "s": locked.get_status_display(),
            },
            link=follow_up_link(locked),
        )
    follow_up.refresh_from_db()
    return update


@transaction.atomic
def send_overdue_reminders(*, today: date | None = None) -> int:
    """Remind each agency of each overdue follow-up — once: `reminded_at` remembers it. Run daily
    (the job `planning.tasks.send_reminders`, enqueued each morning by `sikla worker`). The secretariat gets one summary per local government."""
    today = today or timezone.localdate()
    due = list(
        FollowUp.objects.select_for_update()
        .filter(status__in=OPEN_FOLLOW_UP, due_date__lt=today, reminded_at__isnull=True)
        .select_related("agency", "local_government")
    )
    now = timezone.now()
    by_lg: dict[str, list[FollowUp]] = {}
    for follow_up in due:
        notify(
            _people_of([follow_up.agency]),
            text=_("Tindak lanjut melewati batas waktu (%(d)s): %(t)s")
            % {"d": follow_up.due_date.strftime("%d-%m-%Y"), "t": follow_up.title[:80]},
            link=follow_up_link(follow_up),
        )
        by_lg.setdefault(follow_up.local_government_id, []).append(follow_up)
    for rows in by_lg.values():
        lg = rows[0].local_government
        notify(
            _secretariat(lg),
            text=_("%(n)s tindak lanjut baru saja melewati batas waktu") % {"n": len(rows)},
            link=reverse("planning:follow_ups", args=[lg.pk]) + "?status=overdue",
        )
    FollowUp.objects.filter(pk__in=[f.pk for f in due]).update(reminded_at=now)
    return len(due)
