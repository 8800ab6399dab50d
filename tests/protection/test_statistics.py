"""De-identified statistics: the extraction and tables against direct counts (hypothesis), the
page, the workbook and the API — exact for the UPTD PPA, published periods for everyone else
(the rule itself: test_disclosure.py)."""

import io
import itertools
from collections import Counter
from datetime import date, datetime, time, timedelta

import pytest
from django.conf import settings as django_settings
from django.db import transaction
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from sikla.core.localtime import zone_of
from sikla.protection import actions, disclosure, facts
from sikla.protection.models import (
    AccessKind,
    AccessLog,
    Case,
    CaseStatus,
    CaseType,
    Child,
    Outcome,
    ProtectionType,
    Referral,
    ReferralKind,
    ReferralStatus,
    Service,
    ServiceKind,
)
from sikla.protection.statistics import (
    exact_report,
    extract,
    tabulate,
    victim_rows,
)
from sikla.regions.models import Region
from tests.personas import KUPANG, world_fixture  # noqa: F401

from .conftest import CHILD_NIK, KELURAHAN, unit_today

START, END = date(2025, 1, 1), date(2025, 12, 31)
_sequence = itertools.count(1)


def kupang_villages() -> list[str]:
    return list(
        Region.objects.filter(code__startswith=KUPANG + ".", level="village")
        .order_by("code")
        .values_list("code", flat=True)
    )


def local(day: date, hour: int = 9) -> datetime:
    """A time in Kota Kupang's zone (WITA): a case's day is the day there."""
    return timezone.make_aware(datetime.combine(day, time(hour)), zone_of(KUPANG))


def make_case(
    lg,
    *,
    received_at: datetime,
    types=(),
    children=(),
    case_service: bool = False,
    incident_region: str | None = None,
    response_hours: int | None = None,
    due_hours: int = 48,
    referral: str | None = None,
    outcome: str = "",
) -> Case:
    """A case straight through the ORM (fast, for generated data). `children` are dicts of
    sex, age, region and service (a bool: a service tied to that child)."""
    sequence = next(_sequence)
    case = Case.objects.create(
        local_government=lg,
        year=received_at.year,
        sequence=sequence,
        number=f"{sequence:04d}/PPA/UJI/{received_at.year}",
        channel="web",
        received_at=received_at,
        response_due_at=received_at + timedelta(hours=due_hours),
        first_response_at=None
        if response_hours is None
        else received_at + timedelta(hours=response_hours),
        incident_region_id=incident_region,
        status=CaseStatus.CLOSED if outcome else CaseStatus.RECEIVED,
        outcome=outcome,
    )
    CaseType.objects.bulk_create(CaseType(case=case, type=t) for t in types)
    for spec in children:
        child = Child.objects.create(
            case=case,
            name="Anak Rahasia",
            age=spec["age"],
            sex=spec["sex"],
            address_region_id=spec["region"],
        )
        if spec["service"]:
            Service.objects.create(
                case=case, child=child, kind="health", date=received_at.date(), provider="RSUD"
            )
    if case_service:
        Service.objects.create(
            case=case, kind="complaint", date=received_at.date(), provider="UPTD PPA"
        )
    if referral:
        Referral.objects.create(
            case=case,
            kind=ReferralKind.REFERRAL,
            institution="Dinsos",
            reason="uji",
            status=referral,
            sent_on=received_at.date(),
        )
    facts.refresh(case)  # as an import would
    return case


# --- the extraction and the tables, against direct counts ----------------------------------------

VILLAGE = st.one_of(st.none(), st.integers(0, 10_000))
CHILD = st.fixed_dictionaries(
    {
        "sex": st.sampled_from(["L", "P", ""]),
        "age": st.one_of(st.none(), st.integers(0, 17)),
        "village": VILLAGE,
        "service": st.booleans(),
    }
)
CASE = st.fixed_dictionaries(
    {
        "day": st.integers(-3, 368),  # a few days outside the range on both sides
        "hour": st.integers(0, 23),
        "types": st.sets(st.sampled_from(ProtectionType.values), max_size=3),
        "children": st.lists(CHILD, max_size=3),
        "case_service": st.booleans(),
        "incident": VILLAGE,
        "response": st.one_of(st.none(), st.integers(0, 120)),
        "referral": st.sampled_from([None, ReferralStatus.SENT, ReferralStatus.DECLINED]),
    }
)


