"""Demo cases for Kota Kupang: clearly fictitious ("Anak Contoh …", NIK serials 9xxx), across the
violence types and every workflow state, written through the real actions and then moved back in
time (received dates spread over the data year) so the statistics and the response-time figures
have something to show. Idempotent: nothing is added when Kupang already has cases.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from django.utils import timezone

from . import actions, facts
from .models import (
    Case,
    CaseStatus,
    Channel,
    Complaint,
    Outcome,
    Place,
    ProtectionType,
    ReferralKind,
    ReporterRelation,
    ServiceKind,
    Urgency,
)
from .standards import response_due

KELURAHAN = [
    "53.71.01.1001",
    "53.71.01.1003",
    "53.71.02.1002",
    "53.71.03.1001",
    "53.71.04.1001",
    "53.71.04.1009",
    "53.71.05.1002",
    "53.71.06.1001",
]
TYPES = [
    [ProtectionType.PHYSICAL],
    [ProtectionType.PSYCHOLOGICAL, ProtectionType.BULLYING],
    [ProtectionType.SEXUAL],
    [ProtectionType.NEGLECT],
    [ProtectionType.PHYSICAL, ProtectionType.PSYCHOLOGICAL],
    [ProtectionType.ECONOMIC_EXPLOITATION, ProtectionType.CHILD_LABOUR],
    [ProtectionType.CONFLICT_WITH_LAW],
    [ProtectionType.SEXUAL, ProtectionType.PORNOGRAPHY],
    [ProtectionType.TRAFFICKING],
    [ProtectionType.DISABILITY, ProtectionType.NEGLECT],
]
CHANNELS = [Channel.HOTLINE, Channel.WALK_IN, Channel.SCHOOL, Channel.POLICE, Channel.AGENCY]
# the final state of each demo case, in order
STATES = [
    CaseStatus.CLOSED,
    CaseStatus.CLOSED,
    CaseStatus.IN_SERVICE,
    CaseStatus.CLOSED,
    CaseStatus.REFERRED,
    CaseStatus.IN_SERVICE,
    CaseStatus.ASSESSED,
    CaseStatus.CLOSED,
    CaseStatus.IN_SERVICE,
    CaseStatus.CLOSED,
    CaseStatus.RECEIVED,  # overdue: nobody has responded
    CaseStatus.IN_SERVICE,
    CaseStatus.CLOSED,
    CaseStatus.ASSESSED,
    CaseStatus.CLOSED,
    CaseStatus.IN_SERVICE,
    CaseStatus.CLOSED,
    CaseStatus.RECEIVED,
]


def _region(code):
    from sikla.regions.models import Region

    return Region.objects.filter(code=code).first()


def _fake_nik(birth: date, sex: str, serial: int) -> str:
    day = birth.day + (40 if sex == "P" else 0)
    return f"537104{day:02d}{birth.month:02d}{birth.year % 100:02d}{9000 + serial:04d}"


def _move_back(case: Case, received: datetime, responded: datetime | None) -> None:
    """Demo only: place a case at `received` in the past, as if entered then."""
    Case.objects.filter(pk=case.pk).update(
        received_at=received,
        year=received.year,
        response_due_at=response_due(received, case.urgency, case.local_government_id),
        first_response_at=responded,
        closed_at=(responded + timedelta(days=30)) if case.status == CaseStatus.CLOSED else None,
    )
    if case.complaint_id:
        Complaint.objects.filter(pk=case.complaint_id).update(received_at=received)
    handled = (responded or received).date()
    case.services.update(date=handled)
    case.consents.update(given_on=handled)
    case.referrals.update(sent_on=handled + timedelta(days=1))
    for step, transition in enumerate(case.transitions.order_by("pk")):
        moment = received if step == 0 else (responded or received) + timedelta(days=step * 3)
        type(transition).objects.filter(pk=transition.pk).update(at=moment)
    facts.refresh(case)


def load_demo_cases(*, lg, worker, supervisor, other_worker=None) -> int:
    if Case.objects.filter(local_government=lg).exists():
        return 0
    rng = random.Random(5371)  # noqa: S311 - the same demo on every machine
    now = timezone.now()
    with facts.deferred():  # each case's facts written once, in its final state
        for i, state in enumerate(STATES):
            _demo_case(i, state, lg=lg, worker=worker, other_worker=other_worker, rng=rng, now=now)
    actions.assign_case(
        Case.objects.filter(local_government=lg).order_by("pk").first(),
        actor=supervisor,
        workers=[worker],
        supervisor=supervisor,
    )
    # Two reports nobody has taken yet: one urgent, on top of every screen of the unit.
    actions.submit_public_complaint(
        local_government=lg,
        description="Laporan contoh (fiktif): anak tetangga terdengar menangis dan dipukul "
        "setiap malam.",
        incident_region=_region(KELURAHAN[1]),
        place=Place.HOUSEHOLD,
        child_age=8,
        child_sex="L",
        reporter_relation=ReporterRelation.NEIGHBOUR,
        reporter_anonymous=True,
    )
    urgent = actions.record_complaint(
        actor=worker,
        local_government=lg,
        channel=Channel.SCHOOL,
        urgency=Urgency.EMERGENCY,
        risk="high",
        description="Laporan contoh (fiktif) dari sekolah: siswi tidak pulang sejak kemarin.",
        incident_region=_region(KELURAHAN[4]),
        place=Place.SCHOOL,
        child_age=14,
        child_sex="P",
        reporter_relation=ReporterRelation.TEACHER,
    )
    assert urgent.is_pending
    return len(STATES)


def _demo_case(i, state, *, lg, worker, other_worker, rng, now) -> None:
    """The demo's case number i, taken from its report to `state` through the unit's actions and
    moved back to the dates of its story."""
    zone = timezone.get_current_timezone()
    types = TYPES[i % len(TYPES)]
    kelurahan = _region(KELURAHAN[i % len(KELURAHAN)])
    sex = "P" if i % 3 != 1 else "L"
    age = [4, 7, 9, 11, 13, 14, 15, 16, 12, 6][i % 10]
    received = datetime(2026, 1 + (i * 10) // len(STATES), 3 + (i * 7) % 24, 9, 30, tzinfo=zone)
    if state == CaseStatus.RECEIVED:
        received = now - timedelta(days=6 + i % 3)  # past the 3-working-day target
    complaint = actions.record_complaint(
        actor=worker,
        local_government=lg,
        channel=CHANNELS[i % len(CHANNELS)],
        urgency=Urgency.URGENT if i % 5 == 2 else Urgency.NORMAL,
        description=f"Laporan contoh nomor {i + 1} (fiktif) tentang anak di {kelurahan.name}.",
        incident_date=(received - timedelta(days=2)).date(),
        incident_region=kelurahan,
        place=[Place.HOUSEHOLD, Place.SCHOOL, Place.PUBLIC, Place.ONLINE][i % 4],
        reporter_relation=[
            ReporterRelation.PARENT,
            ReporterRelation.TEACHER,
            ReporterRelation.NEIGHBOUR,
            ReporterRelation.SELF,
        ][i % 4],
        reporter_anonymous=i % 4 == 2,
        reporter_name="" if i % 4 == 2 else f"Pelapor Contoh {i + 1:02d}",
    )
    handler = other_worker if (other_worker and i % 4 == 3) else worker
    case = actions.take_complaint(complaint, actor=handler)
    case = actions.update_case(
        case,
        actor=handler,
        version=case.version,
        types=types,
        chronology=f"Kronologi contoh (fiktif) kasus {i + 1}.",
    )
    birth = date(2026 - age - 1, 1 + i % 12, 1 + (i * 3) % 27)
    actions.save_child(
        case,
        actor=handler,
        name=f"Anak Contoh {chr(65 + i)} (fiktif)",
        nik=_fake_nik(birth, sex, i + 1) if i % 3 != 2 else "",
        birth_date=birth,
        age=None,
        sex=sex,
        has_disability=ProtectionType.DISABILITY in types,
        school="SD/SMP Contoh" if age >= 6 else "",
        address_region=kelurahan,
        address="",
    )
    actions.add_perpetrator(
        case,
        actor=handler,
        relationship=["parent", "neighbour", "friend", "teacher", "family", "unknown"][i % 6],
        age=[38, 45, 16, 41, 29, None][i % 6],
        sex="L",
    )
    responded = None
    if state != CaseStatus.RECEIVED:
        responded = received + timedelta(hours=rng.choice([3, 20, 30, 50, 90]))
        case = actions.transition_case(case, actor=handler, to_status=CaseStatus.ASSESSED)
    if state in (CaseStatus.IN_SERVICE, CaseStatus.REFERRED, CaseStatus.CLOSED):
        case = actions.transition_case(case, actor=handler, to_status=CaseStatus.IN_SERVICE)
        for kind in [ServiceKind.OUTREACH, ServiceKind.PSYCHOLOGICAL][: 1 + i % 2]:
            actions.record_service(
                case,
                actor=handler,
                kind=kind,
                date=timezone.localdate(),
                provider="UPTD PPA Kota Kupang",
                notes="Catatan layanan contoh (fiktif).",
            )
    if state == CaseStatus.REFERRED:
        actions.record_consent(
            case,
            actor=handler,
            obtained=True,
            guardian_relation="parent",
            given_on=timezone.localdate(),
        )
        actions.refer_case(
            case,
            actor=handler,
            kind=ReferralKind.REFERRAL,
            institution="RSUD S.K. Lerik (visum dan pemulihan)",
            reason="Pemeriksaan dan pemulihan kesehatan.",
            sent_on=timezone.localdate(),
        )
        case = actions.transition_case(case, actor=handler, to_status=CaseStatus.REFERRED)
    if state == CaseStatus.CLOSED:
        case = actions.transition_case(
            case,
            actor=handler,
            to_status=CaseStatus.CLOSED,
            outcome=[Outcome.RESOLVED, Outcome.REINTEGRATED, Outcome.WITHDRAWN][i % 3],
        )
    case.refresh_from_db()
    _move_back(case, received, responded)
