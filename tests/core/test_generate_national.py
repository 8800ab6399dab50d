"""`sikla generate-national`: refuses a database that holds data (and says why); at a small scale
it fills every table the catalog asks for — each kab/kota with agencies, periods, values at each
indicator's own level, evaluations scored as the engine scores them — with cases skewed to
Kab. Aceh Utara (11.08), identities as real tokens, and statistics facts equal to a direct count.

The clean-database tests come first: the generated world is built once for the module, the first
time a test asks for it, and stays until the module ends."""

import tempfile
from collections import Counter
from dataclasses import asdict
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count, F
from django.test import override_settings
from django.utils import timezone

from sikla.accounts.actions import create_user
from sikla.accounts.models import Role, User
from sikla.collection.grid import columns
from sikla.collection.models import DataValue, Period, Submission
from sikla.demo.national import volumes
from sikla.evaluation import queries as evaluation_queries
from sikla.evaluation import rollup as evaluation_rollup
from sikla.evaluation.models import Evaluation, StageResult
from sikla.evaluation.queries import _instrument
from sikla.indicators.models import Indicator
from sikla.indicators.queries import _catalog_categories, _catalog_indicators
from sikla.organisations.models import Agency, LocalGovernment
from sikla.protection import crypto
from sikla.protection.models import (
    AccessLog,
    Case,
    CaseFact,
    Child,
    ChildNameToken,
    Complaint,
    Referral,
    Service,
    VictimFact,
)
from sikla.protection.nik import parse_nik
from sikla.protection.queries import cases, overdue_q, search_cases
from sikla.protection.standards import response_due
from sikla.protection.statistics import counts, extract, tabulate
from sikla.regions.models import Region
from tests.once import built_once_per_module

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="generate-national is PostgreSQL's (set-based SQL and COPY)",
)

SCALE = 0.004  # 4 000 cases (Aceh Utara 200, ten times the demo), two evaluation years
PASSWORD = "sandi-uji-nasional-panjang"
DATA_DIR = Path(tempfile.mkdtemp(prefix="sikla-national-"))
ACEH_UTARA = "11.08"
KUPANG = "53.71"  # its kecamatan and kelurahan are in the test region slice


def run(*args, **options) -> str:
    out = StringIO()
    call_command("generate-national", *args, stdout=out, **options)
    return out.getvalue()


# --- on a clean database (before the module's world exists) -------------------------------------


@pytest.mark.skipif(connection.vendor == "postgresql", reason="the refusal on SQLite")
def test_it_needs_postgresql(db):
    with pytest.raises(CommandError, match="memerlukan PostgreSQL"):
        run("--yes", scale=SCALE)


@postgresql_only
def test_without_yes_it_says_what_it_would_do_and_writes_nothing(db):
    out = run(scale=SCALE)
    assert "--yes" in out
    assert "11.08" in out
    assert not LocalGovernment.objects.exists()
    assert not User.objects.exists()


@postgresql_only
def test_it_refuses_a_database_with_a_user_and_says_so(db):
    create_user(
        actor=None,
        username="admin.nyata",
        full_name="Admin Nyata",
        role=Role.NATIONAL_ADMIN,
        scope="",
        password=PASSWORD,
    )
    with pytest.raises(CommandError, match="sudah berisi data: 1 pengguna"):
        run("--yes", scale=SCALE)
    assert not LocalGovernment.objects.exists()


@postgresql_only
def test_it_refuses_a_database_with_one_case_and_says_so(db):
    lg = LocalGovernment.objects.create(region_id=KUPANG)
    now = timezone.now()
    Case.objects.create(
        local_government=lg,
        year=now.year,
        sequence=1,
        number=f"0001/PPA/5371/{now.year}",
        channel="hotline",
        received_at=now,
        response_due_at=now,
    )
    with pytest.raises(CommandError) as refused:
        run("--yes", scale=SCALE)
    assert "1 kasus" in str(refused.value)
    assert "1 pemerintah daerah" in str(refused.value)
    assert Case.objects.count() == 1


# --- the generated world ------------------------------------------------------------------------


