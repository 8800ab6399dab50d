"""The pure scoring engine: hand-computed cases for every answer type, the indicator cap, the
category bounds and prerequisites, properties over generated instruments, and the real catalog.
No database."""

from __future__ import annotations

from decimal import ROUND_DOWN, Decimal

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from sikla.evaluation.scoring import (
    CategoryRule,
    IndicatorRule,
    Instrument,
    InvalidAnswer,
    Prerequisite,
    QuestionRule,
    answer_points,
    apply_prerequisites,
    category_for,
    clean_value,
    next_category,
    next_gain,
    question_points,
    score_answers,
    score_points,
)

D = Decimal
CENT = D("0.01")
HIGHER, LOWER = "higher_is_better", "lower_is_better"

# --- builders -----------------------------------------------------------------------------


def real_bounds(**prerequisites: tuple[Prerequisite, ...]) -> tuple[CategoryRule, ...]:
    """The category bounds of PermenPPPA 12/2022, with optional prerequisites per code."""
    rows = [
        ("pratama", "Pratama", 500, True),
        ("madya", "Madya", 600, False),
        ("nindya", "Nindya", 700, False),
        ("utama", "Utama", 800, False),
        ("kla", "KLA", 900, False),
    ]
    return tuple(
        CategoryRule(code, name, D(bound), inclusive, prerequisites.get(code, ()))
        for code, name, bound, inclusive in rows
    )


REAL_BOUNDS = real_bounds()


def yes_no(code="q", yes="10", no="0", indicator=1) -> QuestionRule:
    return QuestionRule(code, indicator, "yes_no", {"yes": yes, "no": no}, max(D(yes), D(no)))


def choice(code="q", options=(("belum", 0), ("rancangan", 10), ("ditetapkan", 25)), indicator=1):
    rubric = {"options": [{"value": v, "label": v.title(), "points": str(p)} for v, p in options]}
    return QuestionRule(code, indicator, "choice", rubric, max(D(p) for _, p in options))


def target(code="q", target="100", points="15", indicator=1) -> QuestionRule:
    return QuestionRule(
        code, indicator, "percentage", {"target": target, "points": points}, D(points)
    )


def banded(code, answer_type, rows, direction=HIGHER, indicator=1) -> QuestionRule:
    bands = [
        {"min": str(low), "max": None if high is None else str(high), "points": str(points)}
        for low, high, points in rows
    ]
    maximum = max(D(points) for _, _, points in rows)
    return QuestionRule(
        code, indicator, answer_type, {"bands": bands, "direction": direction}, maximum
    )


CHILD_MARRIAGE = banded(  # the real 7.1 bands: lower is better
    "7.1",
    "percentage",
    [(0, 2, 25), (2, 5, 20), (5, 10, 12), (10, 15, 5), (15, 100, 0)],
    direction=LOWER,
    indicator=7,
)
IMMUNISATION = banded(  # a higher-is-better percentage with bands
    "q", "percentage", [(0, 50, 0), (50, 80, 5), (80, 95, 10), (95, 100, 15)]
)
COMMUNITY = banded(  # the real 3.1 bands: a count with an open last band
    "3.1", "number", [(0, 1, 0), (1, 5, 5), (5, 10, 10), (10, None, 15)], indicator=3
)


def two_decimals(number: Decimal) -> bool:
    return number.as_tuple().exponent == -2


# --- 1. answers → points, by hand -----------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "points"),
    [("yes", "10"), ("no", "0"), (None, "0"), ("", "0"), ("YES ", "10"), (" No", "0")],
)
def test_it_scores_yes_no_answers(value, points):
    assert question_points(yes_no(), value) == D(points)


@pytest.mark.parametrize("value", ["maybe", "ya", "1", "true"])
def test_it_rejects_a_yes_no_answer_that_is_neither(value):
    with pytest.raises(InvalidAnswer):
        question_points(yes_no(), value)


def test_it_canonicalises_yes_no_answers():
    assert clean_value(yes_no(), " YES ") == "yes"
    assert clean_value(yes_no(), "   ") is None


@pytest.mark.parametrize(
    ("value", "points"),
    [
        ("belum", "0"),
        ("rancangan", "10"),
        ("ditetapkan", "25"),
        (" ditetapkan ", "25"),
        (None, "0"),
    ],
)
def test_it_scores_each_choice_option(value, points):
    assert question_points(choice(), value) == D(points)


@pytest.mark.parametrize("value", ["lainnya", "Ditetapkan", "25"])
def test_it_rejects_an_unknown_choice_option(value):
    with pytest.raises(InvalidAnswer):
        question_points(choice(), value)


