"""Every state change of the participation app: Forum Anak, consultation records, public
consultations (with moderated comments) and partners.

Keyword-only, the actor explicit; each checks `Perm.MANAGE_PARTICIPATION` for the local
government, writes, audits in one transaction. The one action without an actor is a public
comment: it is stored as pending and the secretariat is told after commit.
"""

from __future__ import annotations

from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sikla.accounts.models import Role, User
from sikla.accounts.rules import Perm, require
from sikla.core.audit import apply_changes, record
from sikla.core.notify import notify
from sikla.core.validation import TAG_RE
from sikla.lib.filecheck import PDF, FileRejected, check_upload
from sikla.organisations.models import Agency, AgencyKind, LocalGovernment
from sikla.protection.spam import MAX_LINKS, count_links
from sikla.regions.models import Level, Region

from .models import (
    CHILD_AGE_GROUPS,
    COMMENT_MAX,
    ChildForum,
    ChildForumActivity,
    ConsultationInput,
    ConsultationRecord,
    Contribution,
    ForumLevel,
    ModerationStatus,
    Partner,
    PublicComment,
    PublicConsultation,
    ResponseStatus,
    SourceKind,
)

FORUM_FIELDS = (
    "name",
    "decree_number",
    "decree_date",
    "status",
    "male_10_13",
    "female_10_13",
    "male_14_17",
    "female_14_17",
    "facilitators",
)
ACTIVITY_FIELDS = ("date", "title", "kind", "description", "participants")
RECORD_FIELDS = ("title", "kind", "indicator", "date", "description")
INPUT_FIELDS = (
    "source_kind",
    "source_name",
    "child_forum",
    "date",
    "text",
    "response_text",
    "response_status",
)
CONSULTATION_FIELDS = ("title", "kind", "indicator", "summary", "body", "opens_on", "closes_on")
PARTNER_FIELDS = ("component", "name", "agency", "contact_person", "phone", "description")
CONTRIBUTION_FIELDS = ("year", "kind", "description", "value", "indicator")

LEVELS = {
    Level.REGENCY: ForumLevel.REGENCY,
    Level.DISTRICT: ForumLevel.DISTRICT,
    Level.VILLAGE: ForumLevel.VILLAGE,
}
PARTNER_AGENCY_KINDS = (AgencyKind.COMMUNITY, AgencyKind.BUSINESS, AgencyKind.MEDIA)


def _only(values: dict, allowed: tuple[str, ...]) -> dict:
    return {k: v for k, v in values.items() if k in allowed}


def _allow(actor, lg: LocalGovernment | str) -> None:
    require(actor, Perm.MANAGE_PARTICIPATION, lg if isinstance(lg, str) else lg.code)


def _created(actor, obj, action: str, code: str, values: dict) -> None:
    record(
        actor=actor,
        action=action,
        target=obj,
        region_code=code,
        changes={k: [None, str(v)] for k, v in values.items() if v not in (None, "")},
    )


def _insert(actor, obj, *, action: str, code: str, values: dict, logged: dict | None = None):
    """The one write path for a new row here: validate, save, audit (the values given, or
    `logged` when only some of them belong in the audit row)."""
    obj.full_clean()
    obj.save()
    _created(actor, obj, action, code, values if logged is None else logged)
    return obj


def _remove(actor, obj, *, action: str, code: str) -> None:
    record(actor=actor, action=action, target=obj, region_code=code)
    obj.delete()


def secretariat_of(lg: LocalGovernment) -> list[User]:
    return list(User.objects.filter(role=Role.SECRETARIAT, scope=lg.code, is_active=True))


# -- Forum Anak ----------------------------------------------------------------------------------


def _check_forum_region(lg: LocalGovernment, region: Region | None) -> None:
    if region is None or not (region.code == lg.code or region.code.startswith(lg.code + ".")):
        raise ValidationError({"region": _("Pilih kab/kota ini atau salah satu wilayahnya.")})
    clash = ChildForum.objects.filter(region=region).first()
    if clash is not None:
        raise ValidationError(
            {"region": _("Wilayah ini sudah memiliki Forum Anak: %(name)s.") % {"name": clash}}
        )


