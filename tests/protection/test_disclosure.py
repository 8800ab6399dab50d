"""Disclosure control (issue 13, point 1): the rule on generated tables (hypothesis), and the
attacks of the security probe on real records — day windows, totals minus cells, overlapping
months, quarters and the year, and watching a period as the months go by."""

import random
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sikla.protection import disclosure
from sikla.protection.disclosure import HIDDEN, THRESHOLD, Line, Period, build_cube, protect
from sikla.protection.models import Outcome, ProtectionType, ReferralStatus
from tests.personas import KUPANG, world_fixture  # noqa: F401

from .test_statistics import kupang_villages, local, make_case

TODAY = date(2026, 12, 5)
PRIME = 2_147_483_647


# --- periods ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("token", "label", "start", "end"),
    [
        ("2025", "Tahun 2025", date(2025, 1, 1), date(2025, 12, 31)),
        ("2025-T3", "Triwulan III 2025", date(2025, 7, 1), date(2025, 9, 30)),
        ("2024-02", "Februari 2024", date(2024, 2, 1), date(2024, 2, 29)),
    ],
)
def test_a_period_reads_its_token_and_knows_its_days(token, label, start, end):
    period = Period.parse(token)

    assert (period.token, period.label, period.start, period.end) == (token, label, start, end)


@pytest.mark.parametrize("token", ["", "2025-T0", "2025-13", "25", "2025-01-17", "1800", "x"])
def test_a_period_refuses_anything_else(token):
    assert Period.parse(token) is None


def test_only_ended_periods_are_offered():
    periods = disclosure.ended_periods(TODAY, 2026)

    assert [p.token for p in periods][:3] == ["2026-T3", "2026-T2", "2026-T1"]
    assert "2026" not in {p.token for p in periods}
    assert "2026-12" not in {p.token for p in periods}
    assert periods[-1].token == "2026-01"
    assert disclosure.latest_ended(TODAY, "quarter").token == "2026-T3"
    assert disclosure.latest_ended(date(2026, 1, 10), "quarter").token == "2025-T4"
    assert disclosure.latest_ended(date(2026, 1, 10), "month").token == "2025-12"


# --- the rule on generated tables -----------------------------------------------------------------

TABLE = st.lists(st.lists(st.integers(0, 12), min_size=2, max_size=5), min_size=2, max_size=5)


def grid(rows: list[list[int]]) -> tuple[dict, list[Line]]:
    """A table with row and column totals and a grand total, as keys and lines."""
    values = {("c", r, c): n for r, row in enumerate(rows) for c, n in enumerate(row)}
    width = min(len(row) for row in rows)
    values = {k: v for k, v in values.items() if k[2] < width}
    for r in range(len(rows)):
        values[("r", r)] = sum(values[("c", r, c)] for c in range(width))
    for c in range(width):
        values[("k", c)] = sum(values[("c", r, c)] for r in range(len(rows)))
    values[("t",)] = sum(values[("r", r)] for r in range(len(rows)))
    lines = [Line(("r", r), tuple(("c", r, c) for c in range(width))) for r in range(len(rows))]
    lines += [Line(("k", c), tuple(("c", r, c) for r in range(len(rows)))) for c in range(width)]
    lines += [
        Line(("t",), tuple(("r", r) for r in range(len(rows)))),
        Line(("t",), tuple(("k", c) for c in range(width))),
    ]
    return values, lines


@given(TABLE)
def test_every_line_keeps_two_hidden_counts_that_add_up_to_five_or_more(rows):
    values, lines = grid(rows)

    hidden = protect(values, lines, hidden=set(), new=set(values))

    assert {k for k, n in values.items() if 0 < n < THRESHOLD} <= hidden
    for line in lines:
        terms = [line.total, *line.cells]
        count = sum(t in hidden for t in terms)
        assert count != 1
        if count and line.total not in hidden:
            assert sum(values[c] for c in line.cells if c in hidden) >= THRESHOLD
    assert not determined(values, lines, hidden, small_only=True)


