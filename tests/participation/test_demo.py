"""The demo loader: what the brief asks for, through the actions, and idempotent."""

from sikla.participation.demo import load_demo_participation
from sikla.participation.models import (
    ChildForum,
    ConsultationRecord,
    ModerationStatus,
    Partner,
    PublicConsultation,
)
from sikla.participation.queries import participation_counts


def test_it_loads_kupang_and_is_idempotent(world):
    load_demo_participation(
        lg=world.kupang, admin=world.national_admin, secretariat=world.secretariat
    )
    forums = ChildForum.objects.filter(local_government=world.kupang)
    assert forums.filter(level="regency").count() == 1
    assert forums.get(level="regency").decree_date.year == 2023
    assert (
        forums.filter(level="district").count() >= 3 and forums.filter(level="village").count() >= 3
    )
    assert (
        forums.get(level="regency").activities.filter(kind__in=["pioneer", "reporter"]).count() == 2
    )
    open_, closed = PublicConsultation.objects.filter(local_government=world.kupang).order_by(
        "-closes_on"
    )
    assert open_.is_open() and open_.record is None
    statuses = sorted(open_.comments.values_list("status", flat=True))
    assert statuses == [ModerationStatus.APPROVED, ModerationStatus.PENDING]
    assert closed.is_closed() and closed.record is not None
    assert closed.record.inputs.count() == 2
    assert ConsultationRecord.objects.filter(local_government=world.kupang).count() == 3
    partners = Partner.objects.filter(local_government=world.kupang)
    assert partners.count() == 3 and all(p.contributions.exists() for p in partners)
    before = [
        m.objects.count() for m in (ChildForum, ConsultationRecord, Partner, PublicConsultation)
    ]
    load_demo_participation(
        lg=world.kupang, admin=world.national_admin, secretariat=world.secretariat
    )
    after = [
        m.objects.count() for m in (ChildForum, ConsultationRecord, Partner, PublicConsultation)
    ]
    assert before == after
    from django.utils import timezone

    counts = participation_counts(world.kupang, timezone.localdate().year)
    assert counts.partners_by_component["business"] == 1
