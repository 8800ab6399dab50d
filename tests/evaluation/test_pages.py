"""The evaluation pages through the Django test client: who sees what, the overview's figures,
answering on the indicator page, the what-if page, the gap analysis and the roll-up, and pages
whose number of queries stays the same however much has been answered or evaluated."""

import gzip
import io
import json
import re
from datetime import date
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from sikla.collection import actions as collection
from sikla.core import public_cache
from sikla.evaluation import actions, queries
from sikla.evaluation.models import Answer, Scenario
from sikla.indicators.models import Question
from sikla.organisations.actions import register_local_government
from sikla.regions.models import Region
from tests.personas import JAMBI, KUPANG, PERIOD_YEAR, world_fixture  # noqa: F401

D = Decimal
BASE = f"/organisasi/{KUPANG}/periode/{PERIOD_YEAR}/evaluasi/"
ROLLUP = f"/evaluasi/?tahun={PERIOD_YEAR}"
HTML_REFUSED = "Teks tidak boleh berisi tag HTML atau skrip."


def answer(world, actor=None, **answers):
    """save_answers with {code: value}; codes are written 1_2 for "1.2"."""
    return actions.save_answers(
        world.periods[KUPANG],
        actor=actor or world.secretariat,
        answers={code.replace("_", "."): (value, "") for code, value in answers.items()},
    )


def best_answers(period) -> dict[str, tuple[str, str]]:
    """The answer earning most points on every typed-in question of the instrument."""
    out = {}
    for rule in queries.instrument_for(period.catalog).questions:
        if rule.from_data:
            continue
        rubric = rule.rubric
        if rule.answer_type == "yes_no":
            value = "yes"
        elif rule.answer_type == "choice":
            value = max(rubric["options"], key=lambda o: D(o["points"]))["value"]
        elif "bands" in rubric:
            value = max(rubric["bands"], key=lambda b: D(b["points"]))["min"]
        else:
            value = rubric["target"]
        out[rule.code] = (value, "")
    return out


def tag_evidence(world, code):
    period = world.periods[KUPANG]
    question = Question.objects.get(indicator__version=period.catalog, code=code)
    return collection.upload_evidence(
        period.submissions.get(indicator=question.indicator),
        actor=world.secretariat,
        upload=SimpleUploadedFile(f"{code}.pdf", f"%PDF-1.4\n% {code}\n".encode()),
        title=f"Bukti {code}",
        kind="decree",
        question=question,
    )


def section(page: str, testid: str, end: str = "</table>") -> str:
    return page.split(f'data-testid="{testid}"', 1)[1].split(end, 1)[0]


def shown(page: str, testid: str) -> str:
    return re.search(rf'data-testid="{re.escape(testid)}"[^>]*>([^<]*)<', page).group(1)


# --- access -------------------------------------------------------------------------------


def test_it_sends_an_anonymous_visitor_to_the_login_page(client, world):
    response = client.get(BASE)

    assert response.status_code == 302
    assert response["Location"].startswith("/masuk/")


def test_it_hides_kupang_from_jambis_secretariat(client, world):
    client.force_login(world.jambi_secretariat)

    assert client.get(BASE).status_code == 404
    assert client.get(BASE + "indikator/1/").status_code == 404


def test_it_refuses_a_village_officer_below_the_local_government(client, world):
    client.force_login(world.village_officer)

    assert client.get(BASE).status_code == 403


def test_a_viewer_reads_the_answers_without_a_form(client, world):
    answer(world, **{"1_2": "yes"})
    client.force_login(world.viewer)

    response = client.get(BASE + "indikator/1/")

    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="save-answers"' not in page
    assert 'name="a__1.2"' not in page
    assert client.post(BASE + "indikator/1/", {"a__1.2": "no", "version": 2}).status_code == 403
    assert Answer.objects.get(question__code="1.2").value == "yes"


def test_the_secretariat_gets_the_answer_form(client, world):
    client.force_login(world.secretariat)

    response = client.get(BASE + "indikator/1/")

    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="save-answers"' in page
    assert 'name="a__1.2"' in page and 'name="n__1.2"' in page


# --- overview -----------------------------------------------------------------------------


