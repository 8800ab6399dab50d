"""SIKLA at national size, as production serves it: the heavy pages and API routes timed over HTTP
against `sikla serve` (gunicorn), with the queries each request runs and the time of that raw SQL.

For every route (roll-ups national and provincial and their xlsx exports, evaluation overview and
gap analysis, entry grid and progress of one kab/kota — the largest, 11.08 Kab. Aceh Utara, by
default —, the protection inbox, case list, case page, statistics page and API, case search, the
public portal list and page and its API, the region browser and search) it reports:

- p50 and p95 of `--runs` sequential requests by one logged-in browser-like client (keep-alive,
  gzip accepted, after one warm-up request whose time is shown as "1st");
- the queries of one request, run in-process through Django's test client with the same user
  (`CaptureQueriesContext`, after one warm-up request), then the captured reads re-executed on a
  cursor (`--sql-runs` times, median; writes such as sessions and access-log rows left out, in a
  transaction rolled back): the "raw SQL" the page cannot do without, and page p50 / raw SQL —
  the framework's overhead, meaningful only when the SQL takes over 5 ms;
- for the public portal's pages and API, served from the public cache, also their build without
  it (in-process, no cache): what the first visitor after a change waits for;
- requests/s with `--clients` concurrent keep-alive clients hammering one URL for `--seconds`
  (the public portal, the statistics and a few kab/kota pages); any non-200 answer is an error.

The targets (from the issue) are printed beside the numbers and never asserted: p95 ≤ 150 ms for
every kab/kota page, ≤ 300 ms for the national and provincial roll-ups; page time ≤ 3× its raw SQL
where the SQL takes over 5 ms; public portal and statistics ≥ 200 req/s under 8 clients.

The server is started here (`sikla serve` on a free port of 127.0.0.1 with the production
settings, plain http) and stopped with SIGTERM at the end; `--url` measures a running one instead.
Results go to stdout and, as Markdown with the date, machine, database size and server
configuration, to `benchmarks/RESULTS.md`. A medians-and-ratios report, never a pass/fail test.

Use the SIKLA_DATA_DIR the data was made with: its protection key opens the children's names.
National data (`sikla generate-national`; its users share one password, from `--password`,
SIKLA_DEMO_PASSWORD or `$SIKLA_DATA_DIR/national_password`):

    DATABASE_URL=postgres://…/sikla_national SIKLA_DATA_DIR=… .venv/bin/python benchmarks/national.py

The Kota Kupang demo on PostgreSQL (password in `$SIKLA_DATA_DIR/demo_password`), made with
`sikla migrate`, `import-regions`, `load-catalog`, `createcachetable`, `demo --password …`:

    DATABASE_URL=postgres://…/sikla_demo SIKLA_DATA_DIR=… .venv/bin/python benchmarks/national.py --demo

Other options: `--lg 11.08 --province 11` and the five usernames, `--runs 15`, `--clients 8`,
`--seconds 5`, `--workers 2 --threads 4`, `--redis-url` (else REDIS_URL: the cache as deployed;
without it the database's cache table), `--only KEY …` (the keys are in `--help`).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from datetime import datetime
from http.cookies import SimpleCookie
from pathlib import Path

from timing import median_ms

ROOT = Path(__file__).resolve().parent.parent
P95_TARGET_MS = {"roll-up": 300, "kab/kota": 150}
RATIO_TARGET = 3.0
RATIO_MIN_SQL_MS = 5.0
THROUGHPUT_TARGET = 200  # requests/s under 8 clients, public portal and statistics
DEFAULT_THROUGHPUT = [
    "portal-list",
    "portal",
    "portal-api",
    "statistics",
    "statistics-api",
    "overview",
    "progress",
    "cases",
]
# What "rows" means for the database's size: the big tables, by model (absent ones are skipped).
BIG_MODELS = [
    "regions.Region",
    "organisations.LocalGovernment",
    "accounts.User",
    "collection.Period",
    "collection.Submission",
    "collection.DataValue",
    "collection.Evidence",
    "evaluation.Evaluation",
    "evaluation.Answer",
    "protection.Complaint",
    "protection.Case",
    "protection.Child",
    "protection.ChildNameToken",
    "protection.Service",
    "protection.AccessLog",
    "core.AuditEvent",
]


@dataclass
class Route:
    key: str
    label: str
    kind: str  # "roll-up", "kab/kota" (p95 targets) or "other"
    persona: str | None  # None: anonymous
    path: str
    method: str = "GET"
    form: dict | None = None  # POST fields (the CSRF token is added)
    api: bool = False  # bearer token instead of the session cookie
    expect: str = "text/html"  # the content type a right answer has
    cached: bool = False  # served from the public cache: its build is measured apart
    public: bool = False  # the ≥ 200 req/s target applies
    # results
    status: str = ""
    size: int = 0
    first_ms: float | None = None
    times: list[float] = field(default_factory=list)
    queries: int | None = None
    writes: int = 0
    sql_ms: float | None = None
    rps: float | None = None
    rps_requests: int = 0
    rps_errors: int = 0
    rps_p50: float | None = None
    uncached: tuple[int, float, float] | None = None  # queries, SQL ms, in-process ms

    @property
    def p50(self) -> float | None:
        return statistics.median(self.times) if self.times else None

    @property
    def p95(self) -> float | None:
        if len(self.times) < 2:
            return self.p50
        return statistics.quantiles(self.times, n=20, method="inclusive")[18]

    @property
    def ratio(self) -> float | None:
        if self.p50 is None or self.sql_ms is None or self.sql_ms <= RATIO_MIN_SQL_MS:
            return None
        return self.p50 / self.sql_ms


# -- arguments ---------------------------------------------------------------------------------


def parse_args() -> argparse.Namespace:
    keys = ", ".join(ROUTE_KEYS)
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=f"route keys: {keys}",
    )
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument(
        "--demo",
        action="store_true",
        help="the Kota Kupang demo: 53.71, province 53, *.kupang users, evaluator.ntt, "
        "password from demo_password",
    )
    parser.add_argument("--lg", help="kab/kota code (default 11.08, with --demo 53.71)")
    parser.add_argument("--province", help="province code (default: the kab/kota's)")
    parser.add_argument("--secretariat", help="default sekretariat.<lg without dot>")
    parser.add_argument("--worker", help="case worker, default pendamping.<lg without dot>")
    parser.add_argument("--supervisor", help="default supervisor.<lg without dot>")
    parser.add_argument("--national", default="evaluator.nasional", help="national evaluator")
    parser.add_argument("--provincial", help="province evaluator, default evaluator.prov<code>")
    parser.add_argument("--password", help="else SIKLA_DEMO_PASSWORD, else the password file")
    parser.add_argument("--year", type=int, help="evaluation year (default: the kab/kota's latest)")
    parser.add_argument(
        "--rollup-year", type=int, help="default: the year with the most evaluations"
    )
    parser.add_argument("--indicator", type=int, default=15, help="entry grid of this indicator")
    parser.add_argument("--region-search", default="baru", help="term of the region search")
    parser.add_argument("--runs", type=int, default=15, help="sequential requests per route")
    parser.add_argument("--sql-runs", type=int, default=5, help="replays of the captured SQL")
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients")
    parser.add_argument(
        "--seconds", type=float, default=5, help="per throughput route; 0 skips the phase"
    )
    parser.add_argument(
        "--throughput", nargs="+", default=DEFAULT_THROUGHPUT, metavar="KEY", help="its routes"
    )
    parser.add_argument("--only", nargs="+", metavar="KEY", help="only these routes")
    parser.add_argument(
        "--redis-url",
        default=os.environ.get("REDIS_URL", ""),
        help="the server's cache (and cached sessions), as deployed (deploy/sikla.env.example); "
        "else REDIS_URL, else the cache table of the database",
    )
    parser.add_argument("--workers", type=int, default=2, help="WEB_CONCURRENCY of the server")
    parser.add_argument("--threads", type=int, default=4, help="SIKLA_THREADS of the server")
    parser.add_argument("--url", help="measure this running server instead of starting one")
    parser.add_argument("--label", help="what data this is (default: guessed from its size)")
    parser.add_argument("--output", default=str(Path(__file__).parent / "RESULTS.md"))
    args = parser.parse_args()
    args.lg = args.lg or ("53.71" if args.demo else "11.08")
    args.province = args.province or args.lg.split(".")[0]
    tag = "kupang" if args.demo else args.lg.replace(".", "")
    args.secretariat = args.secretariat or f"sekretariat.{tag}"
    args.worker = args.worker or f"pendamping.{tag}"
    args.supervisor = args.supervisor or f"supervisor.{tag}"
    args.provincial = args.provincial or (
        "evaluator.ntt" if args.demo else f"evaluator.prov{args.province}"
    )
    if args.only:
        args.only = [k for item in args.only for k in item.split(",") if k]
        unknown = set(args.only) - set(ROUTE_KEYS)
        if unknown:
            parser.error(f"unknown route keys {sorted(unknown)}; known: {keys}")
    args.throughput = [k for item in args.throughput for k in item.split(",") if k]
    return args


def read_password(args) -> str:
    if args.password:
        return args.password
    if os.environ.get("SIKLA_DEMO_PASSWORD"):
        return os.environ["SIKLA_DEMO_PASSWORD"]
    name = "demo_password" if args.demo else "national_password"
    data_dir = Path(os.environ.get("SIKLA_DATA_DIR") or ROOT / "var")
    for candidate in (data_dir / name, ROOT / "var" / name):
        if candidate.exists():
            return candidate.read_text().strip()
    sys.exit(f"No password: give --password, SIKLA_DEMO_PASSWORD or {data_dir / name}.")


# -- the server --------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# The benchmark's accounts log in with their password alone: the second factor is a step of the
# login (its own tests), not a cost of the pages measured here.
NO_SECOND_FACTOR = {"SIKLA_SECOND_FACTOR_REQUIRED": "0"}


def start_server(args, port: int, log_path: Path, command_name: str = "serve") -> subprocess.Popen:
    """`sikla serve` (or, with command_name="worker", the task queue's worker beside it, as a
    deployment runs them: deploy/systemd)."""
    env = {
        **os.environ,
        "DATABASE_URL": args.database_url,
        "REDIS_URL": args.redis_url,
        "SIKLA_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": str(args.workers),
        "SIKLA_THREADS": str(args.threads),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        # plain http on the loopback: cookies must travel without TLS
        "SECURE_COOKIES": "false",
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_HSTS_SECONDS": "0",
        "BEHIND_PROXY": "false",
        **NO_SECOND_FACTOR,
    }
    env.pop("SIKLA_TRUSTED_PROXIES", None)
    sikla = Path(sys.executable).with_name("sikla")
    command = [str(sikla)] if sikla.exists() else [sys.executable, "-m", "sikla"]
    log = log_path.open("wb")
    return subprocess.Popen(  # noqa: S603 - our own command
        # the worker without the day's schedule: no retention run or reminders mid-measure
        [*command, command_name, *(["--no-schedule"] if command_name == "worker" else [])],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: stopped by its id, nothing else
        cwd=ROOT,
    )


def wait_ready(base: tuple[str, int], server: subprocess.Popen | None, log_path: Path) -> None:
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if server is not None and server.poll() is not None:
            sys.exit(f"sikla serve stopped (exit {server.returncode}):\n{tail(log_path)}")
        try:
            conn = http.client.HTTPConnection(*base, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.25)
    sys.exit(f"sikla serve did not answer /healthz in 180 s:\n{tail(log_path)}")


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is not None:
        return
    server.send_signal(signal.SIGTERM)  # gunicorn finishes the requests in flight and exits
    try:
        server.wait(timeout=40)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)  # the group we started, by its id
        server.wait()


def tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


# -- HTTP, like a browser ----------------------------------------------------------------------


class Browser:
    """One client: keep-alive connection, cookies, gzip accepted (as browsers ask)."""

    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        self.cookies: dict[str, str] = {}
        self.conn: http.client.HTTPConnection | None = None
        self.token = ""

    def request(
        self, method: str, path: str, body: bytes | None = None, headers=None, cookies=True
    ):
        """(status, headers, body, milliseconds of the successful attempt)."""
        headers = {"Accept-Encoding": "gzip", "User-Agent": "sikla-benchmark", **(headers or {})}
        if self.cookies and cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=120)
            start = time.perf_counter()
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                data = response.read()
            except (http.client.HTTPException, ConnectionError):
                # the server closed an idle keep-alive connection: once more on a new one
                self.conn.close()
                self.conn = None
                if attempt == 2:
                    raise
                continue
            ms = (time.perf_counter() - start) * 1000
            for raw in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(raw).items():
                    if morsel["max-age"] == "0" or not morsel.value:
                        self.cookies.pop(name, None)
                    else:
                        self.cookies[name] = morsel.value
            if response.getheader("Connection", "").lower() == "close":
                self.conn.close()
                self.conn = None
            return response.status, response.headers, data, ms
        raise AssertionError("unreachable")

    def login(self, username: str, password: str) -> str:
        """Empty when logged in, else why not."""
        status, _, page, _ = self.request("GET", "/masuk/", headers={"Accept-Encoding": ""})
        found = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if status != 200 or not found:
            return f"login page answered {status} without a CSRF token"
        body = urllib.parse.urlencode(
            {
                "csrfmiddlewaretoken": found.group(1).decode(),
                "username": username,
                "password": password,
            }
        ).encode()
        status, headers, _, _ = self.request(
            "POST",
            "/masuk/",
            body,
            {"Content-Type": "application/x-www-form-urlencoded", "Referer": self.origin + "/"},
        )
        if status == 302 and "sessionid" in self.cookies:
            return ""
        if status == 429 or status == 403:
            return f"locked out or refused ({status})"
        return f"refused ({status}: wrong username or password?)"

    def get_token(self, username: str, password: str) -> str:
        body = json.dumps({"username": username, "password": password}).encode()
        status, _, data, _ = self.request(
            "POST",
            "/api/v1/auth/token",
            body,
            {"Content-Type": "application/json", "Accept-Encoding": ""},
        )
        if status != 200:
            return ""
        return json.loads(data)["token"]

    @property
    def origin(self) -> str:
        return f"http://{self.host}:{self.port}"

    def call(self, route: Route):
        headers = {}
        body = None
        token = route.api and self.token
        if token:  # an API client: the token alone, no session cookie
            headers["Authorization"] = f"Bearer {self.token}"
        if route.method == "POST":
            form = {**(route.form or {}), "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")}
            body = urllib.parse.urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = self.origin + route.path
        return self.request(route.method, route.path, body, headers, cookies=not token)


# -- Django, in-process ------------------------------------------------------------------------


def setup_django(args) -> None:
    os.environ["DATABASE_URL"] = args.database_url
    os.environ["REDIS_URL"] = args.redis_url  # the same cache as the server
    os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"  # the test client's host
    os.environ.update(NO_SECOND_FACTOR)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sikla.settings")
    import django

    django.setup()
    import logging

    logging.getLogger("axes").setLevel(logging.WARNING)  # the in-process logins


def discover(args) -> dict:
    """The objects the routes need, found in the database: years, the open period, a case with
    many services, the most common word of the unit's children's names."""
    from django.core.exceptions import ImproperlyConfigured
    from django.db.models import Count

    from sikla.collection.models import Period, PeriodStatus
    from sikla.evaluation.models import Evaluation
    from sikla.organisations.models import LocalGovernment
    from sikla.protection import crypto
    from sikla.protection.models import Case, Child, ChildNameToken

    lg = LocalGovernment.objects.select_related("region").filter(region_id=args.lg).first()
    if lg is None:
        sys.exit(f"No local government {args.lg} in this database.")
    found: dict = {"lg": lg, "notes": []}
    evaluations = Evaluation.objects.filter(local_government=lg)
    found["year"] = (
        args.year or evaluations.order_by("-year").values_list("year", flat=True).first()
    )
    busiest = (
        Evaluation.objects.values("year").annotate(n=Count("id")).order_by("-n", "-year").first()
    )
    found["rollup_year"] = args.rollup_year or (busiest["year"] if busiest else found["year"])
    periods = Period.objects.filter(local_government=lg).order_by("-year")
    period = periods.filter(status=PeriodStatus.OPEN).first() or periods.first()
    found["period"] = period.year if period else None
    case = (
        Case.objects.filter(local_government=lg)
        .annotate(n=Count("services"))
        .order_by("-n", "-received_at")
        .values("uid", "n")
        .first()
    )
    found["case"] = case["uid"] if case else None
    found["case_services"] = case["n"] if case else 0
    common = (
        ChildNameToken.objects.filter(local_government=lg)
        .values("token")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    found["search"], found["search_hits"] = "", 0
    if common:
        try:
            name = (
                Child.objects.filter(case__local_government=lg, name_tokens__token=common["token"])
                .first()
                .name
            )
        except ImproperlyConfigured:
            sys.exit(
                "The protection key does not open this database's names: use the SIKLA_DATA_DIR "
                "(or SIKLA_PROTECTION_KEY) the data was made with."
            )
        for word in crypto.name_words(name):
            if crypto.name_tokens(word) == {common["token"]}:
                found["search"], found["search_hits"] = word, common["n"]
    found["lg_count"] = LocalGovernment.objects.count()
    return found


def build_routes(args, found: dict) -> list[Route]:
    """Every route, in ROUTE_KEYS order; one whose object is missing carries why."""
    from django.urls import reverse

    code, year, period, case = args.lg, found["year"], found["period"], found["case"]
    rollup = reverse("evaluation:rollup") + f"?tahun={found['rollup_year']}"
    season = reverse("evaluation:season") + f"?tahun={found['rollup_year']}"
    losses = reverse("evaluation:losses") + f"?tahun={found['rollup_year']}"
    trends = reverse("evaluation:trends") + f"?tahun={found['rollup_year']}"
    monitoring = f"/api/v1/monitoring/{found['rollup_year']}"
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    api, html = "application/json", "text/html"

    def at(name: str, *rest, missing: str = "") -> str:
        """The path, or "!why" when the object it needs is not in the database."""
        return "!" + missing if missing else reverse(name, args=[code, *rest])

    no_evaluation = f"{code} has no evaluation" if not year else ""
    no_period = f"{code} has no collection period" if not period else ""
    search = reverse("protection:case_search", args=[code]) if found["search"] else ""
    # key, label, kind, persona, path, content type, and: api (bearer), public (≥ 200 req/s)
    # and cached (the public cache)
    table = [
        ("rollup-nation", "roll-up, national", "roll-up", "national", rollup, html, ""),
        (
            "rollup-nation-xlsx",
            "roll-up, national, xlsx",
            "roll-up",
            "national",
            rollup + "&format=xlsx",
            xlsx,
            "",
        ),
        (
            "rollup-nation-questions",
            "roll-up, national, xlsx per question",
            "roll-up",
            "national",
            rollup + "&format=xlsx-rinci",
            xlsx,
            "",
        ),
        ("rollup-province", "roll-up, provincial", "roll-up", "provincial", rollup, html, ""),
        (
            "rollup-province-xlsx",
            "roll-up, provincial, xlsx",
            "roll-up",
            "provincial",
            rollup + "&format=xlsx",
            xlsx,
            "",
        ),
        (
            "rollup-province-questions",
            "roll-up, provincial, xlsx per question",
            "roll-up",
            "provincial",
            rollup + "&format=xlsx-rinci",
            xlsx,
            "",
        ),
        (
            "rollup-nation-indicator",
            "roll-up, national, map by indicator 1",
            "roll-up",
            "national",
            rollup + "&indikator=1",
            html,
            "",
        ),
        ("season", "season board, national", "roll-up", "national", season, html, ""),
        ("losses", "where points are lost, national", "roll-up", "national", losses, html, ""),
        ("trends", "category trends, national", "roll-up", "national", trends, html, ""),
        (
            "monitoring-api",
            "monitoring API, national",
            "roll-up",
            "national",
            monitoring,
            api,
            "api",
        ),
        (
            "monitoring-indicators-api",
            "monitoring API, per indicator, national",
            "roll-up",
            "national",
            monitoring + "/indicators",
            api,
            "api",
        ),
        (
            "overview",
            "evaluation overview",
            "kab/kota",
            "secretariat",
            at("evaluation:overview", year, missing=no_evaluation),
            html,
            "",
        ),
        (
            "gaps",
            "gap analysis",
            "kab/kota",
            "secretariat",
            at("evaluation:gaps", year, missing=no_evaluation),
            html,
            "",
        ),
        (
            "entry-grid",
            f"entry grid, indicator {args.indicator}",
            "kab/kota",
            "secretariat",
            at("collection:submission", period, args.indicator, missing=no_period),
            html,
            "",
        ),
        (
            "progress",
            "collection progress",
            "kab/kota",
            "secretariat",
            at("collection:progress", period, missing=no_period),
            html,
            "",
        ),
        (
            "data-export",
            "the period's data, CSV",
            "kab/kota",
            "secretariat",
            at("collection:period_export", period, "csv", missing=no_period),
            "text/csv",
            "",
        ),
        (
            "data-export-xlsx",
            "the period's data, xlsx",
            "kab/kota",
            "secretariat",
            at("collection:period_export", period, "xlsx", missing=no_period),
            xlsx,
            "",
        ),
        (
            "villages-xlsx",
            "villages workbook",
            "kab/kota",
            "secretariat",
            at("villages:export") + f"?tahun={found['period'] or found['year']}",
            xlsx,
            "",
        ),
        ("inbox", "protection inbox", "kab/kota", "worker", at("protection:home"), html, ""),
        ("cases", "case list", "kab/kota", "supervisor", at("protection:cases"), html, ""),
        (
            "access-log",
            "access log",
            "kab/kota",
            "supervisor",
            at("protection:access_log"),
            html,
            "",
        ),
        (
            "case",
            "case page (most services)",
            "kab/kota",
            "supervisor",
            at("protection:case", case, missing="" if case else f"{code} has no case"),
            html,
            "",
        ),
        (
            "statistics",
            "protection statistics",
            "kab/kota",
            "secretariat",
            at("protection:statistics"),
            html,
            "public",
        ),
        (
            "statistics-areas",
            "protection statistics per kelurahan/desa",
            "kab/kota",
            "secretariat",
            at("protection:statistics_areas"),
            html,
            "",
        ),
        (
            "statistics-uptd",
            "protection statistics, the UPTD's exact counts of the year so far",
            "kab/kota",
            "supervisor",
            at("protection:statistics"),
            html,
            "cached",
        ),
        (
            "statistics-areas-uptd",
            "protection statistics per kelurahan/desa, the UPTD's exact counts",
            "kab/kota",
            "supervisor",
            at("protection:statistics_areas"),
            html,
            "cached",
        ),
        (
            "statistics-api",
            "protection statistics, API",
            "kab/kota",
            "secretariat",
            at("api:protection_statistics"),
            api,
            "api public",
        ),
        (
            "search",
            "case search, a common name word",
            "kab/kota",
            "supervisor",
            search or f"!no child's name of {code} in the blind index",
            html,
            "",
        ),
        (
            "portal-list",
            "public portal, list",
            "other",
            None,
            reverse("dashboards:portal_list"),
            html,
            "public cached",
        ),
        (
            "portal",
            "public portal, page",
            "kab/kota",
            None,
            at("dashboards:portal"),
            html,
            "public cached",
        ),
        (
            "portal-list-api",
            "public portal, list, API",
            "other",
            None,
            reverse("api:portal_list"),
            api,
            "public cached",
        ),
        (
            "portal-api",
            "public portal, page, API",
            "kab/kota",
            None,
            at("api:portal"),
            api,
            "public cached",
        ),
        ("regions", "region browser", "kab/kota", "secretariat", at("regions:detail"), html, ""),
        (
            "region-search",
            "region search",
            "other",
            "secretariat",
            reverse("regions:browse") + "?" + urllib.parse.urlencode({"q": args.region_search}),
            html,
            "",
        ),
    ]
    routes = []
    for key, label, kind, persona, path, expect, flags in table:
        route = Route(key, label, kind, persona, path, expect=expect)
        route.api, route.public, route.cached = (
            f in flags.split() for f in ("api", "public", "cached")
        )
        if path.startswith("!"):
            route.path, route.status = "", "not measured: " + path[1:]
        if key == "search":
            route.method, route.form = "POST", {"terms": found["search"]}
        routes.append(route)
    assert [r.key for r in routes] == ROUTE_KEYS
    return routes


ROUTE_KEYS = [
    "rollup-nation",
    "rollup-nation-xlsx",
    "rollup-nation-questions",
    "rollup-province",
    "rollup-province-xlsx",
    "rollup-province-questions",
    "rollup-nation-indicator",
    "season",
    "losses",
    "trends",
    "monitoring-api",
    "monitoring-indicators-api",
    "overview",
    "gaps",
    "entry-grid",
    "progress",
    "data-export",
    "data-export-xlsx",
    "villages-xlsx",
    "inbox",
    "cases",
    "access-log",
    "case",
    "statistics",
    "statistics-areas",
    "statistics-uptd",
    "statistics-areas-uptd",
    "statistics-api",
    "search",
    "portal-list",
    "portal",
    "portal-list-api",
    "portal-api",
    "regions",
    "region-search",
]


DECLARE = re.compile(
    r"^\s*DECLARE\s+\S+\s+(NO\s+)?(SCROLL\s+)?CURSOR\s+(WITH(OUT)?\s+HOLD\s+)?FOR\s+", re.I
)


def measure_sql(route: Route, user, token: str, sql_runs: int) -> None:
    """Queries of one warm in-process request; the captured reads replayed on a cursor."""
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    client = Client(raise_request_exception=False)  # a 500 is reported, not raised
    if user is not None and not route.api:
        client.force_login(user)
    headers = {"Authorization": f"Bearer {token}"} if route.api else {}

    def once():
        if route.method == "POST":
            response = client.post(route.path, route.form or {}, headers=headers)
        else:
            response = client.get(route.path, headers=headers)
        if response.streaming:  # an export streamed: its queries run while it is read
            b"".join(response.streaming_content)
        return response

    def capture() -> tuple[int, int, float]:
        """(queries, writes, median ms of the reads replayed)."""
        once()  # warm: the process's own caches, as a served worker has them
        with CaptureQueriesContext(connection) as captured:
            response = once()
        if response.status_code != 200:
            route.status = route.status or f"in-process {response.status_code}"
        # a streamed export reads through a server-side cursor: its SELECT is the read
        statements = [DECLARE.sub("", q["sql"], count=1) for q in captured.captured_queries]
        reads = [s for s in statements if re.match(r"\s*(SELECT|WITH)\b", s, re.IGNORECASE)]
        queries = len(
            [s for s in statements if not re.match(r"\s*(SAVEPOINT|RELEASE|ROLLBACK)", s)]
        )

        def replay():
            with connection.cursor() as cursor:
                for sql in reads:
                    cursor.execute(sql)
                    if cursor.description is not None:
                        cursor.fetchall()

        with transaction.atomic():
            replay()  # the same warm buffers the page had
            ms = median_ms(replay, sql_runs)
            transaction.set_rollback(True)
        return queries, queries - len(reads), ms

    route.queries, route.writes, route.sql_ms = capture()
    if route.cached:
        # The build behind the cache, as after any change it depends on: no cache at all.
        dummy = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
        with override_settings(CACHES=dummy):
            queries, _, sql_ms = capture()
            route.uncached = (queries, sql_ms, median_ms(once, sql_runs))


# -- timing over HTTP --------------------------------------------------------------------------


def sequential(route: Route, browser: Browser, runs: int) -> None:
    status, headers, body, ms = browser.call(route)
    route.first_ms = ms
    if status != 200:
        where = headers.get("Location", "")
        route.status = f"HTTP {status}" + (f" → {where}" if where else "")
        return
    kind = headers.get("Content-Type", "")
    if not kind.startswith(route.expect):
        route.status = f"answered {kind or 'no content type'}, not {route.expect}"
        return
    route.size = len(body)
    for _ in range(runs):
        status, _, _, ms = browser.call(route)
        if status != 200:
            route.status = f"HTTP {status} during the runs"
        route.times.append(ms)


def throughput(route: Route, browser: Browser, clients: int, seconds: float) -> None:
    """`clients` threads, each with its own keep-alive connection and the persona's cookies."""
    start_gate = threading.Barrier(clients + 1)
    deadline = [0.0]
    results: list[tuple[int, int, list[float]]] = []
    lock = threading.Lock()

    def hammer():
        me = Browser(browser.host, browser.port)
        me.cookies, me.token = dict(browser.cookies), browser.token
        done = errors = 0
        times: list[float] = []
        try:
            me.call(route)  # connect and warm outside the clock
        finally:
            start_gate.wait()
        while time.perf_counter() < deadline[0]:
            done += 1
            try:
                status, _, _, ms = me.call(route)
            except (OSError, http.client.HTTPException):
                errors += 1
                continue
            errors += status != 200
            times.append(ms)
        with lock:
            results.append((done, errors, times))

    threads = [threading.Thread(target=hammer, daemon=True) for _ in range(clients)]
    for t in threads:
        t.start()
    deadline[0] = time.perf_counter() + 3600
    start_gate.wait()
    began = time.perf_counter()
    deadline[0] = began + seconds
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - began
    route.rps_requests = sum(r[0] for r in results)
    route.rps_errors = sum(r[1] for r in results)
    route.rps = route.rps_requests / elapsed
    all_times = [t for r in results for t in r[2]]
    route.rps_p50 = statistics.median(all_times) if all_times else None