def build() -> str:
    with override_settings(DATA_DIR=DATA_DIR):
        return run("--yes", scale=SCALE, password=PASSWORD)


generated = built_once_per_module(build)


@postgresql_only
def test_it_reports_rows_and_seconds_and_keeps_the_password(generated, db):
    assert "Baris per tabel" in generated
    assert "protection.Case" in generated
    assert "fakta statistik" in generated
    assert "sekretariat.1108" in generated
    assert (DATA_DIR / "national_password").read_text() == PASSWORD
    assert (DATA_DIR / "national_password").stat().st_mode & 0o077 == 0


@postgresql_only
def test_every_kab_kota_has_agencies_periods_submissions_and_evaluations(generated, db):
    regencies = Region.objects.filter(level="regency", is_active=True).count()
    assert LocalGovernment.objects.count() == regencies == 514
    per_lg = Agency.objects.values("local_government").annotate(n=Count("pk"))
    assert {row["n"] for row in per_lg} == {len(volumes.AGENCIES)}
    periods = Period.objects.values("local_government").annotate(n=Count("pk"))
    assert len(periods) == regencies
    assert {row["n"] for row in periods} == {2}
    assert Submission.objects.count() == Period.objects.count() * Indicator.objects.count()
    assert Evaluation.objects.count() == Period.objects.count()
    last = Period.objects.order_by("-year").values_list("year", flat=True).first()
    stages = Counter(Evaluation.objects.values_list("year", "stage"))
    assert stages[(last - 1, "determined")] == regencies
    assert Evaluation.objects.get(local_government_id=ACEH_UTARA, year=last).stage == "self"
    assert StageResult.objects.filter(evaluation__stage="determined").count() == 5 * regencies


@postgresql_only
def test_values_sit_at_each_indicators_level_with_its_disaggregations(generated, db):
    assert not DataValue.objects.exclude(
        region__level=F("submission__indicator__data_level")
    ).exists()
    cells = DataValue.objects.values_list(
        "submission__indicator__number", "sex", "age_group"
    ).distinct()
    allowed = {i.number: set(columns(i.disaggregations)) for i in Indicator.objects.all()}
    assert all((sex, age) in allowed[number] for number, sex, age in cells)
    assert not DataValue.objects.filter(numerator__gt=F("denominator")).exists()
    # Kupang's village-level indicator (15) has a value for each of its 51 kelurahan.
    past = DataValue.objects.filter(
        submission__local_government_id=KUPANG,
        submission__indicator__data_level="village",
        submission__status="approved",
    )
    assert past.values("region").distinct().count() == 51
    # Indicators 21–24 carry the facts' served share, as the cluster V feed offers it.
    fed = DataValue.objects.filter(submission__indicator__number=21)
    assert fed.exists()


@postgresql_only
def test_cases_are_skewed_to_aceh_utara_with_children_services_and_the_rest(generated, db):
    assert Case.objects.count() == 4000
    per_lg = dict(
        Case.objects.values_list("local_government").annotate(n=Count("pk")).order_by("-n")[:8]
    )
    assert per_lg.pop(ACEH_UTARA) == 200
    assert all(120 <= n <= 180 for n in per_lg.values())
    cases = Case.objects.count()
    assert 1.1 < Child.objects.count() / cases < 1.4
    assert 1.0 < Service.objects.count() / cases < 1.6
    assert Complaint.objects.count() > 0.8 * cases
    assert Referral.objects.exists()
    assert AccessLog.objects.count() >= cases
    assert not Case.objects.filter(workers=None).exists()
    worker = User.objects.get(username="pendamping.1108")
    mine = Case.objects.filter(workers=worker).count()
    assert 0 < mine < 200
    assert not Case.objects.filter(workers=worker).exclude(local_government=ACEH_UTARA).exists()


@postgresql_only
def test_deadlines_follow_the_service_standard(generated, db):
    for case in Case.objects.order_by("pk")[::37]:
        assert case.response_due_at == response_due(
            case.received_at, case.urgency, case.local_government_id
        )