def test_the_overview_shows_total_category_distance_and_every_indicator(client, world):
    answer(world, **{"1_1": "rancangan", "1_2": "yes", "2_4": "50"})
    client.force_login(world.task_force_chair)

    page = client.get(BASE).content.decode()

    assert shown(page, "total") == "27,50"
    assert shown(page, "category") == "Belum berkategori"
    assert shown(page, "next-category") == ("Untuk mencapai Pratama diperlukan 472,50 poin lagi.")
    for number in range(1, 25):
        assert f'data-testid="indicator-{number}"' in page
    indicator_1 = section(page, "indicator-1", "</tr>")
    assert "20,00" in indicator_1 and "2 / 4" in indicator_1  # 1.1 rancangan 10 + 1.2 yes 10
    clusters = section(page, "clusters")
    assert clusters.count("<tr>") == 7  # the header and six clusters
    assert "Kelembagaan" in clusters and "27,50" in clusters
    chart = json.loads(
        page.split('<script id="cluster-chart" type="application/json">', 1)[1].split("</script>")[
            0
        ]
    )
    assert len(chart["labels"]) == 6
    assert chart["datasets"][0]["data"][0] == 27.5
    assert shown(page, "total-self") == "27,50"
    assert 'data-testid="total-administrative"' not in page


def test_the_overview_puts_the_provinces_total_beside_the_self_assessment(client, world):
    period = world.periods[KUPANG]
    answer(world, **{"1_1": "rancangan", "1_2": "yes", "2_4": "50"})
    actions.submit_self_assessment(period, actor=world.secretariat)
    actions.review_question(
        period, actor=world.provincial_evaluator, code="1.2", points=D(0), note="Tanpa SK."
    )
    client.force_login(world.secretariat)

    page = client.get(BASE).content.decode()

    assert 'data-testid="col-self"' in page
    assert "Verifikasi administrasi (provinsi)" in section(page, "col-administrative", "</th>")
    assert shown(page, "total-self") == "27,50"
    assert shown(page, "total-administrative") == "17,50"
    assert shown(page, "total") == "17,50"  # the stage being worked on
    indicator_1 = section(page, "indicator-1", "</tr>")
    assert "20,00" in indicator_1 and "10,00" in indicator_1


# --- answering ----------------------------------------------------------------------------


def test_it_saves_answers_posted_on_the_indicator_page(client, world):
    client.force_login(world.secretariat)

    response = client.post(
        BASE + "indikator/1/",
        {"version": 1, "a__1.1": "ditetapkan", "a__1.2": "yes", "n__1.2": "Evaluasi 2025."},
    )

    assert response.status_code == 302
    assert response["Location"] == BASE + "indikator/1/"
    page = client.get(response["Location"]).content.decode()
    assert "2 jawaban disimpan." in page
    assert shown(page, "points-1.1") == "25,00"
    assert shown(page, "points-1.2") == "10,00"
    assert shown(page, "indicator-score") == "35,00"
    assert "Evaluasi 2025." in page


def test_it_shows_an_invalid_percentage_next_to_its_field(client, world):
    client.force_login(world.secretariat)

    response = client.post(BASE + "indikator/2/", {"version": 1, "a__2.4": "120"})

    assert response.status_code == 422
    question = section(response.content.decode(), "question-2.4", 'data-testid="question-2.5"')
    assert "Persentase tidak boleh melebihi 100." in question
    assert 'value="120"' in question  # what was typed stays in the field
    assert not Answer.objects.exists()


def post_markup_note(client, world):
    client.force_login(world.secretariat)
    return client.post(
        BASE + "indikator/1/",
        {"version": 1, "a__1.2": "yes", "n__1.2": "<script>alert(1)</script>"},
    )


def test_it_refuses_markup_in_a_note(client, world):
    response = post_markup_note(client, world)

    assert response.status_code == 422
    assert response.context["form"].errors["n__1.2"] == [HTML_REFUSED]
    assert not Answer.objects.exists()


def test_it_says_why_a_note_with_markup_is_refused(client, world):
    response = post_markup_note(client, world)

    assert HTML_REFUSED in response.content.decode()


def test_it_tells_a_late_saver_to_reload(client, world):
    answer(world, **{"1_2": "yes"})  # version 2 now
    client.force_login(world.secretariat)

    response = client.post(BASE + "indikator/1/", {"version": 1, "a__1.2": "no"})

    assert response.status_code == 422
    assert "Muat ulang halaman" in response.content.decode()
    assert Answer.objects.get(question__code="1.2").value == "yes"


# --- simulation ---------------------------------------------------------------------------