# -- the machine and the database --------------------------------------------------------------


def machine() -> dict:
    info = {"cpus": os.cpu_count(), "cpu": platform.processor() or "?", "ram": "?"}
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                info["ram"] = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    except OSError:
        pass
    info["load"] = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    info["speed"] = cpu_speed()
    info["os"] = platform.platform()
    info["python"] = platform.python_version()
    info["host"] = platform.node()
    return info


def cpu_speed(additions: int = 5_000_000, runs: int = 3) -> float:
    """Milliseconds one core takes for `additions` integer additions in pure Python (median of
    `runs`): machines of the same name differ by up to three times, and every time of a run
    moves with this, so two runs compare only beside it."""
    times = []
    for _ in range(runs):
        start, total = time.perf_counter(), 0
        for i in range(additions):
            total += i
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def database() -> dict:
    from django.apps import apps
    from django.db import connection

    info: dict = {"vendor": connection.vendor, "rows": {}}
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT version(), pg_size_pretty(pg_database_size(current_database()))")
            info["version"], info["size"] = cursor.fetchone()
            info["version"] = info["version"].split(" on ")[0]
            info["name"] = connection.settings_dict["NAME"]
        else:
            info["version"], info["size"], info["name"] = connection.vendor, "?", "?"
        for label in BIG_MODELS:
            try:
                table = apps.get_model(label)._meta.db_table
            except LookupError:
                continue
            cursor.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608 - a model's table
            info["rows"][table] = cursor.fetchone()[0]
    return info


