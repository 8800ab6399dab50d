"""The production stack on this machine (`bin/stack`), driven through nginx as people use it:
nginx in front of two `sikla serve` instances and a `sikla worker`, PostgreSQL with a streaming
replica, Redis and an S3-compatible store — all real programs from Debian's packages and PyPI.

Slow (about two minutes to bring up); it runs in CI and is skipped, saying why, only where a
program cannot be installed."""

import gzip
import http.cookiejar
import itertools
import json
import os
import re
import shutil
import subprocess
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from html import unescape
from pathlib import Path

import psycopg
import pytest

from tests.e2e.chromium import CHROMIUM, CHROMIUM_ARGS
from tests.ops.servers import free_port_block
from tests.reference import write_region_slice
from tests.second_factor import app_code_from_secret

REPO = Path(__file__).resolve().parents[2]
CHILD = "Kenanga Tumpukan"  # the journey's child: must appear in no log
KUPANG = "53.71"
ENROL = "/akun/dua-langkah/aktifkan/"


def can_run_the_stack() -> str:
    if not Path("/usr/lib/postgresql").is_dir():
        return "PostgreSQL's server programs are not installed (apt-get install postgresql)"
    if os.geteuid() != 0 and not (shutil.which("nginx") or Path("/usr/sbin/nginx").exists()):
        return (
            "nginx is not installed and this user cannot install it (apt-get install nginx-light)"
        )
    if not shutil.which("redis-server"):
        return "redis-server is not installed (apt-get install redis-server)"
    return ""


pytestmark = pytest.mark.skipif(bool(can_run_the_stack()), reason=can_run_the_stack() or "-")


class Stack:
    def __init__(self, folder: Path, base: int):
        self.folder, self.base = folder, base
        self.url = f"http://127.0.0.1:{base}"
        self.app_ports = (base + 1, base + 2)
        self.env = {
            key: value.strip("'")
            for key, value in (
                line.split("=", 1)
                for line in (folder / "sikla.env").read_text().splitlines()
                if "=" in line
            )
        }
        self.password = self.env["SIKLA_DEMO_PASSWORD"]

    def primary(self):
        return psycopg.connect(
            f"postgresql://postgres@127.0.0.1:{self.base + 5}/sikla", autocommit=True
        )

    def replica(self):
        return psycopg.connect(
            f"postgresql://postgres@127.0.0.1:{self.base + 6}/sikla", autocommit=True
        )

    def logs(self) -> str:
        return "\n".join(
            p.read_text(errors="replace") for p in self.folder.glob("*.log")
        ) + "\n".join(
            p.read_text(errors="replace") for p in (self.folder / "pg-logs").glob("*.log")
        )


def bin_stack(*args, env) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["bash", str(REPO / "bin" / "stack"), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )


def logs_of(folder: Path) -> str:
    """The ends of the stack's own logs, to say why it did not come up."""
    return "".join(
        f"\n--- {log.name}\n" + "\n".join(log.read_text(errors="replace").splitlines()[-25:])
        for log in sorted(folder.glob("*.log"))
    )


@pytest.fixture
def stack():
    folder = Path(tempfile.mkdtemp(prefix="sikla-stack-"))
    folder.chmod(0o755)  # the postgres user keeps its clusters inside
    regions = write_region_slice(folder / "regions-slice.csv")
    base = free_port_block(10)  # nginx, two app servers, Redis, S3, PostgreSQL and its replica
    env = {
        **os.environ,
        "SIKLA_STACK_DIR": str(folder),
        "SIKLA_STACK_PORT": str(base),
        "SIKLA_STACK_REGIONS": str(regions),
        # The second factor stays on: the demo's case worker and secretariat enrol an
        # authenticator at their first login, as a province's staff would.
        "SIKLA_STACK_EXTRA_ENV": (
            "SIKLA_REPORT_BACKGROUND_EVIDENCE=0 SIKLA_COMPLAINT_MIN_SECONDS=0"
        ),
        "SIKLA_STACK_SKIP_INSTALL": "1",  # the test's own environment has every package
    }
    for name in (
        "DATABASE_URL",
        "DATABASE_REPLICA_URL",
        "REDIS_URL",
        "SIKLA_STORAGE_URL",
        "SIKLA_DATA_DIR",
    ):
        env.pop(name, None)
    started = bin_stack("up", env=env)
    try:
        assert started.returncode == 0, started.stdout + started.stderr + logs_of(folder)
        assert f"http://127.0.0.1:{base}/" in started.stdout
        yield Stack(folder, base)
    finally:
        bin_stack("down", env=env)
        shutil.rmtree(folder, ignore_errors=True)