def expected_age_group(age):
    if age is None:
        return ""
    return "0-5" if age < 6 else "6-12" if age < 13 else "13-17"


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(specs=st.lists(CASE, max_size=6))
def test_it_counts_every_victim_as_the_records_say(world, specs):
    villages = kupang_villages()

    def village(index):
        return None if index is None else villages[index % len(villages)]

    expected = []
    with transaction.atomic():
        for spec in specs:
            received = local(START + timedelta(days=spec["day"]), spec["hour"])
            children = [{**c, "region": village(c["village"])} for c in spec["children"]]
            make_case(
                world.kupang,
                received_at=received,
                types=spec["types"],
                children=children,
                case_service=spec["case_service"],
                incident_region=village(spec["incident"]),
                response_hours=spec["response"],
                referral=spec["referral"],
            )
            if not START <= received.date() <= END:
                continue
            for c in children or [{"sex": "", "age": None, "region": None, "service": False}]:
                place = c["region"] or village(spec["incident"]) or ""
                expected.append(
                    (
                        f"{received.year}-{received.month:02d}",
                        c["sex"],
                        expected_age_group(c["age"]),
                        place[:8],
                        place,
                        frozenset(spec["types"]),
                        c["service"] or spec["case_service"],
                        spec["referral"] == ReferralStatus.SENT,
                        spec["response"],
                    )
                )
        # A case of another local government in the same range never counts.
        make_case(world.jambi, received_at=local(date(2025, 6, 1)), children=[])
        rows = victim_rows(world.kupang, START, END)
        transaction.set_rollback(True)

    got = Counter(
        (
            r.month,
            r.sex,
            r.age_group,
            r.kecamatan,
            r.kelurahan,
            r.types,
            r.served,
            r.referred,
            None if r.hours_to_first_response is None else round(r.hours_to_first_response),
        )
        for r in rows
    )
    assert got == Counter(expected)

    tables = tabulate(rows)

    def nonzero(table):
        return {k: v for k, v in table.items() if v}

    assert nonzero(tables["by_month"]) == Counter(e[0] for e in expected)
    assert nonzero(tables["by_sex"]) == Counter(e[1] for e in expected)
    assert nonzero(tables["by_age_group"]) == Counter(e[2] for e in expected)
    assert {
        (s, a): n for s, ages in tables["by_sex_age"].items() for a, n in ages.items() if n
    } == Counter((e[1], e[2]) for e in expected)
    assert nonzero(tables["by_kecamatan"]) == Counter(e[3] for e in expected)
    assert nonzero(tables["by_kelurahan"]) == Counter(e[4] for e in expected)
    assert nonzero(tables["by_type"]) == Counter(t for e in expected for t in (e[5] or {""}))
    assert tables["served"]["served"] == sum(e[6] for e in expected)
    assert tables["served"]["not_served"] == sum(not e[6] for e in expected)
    assert tables["referred"]["referred"] == sum(e[7] for e in expected)
    assert sum(tables["by_sex"].values()) == len(expected)


def test_it_tallies_services_referrals_outcomes_and_response_times(world):
    lg = world.kupang
    make_case(
        lg,
        received_at=local(date(2025, 2, 3)),
        children=[{"sex": "P", "age": 9, "region": KELURAHAN, "service": True}],
        case_service=True,
        response_hours=10,
        referral=ReferralStatus.DECLINED,
        outcome=Outcome.RESOLVED,
    )
    make_case(lg, received_at=local(date(2025, 3, 3)), response_hours=60)  # late (due 48 h)
    make_case(lg, received_at=local(date(2025, 4, 3)), referral=ReferralStatus.ACCEPTED)
    make_case(lg, received_at=local(date(2026, 1, 3)), response_hours=1)  # outside the range

    cases = extract(lg, START, END).cases

    assert cases.total_cases == 3
    assert cases.services_by_kind == {"health": 1, "complaint": 1}
    assert cases.referrals == {
        (ReferralKind.REFERRAL, ReferralStatus.DECLINED): 1,
        (ReferralKind.REFERRAL, ReferralStatus.ACCEPTED): 1,
    }
    assert cases.outcomes == {Outcome.RESOLVED: 1}
    assert cases.responded == 2
    assert cases.median_hours == 35
    assert cases.within_target == 1
    assert cases.share_within_target == 50
    assert cases.awaiting_response == 1