@transaction.atomic
def create_child_forum(
    *, actor, local_government: LocalGovernment, region: Region, **values
) -> ChildForum:
    _allow(actor, local_government)
    _check_forum_region(local_government, region)
    values = _only(values, FORUM_FIELDS)
    if not values.get("name"):
        values["name"] = _("Forum Anak %(region)s") % {"region": region.name}
    return _insert(
        actor,
        ChildForum(
            local_government=local_government, region=region, level=LEVELS[region.level], **values
        ),
        action="child_forum.create",
        code=local_government.code,
        values={"region": region, **values},
    )


@transaction.atomic
def update_child_forum(forum: ChildForum, *, actor, **values) -> dict:
    _allow(actor, forum.local_government_id)
    return apply_changes(
        forum,
        _only(values, FORUM_FIELDS),
        actor=actor,
        action="child_forum.update",
        region_code=forum.local_government_id,
    )


@transaction.atomic
def add_activity(forum: ChildForum, *, actor, **values) -> ChildForumActivity:
    _allow(actor, forum.local_government_id)
    values = _only(values, ACTIVITY_FIELDS)
    return _insert(
        actor,
        ChildForumActivity(forum=forum, **values),
        action="child_forum.activity_add",
        code=forum.local_government_id,
        values=values,
    )


@transaction.atomic
def update_activity(activity: ChildForumActivity, *, actor, **values) -> dict:
    code = activity.forum.local_government_id
    _allow(actor, code)
    return apply_changes(
        activity,
        _only(values, ACTIVITY_FIELDS),
        actor=actor,
        action="child_forum.activity_update",
        region_code=code,
    )


@transaction.atomic
def delete_activity(activity: ChildForumActivity, *, actor) -> None:
    code = activity.forum.local_government_id
    _allow(actor, code)
    _remove(actor, activity, action="child_forum.activity_delete", code=code)


# -- consultation records ------------------------------------------------------------------------


@transaction.atomic
def create_record(*, actor, local_government: LocalGovernment, **values) -> ConsultationRecord:
    _allow(actor, local_government)
    values = _only(values, RECORD_FIELDS)
    return _insert(
        actor,
        ConsultationRecord(local_government=local_government, created_by=actor, **values),
        action="consultation.create",
        code=local_government.code,
        values=values,
    )


@transaction.atomic
def update_record(entry: ConsultationRecord, *, actor, **values) -> dict:
    _allow(actor, entry.local_government_id)
    return apply_changes(
        entry,
        _only(values, RECORD_FIELDS),
        actor=actor,
        action="consultation.update",
        region_code=entry.local_government_id,
    )


def _input_values(entry: ConsultationRecord, values: dict) -> dict:
    values = _only(values, INPUT_FIELDS)
    forum = values.get("child_forum")
    if forum is not None:
        if forum.local_government_id != entry.local_government_id:
            raise ValidationError({"child_forum": _("Pilih Forum Anak dari daerah ini.")})
        if values.get("source_kind") != SourceKind.CHILD_FORUM:
            raise ValidationError(
                {"child_forum": _("Forum Anak hanya diisi bila sumbernya Forum Anak.")}
            )
        values["source_name"] = values.get("source_name") or forum.name
    if values.get("response_text") and values.get("response_status") == ResponseStatus.PENDING:
        raise ValidationError(
            {"response_status": _("Pilih apakah masukan diterima, sebagian, atau tidak.")}
        )
    return values


@transaction.atomic
def add_input(entry: ConsultationRecord, *, actor, **values) -> ConsultationInput:
    _allow(actor, entry.local_government_id)
    values = _input_values(entry, values)
    return _insert(
        actor,
        ConsultationInput(record=entry, **values),
        action="consultation.input_add",
        code=entry.local_government_id,
        values=values,
        logged=_only(values, ("source_kind", "source_name", "date", "response_status")),
    )


@transaction.atomic
def update_input(item: ConsultationInput, *, actor, **values) -> dict:
    code = item.record.local_government_id
    _allow(actor, code)
    values = _input_values(item.record, {**_current(item, INPUT_FIELDS), **values})
    return apply_changes(
        item, values, actor=actor, action="consultation.input_update", region_code=code
    )


