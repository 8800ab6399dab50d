"""Trends (issue "monitoring", point 4), checked by hand on a small case: categories per year,
movers up and down between the last two determinations, and the score path across stages."""

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from sikla.collection.models import Period
from sikla.evaluation.models import Evaluation, Stage, StageResult
from tests.personas import JAMBI, KUPANG, PERIOD_YEAR, world_fixture  # noqa: F401

LAST = PERIOD_YEAR - 1


def evaluation(world, code: str, year: int, category: str = "", **stages: str) -> Evaluation:
    """An evaluation as the actions leave it (a fixture: the scores are the point here)."""
    period = world.periods[code]
    if year != period.year:
        period = Period.objects.create(
            local_government_id=code,
            year=year,
            catalog=period.catalog,
            status="locked",
            input_deadline=date(year, 3, 31),
            review_deadline=date(year, 4, 30),
        )
    made = Evaluation.objects.create(
        period=period,
        local_government_id=code,
        year=year,
        stage=Stage.DETERMINED if category else Stage.FINAL,
        final_category_name=category,
        final_score=Decimal(stages[max(stages, key=list(Stage.values).index)])
        if category
        else None,
    )
    start = timezone.now() - timedelta(days=30)
    for i, (stage, total) in enumerate(stages.items()):
        StageResult.objects.create(
            evaluation=made,
            stage=stage,
            total=Decimal(total),
            completed_at=start + timedelta(days=i),
        )
    return made


def test_trends_count_categories_find_movers_and_the_biggest_drop(client, world):
    evaluation(world, KUPANG, LAST, "Pratama", self="560.00")
    evaluation(
        world, KUPANG, PERIOD_YEAR, "Madya", self="734.78", administrative="700.00", final="650.00"
    )
    evaluation(world, JAMBI, LAST, "Nindya", self="720.00")
    evaluation(
        world, JAMBI, PERIOD_YEAR, "Madya", self="640.00", administrative="630.00", final="635.00"
    )

    client.force_login(world.national_evaluator)
    response = client.get(f"/evaluasi/tren/?tahun={PERIOD_YEAR}")
    assert response.status_code == 200
    by_year = {y.year: y for y in response.context["by_year"]}
    assert by_year[LAST].counts["Pratama"] == 1 and by_year[LAST].counts["Nindya"] == 1
    assert by_year[PERIOD_YEAR].counts["Madya"] == 2 and by_year[PERIOD_YEAR].total == 2
    assert [(m.code, m.steps) for m in response.context["up"]] == [(KUPANG, 1)]
    assert [(m.code, m.steps) for m in response.context["down"]] == [(JAMBI, -1)]
    paths = response.context["paths"]
    assert [p.code for p in paths] == [KUPANG, JAMBI]  # 84,78 lost before 5
    assert paths[0].drop == Decimal("84.78") and paths[0].ministry_stage == "final"
    assert paths[1].drop == Decimal("5.00")
    page = response.content.decode()
    assert "84,78" in page and 'data-testid="movers-up"' in page
    chart = response.context["chart"]
    assert chart["labels"] == [str(LAST), str(PERIOD_YEAR)]
    madya = next(d for d in chart["datasets"] if d["label"] == "Madya")
    assert madya["data"] == [0, 2]


def test_a_provincial_evaluator_sees_their_provinces_trends_only(client, world):
    evaluation(world, KUPANG, PERIOD_YEAR, "Madya", self="700.00")
    evaluation(world, JAMBI, PERIOD_YEAR, "Pratama", self="550.00")
    client.force_login(world.provincial_evaluator)
    response = client.get(f"/evaluasi/tren/?tahun={PERIOD_YEAR}")
    assert response.context["by_year"][0].total == 1
    assert [p.code for p in response.context["paths"]] == [KUPANG]
    assert client.get("/evaluasi/tren/?provinsi=15").status_code == 404
