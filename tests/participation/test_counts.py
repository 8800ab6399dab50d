"""participation_counts(lg, year), which feeds indicators 3 and 6, equals the counts taken
directly from the tables; and the summary sentence on the Forum Anak page says the same."""

from datetime import date

from django.urls import reverse

from sikla.participation import actions, queries
from sikla.participation.models import (
    ActivityKind,
    ChildForum,
    ConsultationInput,
    ConsultationRecord,
    Contribution,
    ForumStatus,
    Partner,
    PartnerComponent,
    SourceKind,
)
from sikla.regions.models import Level, Region
from tests.personas import KUPANG

from .conftest import add_activity, make_forum, make_partner, make_record

YEAR = 2026


def build(world):
    kota = make_forum(world)
    add_activity(kota, world, day=date(YEAR, 2, 10), kind=ActivityKind.MUSRENBANG)
    for code in ("53.71.04", "53.71.02", "53.71.04.1001", "53.71.04.1009"):
        make_forum(world, code)
    make_forum(world, "53.71.03", status=ForumStatus.INACTIVE)  # does not count
    make_forum(world, "53.71.05", decree_date=date(YEAR + 1, 1, 5))  # formed after the year
    make_forum(world, "53.71.06.1001", decree_number="", decree_date=None)  # no decree: counts
    make_record(world, day=date(YEAR, 3, 1), sources=[SourceKind.CHILD_FORUM, SourceKind.MEDIA])
    make_record(world, day=date(YEAR, 4, 1), sources=[SourceKind.CHILD])
    make_record(world, day=date(YEAR, 5, 1), sources=[SourceKind.BUSINESS])
    make_record(world, day=date(YEAR - 1, 5, 1), sources=[SourceKind.CHILD_FORUM])
    make_record(world, day=date(YEAR, 6, 1), sources=[SourceKind.CHILD_FORUM], lg=world.jambi)
    make_partner(world, name="LSM A")
    make_partner(world, name="LSM B")
    make_partner(world, name="LSM lama", year=YEAR - 1)
    bank = make_partner(world, component=PartnerComponent.BUSINESS, name="Bank")
    actions.add_contribution(
        bank, actor=world.secretariat, year=YEAR, kind="money", description="Dana", value=5
    )
    make_partner(world, component=PartnerComponent.MEDIA, name="Radio")
    make_partner(world, component=PartnerComponent.FAMILY, name="Paguyuban orang tua")
    actions.create_partner(
        actor=world.secretariat,
        local_government=world.kupang,
        component=PartnerComponent.COORDINATION,
        name="PUSPA Kota Kupang",
    )


def test_the_counts_equal_direct_counts(world):
    build(world)
    counts = queries.participation_counts(world.kupang, YEAR)
    end = date(YEAR, 12, 31)
    existing = ChildForum.objects.filter(local_government=world.kupang, status="active").exclude(
        decree_date__gt=end
    )
    kecamatan = Region.objects.filter(code__startswith=KUPANG + ".", level=Level.DISTRICT)
    kelurahan = Region.objects.filter(code__startswith=KUPANG + ".", level=Level.VILLAGE)
    assert counts.forums.districts_total == kecamatan.count() == 6
    assert counts.forums.villages_total == kelurahan.count() == 51
    assert counts.forums.districts_with_forum == existing.filter(level="district").count() == 2
    assert counts.forums.villages_with_forum == existing.filter(level="village").count() == 3
    records = ConsultationRecord.objects.filter(local_government=world.kupang, date__year=YEAR)
    with_children = records.filter(
        inputs__source_kind__in=[SourceKind.CHILD_FORUM, SourceKind.CHILD]
    ).distinct()
    assert counts.policies_with_children_input == with_children.count() == 2
    assert counts.records == records.count() == 3
    for kind in SourceKind.values:
        assert (
            counts.inputs_by_source[kind]
            == ConsultationInput.objects.filter(
                record__local_government=world.kupang, date__year=YEAR, source_kind=kind
            ).count()
        )
    for component in PartnerComponent.values:
        assert counts.partners_by_component[component] == (
            Partner.objects.filter(
                local_government=world.kupang, component=component, contributions__year=YEAR
            )
            .distinct()
            .count()
        )
    in_year = Contribution.objects.filter(partner__local_government=world.kupang, year=YEAR)
    assert counts.contributions == in_year.count() == 6
    assert counts.contributions_value == sum(c.value or 0 for c in in_year)
    answers = counts.answers()
    assert answers == {
        "3.1": 2,
        "3.2": 1,
        "3.3": 1,
        "3.4": "yes",
        "6.1": "aktif",
        "6.2": counts.forums.districts_pct,
        "6.3": counts.forums.villages_pct,
        "6.4": "yes",
        "6.5": 2,
    }
    assert str(counts.forums.districts_pct) == "33.33"
    assert str(counts.forums.villages_pct) == "5.88"


def test_the_kota_forum_status_follows_decree_and_activities(world):
    assert queries.participation_counts(world.kupang, YEAR).regency_forum_status == "belum"
    kota = make_forum(world)
    assert queries.participation_counts(world.kupang, YEAR).regency_forum_status == "sk"
    add_activity(kota, world, day=date(YEAR, 8, 1))
    assert queries.participation_counts(world.kupang, YEAR).regency_forum_status == "aktif"
    assert queries.participation_counts(world.kupang, YEAR - 5).regency_forum_status == "belum"
    actions.update_child_forum(kota, actor=world.secretariat, status=ForumStatus.INACTIVE)
    assert queries.participation_counts(world.kupang, YEAR).regency_forum_status == "belum"


def test_the_counts_take_a_fixed_number_of_queries(world, django_assert_num_queries):
    with django_assert_num_queries(10):  # no kota forum: its activities are not asked for
        queries.participation_counts(world.kupang, YEAR)
    build(world)
    with django_assert_num_queries(11):
        queries.participation_counts(world.kupang, YEAR)
    for n, code in enumerate(["53.71.01", "53.71.01.1001", "53.71.01.1002", "53.71.02.1001"]):
        add_activity(make_forum(world, code), world, day=date(YEAR, 5, 1))
        make_record(world, day=date(YEAR, 7, n + 1), sources=[SourceKind.CHILD] * 3)
        make_partner(world, name=f"Mitra {n}")
    with django_assert_num_queries(11):
        queries.participation_counts(world.kupang, YEAR)


def test_the_pages_say_the_same(client, world):
    build(world)
    client.force_login(world.viewer)
    page = client.get(reverse("participation:forums", args=[KUPANG])).content.decode()
    # the list says what is active now (no data year): Kota Raja's forum counts here
    assert "Forum Anak di 3 dari 6 kecamatan, 3 dari 51 kelurahan." in page
    overview = client.get(reverse("participation:overview", args=[KUPANG]), {"tahun": YEAR})
    page = overview.content.decode()
    assert 'data-testid="q-6.2">2 / 6 (33,33 %)<' in page
    assert 'data-testid="q-6.5">2<' in page
    assert 'data-testid="q-3.1">2<' in page
    assert 'data-testid="q-3.4">Ya<' in page