# -- the report --------------------------------------------------------------------------------


def fmt(value, spec: str = ".0f", none: str = "–") -> str:
    return none if value is None else format(value, spec)


def p95_target(route: Route) -> str:
    target = P95_TARGET_MS.get(route.kind)
    if target is None:
        return "–"
    mark = "" if route.p95 is None or route.p95 <= target else " over"
    return f"≤{target}{mark}"


def ratio_cell(route: Route) -> str:
    if route.ratio is None:
        return "–"
    return f"{route.ratio:.1f}" + (" over" if route.ratio > RATIO_TARGET else "")


def page_rows(routes: list[Route]) -> tuple[list[str], list[list[str]]]:
    header = [
        "route",
        "user",
        "1st ms",
        "p50 ms",
        "p95 ms",
        "p95 target",
        "queries",
        "SQL ms",
        "p50/SQL",
        "KiB",
    ]
    rows = []
    for r in routes:
        if r.status and not r.times:
            rows.append([r.key, r.persona or "anonymous", "FAILED: " + r.status] + [""] * 7)
            continue
        queries = fmt(r.queries, "d")
        if r.writes:
            queries += f" ({r.writes} w)"
        rows.append(
            [
                r.key + (" !" if r.status else ""),
                r.persona or "anonymous",
                fmt(r.first_ms),
                fmt(r.p50, ".1f"),
                fmt(r.p95, ".1f"),
                p95_target(r),
                queries,
                fmt(r.sql_ms, ".1f"),
                ratio_cell(r),
                f"{r.size / 1024:.1f}",
            ]
        )
    return header, rows


