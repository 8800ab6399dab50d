"""The evaluation's actions as the people using it meet them: answers and their points, the
flags that warn before verification, the stages with every result kept, the correction window,
what-if scenarios and the distance to the next category. Data is made through the actions."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from sikla.collection import actions as collection
from sikla.collection.models import PeriodStatus
from sikla.core.models import AuditEvent
from sikla.evaluation import actions, queries
from sikla.evaluation.models import Answer, Evaluation, Scenario, Stage, StageResult
from sikla.indicators.models import Question
from sikla.organisations.actions import register_local_government
from sikla.regions.models import Region
from tests.personas import KUPANG, PERIOD_YEAR, world_fixture  # noqa: F401

D = Decimal
DISTRICTS = [f"53.71.0{i}" for i in range(1, 7)]
DATA_FLAG = "Data belum disetujui sekretariat"
EVIDENCE_FLAG = "Bukti dukung belum ada"


def answer(world, actor=None, **answers):
    """save_answers with {code: value}; codes are written 1_2 for "1.2"."""
    period = world.periods[KUPANG]
    return actions.save_answers(
        period,
        actor=actor or world.secretariat,
        answers={code.replace("_", "."): (value, "") for code, value in answers.items()},
    )


def question_row(period, code):
    a = queries.assessment(period)
    return next(q for row in a.rows for q in row.questions if q.question.code == code)


def pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(
        f"{name}.pdf", f"%PDF-1.4\n% {name}\n".encode(), content_type="application/pdf"
    )


def tag_evidence(world, code, actor=None):
    period = world.periods[KUPANG]
    question = Question.objects.get(indicator__version=period.catalog, code=code)
    return collection.upload_evidence(
        period.submissions.get(indicator=question.indicator),
        actor=actor or world.secretariat,
        upload=pdf(f"bukti-{code}"),
        title=f"Bukti {code}",
        kind="decree",
        question=question,
    )


def fill_indicator_11(world):
    """Nine of ten births in a health facility in each of Kupang's six kecamatan: 90 %."""
    item = world.periods[KUPANG].submissions.get(indicator__number=11)
    collection.save_values(
        item,
        actor=world.agency_operator,
        values={(code, "", ""): (D(9), D(10), None) for code in DISTRICTS},
        narrative="",
        expected_version=item.version,
    )
    item.refresh_from_db()
    return item


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


def submit(world):
    actions.submit_self_assessment(world.periods[KUPANG], actor=world.secretariat)


# --- answers ------------------------------------------------------------------------------


def test_it_scores_yes_choice_and_percentage_answers_by_the_rubric(world):
    answer(world, **{"1_1": "rancangan", "1_2": "yes", "2_4": "50"})

    period = world.periods[KUPANG]
    assert question_row(period, "1.1").points == D("10.00")  # draft regulation in Propemperda
    assert question_row(period, "1.2").points == D("10.00")
    assert question_row(period, "2.4").points == D("7.50")  # 50 % of the 100 % target × 15
    a = queries.assessment(period)
    assert a.row(1).score.score == D("20.00")
    assert a.row(2).score.score == D("7.50")
    assert a.result.total == D("27.50")
    evaluation = Evaluation.objects.get(period=period)
    assert evaluation.current_total == D("27.50")  # kept for roll-ups


def test_it_refuses_an_invalid_answer_by_its_code_and_saves_nothing(world):
    with pytest.raises(ValidationError) as refused:
        answer(world, **{"1_2": "yes", "2_4": "120"})

    assert refused.value.message_dict == {"2.4": ["Persentase tidak boleh melebihi 100."]}
    assert not Answer.objects.exists()
    assert not AuditEvent.objects.filter(action="evaluation.answer").exists()


def test_it_refuses_a_save_over_someone_elses_newer_answers(world):
    period = world.periods[KUPANG]
    answer(world, **{"1_2": "yes"})  # version 1 → 2

    with pytest.raises(actions.StaleEvaluation):
        actions.save_answers(
            period, actor=world.secretariat, answers={"1.3": ("yes", "")}, expected_version=1
        )

    assert not Answer.objects.filter(question__code="1.3").exists()
    actions.save_answers(
        period, actor=world.secretariat, answers={"1.3": ("yes", "")}, expected_version=2
    )
    assert Answer.objects.filter(question__code="1.3", value="yes").exists()