@given(TABLE)
def test_counts_already_published_are_never_hidden_later(rows):
    """The first row is an earlier period (its cells and its total), decided on its own; the
    rest comes later and may hide only its own counts."""
    values, lines = grid(rows)
    first = [line for line in lines if line.total == ("r", 0)]
    old = {("r", 0), *first[0].cells}
    before = protect(values, first, hidden=set(), new=old)

    after = protect(
        values, [x for x in lines if x not in first], hidden=before, new=set(values) - old
    )

    assert after & old == before
    assert not determined(values, lines, after, small_only=True)


# --- the attacker ---------------------------------------------------------------------------------


def determined(values: dict, lines: list[Line], hidden: set, *, small_only: bool) -> set:
    """The hidden counts an attacker can work out exactly from the published ones and every
    relation between them that holds (linear algebra over the rationals, mod a large prime):
    those whose unit vector lies in the span of the equations. With `small_only`, only those
    from 1 to 4."""
    unknowns = sorted(hidden, key=repr)
    index = {k: i for i, k in enumerate(unknowns)}
    rows = []
    for line in lines:
        if values[line.total] != sum(values[c] for c in line.cells):
            continue  # not a true equation (a child under several types): no help to anyone
        row = {}
        for term, sign in [(line.total, -1), *((c, 1) for c in line.cells)]:
            if term in index:
                row[index[term]] = (row.get(index[term], 0) + sign) % PRIME
        row = {i: v for i, v in row.items() if v}
        if row:
            rows.append(row)
    pivots: dict[int, dict] = {}  # reduced row echelon form, rows as sparse dicts
    for row in rows:
        row = dict(row)
        while pivoted := sorted(c for c in row if c in pivots):  # reducing may bring in others
            factor = row[pivoted[0]]
            for c, v in pivots[pivoted[0]].items():
                row[c] = (row.get(c, 0) - factor * v) % PRIME
            row = {c: v for c, v in row.items() if v}
        if not row:
            continue
        col = min(row)
        inverse = pow(row[col], PRIME - 2, PRIME)
        row = {c: v * inverse % PRIME for c, v in row.items()}
        for other in pivots.values():
            if col in other:
                factor = other[col]
                for c, v in row.items():
                    other[c] = (other.get(c, 0) - factor * v) % PRIME
                for c in [c for c, v in other.items() if not v]:
                    del other[c]
        pivots[col] = row
    found = {unknowns[col] for col, row in pivots.items() if set(row) == {col}}
    if small_only:
        found = {k for k in found if 0 < values[k] < THRESHOLD}
    return found


def test_the_attacker_finds_what_hiding_only_small_counts_would_leave():
    values = {"t": 9, "a": 2, "b": 7}
    lines = [Line("t", ("a", "b"))]

    assert determined(values, lines, {"a"}, small_only=True) == {"a"}
    assert (
        determined(
            values, lines, protect(values, lines, hidden=set(), new=set(values)), small_only=True
        )
        == set()
    )


# --- the attacks on real records ------------------------------------------------------------------


@pytest.fixture
def year_of_cases(world):
    """Forty cases over 2025 in a few kelurahan of Kota Kupang: small counts everywhere, as in
    a real kab/kota."""
    rng = random.Random(13)
    villages = kupang_villages()[:9]
    for _ in range(40):
        day = date(2025, 1 + rng.randrange(12), 1 + rng.randrange(28))
        make_case(
            world.kupang,
            received_at=local(day),
            types=rng.sample(
                [ProtectionType.PHYSICAL, ProtectionType.SEXUAL, ProtectionType.NEGLECT], 1
            ),
            children=[
                {
                    "sex": rng.choice(["L", "P", "P"]),
                    "age": rng.choice([None, 4, 8, 11, 14, 16]),
                    "region": rng.choice(villages),
                    "service": rng.random() < 0.7,
                }
                for _ in range(rng.choice([1, 1, 1, 2]))
            ],
            case_service=rng.random() < 0.3,
            response_hours=rng.choice([None, 2, 30, 80]),
            referral=rng.choice([None, ReferralStatus.SENT, ReferralStatus.DECLINED]),
            outcome=rng.choice(["", Outcome.RESOLVED, Outcome.REFERRED]),
        )
    return world.kupang