def _current(obj, fields: tuple[str, ...]) -> dict:
    return {name: getattr(obj, name) for name in fields}


@transaction.atomic
def delete_input(item: ConsultationInput, *, actor) -> None:
    code = item.record.local_government_id
    _allow(actor, code)
    _remove(actor, item, action="consultation.input_delete", code=code)


# -- public consultation -------------------------------------------------------------------------


def _check_dates(values: dict) -> None:
    opens, closes = values.get("opens_on"), values.get("closes_on")
    if opens and closes and closes < opens:
        raise ValidationError({"closes_on": _("Tanggal tutup tidak boleh sebelum tanggal dibuka.")})


def _store_document(consultation: PublicConsultation, upload) -> None:
    try:
        checked = check_upload(upload, upload.size, max_bytes=settings.MAX_UPLOAD_MB * 1048576)
    except FileRejected as exc:
        raise ValidationError({"document": str(exc)}) from exc
    if checked.kind != PDF:
        raise ValidationError({"document": _("Dokumen rancangan harus berupa PDF.")})
    consultation.document.save("draft.pdf", upload, save=False)
    consultation.document_size = upload.size


@transaction.atomic
def create_public_consultation(
    *, actor, local_government: LocalGovernment, document=None, **values
) -> PublicConsultation:
    _allow(actor, local_government)
    values = _only(values, CONSULTATION_FIELDS)
    _check_dates(values)
    consultation = PublicConsultation(local_government=local_government, created_by=actor, **values)
    consultation.full_clean(exclude=["document"])
    if document is not None:
        _store_document(consultation, document)
    consultation.save()
    _created(
        actor,
        consultation,
        "public_consultation.create",
        local_government.code,
        {**_only(values, ("title", "kind", "opens_on", "closes_on")), "document": bool(document)},
    )
    return consultation


@transaction.atomic
def update_public_consultation(
    consultation: PublicConsultation,
    *,
    actor,
    document=None,
    remove_document: bool = False,
    **values,
) -> dict:
    code = consultation.local_government_id
    _allow(actor, code)
    values = _only(values, CONSULTATION_FIELDS)
    _check_dates({**_current(consultation, ("opens_on", "closes_on")), **values})
    changes = apply_changes(
        consultation, values, actor=actor, action="public_consultation.update", region_code=code
    )
    if document is not None or (remove_document and consultation.document):
        old = consultation.document.name
        if document is not None:
            _store_document(consultation, document)
        else:
            consultation.document = ""
            consultation.document_size = 0
        consultation.save(update_fields=["document", "document_size", "updated_at"])
        changes["document"] = [old, consultation.document.name]
        record(
            actor=actor,
            action="public_consultation.document",
            target=consultation,
            region_code=code,
            changes={"document": changes["document"]},
        )
    return changes


def moderation_link(consultation: PublicConsultation) -> str:
    return reverse(
        "participation:moderation", args=[consultation.local_government_id, consultation.uid]
    )