@pytest.mark.parametrize(
    ("target_", "full", "value", "points"),
    [
        ("100", "15", "87.5", "13.13"),  # 13.125, ROUND_HALF_UP
        ("100", "15", "87,5", "13.13"),  # a decimal comma
        ("100", "15", D("87.5"), "13.13"),
        ("100", "15", "100", "15.00"),
        ("100", "15", "0", "0.00"),
        ("100", "15", None, "0.00"),
        ("80", "10", "90", "10.00"),  # above the target: capped at full points
        ("80", "10", "80", "10.00"),
        ("80", "10", "40", "5.00"),
        ("80", "12", "33.33", "5.00"),  # 4.99950 → 5.00
    ],
)
def test_it_scores_a_percentage_in_proportion_to_its_target(target_, full, value, points):
    result = question_points(target(target=target_, points=full), value)
    assert result == D(points)
    assert two_decimals(result)


@pytest.mark.parametrize(
    ("value", "points"),
    [
        ("0", 0),
        ("49.99", 0),
        ("50", 5),
        ("79.99", 5),
        ("80", 10),
        ("94.99", 10),
        ("95", 15),
        ("99.99", 15),
        ("100", 15),  # the last percentage band ends at 100 inclusive
    ],
)
def test_it_scores_higher_is_better_percentage_bands(value, points):
    assert question_points(IMMUNISATION, value) == D(points)


@pytest.mark.parametrize(
    ("value", "points"),
    [
        ("0", 25),
        ("1.99", 25),
        ("2", 20),
        ("4.99", 20),
        ("5", 12),
        ("9.99", 12),
        ("10", 5),
        ("14.99", 5),
        ("15", 0),
        ("50", 0),
        ("100", 0),
        (None, 0),  # not answered earns nothing, even where zero would be the best rate
    ],
)
def test_it_scores_lower_is_better_percentage_bands(value, points):
    assert question_points(CHILD_MARRIAGE, value) == D(points)


@pytest.mark.parametrize(
    ("value", "points"),
    [
        ("0", 0),
        ("0.99", 0),
        ("1", 5),
        ("4", 5),
        ("4.99", 5),
        ("5", 10),
        ("9.99", 10),
        ("10", 15),
        ("10000", 15),  # the open last band
        ("999999999999", 15),
    ],
)
def test_it_scores_number_bands_with_an_open_last_band(value, points):
    assert question_points(COMMUNITY, value) == D(points)


@pytest.mark.parametrize(
    "value",
    ["-1", "-0.01", "100.01", "101", "abc", "NaN", "sNaN", "Infinity", "-Infinity", "1,2,3"],
)
def test_it_rejects_invalid_percentages(value):
    with pytest.raises(InvalidAnswer):
        question_points(target(), value)
    with pytest.raises(InvalidAnswer):
        question_points(CHILD_MARRIAGE, value)


@pytest.mark.parametrize("value", ["-1", "abc", "NaN", "Infinity", "1e12", "1000000000000"])
def test_it_rejects_invalid_numbers(value):
    with pytest.raises(InvalidAnswer):
        question_points(COMMUNITY, value)


@pytest.mark.parametrize(
    ("value", "clean"),
    [
        ("87,5", "87.50"),
        (" 42 ", "42.00"),
        ("13.125", "13.13"),
        (D("7"), "7.00"),
        ("1e2", "100.00"),
    ],
)
def test_it_cleans_numbers_to_two_decimals(value, clean):
    cleaned = clean_value(target(), value)
    assert cleaned == D(clean)
    assert two_decimals(cleaned)


def test_it_accepts_a_comma_as_the_decimal_separator():
    assert question_points(target(), "87,5") == question_points(target(), "87.5") == D("13.13")


# --- 2. the indicator cap, clusters and the total ------------------------------------------


def capped_instrument() -> Instrument:
    return Instrument(
        indicators=(
            IndicatorRule(1, 0, D(20)),
            IndicatorRule(2, 0, D(30)),
            IndicatorRule(3, 1, D(50)),
        ),
        questions=(
            yes_no("1.1", yes="15", indicator=1),
            yes_no("1.2", yes="10", indicator=1),
            target("2.1", points="30", indicator=2),
            choice("3.1", options=(("a", 0), ("b", 20), ("c", 40)), indicator=3),
            yes_no("3.2", yes="25", indicator=3),
        ),
        categories=(),
    )


def test_it_caps_an_indicator_at_its_maximum():
    result = score_answers(capped_instrument(), {"1.1": "yes", "1.2": "yes"})
    first = result.indicators[1]
    assert first.raw == D(25)
    assert first.score == first.max_points == D(20)
    assert first.lost == 0
    assert result.total == D(20)