def test_no_small_count_of_a_year_can_be_worked_out_from_everything_published(year_of_cases):
    cube = build_cube(year_of_cases, 2025, TODAY)

    assert len(cube.periods) == 17  # twelve months, four quarters, the year
    small = {k for k, n in cube.values.items() if 0 < n < THRESHOLD}
    assert small and small <= cube.hidden
    assert determined(cube.values, cube.lines, cube.hidden, small_only=True) == set()
    published = [k for k in cube.values if k not in cube.hidden]
    assert len(published) > len(cube.values) / 2  # most counts are still there to read


def test_hiding_only_the_small_counts_would_have_given_children_away(year_of_cases):
    """The same attack against primary suppression alone: it works, so the test above has
    teeth."""
    cube = build_cube(year_of_cases, 2025, TODAY)
    primary = {k for k, n in cube.values.items() if 0 < n < THRESHOLD}

    assert determined(cube.values, cube.lines, primary, small_only=True)


def test_a_period_shows_the_same_counts_whenever_it_is_asked(year_of_cases):
    """Watching the year month by month: what was published (or hidden) for an ended month or
    quarter stays so when later months end — no difference between two looks gives a child."""
    final = build_cube(year_of_cases, 2025, TODAY)
    for month in range(1, 12):
        earlier = build_cube(year_of_cases, 2025, date(2025, month + 1, 1))
        tokens = {p.token for p in earlier.periods}
        assert tokens == {p.token for p in final.periods if p.end < date(2025, month + 1, 1)}
        assert {k for k in final.hidden if k[0] in tokens} == earlier.hidden
        assert {k: final.values[k] for k in earlier.values} == earlier.values


def test_every_surface_publishes_the_same_hidden_counts(year_of_cases):
    cube = build_cube(year_of_cases, 2025, TODAY)

    for period in cube.periods:
        published = disclosure.published(year_of_cases, period, TODAY)
        assert published.total_victims == cube.value(period, "total")
        assert published.tables["by_sex"]["P"] == cube.value(period, "sex:P")
        for code, n in published.tables["by_kelurahan"].items():
            assert n == cube.value(period, f"kel:{code}")
        assert published.feeds[21][""] == (
            cube.value(period, "feed21:s"),
            cube.value(period, "feed21:d"),
        )
    shown = disclosure.published(year_of_cases, Period(2025), TODAY).tables["by_kelurahan"]
    assert len(shown) == len(kupang_villages()) + 1  # every kelurahan, and "not recorded"
    assert HIDDEN in shown.values()


def test_a_period_still_running_is_not_published(year_of_cases):
    with pytest.raises(ValueError):
        disclosure.published(year_of_cases, Period(2026, 4), TODAY)


def test_a_change_is_served_the_last_counts_while_a_job_builds_the_new_ones(
    year_of_cases, settings, django_assert_num_queries
):
    """The disclosure control of a big kab/kota takes seconds: after a change, the request
    that finds the counts out of date is answered with the last ones and leaves one job in
    the queue (not one per request), and what is built from them is not built again for each
    request meanwhile; once the job has run, everyone reads the new counts."""
    from django_tasks import task_backends

    from sikla.core import public_cache
    from sikla.protection.statistics import published_report

    year = Period(2025)
    before = disclosure.published(year_of_cases, year, TODAY).total_victims
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    queue = task_backends["default"]
    make_case(
        year_of_cases,
        received_at=local(date(2025, 3, 3)),
        types=[ProtectionType.PHYSICAL],
        children=[{"sex": "P", "age": 9, "region": kupang_villages()[0], "service": True}],
    )
    public_cache.changed(KUPANG)  # what every protection action does through its audit row

    def report():  # the statistics page's report: a cache around the published counts
        return published_report(year_of_cases, year, TODAY).total_victims

    assert disclosure.published(year_of_cases, year, TODAY).total_victims == before
    assert report() == before
    with django_assert_num_queries(0):  # the report built from the last counts, kept meanwhile
        assert report() == before
    assert disclosure.published(year_of_cases, year, TODAY).total_victims == before
    assert [r.task.name for r in queue.results] == ["refresh_statistics"]

    job = queue.results[0]
    job.task.call(*job.args, **job.kwargs)

    assert disclosure.published(year_of_cases, year, TODAY).total_victims == before + 1
    assert report() == before + 1  # what was built from the last counts was not kept