def test_it_counts_a_case_received_on_the_last_local_day_and_not_the_next(world):
    make_case(world.kupang, received_at=local(END, 23))
    make_case(world.kupang, received_at=local(END + timedelta(days=1), 0))
    make_case(world.kupang, received_at=local(START, 0))
    make_case(world.kupang, received_at=local(START - timedelta(days=1), 23))

    assert len(victim_rows(world.kupang, START, END)) == 2


# --- the page ------------------------------------------------------------------------------------


@pytest.fixture
def full_case(world, case):
    """The conftest case with a second, identified child, a service, a referral, and closed."""
    worker = world.case_worker
    child = actions.save_child(
        case,
        actor=worker,
        name="Mawar Rahasia",
        nik=CHILD_NIK,
        birth_date=date(2015, 8, 5),
        sex="P",
        has_disability=False,
        address_region=Region.objects.get(code=KELURAHAN),
    )
    actions.record_service(
        case, actor=worker, kind=ServiceKind.PSYCHOLOGICAL, date=timezone.localdate(),
        provider="Psikolog UPTD", child=child,
    )  # fmt: skip
    actions.record_consent(
        case, actor=worker, obtained=True, given_on=timezone.localdate(), guardian_relation="parent"
    )
    actions.refer_case(
        case, actor=worker, kind=ReferralKind.REFERRAL, institution="RSUD Kupang",
        reason="Pemeriksaan lanjutan", sent_on=timezone.localdate(),
    )  # fmt: skip
    return Case.objects.get(pk=case.pk)


def page_url(code=KUPANG, **query):
    url = reverse("protection:statistics", args=[code])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def this_year() -> dict:
    today = unit_today()
    return {"from": date(today.year, 1, 1).isoformat(), "to": today.isoformat()}


MARCH = date(2025, 3, 10)


@pytest.fixture
def march_case(full_case):
    """The full case, received in March 2025: a period that has ended."""
    Case.objects.filter(pk=full_case.pk).update(received_at=local(MARCH))
    facts.refresh(Case.objects.get(pk=full_case.pk))
    return full_case


def cell(html: str, testid: str) -> str:
    return html.split(f'data-testid="{testid}">', 1)[1].split("<", 1)[0]


SECRETS = ("Melati", "Mawar", CHILD_NIK, "dipukul", "Ibu Tetangga", "Pemeriksaan lanjutan")


@pytest.mark.parametrize("persona", ["case_worker", "case_supervisor"])
def test_the_uptd_sees_exact_counts_of_any_range(client, world, full_case, persona):
    client.force_login(world.persona(persona))

    response = client.get(page_url(**this_year()))

    assert response.status_code == 200
    html = response.content.decode()
    assert cell(html, "total-cases") == "1"
    assert cell(html, "total-victims") == "2"
    assert cell(html, "served") == "1"
    assert 'data-testid="range-form"' in html
    assert "Angka persis untuk internal UPTD PPA" in html
    for secret in (*SECRETS, full_case.number):
        assert secret not in html


@pytest.mark.parametrize(
    "persona", ["secretariat", "viewer", "provincial_evaluator", "national_evaluator"]
)
def test_everyone_else_sees_a_published_period_with_small_counts_hidden(
    client, world, march_case, persona
):
    client.force_login(world.persona(persona))

    response = client.get(page_url(periode="2025-T1"))

    assert response.status_code == 200
    html = response.content.decode()
    assert cell(html, "range") == "Triwulan I 2025"
    assert cell(html, "total-cases") == "x"  # one case, two children: both below 5
    assert cell(html, "total-victims") == "x"
    assert 'data-testid="range-form"' not in html  # no day ranges outside the UPTD PPA
    assert '<td class="num">1</td>' not in html and '<td class="num">2</td>' not in html
    villages = Region.objects.filter(code__startswith=KUPANG + ".", level="village").count()
    assert html.count(f"({KUPANG}.") >= villages  # every kelurahan listed, zero or hidden
    for secret in (*SECRETS, march_case.number):
        assert secret not in html