def test_it_sums_clusters_from_indicators_and_the_total_from_both():
    answers = {"1.1": "yes", "1.2": "no", "2.1": "87.5", "3.1": "c", "3.2": "yes"}
    result = score_answers(capped_instrument(), answers)
    assert result.points == {
        "1.1": D(15),
        "1.2": D(0),
        "2.1": D("26.25"),
        "3.1": D(40),
        "3.2": D(25),
    }
    assert [i.score for i in result.indicators.values()] == [D(15), D("26.25"), D(50)]
    assert result.indicators[3].raw == D(65)
    assert result.clusters[0].score == D("41.25")
    assert result.clusters[0].max_points == D(50)
    assert result.clusters[1].score == D(50)
    assert result.total == D("91.25")
    assert two_decimals(result.total)
    assert result.total == sum(i.score for i in result.indicators.values())
    assert result.total == sum(c.score for c in result.clusters.values())
    assert result.max_total == D(100)


def test_it_caps_verified_points_at_the_question_maximum_and_floors_them_at_zero():
    result = score_points(capped_instrument(), {"1.1": D(99), "1.2": D(-5), "2.1": D("12.345")})
    assert result.points["1.1"] == D(15)
    assert result.points["1.2"] == D(0)
    assert result.points["2.1"] == D("12.35")
    assert result.points["3.1"] == result.points["3.2"] == D(0)  # missing → 0


def test_it_scores_nothing_as_zero_with_two_decimals():
    result = score_answers(capped_instrument(), {})
    assert result.total == D(0)
    assert two_decimals(result.total)
    assert result.category is None


# --- 3. category bounds and the next category ----------------------------------------------


@pytest.mark.parametrize(
    ("total", "code"),
    [
        ("0", None),
        ("499.99", None),
        ("500", "pratama"),
        ("500.00", "pratama"),
        ("600", "pratama"),
        ("600.01", "madya"),
        ("700", "madya"),
        ("700.01", "nindya"),
        ("800", "nindya"),
        ("800.01", "utama"),
        ("900", "utama"),
        ("900.01", "kla"),
        ("1000", "kla"),
    ],
)
def test_it_places_a_total_in_its_category(total, code):
    category = category_for(REAL_BOUNDS, D(total))
    assert (category.code if category else None) == code


@pytest.mark.parametrize(
    ("total", "code", "needed"),
    [
        ("562.50", "madya", "37.51"),  # 600.01 − 562.50
        ("499.00", "pratama", "1.00"),
        ("0.00", "pratama", "500.00"),
        ("500.00", "madya", "100.01"),
        ("600.00", "madya", "0.01"),
        ("600.01", "nindya", "100.00"),
        ("899.99", "kla", "0.02"),
        ("900.00", "kla", "0.01"),
    ],
)
def test_it_names_the_next_category_and_the_points_still_needed(total, code, needed):
    nxt = next_category(REAL_BOUNDS, D(total))
    assert (nxt.code, nxt.needed) == (code, D(needed))


@pytest.mark.parametrize("total", ["900.01", "950", "1000"])
def test_it_has_no_next_category_at_the_top(total):
    assert next_category(REAL_BOUNDS, D(total)) is None


def test_it_reports_the_next_category_on_the_result():
    instrument = Instrument(
        (IndicatorRule(1, 0, D(1000)),),
        (target("1.1", points="1000", indicator=1),),
        REAL_BOUNDS,
    )
    result = score_answers(instrument, {"1.1": "56.25"})
    assert result.total == D("562.50")
    assert result.category_code == "pratama"
    assert result.category_name == "Pratama"
    assert (result.next.code, result.next.needed) == ("madya", D("37.51"))


# --- 4. prerequisites ----------------------------------------------------------------------

SCHOOLS = Prerequisite(
    question="q19", min_points=D(10), reason="Satuan pendidikan ramah anak minimal 25%"
)
POLICY = Prerequisite(question="q1", min_points=D(5), reason="Perda KLA wajib ada")


def prerequisite_instrument(**prerequisites) -> Instrument:
    return Instrument(
        indicators=(IndicatorRule(1, 0, D(980)), IndicatorRule(2, 1, D(20))),
        questions=(
            target("big", points="970", indicator=1),
            yes_no("q1", yes="10", indicator=1),
            yes_no("q19", yes="20", no="0", indicator=2),
        ),
        categories=real_bounds(**prerequisites),
    )


def test_it_caps_the_category_when_a_prerequisite_fails():
    instrument = prerequisite_instrument(madya=(SCHOOLS,))
    result = score_points(instrument, {"big": D(645), "q1": D(10), "q19": D("9.99")})
    assert result.total == D("664.99")
    assert result.score_category.code == "madya"
    assert result.category.code == "pratama"
    assert result.capped_by == [SCHOOLS.reason]


def test_it_keeps_the_category_when_the_prerequisite_is_met():
    instrument = prerequisite_instrument(madya=(SCHOOLS,))
    for q19 in (D(10), D(20)):
        result = score_points(instrument, {"big": D(645), "q1": D(10), "q19": q19})
        assert result.category.code == result.score_category.code == "madya"
        assert result.capped_by == []