class Browser:
    """A cookie-keeping HTTP client that fills Django forms (CSRF included)."""

    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, path: str, **headers) -> tuple[int, str, dict]:
        request = urllib.request.Request(self.base + path, headers=headers)
        try:
            with self.opener.open(request, timeout=60) as response:
                self.last_url = response.geturl()
                return (
                    response.status,
                    response.read().decode(errors="replace"),
                    dict(response.headers),
                )
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace"), dict(error.headers)

    def get_bytes(self, path: str) -> bytes:
        with self.opener.open(self.base + path, timeout=60) as response:
            return response.read()

    def csrf(self) -> str:
        return next(c.value for c in self.jar if c.name == "csrftoken")

    def post(self, path: str, fields: dict, **headers) -> tuple[int, str, dict]:
        body = urllib.parse.urlencode({**fields, "csrfmiddlewaretoken": self.csrf()}).encode()
        request = urllib.request.Request(
            self.base + path, data=body, headers={"Referer": self.base + path, **headers}
        )
        try:
            with self.opener.open(request, timeout=60) as response:
                self.last_url = response.geturl()
                return (
                    response.status,
                    response.read().decode(errors="replace"),
                    dict(response.headers),
                )
        except urllib.error.HTTPError as error:
            self.last_url = error.geturl()
            return error.code, error.read().decode(errors="replace"), dict(error.headers)

    def log_in(self, username: str, password: str) -> str:
        """ "in" (sent on to the home page), "refused" (the form again) or "locked" (429).
        A role that needs a second factor enrols an authenticator (the test is the app) at its
        first login."""
        self.get("/masuk/")
        status, page, _ = self.post("/masuk/", {"username": username, "password": password})
        if status == 429:
            return "locked"
        path = urllib.parse.urlsplit(self.last_url).path
        if path == ENROL:
            secret = unescape(re.search(r'data-testid="totp-secret">([^<]+)<', page).group(1))
            self.post(ENROL, {"code": app_code_from_secret(secret), "next": "/"})
            self.get("/")
            path = urllib.parse.urlsplit(self.last_url).path
        return "refused" if path == "/masuk/" else "in"


def api_post(base: str, path: str, payload: dict) -> dict:
    request = urllib.request.Request(
        base + path, data=json.dumps(payload).encode(), headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())


def metric_total(port: int, method: str) -> float:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=30) as response:
        text = response.read().decode()
    return sum(
        float(line.rsplit(" ", 1)[1])
        for line in text.splitlines()
        if line.startswith("sikla_http_requests_total{") and f'method="{method}"' in line
    )


# -- the journeys ---------------------------------------------------------------------------------


@pytest.mark.skipif(
    CHROMIUM is None, reason="Debian's chromium is not installed (apt-get install chromium)"
)
def test_the_production_stack_serves_as_a_province_would_run_it(stack):
    """One test, one stack (bringing it up takes two minutes): each step below in turn."""
    a_public_report_becomes_a_case_with_a_document_across_both_instances(stack)
    a_large_report_is_made_by_the_worker_and_downloaded(stack)
    the_map_boundaries_come_compressed_and_cached(stack)
    the_rollup_reads_from_the_replica(stack)
    a_lockout_on_one_instance_holds_on_the_other(stack)
    logs_hold_no_identity(stack)  # after every journey above
    readyz_fails_when_redis_stops(stack)  # last: it stops Redis


