"""Participation fixtures: Kupang's Forum Anak, a consultation record, an open public
consultation and a partner, all made through the real actions by the secretariat persona."""

from datetime import date, timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from sikla.participation import actions
from sikla.participation.models import (
    ActivityKind,
    ContributionKind,
    PartnerComponent,
    PolicyKind,
    ResponseStatus,
    SourceKind,
)
from sikla.regions.models import Region
from tests.personas import KUPANG, world_fixture  # noqa: F401

OEBOBO = "53.71.04"
OEBOBO_KELURAHAN = "53.71.04.1001"
MAULAFA = "53.71.02"


@pytest.fixture(autouse=True)
def _fresh_limits(settings):
    cache.clear()
    settings.COMPLAINT_MIN_SECONDS = 0  # timing is the subject of its own test only
    yield
    cache.clear()


def make_forum(world, code=KUPANG, **values):
    values.setdefault("decree_number", "188.45/KEP/2025")
    values.setdefault("decree_date", date(2025, 7, 23))
    values.setdefault("male_10_13", 3)
    values.setdefault("female_10_13", 4)
    values.setdefault("male_14_17", 5)
    values.setdefault("female_14_17", 6)
    return actions.create_child_forum(
        actor=world.secretariat,
        local_government=world.kupang,
        region=Region.objects.get(code=code),
        **values,
    )


@pytest.fixture
def forum(world):
    return make_forum(world)


def make_record(world, *, day=date(2026, 5, 1), sources=(SourceKind.CHILD_FORUM,), lg=None):
    lg = lg or world.kupang
    actor = world.secretariat if lg == world.kupang else world.jambi_secretariat
    entry = actions.create_record(
        actor=actor,
        local_government=lg,
        title=f"Kebijakan uji {day}",
        kind=PolicyKind.POLICY,
        date=day,
    )
    for source in sources:
        actions.add_input(
            entry,
            actor=actor,
            source_kind=source,
            source_name="Sumber uji",
            date=day,
            text="Masukan uji.",
            response_text="Diterima.",
            response_status=ResponseStatus.ACCEPTED,
        )
    return entry


@pytest.fixture
def record(world):
    return make_record(world)


def make_consultation(world, *, opens=-3, closes=10, lg=None, **values):
    lg = lg or world.kupang
    today = timezone.localdate()
    return actions.create_public_consultation(
        actor=world.secretariat if lg == world.kupang else world.jambi_secretariat,
        local_government=lg,
        title=values.pop("title", "Rancangan Perwali Kawasan Tanpa Rokok"),
        kind=PolicyKind.REGULATION,
        summary="Ringkasan rancangan.",
        body="Pasal 1\nIsi rancangan.",
        opens_on=today + timedelta(days=opens),
        closes_on=today + timedelta(days=closes),
        **values,
    )


@pytest.fixture
def consultation(world):
    return make_consultation(world)


def make_partner(
    world, *, component=PartnerComponent.COMMUNITY, name="LSM Sahabat Anak", year=2026
):
    partner = actions.create_partner(
        actor=world.secretariat, local_government=world.kupang, component=component, name=name
    )
    actions.add_contribution(
        partner,
        actor=world.secretariat,
        year=year,
        kind=ContributionKind.INFORMATION,
        description="Sosialisasi hak anak.",
        value=1_000_000,
    )
    return partner


@pytest.fixture
def partner(world):
    return make_partner(world)


def add_activity(forum, world, *, day=date(2026, 3, 1), kind=ActivityKind.MEETING):
    return actions.add_activity(
        forum, actor=world.secretariat, date=day, title="Kegiatan uji", kind=kind
    )
