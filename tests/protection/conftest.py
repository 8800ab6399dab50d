"""Protection fixtures: Kupang's unit with a public complaint taken as a case."""

from datetime import date

import pytest
from django.utils import timezone

from sikla.core.localtime import zone_of
from sikla.protection import actions
from sikla.protection.models import ProtectionType
from sikla.regions.models import Region
from tests.personas import KUPANG, world_fixture  # noqa: F401

KELURAHAN = "53.71.04.1001"  # a kelurahan of Oebobo, Kota Kupang
CHILD_NIK = "5371044508150001"  # issued in Oebobo; born 5 August 2015; a girl (day + 40)


def unit_today() -> date:
    """Today in Kota Kupang (WITA), as the unit's pages and their default ranges read it: from
    16:00 to 17:00 UTC it is already tomorrow there while the server's zone (WIB) is still today."""
    return timezone.localdate(timezone=zone_of(KUPANG))


@pytest.fixture
def complaint(world):
    return actions.submit_public_complaint(
        local_government=world.kupang,
        description="Seorang anak sering dipukul di rumah oleh pamannya.",
        incident_date=date(2025, 3, 1),
        incident_region=Region.objects.get(code=KELURAHAN),
        place="household",
        child_name="Melati Uji",
        child_age=9,
        child_sex="P",
        reporter_relation="neighbour",
        reporter_anonymous=False,
        reporter_name="Ibu Tetangga",
        reporter_contact="0812-0000-0000",
    )


@pytest.fixture
def case(world, complaint):
    """Taken by the persona case worker; violence type physical."""
    case = actions.take_complaint(complaint, actor=world.case_worker)
    return actions.update_case(
        case, actor=world.case_worker, version=case.version, types=[ProtectionType.PHYSICAL]
    )