def throughput_rows(routes: list[Route], clients: int) -> tuple[list[str], list[list[str]]]:
    header = ["route", "requests", "errors", "req/s", "p50 ms under load", f"target ({clients})"]
    rows = []
    for r in routes:
        if r.rps is None:
            continue
        target = "–"
        if r.public:
            target = f"≥{THROUGHPUT_TARGET}" + ("" if r.rps >= THROUGHPUT_TARGET else " under")
        rows.append(
            [
                r.key,
                str(r.rps_requests),
                str(r.rps_errors),
                f"{r.rps:.1f}",
                fmt(r.rps_p50, ".1f"),
                target,
            ]
        )
    return header, rows


def uncached_rows(routes: list[Route]) -> tuple[list[str], list[list[str]]]:
    header = ["route", "queries", "SQL ms", "in-process ms"]
    rows = [
        [r.key, str(r.uncached[0]), f"{r.uncached[1]:.1f}", f"{r.uncached[2]:.1f}"]
        for r in routes
        if r.uncached
    ]
    return header, rows


def text_table(header: list[str], rows: list[list[str]], left: int = 2) -> str:
    measured = [row for row in rows if not row[2].startswith("FAILED")]
    widths = [max(len(str(c)) for c in col) for col in zip(header, *measured, strict=False)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths, strict=False))]
    lines.append("  ".join("-" * w for w in widths))
    for row in rows:
        if row[2].startswith("FAILED"):
            lines.append("  ".join([row[0].ljust(widths[0]), row[1].ljust(widths[1]), row[2]]))
            continue
        cells = [
            c.ljust(w) if i < left else c.rjust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=False))
        ]
        lines.append("  ".join(cells))
    return "\n".join(lines)


