"""The end of a case's retention: its identities erased."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from sikla.core.audit import record

from ..models import (
    Case,
    CaseTransition,
    Child,
    ChildNameToken,
    Complaint,
    Document,
    GuardianConsent,
    Perpetrator,
    Referral,
    Service,
)

__all__ = [
    "anonymise_case",
]


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
