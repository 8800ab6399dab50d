"""The scoring engine: pure functions driven only by the instrument data. No database.

answers → question points → indicator score (capped at its maximum) → cluster subtotals → total
(two decimals) → category from the configured bounds → prerequisites that may cap the category.

Verification works on points, not answers: a verifier sets the points a question keeps, so
`score_points` is the common core and `score_answers` only turns answers into points first.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
HUNDRED = Decimal(100)
LIMIT = Decimal("1e12")  # a count this large is a typing error

Value = str | Decimal | None  # "yes"/"no", an option value, or a number; None = not answered


def cents(number: Decimal) -> Decimal:
    return Decimal(number).quantize(CENT, rounding=ROUND_HALF_UP)


class InvalidAnswer(ValueError):
    """An answer the rubric cannot score; the message is shown to the user."""


@dataclass(frozen=True)
class QuestionRule:
    code: str
    indicator: int
    answer_type: str  # yes_no | choice | percentage | number
    rubric: Mapping
    max_points: Decimal
    evidence_required: bool = True
    from_data: bool = False


@dataclass(frozen=True)
class IndicatorRule:
    number: int
    cluster: int
    max_points: Decimal


@dataclass(frozen=True)
class Prerequisite:
    question: str
    min_points: Decimal
    reason: str


@dataclass(frozen=True)
class CategoryRule:
    code: str
    name: str
    min_score: Decimal
    inclusive: bool
    prerequisites: tuple[Prerequisite, ...] = ()

    def admits(self, total: Decimal) -> bool:
        return total >= self.min_score if self.inclusive else total > self.min_score

    @property
    def lowest_admitted(self) -> Decimal:
        """The smallest two-decimal total this category admits."""
        return self.min_score if self.inclusive else self.min_score + CENT


@dataclass(frozen=True)
class Instrument:
    indicators: tuple[IndicatorRule, ...]
    questions: tuple[QuestionRule, ...]
    categories: tuple[CategoryRule, ...]  # ascending bounds

    def question(self, code: str) -> QuestionRule:
        for q in self.questions:
            if q.code == code:
                return q
        raise KeyError(code)

    @property
    def max_total(self) -> Decimal:
        return sum((i.max_points for i in self.indicators), ZERO)


@dataclass(frozen=True)
class IndicatorScore:
    number: int
    cluster: int
    score: Decimal
    max_points: Decimal
    raw: Decimal  # before the cap

    @property
    def lost(self) -> Decimal:
        return self.max_points - self.score


@dataclass(frozen=True)
class ClusterScore:
    number: int
    score: Decimal
    max_points: Decimal


@dataclass(frozen=True)
class NextCategory:
    code: str
    name: str
    needed: Decimal  # points still missing to be admitted


@dataclass(frozen=True)
class Result:
    points: dict[str, Decimal]
    indicators: dict[int, IndicatorScore]
    clusters: dict[int, ClusterScore]
    total: Decimal
    max_total: Decimal
    score_category: CategoryRule | None  # what the total alone gives
    category: CategoryRule | None  # after prerequisites
    capped_by: list[str] = field(default_factory=list)  # reasons, when prerequisites cap
    next: NextCategory | None = None

    @property
    def category_code(self) -> str:
        return self.category.code if self.category else ""

    @property
    def category_name(self) -> str:
        return self.category.name if self.category else ""


# --- answers → points ---------------------------------------------------------------------


def as_number(value: Value) -> Decimal:
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        raise InvalidAnswer("Jawaban harus berupa angka.") from None
    if not number.is_finite():
        raise InvalidAnswer("Jawaban harus berupa angka.")
    return number


def clean_value(rule: QuestionRule, value: Value) -> Value:
    """The canonical form of an answer, or InvalidAnswer with a message for the user."""
    if value is None or (isinstance(value, str) and value.strip() == ""):
        return None
    if rule.answer_type == "yes_no":
        value = str(value).strip().lower()
        if value not in {"yes", "no"}:
            raise InvalidAnswer("Pilih ya atau tidak.")
        return value
    if rule.answer_type == "choice":
        value = str(value).strip()
        if value not in {o["value"] for o in rule.rubric["options"]}:
            raise InvalidAnswer("Pilihan tidak dikenal.")
        return value
    number = as_number(value)
    if abs(number) < LIMIT:
        number = cents(number)  # rounded first, so the limits judge what is stored
    if number >= LIMIT:
        raise InvalidAnswer("Angka terlalu besar.")
    if number < 0:
        raise InvalidAnswer("Jawaban tidak boleh negatif.")
    if number == 0:
        number = ZERO  # never "-0.00"
    if rule.answer_type == "percentage" and number > HUNDRED:
        raise InvalidAnswer("Persentase tidak boleh melebihi 100.")
    return number


def _band_points(bands: list, number: Decimal) -> Decimal:
    """Bands are [min, max): the band whose range holds the number; the last band of a
    percentage ends at 100 inclusive, the last band of a count may be open or closed."""
    for band in bands:
        low = Decimal(band["min"])
        high = None if band["max"] is None else Decimal(band["max"])
        if number >= low and (high is None or number < high):
            return Decimal(band["points"])
    # At or beyond the end of a closed last band (100 % exactly, or a count above the scale
    # the catalog drew), the last band applies: more never scores less.
    last = bands[-1]
    if last["max"] is not None and number >= Decimal(last["max"]):
        return Decimal(last["points"])
    return ZERO


def question_points(rule: QuestionRule, value: Value) -> Decimal:
    """Points one answer earns, between 0 and the question's maximum."""
    value = clean_value(rule, value)
    if value is None:
        return ZERO
    rubric = rule.rubric
    if rule.answer_type == "yes_no":
        points = Decimal(rubric[value])
    elif rule.answer_type == "choice":
        points = next(Decimal(o["points"]) for o in rubric["options"] if o["value"] == value)
    elif "bands" in rubric:
        points = _band_points(rubric["bands"], value)
    else:  # a percentage against its target, in proportion
        target, full = Decimal(rubric["target"]), Decimal(rubric["points"])
        points = min(value, target) / target * full
    return cents(max(ZERO, min(points, rule.max_points)))