def md_table(header: list[str], rows: list[list[str]], left: int = 2) -> str:
    aligns = ["---" if i < left else "---:" for i in range(len(header))]
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join(aligns) + " |"]
    for row in rows:
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in row) + " |")
    return "\n".join(lines)


def summary(routes: list[Route]) -> list[str]:
    """How many routes meet each target (a count, never a verdict)."""
    lines = []
    timed = [r for r in routes if r.kind in P95_TARGET_MS and r.p95 is not None]
    over = [r.key for r in timed if r.p95 > P95_TARGET_MS[r.kind]]
    lines.append(
        f"p95 target met by {len(timed) - len(over)} of {len(timed)} routes"
        + (f"; over: {', '.join(over)}" if over else "")
    )
    rated = [r for r in routes if r.ratio is not None]
    over = [f"{r.key} ({r.ratio:.1f})" for r in rated if r.ratio > RATIO_TARGET]
    lines.append(
        f"page ≤ {RATIO_TARGET:.0f}× its SQL for {len(rated) - len(over)} of {len(rated)} routes "
        f"whose SQL takes over {RATIO_MIN_SQL_MS:.0f} ms"
        + (f"; over: {', '.join(over)}" if over else "")
    )
    loaded = [r for r in routes if r.public and r.rps is not None]
    if loaded:
        under = [f"{r.key} ({r.rps:.0f})" for r in loaded if r.rps < THROUGHPUT_TARGET]
        lines.append(
            f"≥ {THROUGHPUT_TARGET} req/s for {len(loaded) - len(under)} of {len(loaded)} public "
            "and statistics routes" + (f"; under: {', '.join(under)}" if under else "")
        )
    errors = sum(r.rps_errors for r in routes)
    if errors:
        lines.append(f"{errors} errors (answers other than 200) under load")
    failed = [r.key for r in routes if r.status]
    if failed:
        lines.append(f"not measured or not answering 200: {', '.join(failed)}")
    return lines