def a_public_report_becomes_a_case_with_a_document_across_both_instances(stack):
    from playwright.sync_api import expect, sync_playwright

    posts_before = [metric_total(port, "POST") for port in stack.app_ports]
    code = api_post(
        stack.url,
        "/api/v1/complaints",
        {
            "local_government": KUPANG,
            "description": "Anak tetangga sering dipukul sampai memar (uji tumpukan).",
            "child_name": CHILD,
            "child_age": 9,
            "child_sex": "P",
            "reporter_anonymous": True,
        },
    )["tracking_code"]
    upload = stack.folder / "visum-tumpukan.pdf"
    pdf = b"%PDF-1.4\n% visum uji tumpukan: " + CHILD.encode() + b"\n"
    upload.write_bytes(pdf)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(f"{stack.url}/masuk/")
        page.get_by_label("Nama pengguna").fill("pendamping.kupang")
        page.get_by_label("Kata sandi").fill(stack.password)
        page.get_by_role("button", name="Masuk").click()
        # the case worker's first login: an authenticator app, then the recovery codes
        secret = page.get_by_test_id("totp-secret").inner_text()
        page.get_by_label("Kode 6 angka dari aplikasi").fill(app_code_from_secret(secret))
        page.get_by_role("button", name="Aktifkan").click()
        expect(page.get_by_test_id("recovery-codes").locator("li")).to_have_count(10)
        page.get_by_test_id("continue").click()
        expect(page.get_by_role("heading", name=re.compile("Selamat datang"))).to_be_visible()

        page.goto(f"{stack.url}/perlindungan/{KUPANG}/")
        page.get_by_test_id("complaints").locator("tbody tr", has_text=code).get_by_role(
            "link", name=code
        ).click()
        page.get_by_label("Urgensi").select_option("urgent")
        page.get_by_label("Tingkat risiko").select_option("high")
        page.get_by_role("button", name="Simpan triase").click()
        expect(page.get_by_text("Triase disimpan.")).to_be_visible()
        page.get_by_test_id("take").click()
        expect(page.get_by_test_id("case-status")).to_have_text("Diterima")
        page.get_by_test_id("to-assessed").click()
        page.get_by_test_id("to-in_service").click()
        expect(page.get_by_test_id("case-status")).to_have_text("Dalam layanan")

        page.get_by_test_id("add-service").click()
        page.get_by_label(re.compile(r"^Layanan\b")).select_option("health")
        page.get_by_label("Pemberi layanan").fill("RSUD Uji")
        page.locator("input[type=file]").set_input_files(str(upload))
        page.get_by_test_id("save").click()
        expect(page.get_by_text("Layanan dicatat.")).to_be_visible()

        link = page.get_by_test_id("services").locator("a", has_text="PDF").first
        href = link.get_attribute("href")
        downloaded = page.request.get(f"{stack.url}{href}")
        assert downloaded.status == 200 and downloaded.body() == pdf
        browser.close()

    # The document sits in the bucket, encrypted and private.
    import boto3

    s3 = boto3.client(
        "s3",
        endpoint_url=f"http://127.0.0.1:{stack.base + 4}",
        aws_access_key_id="stack-key",
        aws_secret_access_key="stack-secret",
        region_name="us-east-1",
    )
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket="sikla-berkas")["Contents"]]
    stored = [k for k in keys if k.startswith("berkas/protection/")]
    assert stored
    body = s3.get_object(Bucket="sikla-berkas", Key=stored[-1])["Body"].read()
    assert b"%PDF" not in body and CHILD.encode() not in body
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"http://127.0.0.1:{stack.base + 4}/sikla-berkas/{stored[-1]}")
    assert refused.value.code == 403

    # nginx spread the journey's writes over both instances.
    posts_after = [metric_total(port, "POST") for port in stack.app_ports]
    assert all(after > before for before, after in zip(posts_before, posts_after, strict=True))