@transaction.atomic
def submit_public_comment(
    consultation: PublicConsultation,
    *,
    text: str,
    name: str = "",
    is_child: bool = False,
    age_group: str = "",
    now: datetime | None = None,
) -> PublicComment:
    """A comment from anybody, without login: stored as pending, shown only once approved.

    Refused once the consultation has closed (or before it opens). A child's age group marks the
    comment as a child's even when the box was not ticked; an adult age group with the box ticked
    is a contradiction the person is asked to resolve.
    """
    today = timezone.localdate(now) if now else timezone.localdate()
    if not consultation.is_open(today):
        raise ValidationError(
            _("Konsultasi ini sudah ditutup; komentar tidak lagi diterima.")
            if consultation.is_closed(today)
            else _("Konsultasi ini belum dibuka.")
        )
    text, name = (text or "").strip(), (name or "").strip()
    if not text:
        raise ValidationError({"text": _("Tulis komentar Anda.")})
    if len(text) > COMMENT_MAX:
        raise ValidationError(
            {
                "text": _(
                    "Komentar terlalu panjang: paling banyak %(limit)s karakter, Anda menulis "
                    "%(n)s."
                )
                % {"limit": COMMENT_MAX, "n": len(text)}
            }
        )
    if count_links(text) > MAX_LINKS:
        raise ValidationError(
            {
                "text": _(
                    "Komentar ini memuat lebih dari %(n)s tautan (link) sehingga ditolak sebagai "
                    "kemungkinan iklan/spam. Hapus tautan yang tidak perlu lalu kirim lagi."
                )
                % {"n": MAX_LINKS}
            }
        )
    if TAG_RE.search(name):
        raise ValidationError({"name": _("Teks tidak boleh berisi tag HTML atau skrip.")})
    if age_group in CHILD_AGE_GROUPS:
        is_child = True
    elif age_group and is_child:
        raise ValidationError(
            {"age_group": _("Kelompok umur ini bukan umur anak; periksa lagi pilihan Anda.")}
        )
    comment = PublicComment(
        consultation=consultation,
        name=name,
        is_child=is_child,
        age_group=age_group or "",
        text=text,
    )
    comment.full_clean()
    comment.save()
    lg = consultation.local_government
    record(
        actor=None,
        action="public_comment.submit",
        target=comment,
        region_code=lg.code,
        changes={"consultation": [None, str(consultation.uid)], "is_child": [None, is_child]},
    )
    # One notice when the queue starts, not one per comment: a busy consultation (or a flood)
    # must not bury the secretariat's other notifications.
    waiting = consultation.comments.filter(status=ModerationStatus.PENDING).exclude(pk=comment.pk)
    if not waiting.exists():
        notify(
            secretariat_of(lg),
            text=_("Komentar publik menunggu moderasi: %(title)s") % {"title": consultation},
            link=moderation_link(consultation),
        )
    return comment


APPROVE, REJECT = "approve", "reject"


@transaction.atomic
def moderate_comment(comment: PublicComment, *, actor, decision: str, note: str = "") -> dict:
    """Approve (show publicly) or reject; a decision may be reversed later, with its own row."""
    code = comment.consultation.local_government_id
    _allow(actor, code)
    status = {APPROVE: ModerationStatus.APPROVED, REJECT: ModerationStatus.REJECTED}.get(decision)
    if status is None:
        raise ValidationError(_("Keputusan moderasi tidak dikenal."))
    if comment.status == status:
        return {}
    return apply_changes(
        comment,
        {
            "status": status,
            "moderated_by": actor,
            "moderated_at": timezone.now(),
            "moderation_note": (note or "").strip()[:255],
        },
        actor=actor,
        action=f"public_comment.{decision}",
        region_code=code,
    )


@transaction.atomic
def respond_to_comment(
    comment: PublicComment, *, actor, response_text: str, response_status: str
) -> dict:
    code = comment.consultation.local_government_id
    _allow(actor, code)
    if comment.status != ModerationStatus.APPROVED:
        raise ValidationError(_("Hanya komentar yang ditampilkan yang dapat ditanggapi."))
    response_text = (response_text or "").strip()
    if response_text and response_status == ResponseStatus.PENDING:
        raise ValidationError(
            {"response_status": _("Pilih apakah masukan diterima, sebagian, atau tidak.")}
        )
    return apply_changes(
        comment,
        {"response_text": response_text, "response_status": response_status},
        actor=actor,
        action="public_comment.respond",
        region_code=code,
    )