def write_markdown(path: Path, args, context: dict, routes: list[Route]) -> None:
    m, db, found = context["machine"], context["database"], context["found"]
    lg = found["lg"]
    header, rows = page_rows(routes)
    t_header, t_rows = throughput_rows(routes, args.clients)
    failed = [r for r in routes if r.status]
    lines = [
        "# SIKLA national benchmark: results",
        "",
        f"Written by `benchmarks/national.py` on {context['date']} "
        f"({context['elapsed']:.0f} s). A medians-and-ratios report, never a pass/fail test; "
        "the targets stand beside the numbers. Re-run it to replace this file.",
        "",
        f"**Data: {context['label']}.**",
        "",
        f"- Machine: {m['cpus']} CPU ({m['cpu']}), {m['ram']} RAM, load average "
        f"{m['load']} at the start; {m['os']}; Python "
        f"{m['python']}; pure-Python speed: 5 M additions in {m['speed']:.0f} ms (one core, "
        "median of 3: compare runs by it). The clients run on the same machine as the server and the database "
        "(under load, the Python clients take their share of the CPUs).",
        f"- Database: {db['version']}, `{db['name']}`, {db['size']}; "
        f"{found['lg_count']} local government(s).",
        "- Rows: " + ", ".join(f"`{t}` {n:,}" for t, n in db["rows"].items()) + ".",
        f"- Server: {context['server']}.",
        f"- Subject: {lg.region.name} ({lg.code}), province {args.province}; evaluation year "
        f"{found['year']}, roll-up year {found['rollup_year']}, open period {found['period']}, "
        f"indicator {args.indicator}; case page: the unit's case with the most services "
        f"({found['case_services']}); search: the most common word of the unit's children's "
        f"names (in {found['search_hits']} names; not printed); region search "
        f"`{args.region_search}`.",
        f"- Users: secretariat `{args.secretariat}`, case worker `{args.worker}`, supervisor "
        f"`{args.supervisor}`, national `{args.national}`, provincial `{args.provincial}`; "
        "logged in over HTTP like a browser, with the password alone (the second factor, a "
        "step of the login, is off for the benchmark's server); the API with a bearer token "
        "from `POST /api/v1/auth/token`.",
        "",
        "## Summary",
        "",
        *[f"- {line}." for line in summary(routes)],
        "",
        f"## Pages and API routes: {args.runs} sequential requests each",
        "",
        md_table(header, rows),
        "",
        "- *1st*: the warm-up request before the runs (the public portal's pages are built then "
        "unless the cache holds them already). *KiB*: the gzip-compressed answer.",
        "- *queries*: of one warm request, in-process with the same user (*w*: writes — "
        "sessions, access log, cache — left out of the replay). *SQL ms*: those reads "
        f"re-executed on Django's cursor with their rows fetched, median of {args.sql_runs}. "
        "*p50/SQL*: page time over raw SQL, "
        f"target ≤ {RATIO_TARGET:.0f}, shown only where the SQL takes over "
        f"{RATIO_MIN_SQL_MS:.0f} ms.",
        "- p95 targets: ≤ 150 ms for every kab/kota page, ≤ 300 ms for the national and "
        "provincial roll-ups (exports included); *over* marks a miss.",
    ]
    if failed:
        lines += ["", "Routes that failed or answered other than 200:", ""]
        lines += [f"- `{r.key}` ({r.method} `{r.path}`): {r.status}" for r in failed]
    u_header, u_rows = uncached_rows(routes)
    if u_rows:
        lines += [
            "",
            "## Pages without their cache",
            "",
            "The portal's pages and API are served from the cache until something they show "
            "changes (any change anywhere, for the lists); the UPTD's exact counts are kept "
            "until the next protection action of the kab/kota, so in working hours they are "
            "often counted afresh. Their build as after such a change, in-process with no cache "
            f"(median of {args.sql_runs}):",
            "",
            md_table(u_header, u_rows, left=1),
        ]
    if t_rows:
        lines += [
            "",
            f"## Throughput: {args.clients} concurrent clients, {args.seconds:g} s per route",
            "",
            md_table(t_header, t_rows, left=1),
            "",
            f"Every client keeps its connection alive and accepts gzip; any answer but 200 is an "
            f"error. Target: ≥ {THROUGHPUT_TARGET} req/s for the public portal and the "
            "statistics (page and API; the statistics need a login).",
        ]
    lines += ["", "## Routes", "", "| key | what | method and path | user |", "|---|---|---|---|"]
    for r in routes:
        who = r.persona or "anonymous"
        lines.append(f"| `{r.key}` | {r.label} | {r.method} `{r.path}` | {who} |")
    lines += ["", "Command:", "", "```", context["command"], "```", ""]
    path.write_text("\n".join(lines))


