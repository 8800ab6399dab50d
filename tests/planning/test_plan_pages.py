"""The action-plan pages through the Django test client: who reaches what (anonymous → login,
another region → 404, read-only → 403, the right role → success), forms that say what is wrong
and keep what was typed, the overview's figures and the APBD share, the workbook, the gap
analysis of the evaluation listing programmes, and query counts that stay flat as rows grow."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from sikla.accounts.models import Role
from sikla.planning import actions
from sikla.planning.models import ActionPlan, Budget, PlanStatus, ProgressReport, ProgressStatus
from tests.personas import JAMBI, KUPANG, PERIOD_YEAR, extra_user, world_fixture  # noqa: F401
from tests.planning.test_plan_actions import (  # noqa: F401
    PDF,
    _frozen,
    build_plan,
    indicator,
    plan_fixture,
    report,
)

D = Decimal
RAD = f"/organisasi/{KUPANG}/rad/"


def programme_url(programme, tail: str = "") -> str:
    return f"{RAD}{programme.uid}/{tail}"


def plan_url(built, tail: str) -> str:
    return f"{RAD}rencana/{built.plan.uid}/{tail}"


def count_queries(client, url) -> int:
    """The queries of the page as its next reader meets them: asked once first, so the menu,
    the bell's count and the local government's row come from the cache, as after any change."""
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as run:
        assert client.get(url).status_code == 200
    return len(run)


def section(page: str, testid: str, end: str = "</table>") -> str:
    return page.split(f'data-testid="{testid}"', 1)[1].split(end, 1)[0]


# --- access -------------------------------------------------------------------------------

READ_URLS = [
    lambda p: RAD,
    lambda p: programme_url(p.stunting),
    lambda p: plan_url(p, "rad.xlsx"),
]
WRITE_URLS = [
    lambda p: RAD + "baru/",
    lambda p: plan_url(p, "ubah/"),
    lambda p: plan_url(p, "apbd/"),
    lambda p: plan_url(p, "program/baru/"),
    lambda p: programme_url(p.stunting, "ubah/"),
    lambda p: programme_url(p.stunting, "target/"),
    lambda p: programme_url(p.stunting, "anggaran/"),
]


@pytest.mark.parametrize("url", READ_URLS + WRITE_URLS)
def test_anonymous_visitors_are_sent_to_the_login(client, plan, url):
    response = client.get(url(plan))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login") + "?next=")


@pytest.mark.parametrize("url", READ_URLS + WRITE_URLS)
def test_another_local_governments_secretariat_gets_404(client, world, plan, url):
    client.force_login(world.jambi_secretariat)
    assert client.get(url(plan)).status_code == 404
    kupang_object = str(plan.plan.uid) in url(plan) or str(plan.stunting.uid) in url(plan)
    if kupang_object:  # a Kupang plan or programme under Jambi's own address: not found either
        assert client.get(url(plan).replace(KUPANG, JAMBI)).status_code == 404
    client.force_login(world.secretariat)
    assert client.get(url(plan).replace(KUPANG, JAMBI)).status_code == 404


@pytest.mark.parametrize("url", READ_URLS)
@pytest.mark.parametrize("persona", ["viewer", "agency_operator", "provincial_evaluator"])
def test_everybody_in_scope_reads(client, world, plan, url, persona):
    client.force_login(world.persona(persona))
    assert client.get(url(plan)).status_code == 200


@pytest.mark.parametrize("url", WRITE_URLS)
@pytest.mark.parametrize("persona", ["viewer", "agency_operator", "task_force_chair"])
def test_read_only_roles_get_403_on_the_secretariats_forms(client, world, plan, url, persona):
    client.force_login(world.persona(persona))
    assert client.get(url(plan)).status_code == 403


def test_an_operator_opens_the_progress_form_of_their_agencys_programme_only(client, world, plan):
    client.force_login(world.agency_operator)
    assert client.get(programme_url(plan.stunting, "progres/")).status_code == 200
    assert client.get(programme_url(plan.marriage, "progres/")).status_code == 403
    page = client.get(programme_url(plan.marriage)).content.decode()
    assert 'data-testid="report-progress"' not in page
    page = client.get(programme_url(plan.stunting)).content.decode()
    assert 'data-testid="report-progress"' in page
    client.force_login(world.viewer)
    assert client.get(programme_url(plan.stunting, "progres/")).status_code == 403


def test_a_malformed_programme_address_is_404(client, world, plan):
    client.force_login(world.secretariat)
    assert client.get(f"{RAD}00000000-0000-0000-0000-000000000000/").status_code == 404


# --- the secretariat's work ---------------------------------------------------------------


def test_the_secretariat_builds_and_adopts_a_plan_through_the_pages(client, world):
    client.force_login(world.secretariat)
    page = client.get(RAD).content.decode()
    assert 'data-testid="no-plan"' in page
    response = client.post(
        RAD + "baru/", {"title": "RAD KLA Kota Kupang", "start_year": 2025, "end_year": 2029}
    )
    created = ActionPlan.objects.get()
    assert response.status_code == 302 and str(created.uid) in response["Location"]
    response = client.post(
        plan_url(type("P", (), {"plan": created}), "program/baru/"),
        {
            "code": "1.02.01",
            "name": "Percepatan penurunan stunting",
            "lead_agency": world.agency(KUPANG, "Dinkes").pk,
            "indicators": [indicator(12).pk],
            "unit": "balita",
        },
    )
    programme = created.programmes.get()
    assert response["Location"] == programme_url(programme)
    response = client.post(
        programme_url(programme, "anggaran/"),
        {"year": 2026, "source": "apbd", "planned": "1.250.000.000", "realised": "1.300.000.000"},
        follow=True,
    )
    assert "realisasi melebihi pagu" in response.content.decode()
    assert Budget.objects.get().planned == D(1250000000)
    client.post(programme_url(programme, "target/"), {"year": 2026, "output_target": "8.500"})
    assert programme.targets.get().output_target == D(8500)
    response = client.post(
        plan_url(type("P", (), {"plan": created}), "tetapkan/"),
        {"decree_number": "Perwal 18/2025", "decree_date": "2025-04-14"},
    )
    assert ActionPlan.objects.get().status == PlanStatus.ADOPTED


def test_a_refused_form_says_why_next_to_the_field_and_keeps_what_was_typed(client, world, plan):
    client.force_login(world.secretariat)
    response = client.post(
        programme_url(plan.stunting, "anggaran/"),
        {"year": 2026, "source": "apbd", "planned": "-5", "realised": "1.000"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Jumlah tidak boleh negatif." in section(page, "plan-form", "</form>")
    assert 'value="-5"' in page and 'value="1.000"' in page
    response = client.post(
        plan_url(plan, "ubah/"),
        {"title": "<b>RAD</b>", "start_year": 2025, "end_year": 2029},
    )
    assert "Teks tidak boleh berisi tag HTML atau skrip." in response.content.decode()
    response = client.post(
        programme_url(plan.stunting, "anggaran/"),
        {"year": 2031, "source": "apbd", "planned": "5"},
    )
    assert "year" in response.context["form"].errors  # not one of the plan's years


def test_the_budget_form_opens_with_the_stored_line(client, world, plan):
    actions.set_budget(
        plan.stunting,
        actor=world.secretariat,
        year=2026,
        source="dak",
        planned=D("850000000"),
        realised=D("12.5"),
    )
    client.force_login(world.secretariat)
    page = client.get(
        programme_url(plan.stunting, "anggaran/?tahun=2026&sumber=dak")
    ).content.decode()
    assert 'value="850.000.000"' in page and 'value="12,50"' in page


# --- progress -----------------------------------------------------------------------------


def test_an_operator_reports_with_evidence_and_the_secretariat_accepts(client, world, plan):
    client.force_login(world.agency_operator)
    response = client.post(
        programme_url(plan.stunting, "progres/"),
        {
            "year": 2026,
            "quarter": 1,
            "output_achieved": "1.700",
            "realisation": "268.571.429",
            "narrative": "Intervensi gizi berjalan di 11 puskesmas.",
            "file": SimpleUploadedFile("laporan.pdf", PDF),
        },
    )
    assert response.status_code == 302
    stored = ProgressReport.objects.get()
    assert (stored.output_achieved, stored.realisation) == (D(1700), D(268571429))
    client.force_login(world.viewer)
    download = client.get(programme_url(plan.stunting, f"progres/{stored.uid}/berkas/"))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert download["Content-Type"] == "application/pdf"
    client.force_login(world.jambi_secretariat)
    assert (
        client.get(programme_url(plan.stunting, f"progres/{stored.uid}/berkas/")).status_code == 404
    )
    client.force_login(world.agency_operator)
    accept = programme_url(plan.stunting, f"progres/{stored.uid}/terima/")
    assert client.post(accept).status_code == 403
    client.force_login(world.secretariat)
    page = client.post(accept, follow=True).content.decode()
    assert "Laporan progres diterima." in page
    assert ProgressReport.objects.get().status == ProgressStatus.ACCEPTED


def test_a_refused_upload_is_explained_next_to_the_file_field(client, world, plan):
    client.force_login(world.agency_operator)
    response = client.post(
        programme_url(plan.stunting, "progres/"),
        {
            "year": 2026,
            "quarter": 1,
            "output_achieved": "10",
            "realisation": "0",
            "narrative": "Uji",
            "file": SimpleUploadedFile("laporan.pdf", b"MZ\x90\x00 not a pdf"),
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert not ProgressReport.objects.exists()


def test_the_progress_form_reopens_an_unaccepted_report_for_correction(client, world, plan):
    report(plan.stunting, world.agency_operator, quarter=1, output="10")
    client.force_login(world.agency_operator)
    page = client.get(
        programme_url(plan.stunting, "progres/?tahun=2026&triwulan=1")
    ).content.decode()
    assert 'value="10"' in page


# --- the overview -------------------------------------------------------------------------


def fill(world, built, *, apbd=True):
    s = world.secretariat
    actions.set_budget(
        built.stunting, actor=s, year=2026, source="apbd", planned=D(300), realised=D(150)
    )
    actions.set_budget(
        built.stunting, actor=s, year=2026, source="dak", planned=D(100), realised=D(120)
    )
    actions.set_budget(
        built.marriage, actor=s, year=2026, source="apbd", planned=D(100), realised=D(50)
    )
    actions.set_budget(
        built.marriage, actor=s, year=2025, source="apbd", planned=D(80), realised=D(80)
    )
    if apbd:
        actions.set_local_budget(built.plan, actor=s, year=2026, total_apbd=D(10000))


def test_the_overview_shows_plan_vs_actual_and_the_apbd_share(client, world, plan):
    fill(world, plan)
    client.force_login(world.viewer)
    page = client.get(RAD + "?tahun=2026").content.decode()
    assert "Rp 500" in section(page, "year-planned", "</p>")
    assert section(page, "share-planned", "</p>").strip(">").strip() == "4,0%"  # 400 of 10.000
    assert "2,0%" in section(page, "share-realised", "</small>")  # 200 of 10.000
    assert "Data APBD belum diisi" in section(page, "year-2025", "</tr>")
    assert "580" in section(page, "total-planned", "</th>")
    stunting = section(page, "indicator-12", "</tr>")
    assert "Percepatan penurunan stunting" in stunting and "400" in stunting and "270" in stunting
    assert "melebihi pagu" in section(page, f"programme-{plan.stunting.uid}", "</tr>")
    assert 'id="plan-chart"' in page


def test_without_the_apbd_the_share_says_so(client, world, plan):
    fill(world, plan, apbd=False)
    client.force_login(world.viewer)
    page = client.get(RAD + "?tahun=2026").content.decode()
    assert "Data APBD belum diisi" in section(page, "share-missing", "</p>")


def test_the_programme_list_filters_by_indicator_agency_and_name(client, world, plan):
    client.force_login(world.viewer)
    page = client.get(RAD + "?indikator=7").content.decode()
    rows = section(page, "programmes")
    assert "perkawinan" in rows and "stunting" not in rows
    page = client.get(RAD + f"?opd={world.agency(KUPANG, 'Dinkes').uid}").content.decode()
    rows = section(page, "programmes")
    assert "stunting" in rows and "perkawinan" not in rows
    page = client.get(RAD + "?q=tidak-ada").content.decode()
    assert "Tidak ada program yang cocok" in page


def test_a_second_plan_is_chosen_by_its_uid(client, world, plan):
    other = actions.create_plan(
        actor=world.secretariat,
        local_government=world.kupang,
        title="RAD KLA 2030–2034",
        start_year=2030,
        end_year=2034,
    )
    client.force_login(world.viewer)
    assert "RAD KLA Kota Kupang" in section(client.get(RAD).content.decode(), "plan-title", "<")
    page = client.get(RAD + f"?rencana={other.uid}").content.decode()
    assert "RAD KLA 2030–2034" in section(page, "plan-title", "<")
    assert 'data-testid="no-programmes"' in page


def more_programmes(world, built, n: int):
    for i in range(n):
        agency = world.agency(KUPANG, ["DP3A", "Dinkes", "Bappeda"][i % 3])
        programme = actions.add_programme(
            built.plan,
            actor=world.secretariat,
            name=f"Program {i}",
            lead_agency=agency,
            indicators=[indicator(1 + i % 24), indicator(1 + (i + 5) % 24)],
        )
        for year in (2025, 2026):
            actions.set_budget(
                programme, actor=world.secretariat, year=year, source="apbd", planned=D(10 + i)
            )
            actions.set_target(programme, actor=world.secretariat, year=year, output_target=D(5))
        report(programme, world.secretariat, year=2025, quarter=4)


def test_the_overview_reads_in_the_same_queries_for_2_or_20_programmes(client, world, plan):
    fill(world, plan)
    client.force_login(world.secretariat)
    few = count_queries(client, RAD)
    more_programmes(world, plan, 18)
    assert count_queries(client, RAD) == few


def test_the_programme_page_reads_in_the_same_queries_for_1_or_8_reports(client, world, plan):
    fill(world, plan)
    report(plan.stunting, world.agency_operator, year=2025, quarter=1)
    client.force_login(world.secretariat)
    few = count_queries(client, programme_url(plan.stunting))
    for quarter in (2, 3, 4):
        report(plan.stunting, world.agency_operator, year=2025, quarter=quarter)
    for quarter in (1, 2):
        report(plan.stunting, world.agency_operator, year=2026, quarter=quarter)
    for year in range(2025, 2030):
        actions.set_target(plan.stunting, actor=world.secretariat, year=year, output_target=D(9))
        actions.set_budget(
            plan.stunting, actor=world.secretariat, year=year, source="csr", planned=D(9)
        )
    assert count_queries(client, programme_url(plan.stunting)) == few


# --- the workbook -------------------------------------------------------------------------


def test_the_workbook_parses_back_with_the_same_figures(client, world, plan):
    fill(world, plan)
    report(plan.stunting, world.agency_operator, year=2026, quarter=1, output="7", money="99")
    client.force_login(world.viewer)
    response = client.get(plan_url(plan, "rad.xlsx"))
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert "rad-kla-53.71-2025-2029.xlsx" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == [
        "Ringkasan",
        "Anggaran program",
        "Per indikator",
        "Per perangkat daerah",
        "Progres triwulanan",
    ]
    summary = {row[0]: row for row in book["Ringkasan"].iter_rows(min_row=2, values_only=True)}
    assert summary[2026][1:4] == (500, 320, 64)
    assert summary[2026][6:9] == (10000, 4, 2)
    assert summary[2025][6] is None  # no APBD typed in
    assert summary["Jumlah"][1:3] == (580, 400)
    lines = list(book["Anggaran program"].iter_rows(min_row=2, values_only=True))
    assert len(lines) == 4 and sum(r[6] for r in lines) == 580
    agencies = {
        r[0]: r for r in book["Per perangkat daerah"].iter_rows(min_row=2, values_only=True)
    }
    assert agencies["Dinkes"][1:4] == (1, 400, 270)
    progress = list(book["Progres triwulanan"].iter_rows(min_row=2, values_only=True))
    assert progress[0][2:7] == (2026, 1, 7, 99, "Diajukan")


# --- the gap analysis of the evaluation ---------------------------------------------------

GAPS = f"/organisasi/{KUPANG}/periode/{PERIOD_YEAR}/evaluasi/kesenjangan/"


def test_the_gap_analysis_lists_the_programmes_of_the_adopted_plan(client, world, plan):
    client.force_login(world.viewer)
    page = client.get(GAPS).content.decode()
    twelve = section(page, "gap-programmes-12", "</td>")
    assert "Percepatan penurunan stunting" in twelve and "(Dinkes)" in twelve
    assert f"{RAD}{plan.stunting.uid}/" in twelve
    assert "Percepatan penurunan stunting" in section(page, "gap-programmes-13", "</td>")
    assert "Pencegahan perkawinan anak" in section(page, "gap-programmes-7", "</td>")
    assert "Belum ada program" in section(page, "gap-programmes-1", "</td>")


def test_a_draft_plan_does_not_count_in_the_gap_analysis(client, world):
    build_plan(world, adopt=False)
    client.force_login(world.viewer)
    page = client.get(GAPS).content.decode()
    assert "Belum ada program" in section(page, "gap-programmes-12", "</td>")


def test_the_gap_analysis_reads_the_same_queries_whatever_the_number_of_programmes(client, world):
    """The programmes cost the page one query (an indicator-programme join), with or without
    a plan, for 2 or 14 programmes."""
    client.force_login(world.viewer)
    without = count_queries(client, GAPS)
    built = build_plan(world)
    with_two = count_queries(client, GAPS)
    more_programmes(world, built, 12)
    assert count_queries(client, GAPS) == with_two == without


def test_an_operator_of_another_agency_is_told_no_but_sees_the_plan(client, world, plan):
    dp3a = extra_user(world, "operator.dp3a", Role.AGENCY_OPERATOR, agency="DP3A")
    client.force_login(dp3a)
    assert client.get(programme_url(plan.stunting, "progres/")).status_code == 403
    assert client.get(programme_url(plan.marriage, "progres/")).status_code == 200


def test_a_programme_for_an_indicator_starts_with_it_chosen(client, world, plan):
    client.force_login(world.secretariat)
    form = client.get(plan_url(plan, "program/baru/?indikator=12")).context["form"]
    assert form.initial["indicators"] == [indicator(12).pk]
