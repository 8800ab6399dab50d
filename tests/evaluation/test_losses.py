"""Where points are lost (`evaluation.losses.summarise`): the figures of the monitoring page and
its API, worked out from sums, equal the same figures worked out score by score in exact
fractions, for any catalog and any scores (hypothesis)."""

from collections import Counter
from decimal import Decimal
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from sikla.evaluation.losses import HOLDING_BACK, Behind, Losses, summarise

MAXIMA = st.sampled_from([Decimal(0), Decimal(3), Decimal("7.5"), Decimal(10), Decimal(20)])
POINTS = st.one_of(
    st.none(),
    st.just(""),
    st.decimals(min_value=0, max_value=25, places=2).map(str),  # as the stage results keep them
    st.integers(min_value=0, max_value=20),
)


@st.composite
def years(draw):
    count = draw(st.integers(min_value=1, max_value=6))
    catalog = [
        (n, f"Indikator {n}", draw(st.sampled_from([1, 2, 3])), draw(MAXIMA))
        for n in range(1, count + 1)
    ]
    clusters = [(1, "Klaster I"), (2, "Klaster II"), (3, "Klaster III")]
    rows = []
    for i in range(draw(st.integers(min_value=0, max_value=8))):
        scores = {str(n): draw(POINTS) for n, *_ in catalog if draw(st.booleans())}
        if draw(st.booleans()):
            scores["99"] = draw(POINTS)  # a score the active catalog no longer has
        name = draw(st.sampled_from(["Kota A", "Kab. B"]))
        rows.append((f"53.{i + 10}", name, "self", scores))
    return catalog, clusters, rows


def exact(value: Fraction) -> Decimal:
    """To four places, half to even, as the page shows it."""
    rounded = round(value, 4)
    return Decimal(rounded.numerator) / Decimal(rounded.denominator)


def given_points(value) -> Fraction | None:
    return None if value in (None, "") else Fraction(Decimal(str(value)))


@settings(max_examples=300, deadline=None)
@given(years())
def test_the_sums_equal_the_figures_worked_out_score_by_score(year):
    catalog, clusters, rows = year
    found = summarise(Losses(2026, ""), catalog, clusters, rows)

    shares = {}  # (code, number) → exact share of the maximum
    for code, _name, _stage, scores in rows:
        for number, _n, _c, top in catalog:
            points = given_points(scores.get(str(number)))
            if points is not None and top:
                shares[code, number] = points / Fraction(top)
    names = {code: name for code, name, _stage, _scores in rows}

    held_back = Counter()
    for code, *_ in rows:
        lost = sorted(
            (-(1 - share) * Fraction(top), number)
            for number, _n, _c, top in catalog
            if (share := shares.get((code, number))) is not None and share < 1
        )
        held_back.update(number for _lost, number in lost[:HOLDING_BACK])

    for (number, *_), indicator in zip(catalog, found.indicators, strict=True):
        column = sorted((share, code) for (code, n), share in shares.items() if n == number)
        assert indicator.evaluations == len(column)
        if column:
            assert indicator.average_share == exact(sum(s for s, _c in column) / len(column))
            low_share, low_code = column[0]
            assert indicator.furthest_behind == Behind(low_code, names[low_code], exact(low_share))
        else:
            assert indicator.average_share is None and indicator.furthest_behind is None
        assert indicator.distribution == [
            sum(1 for share, _c in column if min(3, int(share * 4)) == quarter)
            for quarter in range(4)
        ]
        assert indicator.holding_back == held_back[number]

    for (number, _name), cluster in zip(clusters, found.clusters, strict=True):
        members = [(n, top) for n, _name, c, top in catalog if c == number]
        top = sum(Fraction(m) for _n, m in members)
        per_lg = []
        for code, *_ in rows:
            scored = [shares[code, n] * Fraction(m) for n, m in members if (code, n) in shares]
            if scored and top:
                per_lg.append(sum(scored) / top)
        assert cluster.max_points == sum((m for _n, m in members), Decimal(0))
        assert cluster.average_share == (exact(sum(per_lg) / len(per_lg)) if per_lg else None)

    for (code, _name, _stage, scores), row in zip(rows, found.rows, strict=True):
        given_total = sum(p for p in map(given_points, scores.values()) if p is not None)
        assert (row.code, Fraction(row.total)) == (code, Fraction(given_total))
        assert {n: s for n, s in row.shares.items() if s is not None} == {
            n: row.shares[n] for (c, n) in shares if c == code
        }
        for (c, n), share in shares.items():
            if c == code:
                assert exact(Fraction(row.shares[n])) == exact(share)