def test_it_lets_an_agency_operator_answer_only_the_indicators_their_agency_leads(world):
    period = world.periods[KUPANG]
    led = period.submissions.select_related("lead_agency").get(indicator__number=11)
    other = period.submissions.select_related("lead_agency").get(indicator__number=1)
    assert led.lead_agency.abbreviation == "Dinkes" == world.agency_operator.agency.abbreviation
    assert other.lead_agency.abbreviation == "DP3A"

    answer(world, actor=world.agency_operator, **{"11_2": "yes"})
    with pytest.raises(PermissionDenied):
        answer(world, actor=world.agency_operator, **{"1_2": "yes"})

    answers = Answer.objects.values_list("question__code", "value", "answered_by")
    assert list(answers) == [("11.2", "yes", world.agency_operator.pk)]


def test_a_viewer_cannot_answer(world):
    with pytest.raises(PermissionDenied):
        answer(world, actor=world.viewer, **{"1_2": "yes"})

    assert not Answer.objects.exists()


def test_it_refuses_answers_once_the_self_assessment_is_submitted(world):
    answer(world, **{"1_2": "yes"})
    submit(world)
    assert Evaluation.objects.get().stage == Stage.ADMINISTRATIVE

    with pytest.raises(ValidationError, match="sudah diajukan"):
        answer(world, **{"1_2": "no"})

    assert Answer.objects.get(question__code="1.2").value == "yes"


def test_it_refuses_answers_once_the_period_is_locked(world):
    period = world.periods[KUPANG]
    answer(world, **{"1_2": "yes"})
    collection.set_period_status(period, actor=world.secretariat, status=PeriodStatus.CLOSED)
    collection.set_period_status(period, actor=world.secretariat, status=PeriodStatus.LOCKED)
    period.refresh_from_db()

    with pytest.raises(ValidationError, match="dikunci"):
        answer(world, **{"1_2": "no"})

    assert Answer.objects.get(question__code="1.2").value == "yes"


def test_it_audits_every_save_of_answers(world):
    answer(world, **{"1_2": "yes", "2_4": "50"})
    answer(world, **{"1_2": "no"})
    answer(world, **{"1_2": "no"})  # nothing changed: nothing to record

    events = AuditEvent.objects.filter(action="evaluation.answer").order_by("created_at", "id")
    assert [e.changes for e in events] == [
        {"1.2": [None, "yes"], "2.4": [None, "50.00"]},
        {"1.2": ["yes", "no"]},
    ]
    assert {e.actor_id for e in events} == {world.secretariat.pk}
    assert {e.region_code for e in events} == {KUPANG}


# --- flags --------------------------------------------------------------------------------


def test_it_flags_points_claimed_without_evidence_until_evidence_is_tagged(world):
    period = world.periods[KUPANG]
    answer(world, **{"1_2": "yes", "1_3": "no"})

    assert EVIDENCE_FLAG in question_row(period, "1.2").flags
    assert question_row(period, "1.3").flags == []  # no points claimed, nothing to prove
    assert [
        q.question.code for _row, q in queries.missing_evidence(queries.assessment(period))
    ] == ["1.2"]

    tag_evidence(world, "1.2")

    row = question_row(period, "1.2")
    assert row.flags == [] and row.evidence_count == 1
    assert queries.missing_evidence(queries.assessment(period)) == []


def test_it_takes_data_driven_answers_from_the_data_and_flags_them_until_approved(world):
    period = world.periods[KUPANG]
    assert DATA_FLAG not in question_row(period, "11.1").flags  # nothing entered yet
    item = fill_indicator_11(world)

    row = question_row(period, "11.1")
    assert row.value == D("90.00")  # 54 of 60 births
    assert row.points == D("18.00")  # 90 % of the 100 % target × 20
    assert DATA_FLAG in row.flags

    collection.submit_submission(item, actor=world.agency_operator)
    assert DATA_FLAG in question_row(period, "11.1").flags
    collection.approve_submission(item, actor=world.secretariat)

    row = question_row(period, "11.1")
    assert DATA_FLAG not in row.flags
    assert row.value == D("90.00")


