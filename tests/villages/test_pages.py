"""The pages: who reaches what (anonymous → login, Jambi → 404, read-only → 403 on forms, the
right role → success), what the kab/kota page shows, the forms, evidence, the workbook, and a
flat query count."""

import io
import re
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from sikla.villages.models import (
    ChecklistAnswer,
    ChecklistItem,
    Status,
    StatusChange,
    VillageStatus,
)
from tests.personas import JAMBI, KUPANG

from .conftest import (
    ALAK_KELURAHAN,
    JAMBI_KELURAHAN,
    OEBOBO,
    OEBOBO_KELURAHAN,
    YEAR,
    checklist,
    declare,
    kupang_villages,
    pdf,
)

OVERVIEW = reverse("villages:overview", args=[KUPANG])


def area_url(code=OEBOBO_KELURAHAN, lg=KUPANG):
    return reverse("villages:area", args=[lg, code])


def status_url(code=OEBOBO_KELURAHAN, lg=KUPANG):
    return reverse("villages:status_edit", args=[lg, code])


def checklist_url(code=OEBOBO_KELURAHAN, year=YEAR, lg=KUPANG):
    return reverse("villages:checklist_edit", args=[lg, code, year])


def shown(page: str, testid: str) -> str:
    match = re.search(rf'data-testid="{re.escape(testid)}"[^>]*>(.*?)</', page, re.S)
    return re.sub(r"\s+", " ", match.group(1)).strip()


def status_form(**values) -> dict:
    return {
        "status": Status.DECLARED,
        "declared_on": "2025-07-23",
        "decree_number": "12/KEP/LRH/2025",
        "task_force_decree": "11/KEP/GT/2025",
        "task_force_chair": "Lurah Oebobo",
        "task_force_members": "17",
        "note": "",
        **values,
    }


@pytest.fixture
def demo(world):
    """Three declared kelurahan (two with PATBM), Oebobo declared KELANA, one initiated."""
    for code in (OEBOBO_KELURAHAN, "53.71.04.1008", ALAK_KELURAHAN):
        declare(world, code)
    checklist(world, OEBOBO_KELURAHAN, done={ChecklistItem.PATBM, ChecklistItem.CHILD_FORUM})
    checklist(world, "53.71.04.1008", done={ChecklistItem.PATBM})
    checklist(world, ALAK_KELURAHAN, done={ChecklistItem.READING_CORNER})
    declare(world, OEBOBO)
    from sikla.villages import actions

    from .conftest import region

    actions.set_status(
        actor=world.secretariat,
        local_government=world.kupang,
        region=region("53.71.02.1001"),
        status=Status.INITIATED,
    )
    return world


# --- access ------------------------------------------------------------------------------------


READ_ROUTES = ["overview", "export", "area"]


def read_url(name: str, lg: str = KUPANG, code: str = OEBOBO_KELURAHAN) -> str:
    return {
        "overview": reverse("villages:overview", args=[lg]),
        "export": reverse("villages:export", args=[lg]),
        "area": reverse("villages:area", args=[lg, code]),
    }[name]


@pytest.mark.parametrize("name", READ_ROUTES)
def test_it_sends_an_anonymous_visitor_to_the_login_page(client, world, name):
    response = client.get(read_url(name))

    assert response.status_code == 302
    assert response["Location"].startswith("/masuk/")


@pytest.mark.parametrize("name", READ_ROUTES)
def test_it_hides_kupang_from_jambi(client, world, name):
    client.force_login(world.jambi_secretariat)

    assert client.get(read_url(name)).status_code == 404


@pytest.mark.parametrize(
    "persona",
    [
        "secretariat",
        "viewer",
        "agency_operator",
        "village_officer",
        "provincial_evaluator",
        "national_evaluator",
        "task_force_chair",
    ],
)
@pytest.mark.parametrize("name", READ_ROUTES)
def test_everyone_in_scope_reads(client, world, persona, name):
    client.force_login(world.persona(persona))

    assert client.get(read_url(name)).status_code == 200


@pytest.mark.parametrize("code", [JAMBI_KELURAHAN, KUPANG, "53", "53.71.04.9999", "tidak-ada"])
def test_it_answers_404_for_a_region_that_is_no_area_of_the_local_government(client, world, code):
    client.force_login(world.secretariat)

    assert client.get(area_url(code)).status_code == 404
    assert client.get(status_url(code)).status_code == 404