def test_it_applies_prerequisites_to_answers_too():
    instrument = prerequisite_instrument(madya=(SCHOOLS,))
    result = score_answers(instrument, {"big": "65", "q1": "yes", "q19": "no"})
    assert result.total == D("640.50")
    assert (result.score_category.code, result.category.code) == ("madya", "pratama")
    result = score_answers(instrument, {"big": "65", "q1": "yes", "q19": "yes"})
    assert result.category.code == "madya"


def test_it_applies_prerequisites_cumulatively():
    instrument = prerequisite_instrument(madya=(SCHOOLS,))
    result = score_points(instrument, {"big": D(750), "q1": D(10), "q19": D(0)})
    assert result.score_category.code == "nindya"
    assert result.category.code == "pratama"
    assert result.capped_by == [SCHOOLS.reason]


def test_it_gives_no_category_when_a_pratama_prerequisite_fails():
    instrument = prerequisite_instrument(pratama=(POLICY,), madya=(SCHOOLS,))
    result = score_points(instrument, {"big": D(960), "q1": D(0), "q19": D(20)})
    assert result.score_category.code == "kla"
    assert result.category is None
    assert result.category_code == result.category_name == ""
    assert result.capped_by == [POLICY.reason]


def test_it_ignores_prerequisites_of_categories_above_the_score():
    instrument = prerequisite_instrument(madya=(SCHOOLS,))
    result = score_points(instrument, {"big": D(540), "q1": D(10), "q19": D(0)})
    assert result.category.code == result.score_category.code == "pratama"
    assert result.capped_by == []


def test_it_lists_every_failing_reason_of_the_first_failing_category():
    instrument = prerequisite_instrument(nindya=(SCHOOLS, POLICY))
    result = score_points(instrument, {"big": D(800), "q1": D(0), "q19": D(0)})
    assert result.category.code == "madya"
    assert result.capped_by == [SCHOOLS.reason, POLICY.reason]


def test_it_applies_no_prerequisite_without_a_category():
    categories = real_bounds(pratama=(POLICY,))
    assert apply_prerequisites(categories, None, {}) == (None, [])


# --- 5. properties over generated instruments ---------------------------------------------
#
# Every strategy below is built once, at import: building hypothesis strategies inside a
# composite (one per generated question) costs more than drawing from them.

PROPERTY = settings(max_examples=200, deadline=None, database=None)


def amounts(low, high):
    """Two-decimal amounts between low and high (faster to draw than st.decimals)."""
    return st.integers(int(D(low) * 100), int(D(high) * 100)).map(lambda n: D(n).scaleb(-2))


POINTS = amounts(0, 40)
POSITIVE_POINTS = amounts("0.01", 40)
TARGETS = amounts("0.01", 100)
MAXIMA = amounts("0.01", 60)
WIDTHS = amounts(1, 100)
TOTALS = amounts(0, 400)
KINDS = st.sampled_from(["yes_no", "choice", "target", "percent_bands", "number_bands"])
DIRECTIONS = st.sampled_from([HIGHER, LOWER])
OPTION_POINTS = st.lists(POINTS, min_size=2, max_size=5)
PERCENT_CUTS = st.lists(amounts("0.01", "99.99"), max_size=4, unique=True).map(sorted)
COUNT_CUTS = st.lists(amounts("0.01", 1000), max_size=4, unique=True).map(sorted)
BOUNDS = st.lists(amounts(0, 300), min_size=1, max_size=5, unique=True).map(sorted)
SIZES = st.integers(1, 6)
QUESTION_COUNTS = st.integers(1, 5)
CLUSTERS = st.integers(0, 5)
INDEX = st.integers(0, 255)
SHARE = st.integers(0, 10_000)  # of ten thousand
FORM = st.integers(0, 5)
THIRDS = st.integers(0, 2)
BOOLEANS = st.booleans()


def _bands_rows(cuts, points, direction, upper):
    """Contiguous bands over the cuts; the points ordered by the direction."""
    points = sorted(points, reverse=direction == LOWER)
    edges = [D(0), *cuts]
    rows = []
    for i, low in enumerate(edges):
        high = edges[i + 1] if i + 1 < len(edges) else upper
        rows.append(
            {"min": str(low), "max": None if high is None else str(high), "points": str(points[i])}
        )
    return rows


