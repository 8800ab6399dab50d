"""The demo loader: Kota Kupang's figures, idempotent."""

from sikla.core.models import AuditEvent
from sikla.villages.demo import load_demo_villages
from sikla.villages.models import Checklist, ChecklistAnswer, StatusChange, VillageStatus
from sikla.villages.queries import shares

from .conftest import YEAR


def counts():
    return (
        VillageStatus.objects.count(),
        StatusChange.objects.count(),
        Checklist.objects.count(),
        ChecklistAnswer.objects.exclude(evidence="").count(),
        AuditEvent.objects.filter(action__startswith="village.").count(),
    )


def test_it_loads_kupang_once(world):
    load_demo_villages(lg=world.kupang, admin=world.national_admin, secretariat=world.secretariat)
    first = counts()
    load_demo_villages(lg=world.kupang, admin=world.national_admin, secretariat=world.secretariat)

    assert counts() == first
    got = shares(world.kupang, YEAR)
    assert (got["declared_villages"], got["total_villages"]) == (9, 51)
    assert got["villages_with_patbm"] == 5
    assert (got["declared_districts"], got["total_districts"]) == (1, 6)
    assert first[3] == 5  # a PATBM decree for each village that has one


def test_it_leaves_another_local_government_alone(world):
    load_demo_villages(
        lg=world.jambi, admin=world.national_admin, secretariat=world.jambi_secretariat
    )

    assert not VillageStatus.objects.exists()