@pytest.mark.parametrize(
    ("persona", "code", "expected"),
    [
        ("secretariat", OEBOBO_KELURAHAN, 200),
        ("secretariat", ALAK_KELURAHAN, 200),
        ("village_officer", OEBOBO_KELURAHAN, 200),
        ("village_officer", OEBOBO, 200),
        ("village_officer", ALAK_KELURAHAN, 403),
        ("agency_operator", OEBOBO_KELURAHAN, 403),
        ("viewer", OEBOBO_KELURAHAN, 403),
        ("task_force_chair", OEBOBO_KELURAHAN, 403),
        ("provincial_evaluator", OEBOBO_KELURAHAN, 403),
        ("jambi_secretariat", OEBOBO_KELURAHAN, 404),
    ],
)
def test_who_may_open_the_forms(client, world, persona, code, expected):
    client.force_login(world.persona(persona))

    assert client.get(status_url(code)).status_code == expected
    assert client.get(checklist_url(code)).status_code == expected


def test_a_village_officer_never_reaches_jambi(client, world):
    client.force_login(world.village_officer)

    assert client.get(status_url(JAMBI_KELURAHAN, lg=JAMBI)).status_code == 404
    response = client.post(status_url(JAMBI_KELURAHAN, lg=JAMBI), status_form())
    assert response.status_code == 404


def test_forms_send_an_anonymous_visitor_to_the_login_page(client, world):
    response = client.post(status_url(), status_form())

    assert response.status_code == 302
    assert response["Location"].startswith("/masuk/")
    assert not VillageStatus.objects.exists()


def test_an_agency_operator_cannot_post_a_status(client, world):
    client.force_login(world.agency_operator)

    assert client.post(status_url(), status_form()).status_code == 403
    assert not VillageStatus.objects.exists()


# --- the kab/kota page -------------------------------------------------------------------------


def test_it_computes_the_headline_and_the_table(client, demo):
    client.force_login(demo.viewer)

    response = client.get(OVERVIEW)

    page = response.content.decode()
    assert shown(page, "headline") == "3 dari 51 kelurahan dideklarasikan, 2 dengan PATBM"
    assert "1 dari 6 kecamatan" in shown(page, "headline-districts")
    oebobo = response.context["ov"].districts[3]
    assert (oebobo.code, oebobo.villages, oebobo.declared, oebobo.with_patbm) == (OEBOBO, 7, 2, 2)
    assert oebobo.items[ChecklistItem.CHILD_FORUM] == 1
    assert oebobo.kelana
    alak = response.context["ov"].districts[0]
    assert (alak.declared, alak.with_patbm, alak.items[ChecklistItem.READING_CORNER]) == (1, 0, 1)
    assert 'data-testid="district-53.71.04"' in page
    assert 'data-chart="district-chart"' in page and 'id="district-chart"' in page


def test_it_shows_which_indicator_2_questions_the_shares_answer(client, demo):
    client.force_login(demo.secretariat)

    page = client.get(OVERVIEW).content.decode()

    assert "Dipakai untuk indikator 2" in page
    row_25 = re.search(r'data-testid="question-2.5">(.*?)</tr>', page, re.S).group(1)
    assert "pertanyaan 2.5" in row_25 and "5,9%" in row_25  # 3 / 51
    assert "Desa/Kelurahan Layak Anak (DeKeLA)" in row_25  # the catalog's question text
    row_26 = re.search(r'data-testid="question-2.6">(.*?)</tr>', page, re.S).group(1)
    assert "66,7%" in row_26  # 2 of 3 declared
    row_24 = re.search(r'data-testid="question-2.4">(.*?)</tr>', page, re.S).group(1)
    assert "16,7%" in row_24 and "KELANA" in row_24


def test_it_filters_the_village_list(client, demo):
    client.force_login(demo.secretariat)

    declared = client.get(OVERVIEW, {"status": Status.DECLARED}).context["page"]
    oebobo = client.get(OVERVIEW, {"kecamatan": OEBOBO}).context["page"]
    not_started = client.get(OVERVIEW, {"status": Status.NOT_STARTED}).context["page"]
    patbm = client.get(OVERVIEW, {"butir": ChecklistItem.PATBM}).context["page"]
    both = client.get(OVERVIEW, {"kecamatan": "53.71.06", "status": Status.DECLARED})

    assert [r.code for r in declared] == [ALAK_KELURAHAN, OEBOBO_KELURAHAN, "53.71.04.1008"]
    assert oebobo.paginator.count == 7
    assert not_started.paginator.count == 51 - 4
    assert [r.code for r in patbm] == [OEBOBO_KELURAHAN, "53.71.04.1008"]
    assert 'data-testid="empty"' in both.content.decode()


def test_it_ignores_unreadable_filters(client, demo):
    client.force_login(demo.secretariat)

    response = client.get(OVERVIEW, {"tahun": "kemarin", "status": "x", "kecamatan": "99"})

    assert response.status_code == 200
    assert response.context["year"] == YEAR
    assert response.context["page"].paginator.count == 51