def draw_question(draw, code: str, indicator: int) -> QuestionRule:
    """A question of a random type with a valid rubric, as the catalog loader would accept."""
    kind = draw(KINDS)
    if kind == "yes_no":
        no, yes = sorted([draw(POINTS), draw(POINTS)])
        return QuestionRule(code, indicator, "yes_no", {"yes": str(yes), "no": str(no)}, yes)
    if kind == "choice":
        points = draw(OPTION_POINTS)
        options = [
            {"value": f"o{i}", "label": f"Opsi {i}", "points": str(p)} for i, p in enumerate(points)
        ]
        return QuestionRule(code, indicator, "choice", {"options": options}, max(points))
    if kind == "target":
        goal, full = draw(TARGETS), draw(POSITIVE_POINTS)
        rubric = {"target": str(goal), "points": str(full)}
        return QuestionRule(code, indicator, "percentage", rubric, full)
    direction = draw(DIRECTIONS)
    upper = None
    if kind == "percent_bands":
        cuts, upper, answer_type = draw(PERCENT_CUTS), D(100), "percentage"
    else:
        cuts, answer_type = draw(COUNT_CUTS), "number"
        # The last band of a count may be closed too; numbers beyond it keep its points.
        if draw(BOOLEANS):
            upper = (cuts[-1] if cuts else D(0)) + draw(WIDTHS)
    points = [draw(POINTS) for _ in range(len(cuts) + 1)]
    rows = _bands_rows(cuts, points, direction, upper)
    return QuestionRule(
        code, indicator, answer_type, {"bands": rows, "direction": direction}, max(points)
    )


@st.composite
def question_rules(draw, code: str = "1.1", indicator: int = 1) -> QuestionRule:
    return draw_question(draw, code, indicator)


@st.composite
def category_rules(draw) -> tuple[CategoryRule, ...]:
    """Bounds as a valid catalog has them: each category admits a higher lowest total than the
    one below (the catalog loader refuses "> 600" followed by ">= 600.01")."""
    rules = tuple(
        CategoryRule(f"c{i}", f"Kategori {i}", bound, draw(BOOLEANS))
        for i, bound in enumerate(draw(BOUNDS))
    )
    lowest = [r.lowest_admitted for r in rules]
    assume(all(a < b for a, b in zip(lowest, lowest[1:], strict=False)))
    return rules


@st.composite
def instruments(draw) -> Instrument:
    indicators, questions = [], []
    for number in range(1, draw(SIZES) + 1):
        indicators.append(IndicatorRule(number, draw(CLUSTERS), draw(MAXIMA)))
        for k in range(1, draw(QUESTION_COUNTS) + 1):
            questions.append(draw_question(draw, f"{number}.{k}", number))
    return Instrument(tuple(indicators), tuple(questions), draw(category_rules()))


def _direction(rule: QuestionRule) -> str:
    return rule.rubric.get("direction", HIGHER)


def _upper(rule: QuestionRule) -> Decimal:
    if rule.answer_type == "percentage":
        return D(100)
    last = rule.rubric["bands"][-1]
    return D(last["min"]) * 2 + 20 if last["max"] is None else D(last["max"]) + 20


def _edges(rule: QuestionRule) -> list[Decimal]:
    edges = [D(0)]
    if "bands" in rule.rubric:
        edges += [D(b["min"]) for b in rule.rubric["bands"]]
        edges += [D(b["max"]) for b in rule.rubric["bands"] if b["max"] is not None]
    else:
        edges += [D(rule.rubric["target"])]
    return [e for e in edges if rule.answer_type != "percentage" or e <= 100]


def pick(draw, items: list):
    return items[draw(INDEX) % len(items)]


def draw_number(draw, rule: QuestionRule) -> Decimal:
    """A valid number for a percentage or count question, often right on a band edge."""
    how = draw(THIRDS)
    if how == 0:
        return (_upper(rule) * draw(SHARE) / 10_000).quantize(CENT, rounding=ROUND_DOWN)
    edge = pick(draw, _edges(rule))
    if how == 2 and (rule.answer_type == "number" or edge < 100):
        return edge + CENT  # just past an edge
    return edge


def draw_answer(draw, rule: QuestionRule):
    """An answer as a form would send it: None, a canonical value, or loosely typed."""
    if rule.answer_type == "yes_no":
        return pick(draw, [None, "yes", "no", " YES", "", "No "])
    if rule.answer_type == "choice":
        return pick(draw, [None, *(o["value"] for o in rule.rubric["options"])])
    form = draw(FORM)
    if form == 0:
        return None
    number = draw_number(draw, rule)
    return {1: number, 2: number, 3: str(number), 4: str(number).replace(".", ","), 5: " "}[form]


@st.composite
def instruments_with_answers(draw):
    instrument = draw(instruments())
    answers = {q.code: draw_answer(draw, q) for q in instrument.questions}
    return instrument, answers


