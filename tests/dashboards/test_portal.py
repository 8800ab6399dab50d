"""The public portal (`/kla/`, `/kla/<code>/` and its API): anonymous, de-identified, bounded.

History, approved data and bulk cases are written straight through the ORM (as the protection
statistics tests do for generated cases); the identified case, the village declaration and the
consultations go through the real actions."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from sikla.accounts import actions as accounts
from sikla.accounts.models import Role
from sikla.collection.actions import open_period
from sikla.collection.models import DataValue, PeriodStatus, SubmissionStatus
from sikla.evaluation.models import Evaluation, Stage
from sikla.organisations.models import LocalGovernment
from sikla.participation import actions as participation
from sikla.participation.models import PolicyKind
from sikla.protection import actions as protection
from sikla.protection import facts
from sikla.protection.models import Case, CaseStatus, CaseType, Child, ProtectionType
from sikla.regions.models import Region
from sikla.villages import actions as villages
from sikla.villages.models import Status
from tests.personas import JAMBI, KUPANG, world_fixture  # noqa: F401

NOW = datetime(2026, 6, 15, 3, 0, tzinfo=UTC)
MARCH = datetime(2026, 3, 10, 2, 0, tzinfo=UTC)  # in the last quarter that has ended (published)
KELURAHAN = "53.71.04.1001"
CHILD_NAME = "Melati Rahasiaku"
SECOND_CHILD = "Mawar Tersembunyi"
CHILD_NIK = "5371044508150001"


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def page(code=KUPANG) -> str:
    return reverse("dashboards:portal", args=[code])


def api(code=KUPANG) -> str:
    return reverse("api:portal", args=[code])


# --- data -----------------------------------------------------------------------------------------


def determined(world, year: int, category: str, score: str) -> Evaluation:
    period = open_period(
        actor=world.national_admin,
        local_government=world.kupang,
        year=year,
        input_deadline=date(year, 3, 31),
        review_deadline=date(year, 4, 30),
    )
    period.status = PeriodStatus.LOCKED
    period.save(update_fields=["status"])
    return Evaluation.objects.create(
        period=period,
        local_government=world.kupang,
        year=year,
        stage=Stage.DETERMINED,
        final_score=Decimal(score),
        final_category="c",
        final_category_name=category,
        decree_number=f"KEP-{year}/KLA",
        decree_date=date(year, 7, 23),
    )


def approve(
    period, number: int, cells: list[tuple[str, int, int]], status=SubmissionStatus.APPROVED
):
    submission = period.submissions.get(indicator__number=number)
    submission.status = status
    submission.save(update_fields=["status"])
    DataValue.objects.bulk_create(
        DataValue(submission=submission, region_id=KUPANG, sex=sex, numerator=n, denominator=d)
        for sex, n, d in cells
    )


def identified_case(world) -> Case:
    """A public complaint taken as a physical-violence case, with a second child and a NIK."""
    complaint = protection.submit_public_complaint(
        local_government=world.kupang,
        description="Seorang anak sering dipukul di rumah.",
        incident_date=date(2026, 5, 1),
        incident_region=Region.objects.get(code=KELURAHAN),
        place="household",
        child_name=CHILD_NAME,
        child_age=9,
        child_sex="P",
        reporter_relation="neighbour",
        reporter_anonymous=False,
        reporter_name="Ibu Tetangga",
        reporter_contact="0812-0000-0000",
    )
    case = protection.take_complaint(complaint, actor=world.case_worker)
    case = protection.update_case(
        case, actor=world.case_worker, version=case.version, types=[ProtectionType.PHYSICAL]
    )
    protection.save_child(
        case,
        actor=world.case_worker,
        name=SECOND_CHILD,
        nik=CHILD_NIK,
        birth_date=date(2015, 8, 5),
        sex="P",
        has_disability=False,
        address_region=Region.objects.get(code=KELURAHAN),
    )
    return to_march(case)


def to_march(case: Case) -> Case:
    """The case as received in March: the portal publishes the last quarter that has ended."""
    Case.objects.filter(pk=case.pk).update(received_at=MARCH)
    case = Case.objects.get(pk=case.pk)
    facts.refresh(case)  # as a correction of the date would; moves the cache on too
    return case


_sequence = iter(range(1000, 100_000))


def neglect_cases(lg, n: int) -> None:
    """n cases of neglect in March, one named child each (straight through the ORM)."""
    for _ in range(n):
        sequence = next(_sequence)
        received = MARCH
        case = Case.objects.create(
            local_government=lg,
            year=received.year,
            sequence=sequence,
            number=f"{sequence:05d}/PPA/UJI/{received.year}",
            channel="web",
            received_at=received,
            response_due_at=received + timedelta(hours=48),
            status=CaseStatus.RECEIVED,
        )
        CaseType.objects.create(case=case, type=ProtectionType.NEGLECT)
        Child.objects.create(
            case=case, name=CHILD_NAME, age=7, sex="L", address_region_id=KELURAHAN
        )
        facts.refresh(case)  # as an import would


def consultation(world, title: str, *, opens: int, closes: int, lg=None):
    lg = lg or world.kupang
    today = timezone.localdate()
    return participation.create_public_consultation(
        actor=world.secretariat if lg == world.kupang else world.jambi_secretariat,
        local_government=lg,
        title=title,
        kind=PolicyKind.REGULATION,
        summary="Ringkasan rancangan.",
        body="Pasal 1\nIsi rancangan.",
        opens_on=today + timedelta(days=opens),
        closes_on=today + timedelta(days=closes),
    )


def declare(world, code: str):
    return villages.set_status(
        actor=world.secretariat,
        local_government=world.kupang,
        region=Region.objects.get(code=code),
        status=Status.DECLARED,
        declared_on=date(2025, 7, 23),
        decree_number=f"SK/{code}",
    )


@pytest.fixture
def kupang(world):
    """Kupang with two determined years, approved data, an identified case, six neglect cases,
    a declared kelurahan, and an open, a closed and a Jambi consultation."""
    determined(world, 2024, "Pratama", "512.50")
    history = determined(world, 2025, "Madya", "634.25")
    approve(history.period, 4, [("L", 40, 50), ("P", 45, 50)])  # 85 %
    approve(history.period, 7, [("L", 1, 3)])  # three children in all: too few to publish
    approve(history.period, 18, [("L", 9, 10)], status=SubmissionStatus.SUBMITTED)  # not approved
    approve(world.periods[KUPANG], 12, [("L", 10, 100)])  # period still open: not published
    identified_case(world)
    neglect_cases(world.kupang, 6)
    declare(world, KELURAHAN)
    consultation(world, "Rancangan Perwali Kawasan Tanpa Rokok", opens=-3, closes=10)
    consultation(world, "Rancangan lama yang sudah ditutup", opens=-30, closes=-2)
    consultation(world, "Rancangan Kota Jambi", opens=-3, closes=10, lg=world.jambi)
    return world


# --- the list -------------------------------------------------------------------------------------


def test_it_lists_the_participating_local_governments_with_their_latest_category(client, kupang):
    LocalGovernment.objects.filter(pk=JAMBI).update(is_active=False)

    response = client.get(reverse("dashboards:portal_list"))

    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="lg-53.71"' in html
    assert "Madya" in html and "(2025)" in html
    assert 'data-testid="lg-15.71"' not in html  # inactive
    assert page() in html


def test_the_list_api_answers_anonymous_visitors(client, kupang):
    response = client.get(reverse("api:portal_list"))

    assert response.status_code == 200
    items = {i["code"]: i for i in response.json()["items"]}
    assert items[KUPANG]["latest_category"] == "Madya"
    assert items[KUPANG]["latest_year"] == 2025
    assert items[JAMBI]["latest_category"] is None
    assert items[KUPANG]["url"].endswith("/kla/53.71/")


# --- the page -------------------------------------------------------------------------------------


def test_it_serves_the_portal_page_to_anonymous_visitors(client, kupang):
    response = client.get(page())

    assert response.status_code == 200
    html = response.content.decode()
    assert "Kota Kupang" in html
    assert 'data-testid="latest-category">Madya<' in html
    assert 'data-testid="category-2025"' in html and 'data-testid="category-2024"' in html
    assert "Pratama" in html and "634,25" in html and "KEP-2025/KLA" in html


@pytest.mark.parametrize("code", ["99.99", "53", "53.71.04", "tidak-ada"])
def test_an_unknown_code_answers_404(client, kupang, code):
    assert client.get(page(code)).status_code == 404
    assert client.get(api(code)).status_code == 404


def test_an_inactive_local_government_answers_404(client, kupang):
    LocalGovernment.objects.filter(pk=JAMBI).update(is_active=False)

    assert client.get(page(JAMBI)).status_code == 404
    assert client.get(api(JAMBI)).status_code == 404


def test_it_shows_only_approved_headlines_of_closed_periods_and_hides_tiny_ones(client, kupang):
    html = client.get(page()).content.decode()

    def row(number: int) -> str:
        start = html.index(f'data-testid="headline-{number}"')
        return html[start : html.index("</tr>", start)]

    assert "85,0%" in row(4) and ">2024<" in row(4)  # evaluation 2025 uses data year 2024
    assert "disamarkan" in row(7) and "33" not in row(7)
    assert "belum ada data" in row(12)  # approved, but its period is still open
    assert "belum ada data" in row(18)  # submitted, not approved
    assert 'id="headline-chart"' in html


def test_it_suppresses_small_protection_counts(client, kupang):
    html = client.get(page()).content.decode()

    assert 'data-testid="victims">8<' in html  # 2 children of the physical case + 6 neglect
    assert "Triwulan I 2026" in html
    table = html[html.index('data-testid="protection-types"') :]
    table = table[: table.index("</table>")]
    assert 'Kekerasan fisik</td><td class="num">x<' in table  # two children
    assert 'Penelantaran</td><td class="num">x<' in table  # 6 = 8 − 2 would give them away
    assert "kecamatan" not in table.lower() and "Oebobo" not in table  # kab/kota level only


def test_it_never_shows_a_childs_identity(client, kupang):
    html = client.get(page()).content.decode()
    body = client.get(api()).content.decode()

    for secret in (CHILD_NAME, SECOND_CHILD, CHILD_NIK, "Ibu Tetangga", "0812-0000-0000"):
        assert secret not in html
        assert secret not in body
    for number in Case.objects.values_list("number", flat=True):
        assert number not in html and number not in body


def test_it_lists_the_declared_kelurahan_and_the_shares(client, kupang):
    html = client.get(page()).content.decode()

    declared = html[html.index('data-testid="declared-list"') :]
    assert Region.objects.get(code=KELURAHAN).name in declared
    assert "Oebobo" in declared
    assert 'data-testid="declared-villages">1 / 51<' in html


def test_it_lists_open_consultations_of_this_local_government_only(client, kupang):
    html = client.get(page()).content.decode()

    assert "Rancangan Perwali Kawasan Tanpa Rokok" in html
    assert "Rancangan lama yang sudah ditutup" not in html
    assert "Rancangan Kota Jambi" not in html
    open_one = kupang.kupang.public_consultations.get(title__startswith="Rancangan Perwali")
    assert reverse("participation:public_detail", args=[open_one.uid]) in html


def test_it_tells_how_to_report_and_the_childrens_rights(client, kupang):
    html = client.get(page()).content.decode()

    assert f'href="{reverse("protection:report", args=[KUPANG])}"' in html
    assert 'href="tel:129"' in html and "SAPA 129" in html
    assert "08111-129-129" in html
    assert "Undang-Undang Nomor 35 Tahun 2014" in html
    for right in ("Hak untuk hidup", "tumbuh dan berkembang", "Hak untuk dilindungi", "didengar"):
        assert right in html


def test_it_carries_no_inline_script(client, kupang):
    html = client.get(page()).content.decode()

    scripts = html.split("<script")[1:]
    assert len(scripts) == 3  # the headline chart's data, Chart.js and charts.js
    for script in scripts:
        tag = script[: script.index(">")]
        assert 'type="application/json"' in tag or "src=" in tag


def test_an_empty_local_government_still_renders(client, world):
    response = client.get(page(JAMBI))

    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="no-category"' in html
    assert 'data-testid="victims">0<' in html
    assert "<script" not in html  # nothing to chart, no script at all


def test_it_reads_a_bounded_number_of_queries(client, kupang, django_assert_max_num_queries):
    with django_assert_max_num_queries(16) as small:
        assert client.get(page()).status_code == 200
    bound = len(small.captured_queries)  # read now: the next request resets the query log
    neglect_cases(kupang.kupang, 40)
    for code in (
        Region.objects.filter(code__startswith=KUPANG + ".", level="village")
        .exclude(code=KELURAHAN)
        .values_list("code", flat=True)[:6]
    ):
        declare(kupang, code)
    for i in range(5):
        consultation(kupang, f"Rancangan tambahan {i}", opens=-1, closes=5)
    determined(kupang, 2023, "Pratama", "500.00")

    with django_assert_max_num_queries(bound):
        response = client.get(page())
    assert 'data-testid="victims">48<' in response.content.decode()
    with django_assert_max_num_queries(bound):
        assert client.get(api()).status_code == 200


# --- the API --------------------------------------------------------------------------------------


def test_the_api_answers_the_same_de_identified_numbers(client, kupang):
    response = client.get(api())

    assert response.status_code == 200
    data = response.json()
    assert data["latest_category"] == "Madya"
    assert [c["year"] for c in data["category_history"]] == [2025, 2024]
    indicators = {i["number"]: i for i in data["indicators"]}
    assert Decimal(indicators[4]["percentage"]) == 85
    assert (indicators[4]["year"], indicators[4]["data_year"]) == (2025, 2024)
    assert indicators[7]["percentage"] is None and indicators[7]["suppressed"]
    assert indicators[12]["percentage"] is None and not indicators[12]["suppressed"]
    types = {t["type"]: t["count"] for t in data["protection"]["by_type"]}
    assert types == {ProtectionType.PHYSICAL: None, ProtectionType.NEGLECT: None}
    assert data["protection"]["victims"] == 8
    assert data["protection"]["period"] == "2026-T1"
    assert data["villages"]["declared_villages"] == 1
    assert [v["code"] for v in data["villages"]["declared"]] == [KELURAHAN]
    assert [c["title"] for c in data["open_consultations"]] == [
        "Rancangan Perwali Kawasan Tanpa Rokok"
    ]
    assert data["report"]["complaint_form_url"].endswith(
        reverse("protection:report", args=[KUPANG])
    )
    assert data["report"]["sapa_phone"] == "129"
    assert data["report"]["sapa_whatsapp"] == "08111-129-129"


def test_the_api_suppresses_a_total_below_five(client, world):
    identified_case(world)

    data = client.get(api()).json()

    assert data["protection"]["victims"] is None  # two children: hidden
    assert data["protection"]["served"] == 0


def test_the_api_documents_both_routes(client, db):
    paths = client.get("/api/v1/openapi.json").json()["paths"]

    assert "/api/v1/public/local-governments" in paths
    assert "/api/v1/public/local-governments/{code}/portal" in paths


# --- the cache ------------------------------------------------------------------------------------


def test_the_portal_is_served_from_the_cache_until_a_change_it_shows(
    client, world, django_assert_num_queries
):
    neglect_cases(world.kupang, 6)
    to_march(
        protection.take_complaint(  # through the actions: the change every page must show
            protection.submit_public_complaint(
                local_government=world.kupang,
                description="Laporan pertama untuk cache.",
                child_age=5,
            ),
            actor=world.case_worker,
        )
    )
    first = client.get(page())
    assert 'data-testid="victims">7<' in first.content.decode()
    assert "X-Cache" not in first
    with django_assert_num_queries(0):
        again = client.get(page())
    assert again["X-Cache"] == "hit" and again.content == first.content
    assert client.get(api()).json()["protection"]["victims"] == 7
    with django_assert_num_queries(0):
        assert client.get(api()).json()["protection"]["victims"] == 7

    # A change in another kab/kota leaves this page in the cache...
    consultation(world, "Rancangan Perda Jambi", opens=-1, closes=5, lg=world.jambi)
    assert client.get(page())["X-Cache"] == "hit"
    # ...and so does a change of this kab/kota's accounts, which no public page shows (an API
    # token issued, a new operator): it must not make the published counts be rebuilt.
    accounts.issue_api_token(world.agency_operator, name="integrasi")
    accounts.create_user(
        actor=world.secretariat,
        username="operator.baru",
        full_name="Operator Baru",
        role=Role.AGENCY_OPERATOR,
        scope=KUPANG,
        password="kata-sandi-yang-panjang-2026",
        agency=world.agencies[KUPANG]["Dinkes"],
    )
    assert client.get(page())["X-Cache"] == "hit"

    # ...a case of the quarter shown, here, shows at once, on the page and in the API.
    to_march(
        protection.take_complaint(
            protection.submit_public_complaint(
                local_government=world.kupang,
                description="Laporan kedua untuk cache.",
                child_age=6,
            ),
            actor=world.case_worker,
        )
    )
    fresh = client.get(page())
    assert "X-Cache" not in fresh
    assert 'data-testid="victims">8<' in fresh.content.decode()
    assert client.get(api()).json()["protection"]["victims"] == 8


def test_the_portal_list_follows_a_change_anywhere(client, world):
    html = client.get(reverse("dashboards:portal_list")).content.decode()
    assert 'data-testid="lg-15.71"' in html
    assert client.get(reverse("dashboards:portal_list"))["X-Cache"] == "hit"
    LocalGovernment.objects.filter(pk=JAMBI).update(is_active=False)
    protection.take_complaint(
        protection.submit_public_complaint(
            local_government=world.kupang, description="Laporan untuk daftar.", child_age=6
        ),
        actor=world.case_worker,
    )
    assert (
        'data-testid="lg-15.71"'
        not in client.get(reverse("dashboards:portal_list")).content.decode()
    )