def found(lg, terms: str) -> list:
    return [getattr(hit, "case", hit) for hit in search_cases(lg, terms)]


@postgresql_only
def test_identities_are_tokens_found_through_their_hashes(generated, db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, nik FROM protection_child WHERE nik <> '' LIMIT 1")
        name, nik = cursor.fetchone()
    assert name.startswith(crypto.PREFIX)
    assert nik.startswith(crypto.PREFIX)
    aceh = LocalGovernment.objects.get(pk=ACEH_UTARA)
    child = Child.objects.filter(case__local_government=aceh).exclude(nik="").first()
    assert child.name.split()[-1] in volumes.MARKERS  # plainly made up
    assert child.nik[12:].startswith("9")  # the fictitious serials
    _district, day, month, year, sex = parse_nik(child.nik)
    born = date.fromisoformat(child.birth_date)
    assert (born.day, born.month, born.year % 100, sex) == (day, month, year, child.sex)
    assert child.case in found(aceh, child.nik)
    assert child.case in found(aceh, " ".join(child.name.split()[:2]))
    tokens = sum(len(crypto.name_tokens(c.name)) for c in Child.objects.all())
    assert ChildNameToken.objects.count() == tokens


@postgresql_only
@pytest.mark.parametrize("code", [ACEH_UTARA, KUPANG])
def test_statistics_facts_equal_a_direct_count(generated, db, code):
    lg = LocalGovernment.objects.get(pk=code)
    start, end = date(2000, 1, 1), timezone.localdate()
    direct = extract(lg, start, end)
    maintained = counts(lg, start, end)
    assert maintained.tables == tabulate(direct.rows)
    assert asdict(maintained.cases) == asdict(direct.cases)
    assert maintained.total_victims == len(direct.rows) > 0
    assert CaseFact.objects.filter(local_government=lg).count() == direct.cases.total_cases
    assert VictimFact.objects.filter(local_government=lg).count() == len(direct.rows)


@postgresql_only
def test_evaluations_hold_what_the_scoring_engine_recomputes(generated, db):
    evaluations = list(
        Evaluation.objects.select_related("period__catalog").order_by("pk")[::97]
    ) + list(Evaluation.objects.filter(local_government_id=ACEH_UTARA))
    for evaluation in evaluations:
        a = evaluation_queries.assessment(evaluation.period)
        if evaluation.stage == "determined":
            final = next(r for r in a.stage_results if r.stage == "final")
            assert evaluation.final_score == final.total == evaluation.current_total
        else:
            assert evaluation.current_total == a.current.total
            assert evaluation.current_category == a.current.category_name
        self_result = next((r for r in a.stage_results if r.stage == "self"), None)
        if self_result is not None:
            assert self_result.total == a.result.total


@postgresql_only
def test_the_benchmark_accounts_log_in_and_work(generated, client, db, settings):
    settings.SECOND_FACTOR_REQUIRED = False  # the benchmark runs its server this way (README)
    login = {"username": "pendamping.1108", "password": PASSWORD}
    assert client.post("/masuk/", login).status_code == 302
    case = Case.objects.filter(workers__username="pendamping.1108").first()
    assert client.get(f"/perlindungan/11.08/kasus/{case.uid}/").status_code == 200
    client.logout()
    login = {"username": "evaluator.prov11", "password": PASSWORD}
    assert client.post("/masuk/", login).status_code == 302
    assert client.get("/organisasi/11.08/kategori/").status_code == 200
    assert not User.objects.get(username="pendamping.3201").has_usable_password()


@postgresql_only
def test_it_refuses_to_run_again_on_what_it_made(generated, db):
    with pytest.raises(CommandError, match="4.000 kasus"):
        run("--yes", scale=SCALE)


# --- every heavy page on the generated data: bounded queries, and the indexes used ----------------


def _route(key: str) -> tuple[str | None, str, str, dict | None]:
    """(username or None for a visitor, method, path, form) of a benchmarked route
    (benchmarks/national.py) on the generated data."""
    from django.urls import reverse

    year = Evaluation.objects.filter(local_government_id=ACEH_UTARA).order_by("-year")[0].year
    period = Period.objects.filter(local_government_id=ACEH_UTARA).order_by("-year")[0].year
    case = Case.objects.filter(local_government_id=ACEH_UTARA).order_by("-received_at")[0]
    rollup = reverse("evaluation:rollup") + f"?tahun={year - 1}"
    at = {
        "rollup-nation": ("evaluator.nasional", rollup),
        "rollup-nation-xlsx": ("evaluator.nasional", rollup + "&format=xlsx"),
        "rollup-nation-questions": ("evaluator.nasional", rollup + "&format=xlsx-rinci"),
        "rollup-province": ("evaluator.prov11", rollup),
        "overview": ("sekretariat.1108", reverse("evaluation:overview", args=[ACEH_UTARA, year])),
        "gaps": ("sekretariat.1108", reverse("evaluation:gaps", args=[ACEH_UTARA, year])),
        "entry-grid": (
            "sekretariat.1108",
            reverse("collection:submission", args=[ACEH_UTARA, period, 15]),
        ),
        "progress": ("sekretariat.1108", reverse("collection:progress", args=[ACEH_UTARA, period])),
        "data-export": (
            "sekretariat.1108",
            reverse("collection:period_export", args=[ACEH_UTARA, period, "csv"]),
        ),
        "data-export-xlsx": (
            "sekretariat.1108",
            reverse("collection:period_export", args=[ACEH_UTARA, period, "xlsx"]),
        ),
        "villages-xlsx": (
            "sekretariat.1108",
            reverse("villages:export", args=[ACEH_UTARA]) + f"?tahun={period}",
        ),
        "access-log": ("supervisor.1108", reverse("protection:access_log", args=[ACEH_UTARA])),
        "inbox": ("pendamping.1108", reverse("protection:home", args=[ACEH_UTARA])),
        "cases": ("supervisor.1108", reverse("protection:cases", args=[ACEH_UTARA])),
        "case": ("supervisor.1108", reverse("protection:case", args=[ACEH_UTARA, case.uid])),
        "statistics": ("sekretariat.1108", reverse("protection:statistics", args=[ACEH_UTARA])),
        "statistics-areas": (
            "sekretariat.1108",
            reverse("protection:statistics_areas", args=[ACEH_UTARA]),
        ),
        "statistics-uptd": (
            "supervisor.1108",
            reverse("protection:statistics", args=[ACEH_UTARA]),
        ),
        "statistics-areas-uptd": (
            "supervisor.1108",
            reverse("protection:statistics_areas", args=[ACEH_UTARA]),
        ),
        "statistics-api": (
            "sekretariat.1108",
            reverse("api:protection_statistics", args=[ACEH_UTARA]),
        ),
        "portal-list": (None, reverse("dashboards:portal_list")),
        "portal": (None, reverse("dashboards:portal", args=[ACEH_UTARA])),
        "portal-api": (None, reverse("api:portal", args=[ACEH_UTARA])),
        "regions": ("sekretariat.1108", reverse("regions:detail", args=[ACEH_UTARA])),
        "region-search": ("sekretariat.1108", reverse("regions:browse") + "?q=baru"),
    }
    if key == "search":
        return (
            "supervisor.1108",
            "post",
            reverse("protection:case_search", args=[ACEH_UTARA]),
            {"terms": "contoh"},
        )
    user, path = at[key]
    return user, "get", path, None


# The most queries each page may run on the generated world (ten times the demo): what each
# runs today with the catalog read cold (see below), none to spare — the sessions, the login
# guard and the page's own reads. The counts do not grow with the data; a new N+1 breaks this,
# and so does a new query, which should then be argued for here.
QUERY_BOUNDS = {
    "access-log": 12,
    "case": 20,
    "cases": 10,
    "data-export": 6,
    "data-export-xlsx": 6,
    "entry-grid": 15,
    "gaps": 19,
    # its three cards count all there is: the worker's open cases and the overdue ones too
    "inbox": 14,
    "overview": 18,
    "portal": 16,
    "portal-api": 16,
    "portal-list": 3,
    "progress": 9,
    "region-search": 8,
    "regions": 9,
    "rollup-nation": 13,
    "rollup-nation-questions": 20,
    "rollup-nation-xlsx": 5,
    "rollup-province": 13,
    "search": 9,
    "statistics": 14,
    "statistics-areas": 14,
    "statistics-areas-uptd": 14,
    "statistics-uptd": 14,
    "statistics-api": 11,
    "villages-xlsx": 12,
}


@postgresql_only
@pytest.mark.parametrize("key", sorted(QUERY_BOUNDS))
def test_every_heavy_page_runs_a_bounded_number_of_queries(generated, client, db, key):
    from django.core.cache import cache
    from django.test.utils import CaptureQueriesContext

    username, method, path, form = _route(key)
    if username:
        client.force_login(User.objects.get(username=username))
    cache.clear()  # the public pages: the cost of building them, not of a cache hit
    # the catalog as a process reads it first (its per-process copies, cold), so the bound
    # holds whichever test of the run touches the catalog first
    _catalog_indicators.cache_clear()
    _catalog_categories.cache_clear()
    _instrument.cache_clear()
    with CaptureQueriesContext(connection) as ran:
        response = getattr(client, method)(path, form or {})
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == 200, (key, response.status_code)
    assert len(ran) <= QUERY_BOUNDS[key], (key, len(ran))


def plans(sql_statements: list[str]) -> str:
    text = []
    with connection.cursor() as cursor:
        for sql in sql_statements:
            cursor.execute("EXPLAIN " + sql)
            text += [row[0] for row in cursor.fetchall()]
    return "\n".join(text)


def captured(run) -> list[str]:
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ran:
        run()
    return [q["sql"] for q in ran if q["sql"].lstrip().upper().startswith("SELECT")]


@postgresql_only
def test_the_statistics_read_the_facts_by_their_index(generated, db):
    lg = LocalGovernment.objects.get(pk=ACEH_UTARA)
    today = timezone.localdate()
    queries = captured(lambda: counts(lg, date(today.year, 1, 1), today))
    plan = plans(queries)
    for table, index in (
        ("protection_victimfact", "victimfact_lg_day_idx"),
        ("protection_casefact", "casefact_lg_day_idx"),
        ("protection_caseitemfact", "itemfact_lg_day_idx"),
    ):
        assert index in plan, (table, plan)
        assert f"Seq Scan on {table}" not in plan, plan
    for table in ("protection_case ", "protection_child ", "protection_service "):
        assert table not in plan  # no page scans cases


@postgresql_only
def test_a_name_search_reads_the_blind_index(generated, db):
    lg = LocalGovernment.objects.get(pk=ACEH_UTARA)
    plan = plans(captured(lambda: search_cases(lg, "contoh fiktif")))
    assert "nametoken_lg_token_idx" in plan, plan
    assert "Seq Scan on protection_childnametoken" not in plan, plan


@postgresql_only
def test_the_overdue_cases_read_the_index_of_those_awaiting_a_response(generated, db):
    """The case worker's start page lists the unit's overdue cases: a few hundred of a large
    unit's cases have no first response, and only those are read, not the unit's 50,000."""
    lg = LocalGovernment.objects.get(pk=ACEH_UTARA)
    worker = User.objects.get(username="pendamping.1108")
    plan = plans(captured(lambda: list(overdue_q(cases(lg, worker))[:20])))
    assert "case_awaiting_response_idx" in plan, plan
    assert "Seq Scan on protection_case " not in plan, plan


@postgresql_only
def test_the_rollup_reads_evaluations_by_their_index(generated, db):
    year = Evaluation.objects.order_by("-year")[0].year - 1
    user = User.objects.get(username="evaluator.nasional")
    plan = plans(captured(lambda: list(evaluation_rollup.rollup(user, year=year)[:50])))
    assert "evaluation_unique_year" in plan, plan
    assert "stage_result_unique" in plan or "evaluation_stageresult_evaluation_id" in plan, plan
