"""The action plan's actions: creating and adopting a plan, programmes, targets, budgets, the
local APBD, quarterly progress (who may report, once per quarter, editable until accepted),
validation messages, audit rows and notifications.

`build_plan` and the `plan` fixture are shared with the other `test_plan_*` modules."""

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from sikla.accounts.models import Role
from sikla.core.models import AuditEvent, Notification
from sikla.indicators.models import Indicator
from sikla.indicators.queries import active_catalog
from sikla.planning import actions, queries
from sikla.planning.models import (
    ActionPlan,
    Budget,
    FundingSource,
    PlanStatus,
    Programme,
    ProgressReport,
    ProgressStatus,
)
from tests.personas import JAMBI, KUPANG, extra_user, world_fixture  # noqa: F401

D = Decimal
NOW = datetime(2026, 5, 15, 3, 0, tzinfo=UTC)  # the second quarter of 2026 has started
PDF = b"%PDF-1.4\n% progres\n"


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def indicator(number: int) -> Indicator:
    return Indicator.objects.get(version=active_catalog(), number=number)


@dataclass
class Plan:
    plan: ActionPlan
    stunting: Programme  # Dinkes, indicators 12 and 13
    marriage: Programme  # DP3A, indicator 7


def build_plan(world, *, adopt: bool = True) -> Plan:
    s = world.secretariat
    plan = actions.create_plan(
        actor=s,
        local_government=world.kupang,
        title="RAD KLA Kota Kupang",
        start_year=2025,
        end_year=2029,
    )
    stunting = actions.add_programme(
        plan,
        actor=s,
        code="1.02.01",
        name="Percepatan penurunan stunting",
        lead_agency=world.agency(KUPANG, "Dinkes"),
        indicators=[indicator(12), indicator(13)],
        unit="balita",
    )
    marriage = actions.add_programme(
        plan,
        actor=s,
        code="2.08.04",
        name="Pencegahan perkawinan anak",
        lead_agency=world.agency(KUPANG, "DP3A"),
        indicators=[indicator(7)],
        unit="remaja",
    )
    if adopt:
        actions.adopt_plan(
            plan, actor=s, decree_number="Perwal 18/2025", decree_date=date(2025, 4, 14)
        )
    return Plan(plan, stunting, marriage)


@pytest.fixture(name="plan")
def plan_fixture(world) -> Plan:
    """Imported under this name elsewhere, so test arguments called `plan` shadow nothing."""
    return build_plan(world)


def report(programme, actor, *, year=2026, quarter=1, output="10", money="1000000", **extra):
    return actions.report_progress(
        programme,
        actor=actor,
        year=year,
        quarter=quarter,
        output_achieved=D(output),
        realisation=D(money),
        narrative=extra.pop("narrative", "Berjalan sesuai rencana."),
        **extra,
    )


def errors(exc_info) -> dict:
    return exc_info.value.message_dict


# --- the plan -----------------------------------------------------------------------------


def test_it_creates_a_draft_plan_and_audits_it(world):
    plan = actions.create_plan(
        actor=world.secretariat,
        local_government=world.kupang,
        title="RAD KLA 2025–2029",
        start_year=2025,
        end_year=2029,
    )
    assert plan.status == PlanStatus.DRAFT
    assert plan.years == [2025, 2026, 2027, 2028, 2029]
    event = AuditEvent.objects.get(action="plan.create")
    assert event.region_code == KUPANG and event.actor == world.secretariat


@pytest.mark.parametrize(
    ("start", "end", "field", "message"),
    [
        (2029, 2025, "end_year", "Tahun akhir tidak boleh sebelum tahun awal."),
        (2025, 2040, "end_year", "Masa RAD KLA paling lama 10 tahun."),
        (1990, 1995, "start_year", "Tahun awal harus di antara 2000 dan 2100."),
    ],
)
def test_it_refuses_impossible_years(world, start, end, field, message):
    with pytest.raises(ValidationError) as exc:
        actions.create_plan(
            actor=world.secretariat,
            local_government=world.kupang,
            title="RAD",
            start_year=start,
            end_year=end,
        )
    assert errors(exc) == {field: [message]}