def test_a_day_range_outside_the_uptd_is_ignored(client, world, march_case):
    client.force_login(world.viewer)

    html = client.get(page_url(**{"from": "2025-03-10", "to": "2025-03-10"})).content.decode()

    assert cell(html, "range") == disclosure.latest_ended(unit_today(), "quarter").label


@pytest.mark.parametrize("token", ["2099", "kemarin", "2025-13", "2025-T5"])
def test_it_explains_a_period_it_cannot_publish_and_shows_the_last_ended_quarter(
    client, world, token
):
    client.force_login(world.secretariat)

    html = client.get(page_url(periode=token)).content.decode()

    assert 'data-testid="range-problem"' in html
    assert cell(html, "range") == disclosure.latest_ended(unit_today(), "quarter").label


def test_it_answers_404_outside_the_scope(client, world, full_case):
    client.force_login(world.jambi_secretariat)

    assert client.get(page_url()).status_code == 404
    assert client.get(reverse("protection:statistics_xlsx", args=[KUPANG])).status_code == 404


def test_it_asks_anonymous_visitors_to_log_in(client, world):
    response = client.get(page_url())

    assert response.status_code == 302
    assert response["Location"].startswith(resolve_url(django_settings.LOGIN_URL))


def test_it_shows_an_empty_state_and_the_default_range_to_the_uptd(client, world):
    client.force_login(world.case_supervisor)

    html = client.get(page_url()).content.decode()

    assert 'data-testid="empty"' in html
    today = unit_today()
    assert f'value="{date(today.year, 1, 1).isoformat()}"' in html
    assert f'value="{today.isoformat()}"' in html


@pytest.mark.parametrize(
    "query", [{"from": "2025-12-31", "to": "2025-01-01"}, {"from": "kemarin", "to": "2025-01-01"}]
)
def test_it_explains_a_bad_range_and_falls_back_to_the_default(client, world, query):
    client.force_login(world.case_worker)

    response = client.get(page_url(**query))

    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="range-problem"' in html
    assert f'value="{date(unit_today().year, 1, 1).isoformat()}"' in html


def test_it_keeps_the_range_or_the_period_in_the_download_link(client, world):
    client.force_login(world.case_worker)
    html = client.get(page_url(**{"from": "2025-02-01", "to": "2025-03-31"})).content.decode()
    assert "statistik/unduh/?from=2025-02-01&amp;to=2025-03-31" in html

    client.force_login(world.secretariat)
    html = client.get(page_url(periode="2025-07")).content.decode()
    assert "statistik/unduh/?periode=2025-07" in html


@pytest.mark.parametrize("persona", ["case_worker", "secretariat"])
def test_it_reads_a_bounded_number_of_queries(
    client, world, persona, django_assert_max_num_queries
):
    client.force_login(world.persona(persona))
    villages = kupang_villages()

    def add(n):
        for i in range(n):
            make_case(
                world.kupang,
                received_at=local(date(2025, 1 + i % 12, 1)),
                types=[ProtectionType.PHYSICAL, ProtectionType.NEGLECT],
                children=[
                    {"sex": "L", "age": i % 18, "region": villages[i % 7], "service": True},
                    {"sex": "P", "age": None, "region": villages[i % 11], "service": False},
                ],
                case_service=i % 2 == 0,
                response_hours=i,
                referral=ReferralStatus.SENT,
                outcome=Outcome.RESOLVED if i % 3 == 0 else "",
            )

    query = {"from": "2025-01-01", "to": "2025-12-31"} if persona == "case_worker" else {}
    url = page_url(periode="2025", **query) if not query else page_url(**query)
    add(3)
    with django_assert_max_num_queries(20) as small:
        assert client.get(url).status_code == 200
    add(30)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert cell(response.content.decode(), "total-cases") == "33"


# --- the workbook --------------------------------------------------------------------------------


def workbook_text(workbook) -> str:
    return " ".join(
        str(v) for ws in workbook for row in ws.iter_rows(values_only=True) for v in row if v
    )


