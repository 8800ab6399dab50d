"""The maps of the roll-up and of the public portal (issue "monitoring", point 1): the same rows as
the table beneath, the public sees determined categories only, a provincial evaluator their
province, and the legend's counts add up by hand."""

import io
import json
import re
from datetime import date
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Count
from openpyxl import load_workbook

from sikla.evaluation import monitoring
from sikla.evaluation.models import Evaluation
from sikla.indicators.models import Indicator
from tests.evaluation.test_pages import answer, best_answers, decide, determine
from tests.personas import JAMBI, KUPANG, PERIOD_YEAR, world_fixture  # noqa: F401

ROLLUP = f"/evaluasi/?tahun={PERIOD_YEAR}"


def map_of(page: str, map_id: str) -> dict:
    found = re.search(rf'<script id="{map_id}" type="application/json">(.*?)</script>', page, re.S)
    assert found, f"no map data {map_id}"
    return json.loads(found.group(1))


def legend(data: dict, mode: str) -> dict[str, int]:
    chosen = next(m for m in data["modes"] if m["key"] == mode)
    return {band["key"]: band["count"] for band in chosen["legend"]}


def test_the_map_holds_the_same_rows_as_the_rollup_table(client, world):
    answer(world, **{"1_2": "yes"})  # Kupang's self-assessment: 10 points
    client.force_login(world.national_evaluator)
    response = client.get(ROLLUP)
    page = response.content.decode()
    data = map_of(page, "rollup-map")
    table = {r.code: r for r in response.context["page"].object_list}

    assert set(data["items"]) == set(table) == {KUPANG, JAMBI}
    kupang, jambi = data["items"][KUPANG], data["items"][JAMBI]
    assert kupang["name"] == "Kota Kupang" and dict(kupang["facts"])["Nilai mandiri"] == "10,00"
    assert kupang["classes"] == {
        "determined": "none",  # never determined
        "score": "below",  # 10 is under Pratama's lower bound
        "change": "none",  # no score last year
        "stage": "self",
    }
    assert jambi["classes"]["stage"] == "none" and jambi["url"] == ""  # not started
    assert kupang["url"] == f"/organisasi/{KUPANG}/periode/{PERIOD_YEAR}/evaluasi/"
    assert legend(data, "stage")["self"] == 1 and legend(data, "stage")["none"] == 1
    assert legend(data, "score")["below"] == 1 and legend(data, "score")["none"] == 1