def test_an_earlier_year_counts_what_stood_then(client, demo):
    client.force_login(demo.secretariat)

    response = client.get(OVERVIEW, {"tahun": "2024"})

    assert response.context["share"]["declared_villages"] == 0
    assert "0 dari 51 kelurahan" in shown(response.content.decode(), "headline")


def test_the_kab_kota_page_stays_within_a_query_bound(client, world, django_assert_max_num_queries):
    client.force_login(world.secretariat)
    declare(world, OEBOBO_KELURAHAN)
    checklist(world, OEBOBO_KELURAHAN, done={ChecklistItem.PATBM})
    with django_assert_max_num_queries(30) as few:
        client.get(OVERVIEW)
    for code in kupang_villages()[:30]:
        declare(world, code)
        checklist(world, code, done=set(ChecklistItem.values))

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(OVERVIEW)
    assert response.context["share"]["declared_villages"] == 30


def test_the_area_page_stays_within_a_query_bound(client, world, django_assert_max_num_queries):
    client.force_login(world.secretariat)
    declare(world, OEBOBO_KELURAHAN)
    checklist(world, OEBOBO_KELURAHAN, 2025, done={ChecklistItem.PATBM})
    with django_assert_max_num_queries(30) as few:
        client.get(area_url(OEBOBO))
        client.get(area_url())
    for year in (2022, 2023, 2024, 2026):
        checklist(
            world,
            OEBOBO_KELURAHAN,
            year,
            done={ChecklistItem.PATBM},
            files={"patbm": pdf(body=b"%PDF-1.4\n" + str(year).encode())},
        )
    for code in kupang_villages():
        if code.startswith(OEBOBO + "."):
            declare(world, code)

    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(area_url(OEBOBO))
        client.get(area_url())


# --- one area ----------------------------------------------------------------------------------


def test_the_area_page_shows_status_task_force_checklists_and_history(client, world):
    declare(world, OEBOBO_KELURAHAN, task_force_chair="Lurah Oebobo", task_force_members=17)
    checklist(world, OEBOBO_KELURAHAN, 2025, done={ChecklistItem.CHILD_PROFILE})
    checklist(world, OEBOBO_KELURAHAN, YEAR, done={ChecklistItem.PATBM}, files={"patbm": pdf()})
    checklist(world, OEBOBO_KELURAHAN, YEAR, done={ChecklistItem.PATBM, ChecklistItem.PLAYGROUND})
    client.force_login(world.viewer)

    page = client.get(area_url()).content.decode()

    assert 'data-status="declared">Dideklarasikan<' in page
    assert shown(page, "declared-on") == "23 Juli 2025"
    assert shown(page, "decree") == f"SK/{OEBOBO_KELURAHAN}"
    assert "Lurah Oebobo" in page and "17" in page
    assert 'data-testid="checklist-2026"' in page and 'data-testid="checklist-2025"' in page
    history = re.search(r'data-testid="checklist-history">(.*?)</ul>', page, re.S).group(1)
    assert "RBRA: tidak → ya" in history
    assert "PATBM: bukti dukung diunggah" in history
    assert 'data-testid="status-history"' in page
    assert 'data-testid="edit-status"' not in page  # a viewer gets no edit buttons
    assert (
        reverse(
            "villages:evidence",
            args=[
                KUPANG,
                OEBOBO_KELURAHAN,
                ChecklistAnswer.objects.get(item="patbm", checklist__year=YEAR).uid,
            ],
        )
        in page
    )


def test_a_kecamatan_page_lists_its_kelurahan(client, demo):
    client.force_login(demo.village_officer)

    response = client.get(area_url(OEBOBO))

    page = response.content.decode()
    assert shown(page, "district-headline") == "2 dari 7"
    assert 'data-testid="edit-status"' in page
    assert page.count('href="/organisasi/53.71/layak-anak/53.71.04.') >= 7


# --- the forms ---------------------------------------------------------------------------------


def test_the_secretariat_declares_through_the_form(client, world):
    client.force_login(world.secretariat)

    response = client.post(status_url(), status_form())

    assert response.status_code == 302
    assert response["Location"] == area_url()
    row = VillageStatus.objects.get(region_id=OEBOBO_KELURAHAN)
    assert (row.status, row.declared_on, row.task_force_members) == (
        Status.DECLARED,
        date(2025, 7, 23),
        17,
    )
    assert StatusChange.objects.get(village_status=row).actor == world.secretariat


def test_the_status_form_says_what_is_missing_and_keeps_what_was_typed(client, world):
    client.force_login(world.village_officer)

    response = client.post(
        status_url(), status_form(declared_on="", task_force_chair="Ibu Lurah Baru")
    )

    assert response.status_code == 422
    page = response.content.decode()
    assert "Tanggal deklarasi wajib diisi" in page
    assert 'value="Ibu Lurah Baru"' in page
    assert not VillageStatus.objects.filter(status=Status.DECLARED).exists()