def test_it_exports_the_published_workbook_and_logs_the_export(client, world, march_case):
    client.force_login(world.provincial_evaluator)

    response = client.get(
        reverse("protection:statistics_xlsx", args=[KUPANG]), {"periode": "2025-03"}
    )

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "statistik-perlindungan-53.71-2025-03.xlsx" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    for ws in workbook:
        assert "Kota Kupang" in ws["A1"].value
        assert ws["A3"].value.startswith("Angka terbitan tanpa identitas: x = disamarkan")
    summary = workbook["Ringkasan"]
    assert [summary[f"B{row}"].value for row in (5, 6, 7)] == ["x", "x", "x"]
    text = workbook_text(workbook)
    for secret in (*SECRETS, march_case.number):
        assert secret not in text
    log = AccessLog.objects.get()
    assert log.kind == AccessKind.EXPORT
    assert log.user == world.provincial_evaluator
    assert log.local_government == world.kupang
    assert log.terms == "statistik 2025-03"


def test_the_uptd_exports_exact_counts_marked_internal(client, world, full_case):
    client.force_login(world.case_supervisor)
    query = this_year()

    response = client.get(reverse("protection:statistics_xlsx", args=[KUPANG]), query)

    workbook = load_workbook(io.BytesIO(response.content))
    assert len(workbook.sheetnames) == 1 + len(
        exact_report(world.kupang, date.fromisoformat(query["from"]), unit_today()).tables
    )
    assert workbook["Ringkasan"]["A3"].value.startswith("Angka persis untuk internal UPTD PPA")
    assert [workbook["Ringkasan"][f"B{row}"].value for row in (5, 6, 7)] == [1, 2, 1]
    assert "-internal.xlsx" in response["Content-Disposition"]
    assert full_case.number not in workbook_text(workbook)
    assert AccessLog.objects.get().terms == f"statistik {query['from']}–{query['to']}"


# --- the API -------------------------------------------------------------------------------------


def api_url(code=KUPANG):
    return reverse("api:protection_statistics", args=[code])


def test_it_answers_the_uptd_with_exact_counts(client, world, full_case):
    client.force_login(world.case_worker)
    query = this_year()

    response = client.get(api_url(), query)

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {
        "local_government", "period", "controlled", "from", "to", "total_cases",
        "total_victims", "by_type", "by_month", "by_sex", "by_age_group", "served",
    }  # fmt: skip
    assert body["period"] is None and body["controlled"] is False
    assert body["from"] == query["from"] and body["to"] == query["to"]
    assert body["total_cases"] == 1
    assert body["total_victims"] == 2
    assert body["served"] == 1
    assert body["by_type"] == {"physical": 2}
    assert body["by_sex"] == {"L": 0, "P": 2, "unknown": 0}
    assert body["by_age_group"]["6-12"] == 2
    month = timezone.localtime(full_case.received_at).strftime("%Y-%m")
    assert body["by_month"][month] == 2


def test_it_answers_everyone_else_with_a_published_period(client, world, march_case):
    client.force_login(world.national_evaluator)

    body = client.get(api_url(), {"period": "2025-T1"}).json()

    assert body["period"] == "2025-T1" and body["controlled"] is True
    assert (body["from"], body["to"]) == ("2025-01-01", "2025-03-31")
    assert body["total_cases"] is None and body["total_victims"] is None
    assert body["by_type"]["physical"] is None and body["by_type"]["sexual"] == 0
    assert body["by_month"] == {"2025-01": 0, "2025-02": 0, "2025-03": None}
    assert body["by_sex"] == {"L": 0, "P": None, "unknown": 0}


@pytest.mark.parametrize(
    "query",
    [
        {"from": "2026-02-17", "to": "2026-02-17"},  # the one-day window of the security probe
        {"from": "2025-01-01"},
        {"period": "2025", "from": "2025-01-01"},
    ],
)
def test_it_refuses_a_day_range_outside_the_uptd(client, world, query):
    client.force_login(world.viewer)

    response = client.get(api_url(), query)

    assert response.status_code == 422
    assert "UPTD PPA" in response.json()["detail"]


@pytest.mark.parametrize("period", ["2099", "2025-13", "tahun lalu"])
def test_it_refuses_a_period_it_cannot_publish(client, world, period):
    client.force_login(world.secretariat)

    response = client.get(api_url(), {"period": period})

    assert response.status_code == 422
    assert "period" in response.json()["errors"]


def test_it_refuses_a_reversed_range_in_the_api(client, world):
    client.force_login(world.case_worker)

    response = client.get(api_url(), {"from": "2025-12-31", "to": "2025-01-01"})

    assert response.status_code == 422
    assert response.json()["detail"]
    assert "from" in response.json()["errors"]


