"""What the unit does for a case: services delivered, the guardian's consent, referrals and
their follow-up."""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sikla.accounts.rules import Perm, can
from sikla.core.audit import record

from .. import facts
from ..models import (
    AccessKind,
    Case,
    GuardianConsent,
    Referral,
    ReferralKind,
    ReferralStatus,
    Service,
)
from .cases import _bump, _mark_first_response
from .common import _clean_text, _require_handler, _require_open, log_access, store_documents

__all__ = [
    "record_service",
    "record_consent",
    "has_consent",
    "refer_case",
    "update_referral",
]


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