@pytest.mark.parametrize("persona", ["agency_operator", "viewer", "task_force_chair"])
def test_only_the_secretariat_manages_the_plan(world, persona):
    with pytest.raises(PermissionDenied):
        actions.create_plan(
            actor=world.persona(persona),
            local_government=world.kupang,
            title="RAD",
            start_year=2025,
            end_year=2029,
        )


def test_another_local_governments_secretariat_cannot_touch_the_plan(world, plan):
    with pytest.raises(PermissionDenied):
        actions.set_budget(
            plan.stunting, actor=world.jambi_secretariat, year=2026, source="apbd", planned=1
        )


def test_adopting_needs_a_programme_and_refuses_a_second_plan_for_the_same_years(world, plan):
    empty = actions.create_plan(
        actor=world.secretariat,
        local_government=world.kupang,
        title="RAD baru",
        start_year=2028,
        end_year=2032,
    )
    with pytest.raises(ValidationError, match="paling sedikit satu program"):
        actions.adopt_plan(
            empty, actor=world.secretariat, decree_number="X", decree_date=date(2027, 1, 1)
        )
    actions.add_programme(
        empty,
        actor=world.secretariat,
        name="Program",
        lead_agency=world.agency(KUPANG, "DP3A"),
        indicators=[indicator(1)],
    )
    with pytest.raises(ValidationError, match="Sudah ada RAD KLA yang ditetapkan"):
        actions.adopt_plan(
            empty, actor=world.secretariat, decree_number="X", decree_date=date(2027, 1, 1)
        )
    assert ActionPlan.objects.get(pk=empty.pk).status == PlanStatus.DRAFT


