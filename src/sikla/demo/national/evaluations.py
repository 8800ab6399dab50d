# ruff: noqa: S608  -- every statement here is built from our own constants and model metadata,
# never from input; the one value from outside (the time zone name) is checked before use.
"""The generator's evaluations: answers drawn to a strength, scored by the real engine, reviewed
and frozen stage by stage."""

from __future__ import annotations

import json
import random
from datetime import datetime, timedelta
from decimal import Decimal

from sikla.accounts.models import Role
from sikla.evaluation import queries as evaluation_queries
from sikla.evaluation import scoring
from sikla.evaluation.models import Answer, Evaluation, Review, StageResult
from sikla.indicators.models import Question

from .sql import stable_share
from .volumes import STAGES, VERIFYING


class EvaluationSteps:
    """Steps of `Generator` (generator.py), which holds the state they share."""

    def _evaluations(self) -> None:
        """An evaluation per period, scored by the real engine: determined years went through
        every stage (the province and the ministry cutting a few unsupported points); the open
        year is spread over the stages, the target still in its self-assessment."""
        instrument = evaluation_queries.instrument_for(self.catalog)
        question_ids = dict(
            Question.objects.filter(indicator__version=self.catalog).values_list("code", "pk")
        )
        number_of = {q.code: q.indicator for q in instrument.questions}
        self.sql(
            "SELECT s.period_id, s.number, sum(v.numerator), sum(v.denominator) "
            "FROM collection_datavalue v JOIN gen_sub s ON s.id = v.submission_id "
            "WHERE v.numerator IS NOT NULL GROUP BY 1, 2"
        )
        data: dict[int, dict[int, Decimal | None]] = {}
        for period_id, number, n, d in self.cursor.fetchall():
            data.setdefault(period_id, {})[number] = scoring.cents(n / d * 100) if d else None
        self.sql("SELECT id, local_government_id, year FROM collection_period ORDER BY id")
        periods = self.cursor.fetchall()
        self.nation = self.users[Role.NATIONAL_EVALUATOR].pk
        self.province = self.users[Role.PROVINCIAL_EVALUATOR]
        rows = {"evaluation": [], "answer": [], "review": [], "stage": []}
        for period_id, lg, year in periods:
            by_number = data.get(period_id, {})
            values = {
                q.code: by_number.get(number_of[q.code])
                for q in instrument.questions
                if q.from_data
            }
            self._evaluation(instrument, question_ids, period_id, lg, year, values, rows)
        staging = {
            "evaluation": "id bigint, lg text, year int, stage text, field_mode text, "
            "total numeric, category text, final_score numeric, final_category text, "
            "final_name text, determined timestamptz, by_id bigint",
            "answer": "evaluation_id bigint, question_id bigint, value text, by_id bigint",
            "review": "evaluation_id bigint, stage text, question_id bigint, points numeric, "
            "by_id bigint",
            "stage": "evaluation_id bigint, stage text, total numeric, category text, name text, "
            "points text, indicators text, clusters text, at timestamptz, by_id bigint",
        }
        for name, definition in staging.items():
            self.temp_table(f"gen_{name}", f"({definition})", rows[name])
        self.insert(
            Evaluation,
            {
                "id": "e.id",
                "period_id": "e.id",
                "local_government_id": "e.lg",
                "year": "e.year",
                "stage": "e.stage",
                "version": "2",
                "field_mode": "e.field_mode",
                "current_total": "e.total",
                "current_category": "e.category",
                "final_score": "e.final_score",
                "final_category": "e.final_category",
                "final_category_name": "e.final_name",
                "decree_number": "CASE WHEN e.determined IS NOT NULL "
                "THEN 'KEP-SINTETIS/KLA/' || e.year ELSE '' END",
                "decree_date": "CASE WHEN e.determined IS NOT NULL THEN make_date(e.year, 7, 23) END",
                "determined_at": "e.determined",
                "determined_by_id": "e.by_id",
            },
            "FROM gen_evaluation e",
        )
        self.insert(
            Answer,
            {
                "evaluation_id": "a.evaluation_id",
                "question_id": "a.question_id",
                "value": "a.value",
                "answered_by_id": "a.by_id",
            },
            "FROM gen_answer a",
        )
        self.insert(
            Review,
            {
                "evaluation_id": "r.evaluation_id",
                "stage": "r.stage",
                "question_id": "r.question_id",
                "points": "r.points",
                "note": "'Bukti dukung belum memadai (sintetis).'",
                "reviewer_id": "r.by_id",
            },
            "FROM gen_review r",
        )
        self.insert(
            StageResult,
            {
                "evaluation_id": "s.evaluation_id",
                "stage": "s.stage",
                "total": "s.total",
                "category": "s.category",
                "category_name": "s.name",
                "points": "s.points::jsonb",
                "indicator_scores": "s.indicators::jsonb",
                "cluster_scores": "s.clusters::jsonb",
                "completed_at": "s.at",
                "completed_by_id": "s.by_id",
                "note": "'Tahap selesai (sintetis).'",
            },
            "FROM gen_stage s",
        )

    def _evaluation(self, instrument, question_ids, period_id, lg, year, data, rows) -> None:
        rng = random.Random(f"{lg}:{year}")  # noqa: S311 - synthetic figures, not security
        evaluation_id = period_id
        determined = self._determined(year)
        if determined:
            stage = "determined"
        elif lg == self.target:
            stage = "self"
        else:
            stage = rng.choices(["self", *VERIFYING], weights=[60, 15, 10, 10, 5])[0]
        strength = min(0.97, 0.35 + 0.4 * stable_share(lg) + 0.025 * (year - self.first_year))
        share = 1.0 if stage != "self" or determined else rng.uniform(0.6, 1.0)
        secretariat = self.users[Role.SECRETARIAT].pk if lg == self.target else None
        answers = {}
        for q in instrument.questions:
            if q.from_data or rng.random() > share:
                continue
            value = str(scoring.clean_value(q, _answer(q, strength, rng)))
            answers[q.code] = value
            rows["answer"].append((evaluation_id, question_ids[q.code], value, secretariat))
        result = scoring.score_answers(instrument, {**data, **answers})
        dates = self._stage_dates(year, determined)
        reached = STAGES.index(stage)
        points = dict(result.points)
        done = [("self", result)]
        live = None
        for name in VERIFYING:
            if STAGES.index(name) > reached:
                break
            reviewer = self._reviewer(lg, name)
            current = name == stage  # under way: some of its reviews so far
            scored = [code for code, p in points.items() if p > 0]
            for code in rng.sample(scored, min(len(scored), rng.randint(0, 2 if current else 4))):
                kept = scoring.cents(points[code] / 2) if rng.random() < 0.5 else Decimal(0)
                rows["review"].append((evaluation_id, name, question_ids[code], kept, reviewer))
                points[code] = kept
            stage_result = scoring.score_points(instrument, points)
            if current:
                live = stage_result
            else:
                done.append((name, stage_result))
        for name, r in done:
            rows["stage"].append(
                (
                    evaluation_id,
                    name,
                    r.total,
                    r.category_code,
                    r.category_name,
                    json.dumps({k: str(v) for k, v in r.points.items()}),
                    json.dumps({str(k): str(v.score) for k, v in r.indicators.items()}),
                    json.dumps({str(k): str(v.score) for k, v in r.clusters.items()}),
                    dates[name],
                    secretariat if name == "self" else self._reviewer(lg, name),
                )
            )
        final = done[-1][1] if determined else None
        current = final or live or result
        rows["evaluation"].append(
            (
                evaluation_id,
                lg,
                year,
                stage,
                rng.choice(["onsite", "hybrid", "online"])
                if reached > STAGES.index("field")
                else "",
                current.total,
                current.category_name,
                final.total if final else None,
                final.category_code if final else "",
                final.category_name if final else "",
                dates["final"] if final else None,
                self.nation if final else None,
            )
        )

    def _reviewer(self, lg: str, stage: str) -> int | None:
        if stage != "administrative":
            return self.nation
        return self.province.pk if lg.startswith(self.province.scope + ".") else None

    def _stage_dates(self, year: int, determined: bool) -> dict[str, datetime]:
        """When each stage closed: April–July of the year, the final one at the decree; for the
        year still under way, the last weeks."""
        if determined:
            days = [(4, 28), (5, 20), (6, 5), (6, 25), (7, 23)]
            return {
                name: datetime(year, m, d, 10, tzinfo=self.tz)
                for name, (m, d) in zip(["self", *VERIFYING], days, strict=True)
            }
        return {
            name: self.now - timedelta(days=40 - 8 * i)
            for i, name in enumerate(["self", *VERIFYING])
        }

    # -- the end -----------------------------------------------------------------------------


def _answer(rule: scoring.QuestionRule, strength: float, rng: random.Random) -> str:
    """An answer that earns about `strength` of the question's points, with noise."""
    s = min(1.0, max(0.0, strength + rng.uniform(-0.25, 0.25)))
    rubric = rule.rubric
    if rule.answer_type == "yes_no":
        return "yes" if rng.random() < strength else "no"
    if rule.answer_type == "choice":
        options = sorted(rubric["options"], key=lambda o: Decimal(o["points"]))
        return options[round(s * (len(options) - 1))]["value"]
    if "bands" in rubric:
        bands = sorted(rubric["bands"], key=lambda b: Decimal(b["points"]))
        band = bands[round(s * (len(bands) - 1))]
        low = Decimal(band["min"])
        high = Decimal(band["max"]) if band["max"] is not None else low + 10
        return str(low + (high - low) * Decimal(rng.randint(0, 80)) / 100)
    target = Decimal(rubric["target"])
    return str(min(Decimal(100), target * Decimal(round(0.3 + 0.8 * s, 2))))
