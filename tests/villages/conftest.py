"""Village fixtures: Kota Kupang's kelurahan (Oebobo is the village officer's kecamatan),
time frozen in mid-2026 so "this year" is 2026."""

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from sikla.regions.models import Region
from sikla.villages import actions
from sikla.villages.models import ChecklistItem, Status
from tests.personas import KUPANG, world_fixture  # noqa: F401

NOW = datetime(2026, 6, 15, 3, 0, tzinfo=UTC)
YEAR = 2026
OEBOBO = "53.71.04"
OEBOBO_KELURAHAN = "53.71.04.1001"
ALAK = "53.71.01"
ALAK_KELURAHAN = "53.71.01.1001"
JAMBI_KELURAHAN = "15.71.01.1001"
PDF = b"%PDF-1.4\n% uji\n"


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def region(code: str) -> Region:
    return Region.objects.get(code=code)


def kupang_villages() -> list[str]:
    return list(
        Region.objects.filter(code__startswith=KUPANG + ".", level="village")
        .order_by("code")
        .values_list("code", flat=True)
    )


def declare(world, code: str, *, on: date = date(2025, 7, 23), actor=None, **extra):
    return actions.set_status(
        actor=actor or world.secretariat,
        local_government=world.kupang,
        region=region(code),
        status=Status.DECLARED,
        declared_on=on,
        decree_number=f"SK/{code}",
        **extra,
    )


def checklist(world, code: str, year: int = YEAR, *, done=(), actor=None, files=None):
    return actions.save_checklist(
        actor=actor or world.secretariat,
        local_government=world.kupang,
        region=region(code),
        year=year,
        answers={item: item in done for item in ChecklistItem.values},
        files=files,
    )


def pdf(name: str = "bukti.pdf", body: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, body, content_type="application/pdf")