# -- main --------------------------------------------------------------------------------------


def main() -> None:
    args = parse_args()
    sys.stdout.reconfigure(line_buffering=True)  # progress shows as it happens, even piped
    started = time.perf_counter()
    host_info = machine()  # the load average before this run adds its own
    if not args.database_url:
        print("DATABASE_URL is not set: measuring the embedded SQLite database.", file=sys.stderr)
    password = read_password(args)
    server = worker = None
    workdir = Path(tempfile.mkdtemp(prefix="sikla-bench-national-"))
    log_path = workdir / "serve.log"
    if args.url:
        parts = urllib.parse.urlsplit(args.url)
        host, port = parts.hostname or "127.0.0.1", parts.port or 80
        server_text = f"already running at {args.url}"
    else:
        host, port = "127.0.0.1", free_port()
        server = start_server(args, port, log_path)
        # the jobs a page leaves (the published protection counts rebuilt after a change) are
        # done by the worker, as in a deployment; without it a page would serve the last ones
        worker = start_server(args, port, workdir / "worker.log", "worker")
        server_text = (
            f"`sikla serve` (gunicorn gthread, production settings, plain http), "
            f"{args.workers} workers × {args.threads} threads on {host}:{port}, and one "
            "`sikla worker` for the task queue; cache "
            + ("Redis (`REDIS_URL`)" if args.redis_url else "the database's cache table")
        )
    try:
        print("Looking at the database while the server starts...", flush=True)
        setup_django(args)  # while the server collects its static files
        found = discover(args)
        routes = build_routes(args, found)
        if args.only:
            routes = [r for r in routes if r.key in args.only]
        print(f"{found['lg']} ({args.lg}) among {found['lg_count']} local governments")
        context = {
            "machine": host_info,
            "database": database(),
            "found": found,
            "server": server_text,
            "date": datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
            "command": " ".join(["benchmarks/national.py", *sys.argv[1:]]).replace(password, "…"),
        }
        vendor = {"postgresql": "PostgreSQL", "sqlite": "SQLite"}.get(
            context["database"]["vendor"], context["database"]["vendor"]
        )
        context["label"] = args.label or (
            f"national-size data ({found['lg_count']} local governments) on {vendor}"
            if found["lg_count"] >= 100
            else f"demo data ({found['lg']}, {found['lg_count']} local government(s)) on "
            f"{vendor}, not the national data set"
        )
        wait_ready((host, port), server, log_path)
        print(f"Server: {server_text}")

        from sikla.accounts.models import User

        personas = {
            "secretariat": args.secretariat,
            "worker": args.worker,
            "supervisor": args.supervisor,
            "national": args.national,
            "provincial": args.provincial,
        }
        needed = {r.persona for r in routes if r.persona}
        browsers: dict[str | None, Browser] = {None: Browser(host, port)}
        users: dict[str | None, object] = {None: None}
        for persona in sorted(needed):
            username = personas[persona]
            browser = Browser(host, port)
            why = browser.login(username, password)
            if why:
                print(f"LOGIN {username} ({persona}): {why}; its routes are skipped.")
                for r in routes:
                    if r.persona == persona:
                        r.status = f"login of {username} {why}"
                continue
            if any(r.api and r.persona == persona for r in routes):
                browser.token = browser.get_token(username, password)
            browsers[persona] = browser
            users[persona] = User.objects.get(username=username)

        print(f"\n{len(routes)} routes: queries in-process, then {args.runs} runs over HTTP")
        for route in routes:
            if route.status:
                continue
            browser = browsers[route.persona]
            try:
                measure_sql(route, users[route.persona], browser.token, args.sql_runs)
                sequential(route, browser, args.runs)
            except Exception as exc:  # noqa: BLE001 - reported with the route, the rest go on
                route.status = f"error: {exc!r}"[:200]
            print(
                f"  {route.key:26} p50 {fmt(route.p50, '7.1f')} ms  p95 {fmt(route.p95, '7.1f')} ms"
                f"  queries {fmt(route.queries, '3d')}  SQL {fmt(route.sql_ms, '6.1f')} ms"
                + (f"  {route.status}" if route.status else "")
            )

        if args.seconds > 0:
            chosen = [r for r in routes if r.key in args.throughput and r.times and not r.status]
            print(f"\nThroughput: {args.clients} clients, {args.seconds:g} s per route")
            for route in chosen:
                throughput(route, browsers[route.persona], args.clients, args.seconds)
                print(
                    f"  {route.key:26} {route.rps:7.1f} req/s  {route.rps_errors} errors"
                    f"  p50 under load {fmt(route.rps_p50, '.1f')} ms"
                )
    finally:
        if server is not None:
            stop_server(server)
        if worker is not None:
            stop_server(worker)

    context["elapsed"] = time.perf_counter() - started
    print(f"\n{context['label']} — {context['server']}")
    print(text_table(*page_rows(routes)))
    u_header, u_rows = uncached_rows(routes)
    if u_rows:
        print("\nPages built without their cache (in-process):")
        print(text_table(u_header, u_rows, left=1))
    t_header, t_rows = throughput_rows(routes, args.clients)
    if t_rows:
        print()
        print(text_table(t_header, t_rows, left=1))
    failed = [r for r in routes if r.status]
    for r in failed:
        print(f"! {r.key}: {r.status}")
    print()
    for line in summary(routes):
        print(line)
    output = Path(args.output)
    write_markdown(output, args, context, routes)
    print(f"\nWritten to {output} ({context['elapsed']:.0f} s in all).")
    if server is not None:
        print(f"Server log: {log_path}")


if __name__ == "__main__":
    main()