def draw_improvement(draw, rule: QuestionRule):
    """A (worse, better) pair of answers to one question."""
    if rule.answer_type == "yes_no":
        rank = [None, "no", "yes"]
        a, b = sorted([pick(draw, rank), pick(draw, rank)], key=rank.index)
        return a, b
    if rule.answer_type == "choice":
        points = {None: D(0)} | {o["value"]: D(o["points"]) for o in rule.rubric["options"]}
        a, b = sorted([pick(draw, list(points)), pick(draw, list(points))], key=points.get)
        return a, b
    if draw(THIRDS) == 0:  # the two sides of a band edge, where a step is most likely wrong
        low = pick(draw, [e for e in _edges(rule) if rule.answer_type == "number" or e < 100])
        high = low + CENT
    else:
        low, high = sorted([draw_number(draw, rule), draw_number(draw, rule)])
    worse, better = (low, high) if _direction(rule) == HIGHER else (high, low)
    if draw(BOOLEANS):
        worse = None  # any answer is at least as good as none
    return worse, better


def category_order(categories, category) -> int:
    return -1 if category is None else categories.index(category)


@PROPERTY
@given(instruments_with_answers())
def test_it_keeps_every_score_within_its_bounds_and_adds_it_up(case):
    """One generated case checks the bounds, the sums and answers-vs-points together: drawing
    an instrument is the slow part, so the three properties share each draw."""
    instrument, answers = case
    points = answer_points(instrument, answers)
    result = score_answers(instrument, answers)
    # score_answers is score_points over the answers' points
    assert result == score_points(instrument, points)
    assert score_points(instrument, points).points == points  # stable when re-scored
    # bounds: never negative, never above a maximum
    for q in instrument.questions:
        assert 0 <= result.points[q.code] <= q.max_points
        assert two_decimals(result.points[q.code])
    for i in instrument.indicators:
        indicator = result.indicators[i.number]
        assert 0 <= indicator.score <= i.max_points
        assert indicator.score == min(indicator.raw, i.max_points)
        own = [result.points[q.code] for q in instrument.questions if q.indicator == i.number]
        assert indicator.raw == sum(own)
    assert 0 <= result.total <= instrument.max_total
    assert result.max_total == instrument.max_total
    # sums: total == indicators == clusters, with two decimals
    assert two_decimals(result.total)
    assert result.total == sum(s.score for s in result.indicators.values())
    assert result.total == sum(c.score for c in result.clusters.values())
    for number, cluster in result.clusters.items():
        members = [i for i in instrument.indicators if i.cluster == number]
        assert cluster.score == sum(result.indicators[i.number].score for i in members)
        assert cluster.max_points == sum(i.max_points for i in members)
    # the category is the one the total earns (no prerequisites here)
    assert (
        result.category
        == result.score_category
        == category_for(instrument.categories, result.total)
    )


@settings(max_examples=500, deadline=None, database=None)  # one question a case: cheap
@given(st.data())
def test_it_never_lowers_a_question_s_points_for_a_better_answer(data):
    rule = draw_question(data.draw, "1.1", 1)
    worse, better = draw_improvement(data.draw, rule)
    assert question_points(rule, better) >= question_points(rule, worse)


@PROPERTY
@given(instruments_with_answers(), st.data())
def test_it_never_lowers_a_score_for_a_better_answer(case, data):
    instrument, answers = case
    rule = data.draw(st.sampled_from(instrument.questions))
    worse, better = draw_improvement(data.draw, rule)
    assert question_points(rule, better) >= question_points(rule, worse)
    before = score_answers(instrument, answers | {rule.code: worse})
    after = score_answers(instrument, answers | {rule.code: better})
    assert after.points[rule.code] >= before.points[rule.code]
    assert after.indicators[rule.indicator].score >= before.indicators[rule.indicator].score
    assert after.total >= before.total
    for code, points in before.points.items():
        if code != rule.code:
            assert after.points[code] == points


@PROPERTY
@given(category_rules(), st.data())
def test_it_orders_categories_by_the_total(categories, data):
    low, high = sorted([data.draw(TOTALS), data.draw(TOTALS)])
    first, second = category_for(categories, low), category_for(categories, high)
    assert category_order(categories, first) <= category_order(categories, second)
    for total, category in ((low, first), (high, second)):
        admitted = [c for c in categories if c.admits(total)]
        if category is None:
            assert admitted == []
        else:
            assert category.admits(total)
            assert category == admitted[-1]


@PROPERTY
@given(category_rules(), TOTALS)
def test_it_names_exactly_the_points_the_next_category_needs(categories, total):
    nxt = next_category(categories, total)
    if nxt is None:
        assert categories[-1].admits(total)
        return
    rule = next(c for c in categories if c.code == nxt.code)
    assert nxt.needed > 0
    assert nxt.needed == nxt.needed.quantize(CENT)
    assert rule.admits(total + nxt.needed)
    assert not rule.admits(total + nxt.needed - CENT)
    assert category_for(categories, total + nxt.needed) == rule
    # every category below the next one already admits the total
    for c in categories[: categories.index(rule)]:
        assert c.admits(total)