def test_it_refuses_an_unreadable_date_in_the_api(client, world):
    client.force_login(world.case_worker)

    assert client.get(api_url(), {"from": "kemarin"}).status_code == 422


def test_it_answers_404_in_the_api_outside_the_scope(client, world):
    client.force_login(world.jambi_secretariat)

    response = client.get(api_url())

    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "detail": "Tidak ditemukan."}


def test_it_documents_the_api_route(client, db):
    paths = client.get("/api/v1/openapi.json").json()["paths"]

    route = paths["/api/v1/local-governments/{code}/protection/statistics"]["get"]
    assert {"200", "404", "422"} <= set(route["responses"])
    assert {p["name"] for p in route["parameters"]} >= {"code", "period", "from", "to"}


def test_the_published_page_is_kept_until_a_case_of_its_period_changes(
    client, world, march_case, django_assert_max_num_queries
):
    """The published statistics are the same for every reader outside the unit, so the page's
    tables come from the cache (issue 12: ≥ 200 req/s); a change of the kab/kota's cases shows at
    once."""
    client.force_login(world.secretariat)
    url = page_url(periode="2025-T1")
    assert cell(client.get(url).content.decode(), "total-cases") == "x"
    with django_assert_max_num_queries(7):  # session, user, device, kab/kota, menu: no counting
        again = client.get(url).content.decode()
    assert cell(again, "total-cases") == "x"

    for day in range(11, 16):  # five more March cases: six in all, no longer a small count
        case = make_case(
            world.kupang,
            received_at=local(date(2025, 3, day)),
            types=["physical"],
            children=[{"sex": "P", "age": 9, "region": KELURAHAN, "service": False}],
        )
        facts.refresh(case)

    assert cell(client.get(url).content.decode(), "total-cases") == "6"


@pytest.fixture
def few_inline(monkeypatch):
    """Kota Kupang's 51 kelurahan counted as many: their table goes to a page of its own."""
    from sikla.protection import statistics_views

    monkeypatch.setattr(statistics_views, "INLINE_AREAS", 10)


def test_many_villages_get_a_page_of_their_own_with_the_same_period(
    client, world, march_case, few_inline
):
    client.force_login(world.secretariat)

    html = client.get(page_url(periode="2025-T1")).content.decode()
    link = reverse("protection:statistics_areas", args=[KUPANG]) + "?periode=2025-T1"
    areas = client.get(link).content.decode()

    assert 'data-testid="table-kecamatan"' in html
    assert 'data-testid="table-kelurahan"' not in html
    assert f'href="{link}"' in html and "51 kelurahan/desa" in cell_text(html, "areas-link")
    assert cell(areas, "range") == "Triwulan I 2025"
    assert 'data-testid="table-kelurahan"' in areas and 'data-testid="table-kecamatan"' not in areas
    assert areas.count(f"({KUPANG}.") >= 51  # every kelurahan listed, zero or hidden
    assert '<td class="num">1</td>' not in areas and '<td class="num">2</td>' not in areas
    back = reverse("protection:statistics", args=[KUPANG]) + "?periode=2025-T1"
    assert f'href="{back}"' in areas
    for secret in (*SECRETS, march_case.number):
        assert secret not in areas


def test_the_uptd_keeps_its_exact_days_on_the_village_page(client, world, full_case, few_inline):
    client.force_login(world.case_worker)
    days = this_year()

    html = client.get(page_url(**days)).content.decode()
    query = f"from={days['from']}&amp;to={days['to']}"
    areas = client.get(page_url(**days).replace("/statistik/", "/statistik/kelurahan/"))

    assert f"/statistik/kelurahan/?{query}" in html
    assert areas.status_code == 200
    rows = areas.content.decode().split('data-testid="table-kelurahan"', 1)[1]
    assert f"({KELURAHAN})</td><td>" in rows and '<td class="num">2</td>' in rows  # exact: 2


def test_the_village_page_keeps_the_statistics_rule(client, world, full_case):
    url = reverse("protection:statistics_areas", args=[KUPANG])
    assert client.get(url).status_code == 302  # to the login
    client.force_login(world.persona("jambi_secretariat"))
    assert client.get(url).status_code == 404


def cell_text(html: str, testid: str) -> str:
    return html.split(f'data-testid="{testid}">', 1)[1].split("</p>", 1)[0]