def test_the_simulation_page_projects_a_changed_answer_in_a_fragment(client, world):
    answer(world, **{"1_2": "no", "1_3": "yes"})
    client.force_login(world.task_force_chair)

    assert client.get(BASE + "simulasi/").status_code == 200
    response = client.post(
        BASE + "simulasi/",
        {"a__1.2": "yes", "a__1.3": "yes", "a__2.4": "100"},
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 200
    fragment = response.content.decode()
    assert "<html" not in fragment and 'id="projection"' in fragment
    assert shown(fragment, "current-total") == "10,00"
    assert shown(fragment, "projected-total") == "35,00"  # + 10 (1.2) + 15 (2.4)
    assert Answer.objects.get(question__code="1.2").value == "no"


def test_it_saves_opens_and_deletes_a_scenario(client, world):
    answer(world, **{"1_2": "no", "1_3": "yes"})
    client.force_login(world.secretariat)
    changed = {"a__1.2": "yes", "a__1.3": "yes", "save": "1"}

    unnamed = client.post(BASE + "simulasi/", {**changed, "name": ""})
    assert unnamed.status_code == 422 and not Scenario.objects.exists()
    saved = client.post(BASE + "simulasi/", {**changed, "name": "Perda dievaluasi"})

    scenario = Scenario.objects.get()
    assert saved.status_code == 302
    assert saved["Location"] == f"{BASE}simulasi/{scenario.uid}/"
    assert (scenario.answers, scenario.total) == ({"1.2": "yes"}, D("20.00"))
    page = client.get(saved["Location"]).content.decode()
    assert "Skenario “Perda dievaluasi” oleh Secretariat" in page  # the page names it
    assert shown(page, "projected-total") == "20,00"  # the scenario's answers filled in
    assert "Perda dievaluasi" in section(page, "scenarios")

    deleted = client.post(f"{BASE}simulasi/{scenario.uid}/hapus/")

    assert deleted.status_code == 302 and deleted["Location"] == BASE + "simulasi/"
    assert not Scenario.objects.exists()


def test_an_agency_operator_cannot_save_or_delete_scenarios(client, world):
    scenario = actions.save_scenario(
        world.periods[KUPANG], actor=world.secretariat, name="Rencana", changed={"1.2": "yes"}
    )
    client.force_login(world.agency_operator)

    page = client.get(BASE + "simulasi/").content.decode()
    saved = client.post(BASE + "simulasi/", {"a__1.2": "yes", "save": "1", "name": "Dinkes"})
    deleted = client.post(f"{BASE}simulasi/{scenario.uid}/hapus/")

    assert 'data-testid="save-scenario"' not in page
    assert (saved.status_code, deleted.status_code) == (403, 403)
    assert list(Scenario.objects.values_list("name", flat=True)) == ["Rencana"]


# --- gaps and roll-up ---------------------------------------------------------------------


def test_the_gap_analysis_lists_missing_evidence_first_and_the_distance(client, world):
    answer(world, **{"1_1": "ditetapkan", "1_2": "yes", "1_3": "no", "2_4": "50"})
    tag_evidence(world, "1.2")
    client.force_login(world.task_force_chair)

    page = client.get(BASE + "kesenjangan/").content.decode()

    assert shown(page, "distance").startswith("Untuk mencapai Pratama diperlukan 457,50 poin lagi.")
    assert page.index('data-testid="missing"') < page.index('data-testid="gaps"')
    missing = section(page, "missing")
    assert re.findall(r"#q-([\d.]+)", missing) == ["1.1", "2.4"]  # 25 points at risk, then 7.5
    assert "25,00" in missing and "7,50" in missing


def test_the_overview_and_the_gap_analysis_show_a_change_on_the_next_visit(client, world):
    """Both pages are kept between visits (the assessment and their tables); every audited
    change of the kab/kota moves them on, and one of another kab/kota leaves them kept."""
    answer(world, **{"1_1": "ditetapkan", "2_4": "50"})
    client.force_login(world.secretariat)
    gaps_page = BASE + "kesenjangan/"
    assert re.findall(
        r"#q-([\d.]+)", section(client.get(gaps_page).content.decode(), "missing")
    ) == [
        "1.1",
        "2.4",
    ]
    before = shown(client.get(BASE).content.decode(), "total")

    collection.open_period(
        actor=world.national_admin,
        local_government=world.jambi,
        year=PERIOD_YEAR + 1,
        input_deadline=date(PERIOD_YEAR + 1, 6, 30),
        review_deadline=date(PERIOD_YEAR + 1, 7, 31),
    )
    with CaptureQueriesContext(connection) as elsewhere:
        client.get(gaps_page)
    with CaptureQueriesContext(connection) as fresh:
        client.get(BASE)

    answer(world, **{"1_2": "yes"})  # more points, claimed without evidence
    tag_evidence(world, "1.1")
    gaps = client.get(gaps_page).content.decode()
    assert re.findall(r"#q-([\d.]+)", section(gaps, "missing")) == ["1.2", "2.4"]
    after = shown(client.get(BASE).content.decode(), "total")
    live = queries.assessment(world.periods[KUPANG]).result.total
    assert D(after.replace(",", ".")) == live > D(before.replace(",", "."))
    # a change in Jambi rebuilt nothing of Kupang's: its pages read no answer or data value
    assert not [q for q in elsewhere.captured_queries if "evaluation_answer" in q["sql"]]
    assert not [q for q in fresh.captured_queries if "collection_datavalue" in q["sql"]]


def test_the_rollup_lists_the_local_governments_in_the_users_scope(client, world):
    answer(world, **{"1_2": "yes"})

    client.force_login(world.national_evaluator)
    national = client.get(ROLLUP).content.decode()
    client.force_login(world.provincial_evaluator)
    provincial = client.get(ROLLUP).content.decode()

    assert f'data-testid="rollup-{KUPANG}"' in national
    assert f'data-testid="rollup-{JAMBI}"' in national
    assert "10,00" in section(national, f"rollup-{KUPANG}", "</tr>")
    assert "belum mulai" in section(national, f"rollup-{JAMBI}", "</tr>")
    assert f'data-testid="rollup-{KUPANG}"' in provincial
    assert f'data-testid="rollup-{JAMBI}"' not in provincial


def test_the_rollup_shows_a_new_answer_on_the_next_visit(client, world):
    """The roll-up's content is kept per scope and address until any change anywhere."""
    answer(world, **{"1_2": "yes"})
    client.force_login(world.national_evaluator)
    assert "10,00" in section(client.get(ROLLUP).content.decode(), f"rollup-{KUPANG}", "</tr>")
    with CaptureQueriesContext(connection) as kept:
        client.get(ROLLUP)

    answer(world, **{"1_3": "yes"})

    row = section(client.get(ROLLUP).content.decode(), f"rollup-{KUPANG}", "</tr>")
    live = queries.assessment(world.periods[KUPANG]).result.total
    assert live > 10 and f"{live:.2f}".replace(".", ",") in row
    assert not [q for q in kept.captured_queries if "evaluation_evaluation" in q["sql"]]


def test_the_rollup_chart_carries_the_datasets_the_chart_script_draws(client, world):
    """The category chart was blank: charts.js reads `datasets`, the page gave `counts`."""
    client.force_login(world.national_evaluator)
    page = client.get(ROLLUP).content.decode()

    data = json.loads(re.search(r'id="category-chart"[^>]*>(.*?)</script>', page, re.S).group(1))
    assert data["labels"][-1] == "Belum berkategori"
    assert data["datasets"][0]["label"] == "Jumlah kabupaten/kota"
    assert data["datasets"][0]["data"][-1] == 2  # Kupang and Jambi, neither categorised yet
    assert len(data["datasets"][0]["data"]) == len(data["labels"])


def test_the_rollup_filters_by_category_and_exports_a_workbook(client, world):
    period = world.periods[KUPANG]
    actions.save_answers(period, actor=world.secretariat, answers=best_answers(period))
    total = queries.assessment(period).result.total
    client.force_login(world.national_evaluator)

    nindya = client.get(ROLLUP + "&kategori=Nindya").content.decode()
    uncategorised = client.get(ROLLUP + "&kategori=-").content.decode()
    workbook = client.get(ROLLUP + "&format=xlsx")

    assert f'data-testid="rollup-{KUPANG}"' in nindya
    assert f'data-testid="rollup-{JAMBI}"' not in nindya
    assert f'data-testid="rollup-{JAMBI}"' in uncategorised
    assert f'data-testid="rollup-{KUPANG}"' not in uncategorised
    assert workbook.status_code == 200
    assert workbook["Content-Type"].startswith("application/vnd.openxmlformats")
    assert workbook.streaming  # written row by row to a temporary file, never whole in memory
    sheet = load_workbook(io.BytesIO(b"".join(workbook.streaming_content))).active
    rows = {r[0]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows[KUPANG][1] == "Kota Kupang"
    assert D(str(rows[KUPANG][3])) == total
    assert rows[KUPANG][6] == "Nindya"
    assert JAMBI in rows


def test_the_rollup_exports_every_question_of_every_kab_kota(client, world):
    period = world.periods[KUPANG]
    answers = best_answers(period)
    actions.save_answers(period, actor=world.secretariat, answers=answers)
    client.force_login(world.national_evaluator)

    # The browser asks for gzip: the page comes compressed, the workbook (a zip) as it is.
    page = client.get(ROLLUP, HTTP_ACCEPT_ENCODING="gzip")
    response = client.get(ROLLUP + "&format=xlsx-rinci", HTTP_ACCEPT_ENCODING="gzip")

    assert page["Content-Encoding"] == "gzip" and "Accept-Encoding" in page["Vary"]
    plain = client.get(ROLLUP)  # a client that does not ask gets the same page uncompressed
    assert not plain.has_header("Content-Encoding")
    assert gzip.decompress(page.content).count(b"Kota Kupang") == plain.content.count(
        b"Kota Kupang"
    )
    assert response.status_code == 200 and response.streaming
    assert not response.has_header("Content-Encoding")
    assert "per-pertanyaan" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    kupang = [r for r in rows if r[0] == KUPANG]
    questions = Question.objects.filter(indicator__version=period.catalog)
    assert len(kupang) == questions.count()  # every question, answered or not
    assert all(r[1] == "Kota Kupang" for r in kupang)
    answered = {r[3]: r[4] for r in kupang if r[4]}
    stored = Answer.objects.filter(evaluation__period=period).exclude(value="")
    assert answered == dict(stored.values_list("question__code", "value"))
    assert len(answered) == len([v for v, _note in answers.values() if v != ""])


# --- query counts -------------------------------------------------------------------------


def count_queries(client, url) -> int:
    """The queries of a page built afresh, as after any change (the kept assessment and tables
    forgotten; the instrument's cache and the session warm)."""
    client.get(url)
    cache.clear()
    public_cache.KEPT.clear()
    with CaptureQueriesContext(connection) as queries_run:
        assert client.get(url).status_code == 200
    return len(queries_run)


def test_the_overview_reads_in_the_same_queries_for_2_or_60_answers(client, world):
    period = world.periods[KUPANG]
    answer(world, **{"1_2": "yes", "1_3": "yes"})
    client.force_login(world.secretariat)
    few = count_queries(client, BASE)

    best = best_answers(period)
    actions.save_answers(period, actor=world.secretariat, answers=dict(list(best.items())[:60]))
    for code in ("1.1", "2.1", "3.4", "5.1"):
        tag_evidence(world, code)
    item = period.submissions.get(indicator__number=11)
    collection.save_values(
        item,
        actor=world.agency_operator,
        values={(f"53.71.0{i}", "", ""): (D(9), D(10), None) for i in range(1, 7)},
        narrative="",
        expected_version=item.version,
    )
    assert Answer.objects.count() == 60
    many = count_queries(client, BASE)

    assert many == few


def open_evaluation(world, code: str) -> None:
    """One more NTT local government, registered, with a period and a submitted evaluation."""
    admin = world.national_admin
    lg = register_local_government(actor=admin, region=Region.objects.get(code=code))
    period = collection.open_period(
        actor=admin,
        local_government=lg,
        year=PERIOD_YEAR,
        input_deadline=date(PERIOD_YEAR, 3, 31),
        review_deadline=date(PERIOD_YEAR, 4, 30),
    )
    actions.save_answers(period, actor=admin, answers={"1.2": ("yes", ""), "1.3": ("yes", "")})
    actions.submit_self_assessment(period, actor=admin)
    actions.complete_stage(period, actor=world.provincial_evaluator)


def test_the_rollup_reads_in_the_same_queries_for_1_or_5_evaluations(client, world):
    answer(world, **{"1_2": "yes"})
    client.force_login(world.national_evaluator)
    few = count_queries(client, ROLLUP)

    for code in ("53.01", "53.02", "53.03"):
        open_evaluation(world, code)
    actions.save_answers(
        world.periods[JAMBI], actor=world.jambi_secretariat, answers={"1.2": ("yes", "")}
    )
    many = count_queries(client, ROLLUP)

    page = client.get(ROLLUP).content.decode()
    assert len(re.findall(r'data-testid="rollup-\d', page)) == 5
    assert "Pemeriksaan ulang (kementerian)" in section(page, "rollup-53.01", "</tr>")
    assert many == few


# --- states that fit ------------------------------------------------------------------------


def determine(world):
    """Kupang's best answers submitted, verified and determined."""
    period = world.periods[KUPANG]
    actions.save_answers(period, actor=world.secretariat, answers=best_answers(period))
    actions.submit_self_assessment(period, actor=world.secretariat)
    return decide(world, "KEP-9/2026")


def decide(world, decree_number: str):
    """Kupang's submitted self-assessment through the three verification stages to its
    category."""
    period = world.periods[KUPANG]
    actions.complete_stage(period, actor=world.provincial_evaluator, note="Administrasi selesai.")
    actions.complete_stage(period, actor=world.national_evaluator)
    actions.complete_stage(period, actor=world.national_evaluator, field_mode="hybrid")
    return actions.determine_category(
        period,
        actor=world.national_evaluator,
        decree_number=decree_number,
        decree_date=timezone.localdate(),
    )


def test_a_determined_evaluation_shows_its_result_not_points_to_go(client, world):
    evaluation = determine(world)
    client.force_login(world.secretariat)
    page = client.get(BASE).content.decode()
    assert f'data-testid="category">{evaluation.final_category_name}<' in page
    assert "KEP-9/2026" in page and 'data-testid="determined"' in page
    assert "poin lagi" not in page and 'data-testid="flagged"' not in page


def test_the_rollup_opens_on_the_latest_year_with_evaluations(client, world):
    client.force_login(world.national_evaluator)
    page = client.get("/evaluasi/").content.decode()
    assert f"Rekap evaluasi KLA {PERIOD_YEAR}" in page
    assert f'data-testid="rollup-{KUPANG}"' in page


def test_the_provincial_evaluators_home_lists_what_waits_for_verification(client, world):
    period = world.periods[KUPANG]
    actions.save_answers(period, actor=world.secretariat, answers=best_answers(period))
    actions.submit_self_assessment(period, actor=world.secretariat)
    client.force_login(world.provincial_evaluator)
    page = client.get("/").content.decode()
    assert 'data-testid="due-verify_administrative"' in page
    assert '<strong class="count">1</strong> Evaluasi menunggu tahap' in page
    assert f"/evaluasi/?tahun={PERIOD_YEAR}&amp;tahap=administrative" in page
    client.force_login(world.national_evaluator)  # not yet theirs
    assert "due-verify_" not in client.get("/").content.decode()


def test_the_verifiers_home_warns_of_a_correction_window_about_to_close(client, world):
    period = world.periods[KUPANG]
    actions.save_answers(period, actor=world.secretariat, answers=best_answers(period))
    actions.submit_self_assessment(period, actor=world.secretariat)
    window = actions.open_correction_window(
        period, actor=world.provincial_evaluator, codes=["1.2"], note="Minta SK.", hours=12
    )
    client.force_login(world.provincial_evaluator)
    page = client.get("/").content.decode()
    item = section(page, f"due-correction_{window.pk}", end="</li>")
    assert 'class="urgent"' in item and "Jendela perbaikan Kota Kupang ditutup" in item
    closes = window.closes_at.astimezone(ZoneInfo("Asia/Makassar"))
    assert f"{closes:%H:%M} WITA" in item  # Kupang's province zone, with its name
    assert f"/organisasi/{KUPANG}/periode/{PERIOD_YEAR}/evaluasi/perbaikan/" in item


def test_the_national_admins_home_shows_the_seasons_progress(client, world):
    from sikla.organisations.models import LocalGovernment

    period = world.periods[KUPANG]
    actions.save_answers(period, actor=world.secretariat, answers=best_answers(period))
    actions.submit_self_assessment(period, actor=world.secretariat)
    actions.save_answers(world.periods[JAMBI], actor=world.jambi_secretariat, answers={})
    client.force_login(world.national_admin)
    page = client.get("/").content.decode()
    total = LocalGovernment.objects.filter(is_active=True).count()
    item = section(page, "due-season", end="</li>")
    assert f"Evaluasi {PERIOD_YEAR}: 1 dari {total} kab/kota telah mengajukan" in item
    assert "0 ditetapkan" in item and f"/evaluasi/?tahun={PERIOD_YEAR}" in item