@PROPERTY
@given(category_rules(), st.data())
def test_it_never_raises_the_category_through_prerequisites(categories, data):
    codes = [c.code for c in categories]
    q = yes_no("q")
    failing = {code: data.draw(BOOLEANS) for code in codes}
    with_rules = tuple(
        CategoryRule(
            c.code,
            c.name,
            c.min_score,
            c.inclusive,
            (Prerequisite("q", D(1) if failing[c.code] else D(0), f"sebab {c.code}"),),
        )
        for c in categories
    )
    total = data.draw(TOTALS)
    by_score = category_for(with_rules, total)
    category, reasons = apply_prerequisites(with_rules, by_score, {q.code: D(0)})
    assert category_order(with_rules, category) <= category_order(with_rules, by_score)
    reached = with_rules[: category_order(with_rules, by_score) + 1]
    first_failing = next((c for c in reached if failing[c.code]), None)
    if first_failing is None:
        assert (category, reasons) == (by_score, [])
    else:
        assert reasons == [f"sebab {first_failing.code}"]
        assert category_order(with_rules, category) == with_rules.index(first_failing) - 1


def candidate_answers(rule: QuestionRule) -> list:
    if rule.answer_type == "yes_no":
        return ["yes", "no"]
    if rule.answer_type == "choice":
        return [o["value"] for o in rule.rubric["options"]]
    return _edges(rule) + [D(100)] if rule.answer_type == "percentage" else _edges(rule)


@PROPERTY
@given(st.data())
def test_it_offers_a_next_gain_some_answer_can_reach(data):
    rule = draw_question(data.draw, "1.1", 1)
    value = draw_answer(data.draw, rule)
    gain = next_gain(rule, value)
    current = question_points(rule, value)
    assert gain >= 0
    assert current + gain <= rule.max_points
    gains = {question_points(rule, a) - current for a in candidate_answers(rule)}
    if gain > 0:
        assert gain in gains
        if rule.answer_type in ("yes_no", "choice") or "bands" in rule.rubric:
            # the smallest step up among every answer the rubric offers
            assert gain == min(g for g in gains if g > 0)
    else:
        assert all(g <= 0 for g in gains)


@PROPERTY
@given(st.data())
def test_it_cleans_an_answer_to_a_form_that_cleans_to_itself(data):
    """A stored answer is str(clean_value(...)); reading it back must give the same answer."""
    rule = draw_question(data.draw, "1.1", 1)
    value = draw_answer(data.draw, rule)
    clean = clean_value(rule, value)
    assert clean_value(rule, clean) == clean
    stored = None if clean is None else str(clean)
    assert clean_value(rule, stored) == clean
    assert question_points(rule, stored) == question_points(rule, value)


# --- regressions: a closed last count band, the limits judged after rounding ----------------


@pytest.mark.parametrize("direction", [HIGHER, LOWER])
def test_it_keeps_the_last_band_s_points_above_a_closed_last_count_band(direction):
    rows = [(0, 5, 0), (5, 10, 10)] if direction == HIGHER else [(0, 5, 10), (5, 10, 0)]
    rule = banded("q", "number", rows, direction=direction)
    last = D(rows[-1][2])
    assert question_points(rule, "9.99") == last
    assert question_points(rule, "10") == last
    assert question_points(rule, "10.01") == last
    assert question_points(rule, "5000") == last


@pytest.mark.parametrize(
    ("rule", "value", "clean"),
    [
        (COMMUNITY, "999999999999.994", "999999999999.99"),
        (target(), "99.995", "100.00"),
        (target(), "100.004", "100.00"),
    ],
)
def test_it_judges_the_limits_after_rounding_to_cents(rule, value, clean):
    cleaned = clean_value(rule, value)
    assert cleaned == D(clean)
    assert clean_value(rule, str(cleaned)) == cleaned


@pytest.mark.parametrize("value", ["999999999999.995", "1e12"])
def test_it_refuses_a_count_that_rounds_to_the_limit(value):
    with pytest.raises(InvalidAnswer):
        clean_value(COMMUNITY, value)


@pytest.mark.parametrize("value", ["1e30", "-1e30", "1e999", "-1e999", "123456789" * 4])
@pytest.mark.parametrize("rule", [COMMUNITY, CHILD_MARRIAGE, target()])
def test_it_refuses_huge_numbers_as_an_invalid_answer_not_a_crash(rule, value):
    with pytest.raises(InvalidAnswer):
        clean_value(rule, value)


# --- 6. the real catalog -------------------------------------------------------------------


@pytest.fixture(scope="module")
def catalog() -> dict:
    from sikla.indicators.catalog import DEFAULT_CATALOG, parse_catalog

    return parse_catalog(DEFAULT_CATALOG)


