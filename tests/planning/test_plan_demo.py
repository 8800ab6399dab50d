"""The demo action plan loads through the real actions, once."""

from decimal import Decimal

from django.db.models import F

from sikla.core.models import AuditEvent
from sikla.planning.demo_plan import TITLE, load_demo_plan
from sikla.planning.models import ActionPlan, Budget, PlanStatus, ProgressReport, ProgressStatus
from sikla.planning.queries import plan_summary
from tests.personas import world_fixture  # noqa: F401
from tests.planning.test_plan_actions import _frozen  # noqa: F401 - frozen in May 2026


def test_the_demo_plan_loads_once(world):
    def load():
        load_demo_plan(
            lg=world.kupang,
            admin=world.national_admin,
            secretariat=world.secretariat,
            operators=[world.agency_operator],
        )

    load()
    events = AuditEvent.objects.count()
    load()
    assert AuditEvent.objects.count() == events

    plan = ActionPlan.objects.get(title=TITLE)
    assert plan.status == PlanStatus.ADOPTED and plan.years == [2025, 2026, 2027, 2028, 2029]
    summary = plan_summary(plan)
    assert len(summary.programmes) == 8
    covered = {g.key.number for g in summary.by_indicator}
    assert {1, 2, 7, 12, 21, 23} <= covered and 5 not in covered
    assert Budget.objects.filter(programme__plan=plan, realised__gt=F("planned")).exists()
    assert summary.year(2025).planned_share is not None
    assert summary.year(2027).total_apbd is None
    # Frozen in May 2026: four quarters of 2025 and the first two of 2026, for three programmes.
    assert ProgressReport.objects.count() == 3 * 6
    stunting = ProgressReport.objects.filter(programme__code="1.02.01")
    assert set(stunting.values_list("reported_by", flat=True)) == {world.agency_operator.pk}
    assert not ProgressReport.objects.exclude(status=ProgressStatus.ACCEPTED).exists()
    assert summary.total.planned == Decimal("10020000000")