def test_the_map_colours_a_determined_category_and_the_export_carries_it(client, world):
    evaluation = determine(world)
    client.force_login(world.national_evaluator)
    page = client.get(ROLLUP).content.decode()
    data = map_of(page, "rollup-map")
    name = evaluation.final_category_name

    assert data["items"][KUPANG]["classes"]["determined"] == name
    assert legend(data, "determined")[name] == 1
    assert f"{name} ({PERIOD_YEAR})" in dict(data["items"][KUPANG]["facts"])["Kategori ditetapkan"]
    row = page.split(f'data-testid="rollup-{KUPANG}"')[1].split("</tr>")[0]
    assert f'data-testid="determined">{name} <small>({PERIOD_YEAR})</small>' in row

    export = client.get(ROLLUP + "&format=xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(export.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][-2:] == ("Kategori ditetapkan terakhir", "Tahun penetapan")
    kupang = next(r for r in rows if r[0] == KUPANG)
    assert kupang[-2:] == (name, PERIOD_YEAR)


def test_a_provincial_evaluators_map_holds_only_their_province(client, world):
    client.force_login(world.provincial_evaluator)  # NTT, 53
    data = map_of(client.get(ROLLUP).content.decode(), "rollup-map")
    assert data["province"] == "53"
    assert set(data["items"]) == {KUPANG}
    assert client.get(ROLLUP + "&provinsi=15").status_code == 404  # Jambi's board
    assert client.get(ROLLUP + "&provinsi=53").status_code == 200


def test_the_public_map_shows_determined_categories_only(client, world):
    period = world.periods[KUPANG]
    from sikla.evaluation import actions

    actions.save_answers(period, actor=world.secretariat, answers=best_answers(period))
    actions.submit_self_assessment(period, actor=world.secretariat)
    assert Evaluation.objects.get(period=period).current_category  # a category, not yet decided
    cache.clear()
    data = map_of(client.get("/kla/").content.decode(), "portal-map")
    assert [m["key"] for m in data["modes"]] == ["determined"]  # no score, no stage
    assert data["items"][KUPANG]["classes"] == {"determined": "none"}
    assert data["items"][KUPANG]["facts"] == [["Kategori KLA terakhir", "Belum ditetapkan"]]
    assert data["items"][KUPANG]["url"] == f"/kla/{KUPANG}/"
    text = json.dumps(data)
    assert "Nilai" not in text and "Tahap" not in text

    evaluation = decide(world, "KEP-10/2026")
    data = map_of(client.get("/kla/").content.decode(), "portal-map")  # the write moved the cache
    name = evaluation.final_category_name
    assert data["items"][KUPANG]["classes"] == {"determined": name}
    assert legend(data, "determined") == {
        **{b.key: 0 for b in monitoring.Bounds.active().category_bands()},
        name: 1,
        "none": 1,  # Jambi
    }


def test_score_and_change_bands_follow_the_catalogs_bounds_by_hand():
    bounds = monitoring.Bounds(["Pratama", "Madya"], [Decimal("500"), Decimal("600")])
    assert [bounds.score_class(v) for v in (None, Decimal("500"), Decimal("500.01"))] == [
        "none",
        "below",  # a category starts *above* its bound
        "score_0",
    ]
    assert bounds.score_class(Decimal("600.01")) == "score_1"
    changes = [None, Decimal("-25.01"), Decimal("-25"), Decimal("0"), Decimal("0.5"), Decimal("26")]
    assert [monitoring.change_class(c) for c in changes] == [
        "none",
        "down_much",
        "down",
        "same",
        "up",
        "up_much",
    ]


# --- the API and where points are lost ---------------------------------------------------------


def api(client, user, path):
    from tests.api.test_api import bearer, request_token

    token = request_token(client, user.username).json()["token"]
    return client.get(path, **bearer(token))


def test_the_monitoring_api_answers_the_rollups_rows_in_the_callers_scope(client, world):
    evaluation = determine(world)
    national = api(client, world.national_evaluator, f"/api/v1/monitoring/{PERIOD_YEAR}")
    assert national.status_code == 200
    items = {i["code"]: i for i in national.json()["items"]}
    assert set(items) == {KUPANG, JAMBI}
    kupang = items[KUPANG]
    assert kupang["province"] == "53" and kupang["stage"] == "determined"
    assert kupang["category"] == evaluation.final_category_name
    assert kupang["category_year"] == PERIOD_YEAR
    assert Decimal(str(kupang["verified_score"])) == evaluation.final_score
    assert items[JAMBI]["stage"] == "" and items[JAMBI]["category"] == ""

    provincial = api(client, world.provincial_evaluator, f"/api/v1/monitoring/{PERIOD_YEAR}")
    assert provincial.json()["province"] == "53"
    assert [i["code"] for i in provincial.json()["items"]] == [KUPANG]
    other = api(client, world.provincial_evaluator, f"/api/v1/monitoring/{PERIOD_YEAR}?province=15")
    assert other.status_code == 404
    own = api(client, world.agency_operator, f"/api/v1/monitoring/{PERIOD_YEAR}")
    assert [i["code"] for i in own.json()["items"]] == [KUPANG]  # a kab/kota's own row only
    jambi = api(client, world.jambi_secretariat, f"/api/v1/monitoring/{PERIOD_YEAR}?province=53")
    assert jambi.status_code == 404
    bad = api(client, world.national_evaluator, f"/api/v1/monitoring/{PERIOD_YEAR}?province=5x")
    assert bad.status_code == 422


def test_where_points_are_lost_by_hand(client, world):
    """Two kab/kota with submitted self-assessments; the averages computed by hand."""
    from sikla.evaluation import actions
    from sikla.evaluation.models import StageResult

    for code, actor in ((KUPANG, world.secretariat), (JAMBI, world.jambi_secretariat)):
        period = world.periods[code]
        actions.save_answers(period, actor=actor, answers=best_answers(period))
        actions.submit_self_assessment(period, actor=actor)
    # Make indicator 1 lose points in a way easy to check: Kupang keeps 3/4 of it, Jambi none.
    results = {r.evaluation.local_government_id: r for r in StageResult.objects.all()}
    maximum = Indicator.objects.get(number=1, version__is_active=True).max_points
    for code, share in ((KUPANG, Decimal("0.75")), (JAMBI, Decimal("0"))):
        r = results[code]
        r.indicator_scores = {**r.indicator_scores, "1": str(maximum * share)}
        r.save()

    response = api(client, world.national_evaluator, f"/api/v1/monitoring/{PERIOD_YEAR}/indicators")
    assert response.status_code == 200
    first = next(i for i in response.json()["items"] if i["number"] == 1)
    assert first["evaluations"] == 2
    assert Decimal(str(first["average_share"])) == Decimal("0.375")  # (0.75 + 0) / 2
    assert first["distribution"] == [1, 0, 0, 1]  # Jambi under 25 %, Kupang at 75 %
    assert first["furthest_behind"]["code"] == JAMBI
    assert Decimal(str(first["furthest_behind"]["share"])) == 0

    provincial = api(
        client, world.provincial_evaluator, f"/api/v1/monitoring/{PERIOD_YEAR}/indicators"
    )
    first = next(i for i in provincial.json()["items"] if i["number"] == 1)
    assert first["evaluations"] == 1 and first["furthest_behind"]["code"] == KUPANG


def test_the_map_by_one_indicator_shades_its_share_and_the_table_says_it(client, world):
    """Indicator 1 at 3/4 of its maximum for Kupang and nothing for Jambi: the map's first mode
    is that indicator, each kab/kota in its quarter, and the table beneath says the share."""
    from sikla.evaluation import actions
    from sikla.evaluation.models import StageResult

    for code, actor in ((KUPANG, world.secretariat), (JAMBI, world.jambi_secretariat)):
        period = world.periods[code]
        actions.save_answers(period, actor=actor, answers=best_answers(period))
        actions.submit_self_assessment(period, actor=actor)
    maximum = Indicator.objects.get(number=1, version__is_active=True).max_points
    for r in StageResult.objects.select_related("evaluation"):
        share = Decimal("0.75") if r.evaluation.local_government_id == KUPANG else Decimal(0)
        r.indicator_scores = {**r.indicator_scores, "1": str(maximum * share)}
        r.save()
    client.force_login(world.national_evaluator)

    response = client.get(ROLLUP + "&indikator=1")
    data = map_of(response.content.decode(), "rollup-map")
    assert data["modes"][0]["key"] == "indicator"
    assert data["modes"][0]["label"].startswith("Indikator 1: ")
    assert data["items"][KUPANG]["classes"]["indicator"] == "q3"  # 75 % or more
    assert data["items"][JAMBI]["classes"]["indicator"] == "q0"  # under 25 %
    assert legend(data, "indicator") == {"q0": 1, "q1": 0, "q2": 0, "q3": 1, "none": 0}
    assert dict(data["items"][KUPANG]["facts"])["Indikator 1"] == "75,0%"
    shares = re.findall(r'data-testid="indicator-share">([^<]*)<', response.content.decode())
    assert sorted(shares) == ["0,0%", "75,0%"]

    # Without the choice, or with a number the catalog lacks, the map has no such mode.
    for asked in ("", "&indikator=99", "&indikator=x"):
        data = map_of(client.get(ROLLUP + asked).content.decode(), "rollup-map")
        assert [m["key"] for m in data["modes"]] == ["determined", "score", "change", "stage"]

    # A provincial evaluator's indicator map holds their province only.
    client.force_login(world.provincial_evaluator)
    data = map_of(client.get(ROLLUP + "&indikator=1").content.decode(), "rollup-map")
    assert set(data["items"]) == {KUPANG}
    assert legend(data, "indicator")["q3"] == 1 and legend(data, "indicator")["q0"] == 0


def test_the_monitoring_routes_are_in_the_openapi_schema(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/monitoring/{year}" in schema["paths"]
    assert "/api/v1/monitoring/{year}/indicators" in schema["paths"]


# --- the season board ---------------------------------------------------------------------------

SEASON = f"/evaluasi/musim/?tahun={PERIOD_YEAR}"
DUES = {
    "self_due": f"{PERIOD_YEAR}-04-30",
    "administrative_due": f"{PERIOD_YEAR}-05-31",
    "recheck_due": f"{PERIOD_YEAR}-06-15",
    "field_due": f"{PERIOD_YEAR}-06-30",
    "final_due": f"{PERIOD_YEAR}-07-15",
}


def test_the_season_board_counts_equal_direct_counts(client, world):
    from django.utils import timezone

    from sikla.evaluation import actions

    period = world.periods[KUPANG]
    actions.save_answers(period, actor=world.secretariat, answers=best_answers(period))
    actions.submit_self_assessment(period, actor=world.secretariat)  # Kupang at the province
    client.force_login(world.national_admin)
    assert client.post(SEASON, DUES).status_code == 302
    response = client.get(SEASON)
    board = response.context["board"]
    direct = dict(
        Evaluation.objects.filter(year=PERIOD_YEAR)
        .values_list("stage")
        .annotate(n=Count("pk"))
        .order_by()
    )
    shown = {s.stage: s.count for s in board.stages}
    assert shown["administrative"] == direct.get("administrative", 0) == 1
    assert shown[""] == 1  # Jambi has not started
    assert sum(shown.values()) == 2
    page = response.content.decode()
    assert 'data-testid="stage-administrative"' in page
    waiting = board.waiting[0]
    assert waiting.count == 1 and "Nusa Tenggara Timur" in waiting.who
    assert world.provincial_evaluator.full_name in waiting.people
    today = timezone.localdate()
    late = {x.code: x for x in board.late}
    for code, due in ((JAMBI, DUES["self_due"]), (KUPANG, DUES["administrative_due"])):
        expected = (today - date.fromisoformat(due)).days
        assert (code in late) == (expected > 0)
        if expected > 0:
            assert late[code].days == expected


def test_the_season_board_without_a_timetable_says_so_and_exports(client, world):
    client.force_login(world.national_evaluator)
    page = client.get(SEASON).content.decode()
    assert 'data-testid="no-season"' in page
    assert 'data-testid="season-form"' not in page  # only the national admin sets it
    assert client.post(SEASON, DUES).status_code == 403
    export = client.get(SEASON + "&format=xlsx")
    rows = list(
        load_workbook(io.BytesIO(b"".join(export.streaming_content))).active.iter_rows(
            values_only=True
        )
    )
    assert rows[0][:3] == ("Kode", "Kabupaten/kota", "Tahap")
    assert {r[0] for r in rows[1:]} == {KUPANG, JAMBI}


def test_a_timetable_out_of_order_is_refused_next_to_its_field(client, world):
    client.force_login(world.national_admin)
    response = client.post(SEASON, {**DUES, "recheck_due": f"{PERIOD_YEAR}-05-01"})
    assert response.status_code == 400
    assert "tidak boleh sebelum batas tahap sebelumnya" in response.content.decode()
    from sikla.evaluation.models import Season

    assert not Season.objects.exists()


def test_a_provincial_evaluator_sees_their_provinces_board_only(client, world):
    client.force_login(world.provincial_evaluator)
    board = client.get(SEASON).context["board"]
    assert {r.code for r in board.rows} == {KUPANG}
    assert client.get(SEASON + "&provinsi=15").status_code == 404


# --- where points are lost: the page ---------------------------------------------------------------


def test_the_losses_page_shows_the_hand_checked_heat_map_and_sorts(client, world):
    from sikla.evaluation import actions
    from sikla.evaluation.models import StageResult

    for code, actor in ((KUPANG, world.secretariat), (JAMBI, world.jambi_secretariat)):
        period = world.periods[code]
        actions.save_answers(period, actor=actor, answers=best_answers(period))
        actions.submit_self_assessment(period, actor=actor)
    maximum = Indicator.objects.get(number=1, version__is_active=True).max_points
    for code, share in ((KUPANG, Decimal("0.75")), (JAMBI, Decimal("0.1"))):
        r = StageResult.objects.get(evaluation__local_government_id=code)
        r.indicator_scores = {**r.indicator_scores, "1": str(maximum * share)}
        r.save()
    client.force_login(world.national_evaluator)
    page = client.get(f"/evaluasi/poin-hilang/?tahun={PERIOD_YEAR}&urut=1").content.decode()
    kupang = page.split(f'data-testid="heat-{KUPANG}"')[1].split("</tr>")[0]
    jambi = page.split(f'data-testid="heat-{JAMBI}"')[1].split("</tr>")[0]
    assert '<td class="num q3">75,0%</td>' in kupang  # 3/4 of indicator 1: the top quarter
    assert '<td class="num q0">10,0%</td>' in jambi
    assert page.index(f'data-testid="heat-{JAMBI}"') < page.index(f'data-testid="heat-{KUPANG}"')
    row = page.split('data-testid="indicator-1"')[1].split("</tr>")[0]
    assert "42,5%" in row  # (75 + 10) / 2
    assert "1 · 0 · 0 · 1" in row and "Kota Jambi" in row

    export = client.get(f"/evaluasi/poin-hilang/?tahun={PERIOD_YEAR}&format=xlsx")
    rows = list(
        load_workbook(io.BytesIO(b"".join(export.streaming_content))).active.iter_rows(
            values_only=True
        )
    )
    assert rows[0][3] == "Indikator 1 (%)"
    shares = {r[0]: r[3] for r in rows[1:]}
    assert shares == {KUPANG: 75, JAMBI: 10}


def test_the_losses_page_shows_a_kab_kota_as_soon_as_its_stage_is_finished(client, world):
    """The page and the monitoring API are kept between visits (per scope, and the page per
    address); a finished stage anywhere moves them on."""
    from sikla.evaluation import actions

    def submit(code, actor):
        period = world.periods[code]
        actions.save_answers(period, actor=actor, answers=best_answers(period))
        actions.submit_self_assessment(period, actor=actor)

    url = f"/evaluasi/poin-hilang/?tahun={PERIOD_YEAR}"
    shares = f"/api/v1/monitoring/{PERIOD_YEAR}/indicators"

    def evaluations_of_indicator_1() -> int:
        items = api(client, world.national_evaluator, shares).json()["items"]
        return next(i for i in items if i["number"] == 1)["evaluations"]

    submit(KUPANG, world.secretariat)
    assert evaluations_of_indicator_1() == 1
    client.force_login(world.national_evaluator)
    first = client.get(url).content.decode()
    assert f'data-testid="heat-{KUPANG}"' in first and f'data-testid="heat-{JAMBI}"' not in first
    assert "1 kabupaten/kota dengan nilai" in first

    submit(JAMBI, world.jambi_secretariat)

    assert evaluations_of_indicator_1() == 2  # the API reads the same kept figures
    client.force_login(world.national_evaluator)
    page = client.get(url).content.decode()
    assert f'data-testid="heat-{JAMBI}"' in page and "2 kabupaten/kota dengan nilai" in page
    by_total = client.get(url + "&urut=total").content.decode()
    assert by_total.count('data-testid="heat-') == 2
    client.force_login(world.provincial_evaluator)  # NTT: another scope, its own page
    assert f'data-testid="heat-{JAMBI}"' not in client.get(url).content.decode()