def test_data_driven_questions_cannot_be_typed_in(world):
    with pytest.raises(ValidationError) as refused:
        answer(world, **{"11_1": "95"})

    assert list(refused.value.message_dict) == ["11.1"]


# --- verification -------------------------------------------------------------------------


def test_only_the_province_reviews_the_administrative_stage(world):
    period = world.periods[KUPANG]
    answer(world, **{"1_2": "yes"})
    submit(world)

    for persona in ("agency_operator", "secretariat", "national_evaluator", "viewer"):
        with pytest.raises(PermissionDenied):
            actions.review_question(
                period, actor=world.persona(persona), code="1.2", points=D(0), note="x"
            )
    review = actions.review_question(
        period, actor=world.provincial_evaluator, code="1.2", points=D(0), note="SK tidak ada."
    )

    assert (review.stage, review.points) == (Stage.ADMINISTRATIVE, D("0.00"))
    assert queries.assessment(period).live_stage.total == D("0.00")


def test_the_ministry_reviews_from_the_recheck_on(world):
    period = world.periods[KUPANG]
    answer(world, **{"1_2": "yes", "1_3": "yes"})
    submit(world)
    actions.complete_stage(period, actor=world.provincial_evaluator)

    with pytest.raises(PermissionDenied):
        actions.review_question(period, actor=world.provincial_evaluator, code="1.2", points=D(5))
    review = actions.review_question(
        period, actor=world.national_evaluator, code="1.2", points=D(5)
    )

    assert review.stage == Stage.RECHECK
    assert queries.assessment(period).live_stage.total == D("15.00")


def test_it_refuses_points_above_the_questions_maximum(world):
    period = world.periods[KUPANG]
    answer(world, **{"1_2": "yes"})
    submit(world)

    with pytest.raises(ValidationError) as refused:
        actions.review_question(
            period, actor=world.provincial_evaluator, code="1.2", points=D("10.01")
        )

    assert list(refused.value.message_dict) == ["points"]


def test_a_provincial_evaluator_sees_no_local_government_of_another_province(client, world):
    pasuruan = register_local_government(
        actor=world.national_admin, region=Region.objects.get(code="35.75")
    )
    collection.open_period(
        actor=world.national_admin,
        local_government=pasuruan,
        year=PERIOD_YEAR,
        input_deadline=date(PERIOD_YEAR, 3, 31),
        review_deadline=date(PERIOD_YEAR, 4, 30),
    )
    client.force_login(world.provincial_evaluator)

    elsewhere = client.get(f"/organisasi/35.75/periode/{PERIOD_YEAR}/evaluasi/")
    own = client.get(f"/organisasi/{KUPANG}/periode/{PERIOD_YEAR}/evaluasi/")

    assert elsewhere.status_code == 404
    assert own.status_code == 200
    client.force_login(world.national_evaluator)
    assert client.get(f"/organisasi/35.75/periode/{PERIOD_YEAR}/evaluasi/").status_code == 200


# --- stages -------------------------------------------------------------------------------


