"""The cluster V feed: what the unit's cases say about indicator 21, shown on the collection
submission page for the period's data year only."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from sikla.collection.models import DataValue
from sikla.protection.feeds import compute, indicator_types
from sikla.protection.models import ProtectionType
from tests.personas import KUPANG, PERIOD_YEAR, world_fixture  # noqa: F401

from .conftest import KELURAHAN
from .test_statistics import local, make_case

DATA_YEAR = PERIOD_YEAR - 1


def child(sex, age, service):
    return {"sex": sex, "age": age, "region": KELURAHAN, "service": service}


@pytest.fixture
def cases(world):
    """Indicator 21 victims of the data year: L 0–5 1 of 1 served, P 6–12 1 of 2, P 13–17 1 of 1
    (served by a case-wide service), plus one case without a child (served): 4 of 5 in all."""
    lg = world.kupang
    make_case(
        lg,
        received_at=local(date(DATA_YEAR, 3, 1)),
        types=[ProtectionType.PHYSICAL],
        children=[child("L", 4, True), child("P", 9, False)],
    )
    make_case(
        lg,
        received_at=local(date(DATA_YEAR, 7, 1)),
        types=[ProtectionType.SEXUAL, ProtectionType.DISABILITY],
        children=[child("P", 10, True)],
    )
    make_case(
        lg,
        received_at=local(date(DATA_YEAR, 12, 31), 23),
        types=[ProtectionType.CHILD_LABOUR],
        children=[child("P", 15, False)],
        case_service=True,
    )
    make_case(
        lg,
        received_at=local(date(DATA_YEAR, 5, 1)),
        types=[ProtectionType.NEGLECT],
        case_service=True,
    )
    # Not counted: another indicator's type, other years, another local government.
    make_case(
        lg,
        received_at=local(date(DATA_YEAR, 5, 2)),
        types=[ProtectionType.DISABILITY],
        children=[child("L", 4, True)],
    )
    make_case(
        lg,
        received_at=local(date(DATA_YEAR + 1, 1, 1), 0),
        types=[ProtectionType.PHYSICAL],
        children=[child("L", 4, True)],
    )
    make_case(
        lg,
        received_at=local(date(DATA_YEAR - 1, 12, 31), 23),
        types=[ProtectionType.PHYSICAL],
        children=[child("L", 4, False)],
    )
    make_case(
        world.jambi,
        received_at=local(date(DATA_YEAR, 6, 1)),
        types=[ProtectionType.PHYSICAL],
        children=[child("L", 4, False)],
    )


EXPECTED = {
    ("L", "0-5"): (1, 1),
    ("L", "6-12"): (0, 0),
    ("L", "13-17"): (0, 0),
    ("P", "0-5"): (0, 0),
    ("P", "6-12"): (1, 2),
    ("P", "13-17"): (1, 1),
}


def page(number=21):
    return reverse("collection:submission", args=[KUPANG, PERIOD_YEAR, number])


def panel_numbers(html: str, testid: str) -> tuple[int, int]:
    row = re.search(rf'data-testid="{testid}">(.*?)</tr>', html, re.S).group(1)
    numerator, denominator = re.findall(r'class="num">([^<]*)<', row)[:2]
    return int(numerator), int(denominator)


def test_it_computes_indicator_21_for_the_data_year(world, cases):
    feed = compute(world.kupang, 21, DATA_YEAR)

    assert {(c.sex, c.age_group): (c.numerator, c.denominator) for c in feed.cells} == EXPECTED
    assert (feed.incomplete.numerator, feed.incomplete.denominator) == (1, 1)
    assert (feed.total.numerator, feed.total.denominator) == (4, 5)


def test_it_feeds_each_indicator_its_own_types(world, cases):
    assert ProtectionType.CHILD_LABOUR in indicator_types(21)
    assert indicator_types(23) == {ProtectionType.DISABILITY, ProtectionType.MINORITY}

    feed = compute(world.kupang, 23, DATA_YEAR)

    assert (feed.total.numerator, feed.total.denominator) == (2, 2)


def test_it_shows_the_uptd_the_exact_values_on_the_indicator_21_page(client, world, cases):
    client.force_login(world.case_supervisor)

    html = client.get(page()).content.decode()

    assert "Nilai terhitung sistem (UPTD PPA)" in html
    for (sex, age), expected in EXPECTED.items():
        assert panel_numbers(html, f"feed-{sex}-{age}") == expected
    assert panel_numbers(html, "feed-incomplete") == (1, 1)
    assert panel_numbers(html, "feed-total") == (4, 5)
    link = reverse("protection:statistics", args=[KUPANG])
    assert f"{link}?from={DATA_YEAR}-01-01&amp;to={DATA_YEAR}-12-31" in html
    assert 'data-testid="feed-apply"' not in html  # the UPTD PPA does not enter KLA data
    assert "Anak Rahasia" not in html


def cells_shown(html: str, testid: str) -> list[str]:
    row = re.search(rf'data-testid="{testid}">(.*?)</tr>', html, re.S).group(1)
    return re.findall(r'class="num">([^<]*)<', row)[:2]


def test_it_shows_everyone_else_the_published_values(client, world, cases):
    client.force_login(world.national_evaluator)

    html = client.get(page()).content.decode()

    assert cells_shown(html, "feed-L-0-5") == ["x", "x"]  # one child: hidden
    assert cells_shown(html, "feed-L-6-12") == ["0", "0"]
    assert cells_shown(html, "feed-total") == ["x", "5"]  # four served and one not: hidden
    assert 'data-testid="feed-hidden"' in html
    link = reverse("protection:statistics", args=[KUPANG])
    assert f"{link}?periode={DATA_YEAR}" in html
    assert 'data-testid="feed-apply"' not in html  # nothing to apply while a value is hidden


def test_it_shows_nothing_of_a_year_still_running(world, cases):
    feed = compute(world.kupang, 21, PERIOD_YEAR, exact=False)

    assert not feed.published
    assert feed.total.denominator == 0


def test_it_shows_no_panel_on_other_indicators(client, world, cases):
    client.force_login(world.secretariat)

    html = client.get(page(20)).content.decode()

    assert 'data-testid="protection-feed"' not in html


@pytest.fixture
def many_cases(world):
    """Five served children of indicator 21 in each sex × age group, all in March of the data
    year: nothing to hide in any month, quarter or the year."""
    for i, (sex, age) in enumerate((s, a) for s in "LP" for a in (3, 9, 15)):
        for j in range(5):
            make_case(
                world.kupang,
                received_at=local(date(DATA_YEAR, 3, 1 + i + j)),
                types=[ProtectionType.PHYSICAL],
                children=[child(sex, age, True)],
            )


def test_it_uses_the_values_through_the_collection_form(client, world, many_cases):
    client.force_login(world.secretariat)
    html = client.get(page()).content.decode()
    form = re.search(r'data-testid="feed-apply">(.*?)</form>', html, re.S).group(1)
    fields = dict(re.findall(r'name="([^"]+)" value="([^"]*)"', form))

    response = client.post(page(), fields)

    assert response.status_code == 302
    submission = world.periods[KUPANG].submissions.get(indicator__number=21)
    saved = {
        (v.sex, v.age_group): (v.numerator, v.denominator)
        for v in DataValue.objects.filter(submission=submission)
    }
    assert saved == {cell: (Decimal(5), Decimal(5)) for cell in EXPECTED}
    assert submission.values.first().region_id == KUPANG