def test_the_status_form_refuses_markup(client, world):
    client.force_login(world.secretariat)

    response = client.post(status_url(), status_form(decree_number="<b>SK</b>"))

    assert response.status_code == 422
    assert "tag HTML" in response.content.decode()


def test_a_village_officer_fills_the_checklist_with_evidence(client, world):
    client.force_login(world.village_officer)

    response = client.post(
        checklist_url(),
        {
            "patbm": "on",
            "patbm_note": "SK lurah tentang PATBM",
            "patbm_file": pdf(),
            "child_forum": "on",
        },
    )

    assert response.status_code == 302
    answers = {
        a.item: a
        for a in ChecklistAnswer.objects.filter(
            checklist__year=YEAR, checklist__village_status__region_id=OEBOBO_KELURAHAN
        )
    }
    assert answers["patbm"].done and answers["patbm"].note == "SK lurah tentang PATBM"
    assert answers["patbm"].has_evidence
    assert answers["child_forum"].done and not answers["playground"].done

    form = client.get(checklist_url()).content.decode()
    assert re.search(r'name="patbm"[^>]*checked', form)
    assert not re.search(r'name="playground"[^>]*checked', form)
    assert "Bukti tersimpan" in form


def test_the_checklist_form_keeps_what_was_typed_when_a_file_is_refused(client, world):
    client.force_login(world.secretariat)

    response = client.post(
        checklist_url(),
        {
            "patbm": "on",
            "patbm_note": "catatan yang tidak boleh hilang",
            "patbm_file": pdf("sk.pdf", b"MZ\x90\x00 bukan pdf"),
        },
    )

    assert response.status_code == 422
    page = response.content.decode()
    assert 'value="catatan yang tidak boleh hilang"' in page
    assert "patbm_file_errors" in page
    assert not ChecklistAnswer.objects.exists()


def test_a_checklist_year_in_the_future_is_not_found(client, world):
    client.force_login(world.secretariat)

    assert client.get(checklist_url(year=YEAR + 1)).status_code == 404
    assert client.get(checklist_url(year=1999)).status_code == 404


# --- evidence ----------------------------------------------------------------------------------


def test_evidence_is_served_only_through_the_checked_view(client, world):
    checklist(world, OEBOBO_KELURAHAN, done={ChecklistItem.PATBM}, files={"patbm": pdf()})
    answer = ChecklistAnswer.objects.get(item="patbm")
    url = reverse("villages:evidence", args=[KUPANG, OEBOBO_KELURAHAN, answer.uid])

    assert client.get(url).status_code == 302  # anonymous → login
    client.force_login(world.jambi_secretariat)
    assert client.get(url).status_code == 404
    client.force_login(world.viewer)
    # The right uid under another kelurahan's address is not found.
    other = reverse("villages:evidence", args=[KUPANG, ALAK_KELURAHAN, answer.uid])
    assert client.get(other).status_code == 404
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "attachment" in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF")


# --- the workbook ------------------------------------------------------------------------------


def test_the_workbook_parses_back_with_the_same_figures(client, demo):
    client.force_login(demo.viewer)

    response = client.get(reverse("villages:export", args=[KUPANG]), {"tahun": YEAR})

    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )
    assert f"layak-anak-{KUPANG}-{YEAR}.xlsx" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Ringkasan", "Per kecamatan", "Desa-kelurahan"]
    summary = {row[0]: row[1] for row in book["Ringkasan"].iter_rows(values_only=True) if row}
    assert summary["Desa/kelurahan dideklarasikan (DeKeLA)"] == 3
    assert summary["Jumlah desa/kelurahan"] == 51
    assert summary["DeKeLA dengan PATBM"] == 2
    assert summary["2.5"] == pytest.approx(5.88)
    assert summary["2.4"] == pytest.approx(16.67)
    districts = list(book["Per kecamatan"].iter_rows(values_only=True))
    oebobo = next(r for r in districts if r[0] == OEBOBO)
    assert oebobo[2:6] == ("Dideklarasikan", 7, 2, 2)
    assert districts[-1][3:6] == (51, 3, 2)
    villages = list(book["Desa-kelurahan"].iter_rows(values_only=True))
    assert len(villages) == 1 + 51
    row = next(r for r in villages if r[0] == OEBOBO_KELURAHAN)
    assert row[3] == "Dideklarasikan"
    assert row[4].date() == date(2025, 7, 23)
    header = villages[0]
    assert row[header.index("PATBM")] == "ya"
    assert row[header.index("RBRA")] == "tidak"