def the_map_boundaries_come_compressed_and_cached(stack):
    """The 688 kB of kab/kota boundaries behind every map: a content-hashed name, compressed on
    the wire, cached by the browser for a year."""
    page = urllib.request.urlopen(f"{stack.url}/kla/").read().decode()
    path = re.search(r'data-boundaries="([^"]+)"', page).group(1)
    assert re.search(r"batas_kabkota_2025\.[0-9a-f]{12}\.geojson$", path), path
    ask = urllib.request.Request(f"{stack.url}{path}", headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(ask) as answer:
        body = answer.read()
        assert answer.headers["Content-Encoding"] == "gzip"
        assert (
            "max-age=315360000" in answer.headers["Cache-Control"]
            or "immutable" in (answer.headers["Cache-Control"])
        )
    assert len(body) < 300_000  # of 688 kB
    features = json.loads(gzip.decompress(body))["features"]
    assert len(features) == 514


def a_large_report_is_made_by_the_worker_and_downloaded(stack):
    secretariat = Browser(stack.url)
    assert secretariat.log_in("sekretariat.kupang", stack.password) == "in"
    status, page, _ = secretariat.get(f"/organisasi/{KUPANG}/periode/2025/evaluasi/laporan.pdf")
    assert status == 200 and "dibuat di latar belakang" in page  # the job page, after the redirect
    job = re.search(r'hx-get="([^"]+)"', page).group(1)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        status, fragment, _ = secretariat.get(job, **{"HX-Request": "true"})
        if "job-download" in fragment:
            break
        assert "gagal" not in fragment.lower()
        time.sleep(1)
    download = re.search(r'href="([^"]+/unduh/)"', fragment).group(1)
    assert secretariat.get_bytes(download).startswith(b"%PDF")
    assert "make_report" in (stack.folder / "worker.log").read_text()


def the_rollup_reads_from_the_replica(stack):
    evaluator = Browser(stack.url)
    assert evaluator.log_in("evaluator.nasional", stack.password) == "in"
    with stack.replica() as replica:
        replica.execute("SELECT pg_wal_replay_pause()")
        try:
            with stack.primary() as primary:
                primary.execute(
                    "UPDATE evaluation_evaluation SET current_total = 999.99 "
                    "WHERE year = 2025 AND period_id IN (SELECT id FROM collection_period "
                    "WHERE local_government_id = %s)",
                    [KUPANG],
                )
            # The roll-up's content is kept per address until an audited change, which this
            # write behind SIKLA's back is not: each read asks for an address of its own, so
            # each is built from the database it reads.
            _, paused, _ = evaluator.get("/evaluasi/?tahun=2025&baca=0")
            assert "584,85" in paused and "999,99" not in paused  # the replica has not seen it
        finally:
            replica.execute("SELECT pg_wal_replay_resume()")
    deadline = time.monotonic() + 30
    for read in itertools.count(1):
        if time.monotonic() > deadline:
            break
        _, resumed, _ = evaluator.get(f"/evaluasi/?tahun=2025&baca={read}")
        if "999,99" in resumed:
            break
        time.sleep(0.5)
    assert "999,99" in resumed


def a_lockout_on_one_instance_holds_on_the_other(stack):
    first, second = (Browser(f"http://127.0.0.1:{port}") for port in stack.app_ports)
    assert second.log_in("pemantau.kupang", stack.password) == "in"  # the password is right
    answers = [first.log_in("pemantau.kupang", "bukan-kata-sandinya") for _ in range(5)]
    assert answers[:4] == ["refused"] * 4
    assert (
        Browser(f"http://127.0.0.1:{stack.app_ports[1]}").log_in("pemantau.kupang", stack.password)
        == "locked"
    )  # the other instance knows


def logs_hold_no_identity(stack):
    """After the journeys above: no child's name or NIK in any log of the stack."""
    logs = stack.logs()
    assert logs  # the logs are there, and are read
    assert CHILD not in logs
    assert "fiktif" not in logs and "Anak Contoh" not in logs  # the demo children's names
    assert not re.search(r"537104\d{6}9\d{3}", logs)  # the demo children's NIKs
    # nor any NIK-shaped number standing alone (ids and hashes may hold digit runs: not those)
    assert not re.search(r"(?<![0-9A-Za-z])\d{16}(?![0-9A-Za-z])", logs)


def readyz_fails_when_redis_stops(stack):
    status, body, _ = Browser(stack.url).get("/readyz")
    assert status == 200
    os.kill(int((stack.folder / "redis.pid").read_text()), 15)
    time.sleep(1)
    status, body, _ = Browser(stack.url).get("/readyz")
    assert status == 503
    assert json.loads(body)["checks"]["cache"] == "gagal"