def test_it_keeps_every_stages_result_through_to_the_determination(world):
    period = world.periods[KUPANG]
    actions.save_answers(period, actor=world.secretariat, answers=best_answers(period))
    self_total = queries.assessment(period).result.total
    assert self_total > D(700)  # every typed-in answer at its best: Nindya on answers alone

    submit(world)
    actions.review_question(
        period, actor=world.provincial_evaluator, code="1.2", points=D(0), note="Tanpa notulen."
    )
    actions.complete_stage(period, actor=world.provincial_evaluator, note="Administrasi selesai.")

    a = queries.assessment(period)
    assert [(r.stage, r.total) for r in a.stage_results] == [
        (Stage.SELF, self_total),
        (Stage.ADMINISTRATIVE, self_total - 10),
    ]
    assert a.stage_results[1].points["1.2"] == "0.00"
    assert a.stage == Stage.RECHECK

    with pytest.raises(ValidationError, match="setelah verifikasi akhir"):
        actions.determine_category(
            period,
            actor=world.national_evaluator,
            decree_number="1/2026",
            decree_date=timezone.localdate(),
        )

    actions.review_question(period, actor=world.national_evaluator, code="1.3", points=D(5))
    actions.complete_stage(period, actor=world.national_evaluator)
    with pytest.raises(ValidationError) as no_mode:
        actions.complete_stage(period, actor=world.national_evaluator)
    assert list(no_mode.value.message_dict) == ["field_mode"]
    actions.complete_stage(period, actor=world.national_evaluator, field_mode="hybrid")
    assert Evaluation.objects.get().stage == Stage.FINAL

    with pytest.raises(ValidationError) as future:
        actions.determine_category(
            period,
            actor=world.national_evaluator,
            decree_number="KEP-1/2026",
            decree_date=timezone.localdate() + timedelta(days=1),
        )
    assert list(future.value.message_dict) == ["decree_date"]
    with pytest.raises(PermissionDenied):
        actions.determine_category(
            period,
            actor=world.provincial_evaluator,
            decree_number="KEP-1/2026",
            decree_date=timezone.localdate(),
        )

    evaluation = actions.determine_category(
        period,
        actor=world.national_evaluator,
        decree_number="KEP-1/2026",
        decree_date=timezone.localdate(),
    )

    final = StageResult.objects.get(evaluation=evaluation, stage=Stage.FINAL)
    assert final.total == self_total - 10 - 5
    assert evaluation.stage == Stage.DETERMINED
    assert evaluation.final_score == final.total
    assert evaluation.final_category_name == final.category_name == "Nindya"
    assert evaluation.field_mode == "hybrid"
    assert [
        r.stage for r in StageResult.objects.filter(evaluation=evaluation).order_by("completed_at")
    ] == [Stage.SELF, Stage.ADMINISTRATIVE, Stage.RECHECK, Stage.FIELD, Stage.FINAL]
    assert list(queries.category_history(world.kupang)) == [evaluation]
    evaluation.refresh_from_db()
    assert evaluation.current_total == final.total  # the roll-up shows the determined score


# --- correction window --------------------------------------------------------------------

T = datetime(PERIOD_YEAR, 6, 1, 9, 0, tzinfo=ZoneInfo("Asia/Jakarta"))


def correct(world, code, name):
    return actions.upload_correction_evidence(
        world.periods[KUPANG],
        actor=world.secretariat,
        code=code,
        upload=pdf(name),
        title=f"Perbaikan {code}",
        kind="decree",
    )


def test_a_correction_window_accepts_listed_evidence_for_48_hours_only(world):
    period = world.periods[KUPANG]
    answer(world, **{"1_2": "yes", "1_3": "yes"})
    submit(world)

    with time_machine.travel(T, tick=False) as clock:
        window = actions.open_correction_window(
            period, actor=world.provincial_evaluator, codes=["1.2"], note="Notulen evaluasi Perda."
        )
        assert window.closes_at == T + timedelta(hours=48)

        clock.move_to(T + timedelta(hours=47))
        evidence = correct(world, "1.2", "notulen")
        with pytest.raises(ValidationError, match="1.3"):
            correct(world, "1.3", "tidak-diminta")
        with pytest.raises(ValidationError, match="sudah diajukan"):
            answer(world, **{"1_3": "no"})  # the window opens evidence, never the answers

        clock.move_to(T + timedelta(hours=48))
        with pytest.raises(ValidationError, match="1.2"):
            correct(world, "1.2", "terlambat")

    assert evidence.question.code == "1.2"
    assert list(period.submissions.get(indicator__number=1).evidence.values_list("title")) == [
        ("Perbaikan 1.2",)
    ]
    assert EVIDENCE_FLAG not in question_row(period, "1.2").flags
    assert EVIDENCE_FLAG in question_row(period, "1.3").flags
    assert AuditEvent.objects.filter(action="evidence.correction").count() == 1


