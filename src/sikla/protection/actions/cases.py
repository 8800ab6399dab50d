"""A case's own record and handling: its fields, its workers, its steps through the workflow,
and an emergency opening by a unit member not on it."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sikla.accounts.models import Role
from sikla.accounts.rules import Perm, can, require
from sikla.core.audit import record
from sikla.core.notify import notify

from .. import facts
from ..models import (
    AccessKind,
    BreakGlass,
    Case,
    CaseStatus,
    CaseTransition,
    CaseType,
    Complaint,
    PublicStatus,
    ReferralStatus,
)
from ..standards import response_due
from .common import (
    _case_link,
    _check_region,
    _clean_text,
    _require_handler,
    _require_open,
    log_access,
    unit_staff,
)

__all__ = [
    "TRANSITIONS",
    "StaleCase",
    "CASE_FIELDS",
    "update_case",
    "assign_case",
    "transition_case",
    "break_glass",
]


TRANSITIONS: dict[str, set[str]] = {
    CaseStatus.RECEIVED: {CaseStatus.ASSESSED, CaseStatus.CLOSED},
    CaseStatus.ASSESSED: {CaseStatus.IN_SERVICE, CaseStatus.REFERRED, CaseStatus.CLOSED},
    CaseStatus.IN_SERVICE: {CaseStatus.REFERRED, CaseStatus.CLOSED},
    CaseStatus.REFERRED: {CaseStatus.IN_SERVICE, CaseStatus.CLOSED},
    CaseStatus.CLOSED: {CaseStatus.ASSESSED},  # a reopening, with its reason
}


class StaleCase(Exception):
    """Somebody saved the case after this form was opened."""


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
