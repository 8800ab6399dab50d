"""Two evaluations of Kota Kupang for the demo, written through the real actions:

- 2024: self-assessed, verified lower by the province (evidence that did not hold), re-checked
  and field-verified by the ministry, determined Pratama;
- 2025: self-assessment in progress, a dozen points short of Madya, with some answers still
  lacking evidence and some data not yet approved.

Answers are chosen by a fixed rule (best answers, then a seeded set of weaker ones until the
target is reached), so the demo is the same on every machine.
"""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from sikla.collection import actions as collection
from sikla.collection.demo import PDF, plausible_values
from sikla.collection.models import PeriodStatus, SubmissionStatus
from sikla.collection.queries import entry_rows
from sikla.indicators.models import Question

from . import actions, queries, scoring
from .models import FieldMode

PLAN = {2024: Decimal(548), 2025: Decimal(588)}


def _best(rule: scoring.QuestionRule) -> str:
    if rule.answer_type == "yes_no":
        return "yes"
    if rule.answer_type == "choice":
        return max(rule.rubric["options"], key=lambda o: Decimal(o["points"]))["value"]
    if "bands" in rule.rubric:
        best = max(rule.rubric["bands"], key=lambda b: Decimal(b["points"]))
        return best["min"]
    return rule.rubric["target"]


def _weaker(rule: scoring.QuestionRule, rng: random.Random) -> str:
    if rule.answer_type == "yes_no":
        return "no"
    if rule.answer_type == "choice":
        options = sorted(rule.rubric["options"], key=lambda o: Decimal(o["points"]))
        return options[len(options) // 2 - (len(options) % 2 == 0)]["value"]
    if "bands" in rule.rubric:
        bands = rule.rubric["bands"]
        return bands[len(bands) // 2]["min"]
    return str(round(Decimal(rule.rubric["target"]) * Decimal(rng.uniform(0.45, 0.8)), 1))


def choose_answers(period, target: Decimal, rng: random.Random) -> dict[str, str]:
    """Typed-in answers that bring the self-assessment just under `target`."""
    a = queries.assessment(period)
    manual = [q for q in a.instrument.questions if not q.from_data]
    answers = {q.code: _best(q) for q in manual}
    data = {code: v for code, v in a.answers.items() if code not in answers}
    order = manual[:]
    rng.shuffle(order)
    for rule in order:
        if scoring.score_answers(a.instrument, {**data, **answers}).total <= target:
            break
        answers[rule.code] = _weaker(rule, rng)
    return answers


def _fill_data(period, lg, rng, *, author, reviewer, pending: set[int]) -> None:
    """Collection data for the data-driven indicators; approved unless listed in `pending`."""
    numbers = set(
        Question.objects.filter(indicator__version=period.catalog, from_data=True).values_list(
            "indicator__number", flat=True
        )
    )
    for submission in period.submissions.select_related("indicator").filter(
        indicator__number__in=numbers
    ):
        values = plausible_values(submission, entry_rows(submission.indicator, lg), rng)
        collection.save_values(
            submission,
            actor=author,
            values=values,
            narrative="Rekapitulasi data dari perangkat daerah pengampu.",
            expected_version=submission.version,
        )
        collection.submit_submission(submission, actor=author)
        if submission.indicator.number not in pending:
            collection.approve_submission(submission, actor=reviewer)


def _evidence(period, codes: list[str], *, actor) -> None:
    questions = Question.objects.filter(
        indicator__version=period.catalog, code__in=codes
    ).select_related("indicator")
    for question in questions:
        submission = period.submissions.get(indicator=question.indicator)
        if submission.status not in {SubmissionStatus.DRAFT, SubmissionStatus.RETURNED}:
            continue
        collection.upload_evidence(
            submission,
            actor=actor,
            upload=SimpleUploadedFile(
                "bukti.pdf", PDF + f"% {period.year} {question.code}".encode()
            ),
            title=f"Bukti dukung {question.code} tahun {period.data_year}",
            kind="decree" if question.answer_type in {"yes_no", "choice"} else "report",
            document_date=date(period.data_year, 11, 15),
            question=question,
        )


def _self_assessment(period, lg, rng, *, admin, secretariat, pending, unsupported: int):
    _fill_data(period, lg, rng, author=secretariat, reviewer=admin, pending=pending)
    answers = choose_answers(period, PLAN[period.year], rng)
    scored = [c for c, v in answers.items() if v not in {"no", "belum"}]
    rng.shuffle(scored)
    # Most claimed points get their evidence; a few do not, as in real self-assessments.
    _evidence(period, scored[unsupported:], actor=secretariat)
    actions.save_answers(
        period, actor=secretariat, answers={c: (v, "") for c, v in answers.items()}
    )
    return scored[:unsupported]


def load_demo_evaluations(*, lg, admin, secretariat, province, ministry) -> None:
    if lg.evaluations.exists():
        return
    rng = random.Random(2024)  # noqa: S311 - demo figures, not security
    periods = {}
    for year in (2024, 2025):
        periods[year] = lg.periods.filter(year=year).first() or collection.open_period(
            actor=admin,
            local_government=lg,
            year=year,
            input_deadline=date(year, 3, 31),
            review_deadline=date(year, 4, 30),
        )
        collection.confirm_assignments(periods[year], actor=secretariat)

    # 2024: the province cuts what its evidence does not hold; the ministry confirms Pratama.
    period = periods[2024]
    unsupported = _self_assessment(
        period, lg, rng, admin=admin, secretariat=secretariat, pending=set(), unsupported=4
    )
    actions.submit_self_assessment(period, actor=secretariat, note="Penilaian mandiri 2024.")
    for code in unsupported:
        actions.review_question(
            period,
            actor=province,
            code=code,
            points=Decimal(0),
            note="Bukti dukung tidak dilampirkan.",
        )
    actions.complete_stage(period, actor=province, note="Verifikasi administrasi selesai.")
    actions.complete_stage(period, actor=ministry, note="Pemeriksaan ulang selesai.")
    actions.complete_stage(
        period, actor=ministry, note="Verifikasi lapangan hibrida.", field_mode=FieldMode.HYBRID
    )
    actions.determine_category(
        period,
        actor=ministry,
        decree_number="KEP-DEMO/KLA/2024",
        decree_date=date(2024, 7, 23),
        note="Contoh penetapan (fiktif).",
    )
    # The category is determined: the year's data is frozen for good.
    collection.set_period_status(period, actor=secretariat, status=PeriodStatus.CLOSED)
    collection.set_period_status(period, actor=secretariat, status=PeriodStatus.LOCKED)

    # 2025: in progress, close to Madya; two data-driven indicators still await approval.
    _self_assessment(
        periods[2025],
        lg,
        rng,
        admin=admin,
        secretariat=secretariat,
        pending={12, 18},
        unsupported=5,
    )