@transaction.atomic
def convert_to_record(
    consultation: PublicConsultation, *, actor, today: date | None = None
) -> ConsultationRecord:
    """Turn a closed consultation, its approved comments and their responses into a record."""
    code = consultation.local_government_id
    _allow(actor, code)
    consultation = PublicConsultation.objects.select_for_update().get(pk=consultation.pk)
    today = today or timezone.localdate()
    if consultation.record_id:
        raise ValidationError(_("Konsultasi ini sudah dijadikan catatan konsultasi."))
    if not consultation.is_closed(today):
        raise ValidationError(
            _("Tunggu sampai konsultasi ditutup sebelum menjadikannya catatan konsultasi.")
        )
    pending = consultation.comments.filter(status=ModerationStatus.PENDING).count()
    if pending:
        raise ValidationError(
            _("Masih ada %(n)s komentar menunggu moderasi; putuskan dulu.") % {"n": pending}
        )
    entry = ConsultationRecord.objects.create(
        local_government_id=code,
        title=consultation.title,
        kind=consultation.kind,
        indicator=consultation.indicator,
        date=consultation.closes_on,
        description=_("Konsultasi publik %(start)s s.d. %(end)s. %(summary)s")
        % {
            "start": consultation.opens_on.isoformat(),
            "end": consultation.closes_on.isoformat(),
            "summary": consultation.summary,
        },
        created_by=actor,
    )
    approved = consultation.comments.filter(status=ModerationStatus.APPROVED).order_by(
        "created_at", "id"
    )
    inputs = [
        ConsultationInput(
            record=entry,
            source_kind=SourceKind.CHILD if c.is_child else SourceKind.COMMUNITY,
            source_name=c.display_name,
            date=min(timezone.localdate(c.created_at), consultation.closes_on),
            text=c.text,
            response_text=c.response_text,
            response_status=c.response_status,
            public_comment=c,
        )
        for c in approved
    ]
    ConsultationInput.objects.bulk_create(inputs)
    consultation.record = entry
    consultation.save(update_fields=["record", "updated_at"])
    record(
        actor=actor,
        action="public_consultation.convert",
        target=consultation,
        region_code=code,
        changes={"record": [None, str(entry.uid)], "inputs": [None, len(inputs)]},
    )
    return entry


# -- partners ----------------------------------------------------------------------------------


def _partner_values(lg: LocalGovernment, values: dict, *, exclude_pk=None) -> dict:
    values = _only(values, PARTNER_FIELDS)
    agency: Agency | None = values.get("agency")
    if agency is not None:
        if agency.local_government_id != lg.code or agency.kind not in PARTNER_AGENCY_KINDS:
            raise ValidationError(
                {"agency": _("Pilih organisasi masyarakat, dunia usaha, atau media daerah ini.")}
            )
        if Partner.objects.filter(agency=agency).exclude(pk=exclude_pk).exists():
            raise ValidationError({"agency": _("Lembaga ini sudah tercatat sebagai mitra.")})
        values["name"] = values.get("name") or agency.name
    name = values.get("name", "")
    if name and lg.partners.filter(name__iexact=name).exclude(pk=exclude_pk).exists():
        raise ValidationError({"name": _("Mitra dengan nama ini sudah ada.")})
    return values


@transaction.atomic
def create_partner(*, actor, local_government: LocalGovernment, **values) -> Partner:
    _allow(actor, local_government)
    values = _partner_values(local_government, values)
    return _insert(
        actor,
        Partner(local_government=local_government, **values),
        action="partner.create",
        code=local_government.code,
        values=values,
    )


@transaction.atomic
def update_partner(partner: Partner, *, actor, **values) -> dict:
    lg = partner.local_government
    _allow(actor, lg)
    values = _partner_values(
        lg, {**_current(partner, PARTNER_FIELDS), **values}, exclude_pk=partner.pk
    )
    return apply_changes(partner, values, actor=actor, action="partner.update", region_code=lg.code)


@transaction.atomic
def set_partner_active(partner: Partner, *, actor, active: bool) -> dict:
    _allow(actor, partner.local_government_id)
    return apply_changes(
        partner,
        {"is_active": active},
        actor=actor,
        action="partner.activate" if active else "partner.deactivate",
        region_code=partner.local_government_id,
    )


@transaction.atomic
def add_contribution(partner: Partner, *, actor, **values) -> Contribution:
    _allow(actor, partner.local_government_id)
    values = _only(values, CONTRIBUTION_FIELDS)
    return _insert(
        actor,
        Contribution(partner=partner, **values),
        action="partner.contribution_add",
        code=partner.local_government_id,
        values=values,
    )


@transaction.atomic
def update_contribution(item: Contribution, *, actor, **values) -> dict:
    code = item.partner.local_government_id
    _allow(actor, code)
    return apply_changes(
        item,
        _only(values, CONTRIBUTION_FIELDS),
        actor=actor,
        action="partner.contribution_update",
        region_code=code,
    )


@transaction.atomic
def delete_contribution(item: Contribution, *, actor) -> None:
    code = item.partner.local_government_id
    _allow(actor, code)
    _remove(actor, item, action="partner.contribution_delete", code=code)