def test_adopting_tells_the_operators_of_the_lead_agencies(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        built = build_plan(world)
    assert built.plan.is_adopted and built.plan.decree_number == "Perwal 18/2025"
    note = Notification.objects.get(recipient=world.agency_operator)
    assert "laporkan progres" in note.text
    assert str(built.plan.uid) in note.link


def test_the_years_shrink_only_when_nothing_lies_outside(world, plan):
    actions.set_budget(plan.stunting, actor=world.secretariat, year=2029, source="apbd", planned=5)
    with pytest.raises(ValidationError) as exc:
        actions.update_plan(
            plan.plan, actor=world.secretariat, title="RAD", start_year=2025, end_year=2028
        )
    assert "end_year" in errors(exc)
    changes = actions.update_plan(
        plan.plan,
        actor=world.secretariat,
        title="RAD KLA (revisi)",
        start_year=2025,
        end_year=2029,
        decree_number="Perwal 18/2025",
        decree_date=date(2025, 4, 14),
    )
    assert changes == {"title": ["RAD KLA Kota Kupang", "RAD KLA (revisi)"]}


# --- programmes, targets, budgets -------------------------------------------------------


def test_a_programme_needs_an_agency_of_this_local_government_and_an_indicator(world, plan):
    with pytest.raises(ValidationError) as exc:
        actions.add_programme(
            plan.plan,
            actor=world.secretariat,
            name="P",
            lead_agency=world.agency(JAMBI, "DP3A"),
            indicators=[indicator(1)],
        )
    assert "lead_agency" in errors(exc)
    with pytest.raises(ValidationError) as exc:
        actions.add_programme(
            plan.plan,
            actor=world.secretariat,
            name="P",
            lead_agency=world.agency(KUPANG, "DP3A"),
            indicators=[],
        )
    assert errors(exc) == {"indicators": ["Pilih paling sedikit satu indikator KLA."]}


def test_editing_a_programme_audits_fields_and_indicators(world, plan):
    changes = actions.update_programme(
        plan.marriage,
        actor=world.secretariat,
        code="2.08.04",
        name="Pencegahan perkawinan anak",
        lead_agency=world.agency(KUPANG, "Bappeda"),
        indicators=[indicator(7), indicator(8)],
        unit="remaja",
    )
    assert changes["lead_agency"] == ["DP3A", "Bappeda"]
    assert changes["indicators"] == ["7", "7, 8"]
    assert AuditEvent.objects.filter(action="programme.update").count() == 2


def test_targets_and_budgets_are_upserted_within_the_plan_years(world, plan):
    s = world.secretariat
    actions.set_target(plan.stunting, actor=s, year=2026, output_target=D(8500))
    target = actions.set_target(plan.stunting, actor=s, year=2026, output_target=D(9000))
    assert (target.output_target, target.unit) == (D(9000), "balita")
    assert plan.stunting.targets.count() == 1
    actions.set_budget(plan.stunting, actor=s, year=2026, source="apbd", planned=D(100))
    budget = actions.set_budget(
        plan.stunting, actor=s, year=2026, source="apbd", planned=D(100), realised=D(120)
    )
    assert budget.over_realised  # allowed, flagged
    assert Budget.objects.count() == 1
    with pytest.raises(ValidationError) as exc:
        actions.set_budget(plan.stunting, actor=s, year=2030, source="apbd", planned=D(1))
    assert errors(exc) == {"year": ["Tahun harus di antara 2025 dan 2029 (masa RAD KLA)."]}


@pytest.mark.parametrize(
    ("planned", "realised", "field", "message"),
    [
        (D(-1), D(0), "planned", "Jumlah tidak boleh negatif."),
        (D(1), D("-0.01"), "realised", "Jumlah tidak boleh negatif."),
        (D("1.005"), D(0), "planned", "Paling banyak dua angka di belakang koma."),
        (D("1e17"), D(0), "planned", "Jumlah terlalu besar."),
    ],
)
def test_money_is_never_negative_nor_beyond_cents(world, plan, planned, realised, field, message):
    with pytest.raises(ValidationError) as exc:
        actions.set_budget(
            plan.stunting,
            actor=world.secretariat,
            year=2026,
            source=FundingSource.DAK,
            planned=planned,
            realised=realised,
        )
    assert errors(exc) == {field: [message]}


def test_the_local_apbd_is_positive_and_can_be_removed(world, plan):
    s = world.secretariat
    with pytest.raises(ValidationError):
        actions.set_local_budget(plan.plan, actor=s, year=2026, total_apbd=D(0))
    actions.set_local_budget(plan.plan, actor=s, year=2026, total_apbd=D("1312000000000"))
    assert plan.plan.plan_years.get().total_apbd == D("1312000000000")
    actions.set_local_budget(plan.plan, actor=s, year=2026, total_apbd=None)
    assert not plan.plan.plan_years.exists()
    assert AuditEvent.objects.filter(action="plan.local_budget").count() == 2


# --- quarterly progress -------------------------------------------------------------------


def test_an_operator_reports_for_their_own_agencys_programme_only(world, plan):
    created, is_new = report(plan.stunting, world.agency_operator)
    assert is_new and created.status == ProgressStatus.SUBMITTED
    assert created.reported_by == world.agency_operator
    with pytest.raises(PermissionDenied):
        report(plan.marriage, world.agency_operator)  # DP3A's programme
    dp3a = extra_user(world, "operator.dp3a", Role.AGENCY_OPERATOR, agency="DP3A")
    report(plan.marriage, dp3a)
    for persona in ("viewer", "task_force_chair", "jambi_secretariat"):
        with pytest.raises(PermissionDenied):
            report(plan.stunting, world.persona(persona), quarter=2)


def test_the_secretariat_reports_for_any_programme(world, plan):
    _report, is_new = report(plan.marriage, world.secretariat)
    assert is_new


def test_a_quarter_is_reported_once_and_corrected_until_accepted(
    world, plan, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first, _ = report(plan.stunting, world.agency_operator, output="10")
    assert Notification.objects.filter(recipient=world.secretariat).count() == 1
    again, is_new = report(plan.stunting, world.agency_operator, output="12")
    assert not is_new and again.pk == first.pk and again.version == 2
    assert ProgressReport.objects.get().output_achieved == D(12)
    assert AuditEvent.objects.filter(action="progress.update").get().changes["output_achieved"] == [
        "10.00",
        "12.00",
    ]
    with django_capture_on_commit_callbacks(execute=True):
        actions.accept_progress(again, actor=world.secretariat)
    assert Notification.objects.filter(recipient=world.agency_operator, text__contains="diterima")
    with pytest.raises(ValidationError) as exc:
        report(plan.stunting, world.agency_operator, output="13")
    assert errors(exc) == {
        "quarter": ["Laporan triwulan ini sudah diterima dan tidak dapat diubah lagi."]
    }
    with pytest.raises(ValidationError, match="sudah diterima"):
        actions.accept_progress(again, actor=world.secretariat)


def test_only_the_secretariat_accepts(world, plan):
    created, _ = report(plan.stunting, world.agency_operator)
    with pytest.raises(PermissionDenied):
        actions.accept_progress(created, actor=world.agency_operator)


@pytest.mark.parametrize(
    ("year", "quarter", "field", "message"),
    [
        (2026, 0, "quarter", "Triwulan harus 1, 2, 3 atau 4."),
        (2026, 5, "quarter", "Triwulan harus 1, 2, 3 atau 4."),
        (2026, 3, "quarter", "Triwulan ini belum dimulai."),
        (2024, 4, "year", "Tahun harus di antara 2025 dan 2029 (masa RAD KLA)."),
    ],
)
def test_a_report_names_a_year_of_the_plan_and_a_quarter_that_has_started(
    world, plan, year, quarter, field, message
):
    with pytest.raises(ValidationError) as exc:
        report(plan.stunting, world.secretariat, year=year, quarter=quarter)
    assert errors(exc) == {field: [message]}


def test_a_report_has_no_negative_figures_and_a_narrative(world, plan):
    with pytest.raises(ValidationError) as exc:
        report(plan.stunting, world.secretariat, money="-5")
    assert errors(exc) == {"realisation": ["Jumlah tidak boleh negatif."]}
    with pytest.raises(ValidationError) as exc:
        report(plan.stunting, world.secretariat, narrative="  ")
    assert "narrative" in errors(exc)
    with pytest.raises(ValidationError) as exc:
        report(plan.stunting, world.secretariat, narrative="<script>x</script>")
    assert errors(exc) == {"narrative": ["Teks tidak boleh berisi tag HTML atau skrip."]}


def test_a_draft_plan_takes_no_reports(world):
    draft = build_plan(world, adopt=False)
    with pytest.raises(ValidationError, match="belum ditetapkan"):
        report(draft.stunting, world.secretariat)


def test_evidence_is_checked_from_its_bytes(world, plan):
    with pytest.raises(ValidationError) as exc:
        report(
            plan.stunting,
            world.agency_operator,
            upload=SimpleUploadedFile("laporan.pdf", b"MZ not a pdf at all"),
        )
    assert "file" in errors(exc)
    created, _ = report(
        plan.stunting, world.agency_operator, upload=SimpleUploadedFile("x.pdf", PDF)
    )
    assert (created.kind_ext, created.mime, created.size) == ("pdf", "application/pdf", len(PDF))
    assert created.file.name.startswith(f"plan-progress/{KUPANG}/")
    assert created.file.name.endswith(".pdf") and "x.pdf" not in created.file.name


def test_can_report_progress_follows_the_rule(world, plan):
    assert queries.can_report_progress(world.secretariat, plan.marriage)
    assert queries.can_report_progress(world.agency_operator, plan.stunting)
    assert not queries.can_report_progress(world.agency_operator, plan.marriage)
    assert not queries.can_report_progress(world.viewer, plan.stunting)
    assert not queries.can_report_progress(world.jambi_secretariat, plan.stunting)