def answer_points(instrument: Instrument, answers: Mapping[str, Value]) -> dict[str, Decimal]:
    return {q.code: question_points(q, answers.get(q.code)) for q in instrument.questions}


# --- points → result ----------------------------------------------------------------------


def category_for(categories: tuple[CategoryRule, ...], total: Decimal) -> CategoryRule | None:
    admitted = [c for c in categories if c.admits(total)]
    return admitted[-1] if admitted else None


def apply_prerequisites(
    categories: tuple[CategoryRule, ...], category: CategoryRule | None, points: Mapping
) -> tuple[CategoryRule | None, list[str]]:
    """A category needs its own prerequisites and those of every category below it; the first
    failing one caps the result at the category below, with its reason."""
    if category is None:
        return None, []
    allowed: CategoryRule | None = None
    for candidate in categories:
        failed = [
            p.reason for p in candidate.prerequisites if points.get(p.question, ZERO) < p.min_points
        ]
        if failed:
            return allowed, failed
        allowed = candidate
        if candidate is category:
            break
    return allowed, []


def next_category(categories: tuple[CategoryRule, ...], total: Decimal) -> NextCategory | None:
    for c in categories:
        if not c.admits(total):
            return NextCategory(c.code, c.name, c.lowest_admitted - total)
    return None


def score_points(instrument: Instrument, points: Mapping[str, Decimal]) -> Result:
    clean = {
        q.code: cents(max(ZERO, min(Decimal(points.get(q.code, ZERO)), q.max_points)))
        for q in instrument.questions
    }
    raw: dict[int, Decimal] = {i.number: ZERO for i in instrument.indicators}
    for q in instrument.questions:
        raw[q.indicator] += clean[q.code]
    indicators = {
        i.number: IndicatorScore(
            i.number, i.cluster, min(raw[i.number], i.max_points), i.max_points, raw[i.number]
        )
        for i in instrument.indicators
    }
    clusters: dict[int, ClusterScore] = {}
    for i in instrument.indicators:
        before = clusters.get(i.cluster, ClusterScore(i.cluster, ZERO, ZERO))
        clusters[i.cluster] = ClusterScore(
            i.cluster,
            before.score + indicators[i.number].score,
            before.max_points + i.max_points,
        )
    total = cents(sum((s.score for s in indicators.values()), ZERO))
    by_score = category_for(instrument.categories, total)
    category, reasons = apply_prerequisites(instrument.categories, by_score, clean)
    upcoming = next_category(instrument.categories, total)
    if reasons:
        # Capped: the next step is the category right above the one kept, whatever the
        # total; it may need no points at all, only the prerequisite.
        ladder = list(instrument.categories)
        above = ladder[ladder.index(category) + 1] if category else ladder[0]
        upcoming = NextCategory(above.code, above.name, max(ZERO, above.lowest_admitted - total))
    return Result(
        points=clean,
        indicators=indicators,
        clusters=dict(sorted(clusters.items())),
        total=total,
        max_total=instrument.max_total,
        score_category=by_score,
        category=category,
        capped_by=reasons,
        next=upcoming,
    )


def score_answers(instrument: Instrument, answers: Mapping[str, Value]) -> Result:
    return score_points(instrument, answer_points(instrument, answers))


# --- where the next points are ------------------------------------------------------------


def next_gain(rule: QuestionRule, value: Value) -> Decimal:
    """The points the nearest better answer adds (0 when nothing better exists): the smallest
    step up, since a small step is the one a local government can most likely still take."""
    current = question_points(rule, value)
    rubric = rule.rubric
    if rule.answer_type == "yes_no":
        steps = [Decimal(rubric[k]) for k in ("no", "yes")]
    elif rule.answer_type == "choice":
        steps = [Decimal(o["points"]) for o in rubric["options"]]
    elif "bands" in rubric:
        steps = [Decimal(b["points"]) for b in rubric["bands"]]
    else:
        steps = [rule.max_points]
    gains = [cents(min(p, rule.max_points)) - current for p in steps]
    return min((g for g in gains if g > 0), default=ZERO)