def instrument_from(catalog: dict) -> Instrument:
    indicators, questions = [], []
    for cluster in catalog["clusters"]:
        for ind in cluster["indicators"]:
            indicators.append(IndicatorRule(ind["number"], cluster["number"], ind["max_points"]))
            questions += [
                QuestionRule(
                    code=q["code"],
                    indicator=ind["number"],
                    answer_type=q["answer_type"],
                    rubric=q["rubric"],
                    max_points=q["max_points"],
                    evidence_required=bool(q["evidence"]),
                    from_data=q["from_data"],
                )
                for q in ind["questions"]
            ]
    categories = tuple(
        CategoryRule(
            c["code"],
            c["name"],
            c["min_score"],
            c["inclusive"],
            tuple(
                Prerequisite(p["question"], D(p["min_points"]), p["reason"])
                for p in c["prerequisites"]
            ),
        )
        for c in catalog["categories"]
    )
    return Instrument(tuple(indicators), tuple(questions), categories)


def best_answer(rule: QuestionRule):
    rubric = rule.rubric
    if rule.answer_type == "yes_no":
        return max(("yes", "no"), key=lambda k: D(rubric[k]))
    if rule.answer_type == "choice":
        return max(rubric["options"], key=lambda o: D(o["points"]))["value"]
    if "bands" not in rubric:
        return "100"
    best = max(rubric["bands"], key=lambda b: D(b["points"]))
    return best["min"]


def test_it_reads_the_real_catalog(catalog):
    instrument = instrument_from(catalog)
    assert len(instrument.indicators) == 24
    assert len(instrument.questions) == 103
    assert instrument.max_total == D(1000)
    assert [(c.code, c.min_score, c.inclusive) for c in instrument.categories] == [
        ("pratama", D(500), True),
        ("madya", D(600), False),
        ("nindya", D(700), False),
        ("utama", D(800), False),
        ("kla", D(900), False),
    ]


def test_it_gives_the_real_catalog_full_marks_for_the_best_answers(catalog):
    instrument = instrument_from(catalog)
    result = score_answers(instrument, {q.code: best_answer(q) for q in instrument.questions})
    assert result.total == D("1000.00")
    assert two_decimals(result.total)
    assert result.category.code == result.score_category.code == "kla"
    assert result.capped_by == []
    assert result.next is None
    assert all(s.score == s.max_points for s in result.indicators.values())
    assert all(next_gain(q, best_answer(q)) == 0 for q in instrument.questions)


def test_it_gives_the_real_catalog_nothing_for_no_answers(catalog):
    instrument = instrument_from(catalog)
    result = score_answers(instrument, {})
    assert result.total == D(0)
    assert two_decimals(result.total)
    assert result.category is None
    assert result.score_category is None
    assert (result.next.code, result.next.needed) == ("pratama", D(500))


def test_it_takes_only_percentages_from_data_in_the_real_catalog(catalog):
    from_data = [
        (q["code"], q["answer_type"])
        for cluster in catalog["clusters"]
        for ind in cluster["indicators"]
        for q in ind["questions"]
        if q["from_data"]
    ]
    assert from_data
    assert {answer_type for _, answer_type in from_data} == {"percentage"}


@settings(max_examples=30, deadline=None, database=None)
@given(st.data())
def test_it_keeps_real_catalog_scores_within_bounds(catalog, data):
    instrument = instrument_from(catalog)
    answers = {q.code: draw_answer(data.draw, q) for q in instrument.questions}
    result = score_answers(instrument, answers)
    assert 0 <= result.total <= D(1000)
    assert result.total == sum(s.score for s in result.indicators.values())
    category = category_for(instrument.categories, result.total)
    assert result.category == category


def test_it_stores_a_negative_zero_as_zero():
    rule = QuestionRule(
        "q",
        1,
        "number",
        {"bands": [{"min": "0", "max": None, "points": "5"}], "direction": "higher_is_better"},
        D(5),
    )
    assert str(clean_value(rule, "-0")) == "0.00"
    assert str(clean_value(rule, "-0.004")) == "0.00"


def test_it_names_the_category_a_prerequisite_holds_back_as_the_next_step():
    rules = (
        QuestionRule("a", 1, "yes_no", {"yes": "700", "no": "0"}, D(700)),
        QuestionRule("b", 1, "yes_no", {"yes": "10", "no": "0"}, D(10)),
    )
    categories = (
        CategoryRule("pratama", "Pratama", D(500), True),
        CategoryRule("madya", "Madya", D(600), False, (Prerequisite("b", D(10), "SRA ≥ 25 %"),)),
        CategoryRule("nindya", "Nindya", D(700), False),
    )
    instrument = Instrument((IndicatorRule(1, 0, D(1000)),), rules, categories)

    result = score_answers(instrument, {"a": "yes", "b": "no"})

    assert result.category.code == "pratama"
    assert result.next.code == "madya"
    assert result.next.needed == D("0.00")
    assert result.capped_by == ["SRA ≥ 25 %"]