def test_only_the_stages_verifier_opens_a_correction_window(world):
    period = world.periods[KUPANG]
    answer(world, **{"1_2": "yes"})
    with pytest.raises(ValidationError, match="tahap verifikasi"):
        actions.open_correction_window(
            period, actor=world.provincial_evaluator, codes=["1.2"], note="x"
        )
    submit(world)

    for persona in ("secretariat", "agency_operator", "task_force_chair", "national_evaluator"):
        with pytest.raises(PermissionDenied):
            actions.open_correction_window(
                period, actor=world.persona(persona), codes=["1.2"], note="Minta bukti."
            )

    with pytest.raises(ValidationError) as refused:
        actions.open_correction_window(
            period, actor=world.provincial_evaluator, codes=["99.9"], note=" "
        )
    assert set(refused.value.message_dict) == {"questions", "note"}
    assert not Evaluation.objects.get().correction_windows.exists()


# --- scenarios ----------------------------------------------------------------------------


def test_a_simulation_projects_without_saving(world):
    period = world.periods[KUPANG]
    answer(world, **{"1_2": "no", "1_3": "yes"})
    before = list(Answer.objects.values_list("question__code", "value", "updated_at"))

    projected, errors = actions.simulate(period, {"1.2": "yes", "2.4": "100"})

    assert errors == {}
    assert queries.assessment(period).result.total == D("10.00")
    assert projected.total == D("35.00")  # + 10 for 1.2, + 15 for 2.4
    assert list(Answer.objects.values_list("question__code", "value", "updated_at")) == before
    assert not Scenario.objects.exists()


def test_a_simulation_reports_answers_the_rubric_refuses(world):
    projected, errors = actions.simulate(world.periods[KUPANG], {"2.4": "120", "1.2": "yes"})

    assert errors == {"2.4": "Persentase tidak boleh melebihi 100."}
    assert projected.total == D("10.00")


def test_a_saved_scenario_keeps_only_the_changed_answers(world):
    period = world.periods[KUPANG]
    answer(world, **{"1_2": "no", "1_3": "yes"})

    scenario = actions.save_scenario(
        period,
        actor=world.task_force_chair,
        name="  Perda dievaluasi  ",
        changed={"1.2": "yes", "1.3": "yes"},
    )

    assert scenario.name == "Perda dievaluasi"
    assert scenario.answers == {"1.2": "yes"}
    assert scenario.total == D("20.00")
    assert Answer.objects.get(question__code="1.2").value == "no"
    assert AuditEvent.objects.filter(action="evaluation.scenario").count() == 1


def test_it_ignores_the_same_answer_written_differently_in_a_scenario(world):
    period = world.periods[KUPANG]
    answer(world, **{"2_4": "50", "1_2": "yes"})

    scenario = actions.save_scenario(
        period,
        actor=world.secretariat,
        name="Sama saja",
        changed={"2.4": "50", "1.2": "YES", "1.3": "yes"},
    )

    assert scenario.answers == {"1.3": "yes"}


def test_a_scenario_needs_a_name_and_the_right_to_save(world):
    period = world.periods[KUPANG]

    with pytest.raises(ValidationError) as unnamed:
        actions.save_scenario(period, actor=world.secretariat, name="  ", changed={"1.2": "yes"})
    with pytest.raises(PermissionDenied):
        actions.save_scenario(
            period, actor=world.agency_operator, name="Dinkes", changed={"11.2": "yes"}
        )

    assert list(unnamed.value.message_dict) == ["name"]
    assert not Scenario.objects.exists()


# --- category bounds ----------------------------------------------------------------------


def test_it_tells_the_points_still_needed_for_the_lowest_category(world):
    answer(world, **{"1_1": "ditetapkan", "1_2": "yes", "2_4": "50"})

    result = queries.assessment(world.periods[KUPANG]).result

    assert result.total == D("42.50")
    assert result.category is None
    assert (result.next.name, result.next.needed) == ("Pratama", D("500.00") - D("42.50"))
