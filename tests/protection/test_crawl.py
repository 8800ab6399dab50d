"""A full crawl as every role outside the UPTD PPA (issue 13, "Tests that must exist").

Kota Kupang's unit holds a handful of cases made through the real actions: named children, a
NIK, reporters with their phone numbers, public complaints with their tracking codes, a
perpetrator, services with a document, referrals, a consent override. Every persona but the case
worker and the case supervisor — and an anonymous visitor — then walks the site breadth-first from
`/` (pages, xlsx and PDF downloads), and reads every GET route of the API that needs no more than
the local government's code. Nothing it reaches may name a case number, a tracking code, a child,
a NIK, a reporter, a perpetrator or a report text; no published table may show a type of case
next to a count of 1–4 (`disclosure/`); no page fails; the unit's own pages refuse.
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
import re
import time
import zlib
from collections import Counter, deque
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from html import unescape
from urllib.parse import unquote, urljoin, urlsplit

import lxml.html
import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from openpyxl import load_workbook

from sikla.accounts.models import Role
from sikla.core.models import AuditEvent
from sikla.protection import actions
from sikla.protection.models import Case, Complaint, ProtectionType
from sikla.regions.models import Region
from tests import FAST_HASHERS
from tests.personas import KUPANG, PERIOD_YEAR, PERSONAS, world_fixture  # noqa: F401

from .conftest import CHILD_NIK, KELURAHAN

# Every case came in November 2025, in the last quarter and the year that have ended by NOW: the
# statistics, the portal, the children's profile and the cluster V panels (data year 2025 of the
# world's 2026 period) all publish them.
NOW = datetime(2026, 1, 15, 3, 0, tzinfo=UTC)
RECEIVED = datetime(2025, 11, 10, 2, 0, tzinfo=UTC)
INCIDENT = date(2025, 11, 1)
SECOND_NIK = "5371041203140002"  # issued in Oebobo; born 12 March 2014; a boy

UPTD = {Role.CASE_WORKER, Role.CASE_SUPERVISOR}
ROLES = sorted(
    {name for name, (role, _scope, _agency) in PERSONAS.items() if role not in UPTD}
    | {"national_admin", "anonymous"}
)

MAX_PAGES = 400  # per role
MAX_PER_ROUTE = 12  # distinct addresses of one route (pagination, filters, regions, …)
SKIPPED_PREFIXES = ("/keluar/", "/static/", "/i18n/")
# "Lainnya" (other) is left out: the word labels rows of many tables that are no case types.
TYPE_LABELS = {str(t.label) for t in ProtectionType if t != ProtectionType.OTHER}
SMALL = re.compile(r"^[1-4]$")
CELL = re.compile(r"^(?:[\d.,]+ ?%?|x|–|—|-)$")  # a count, a share, hidden or none

# The unit's own pages: every role here must be refused (or sent to the login).
UNIT_ROUTES = (
    "protection:home",
    "protection:complaints",
    "protection:complaint",
    "protection:complaint_document",
    "protection:cases",
    "protection:case_search",
    "protection:case",
    "protection:case_edit",
    "protection:child_add",
    "protection:document",
    "protection:export_identified",
    "protection:access_log",
    "api:cases",
    "api:case",
)
REFUSED = {302, 401, 403, 404}  # 401: the API to an anonymous visitor
CLUSTER_V = (21, 22, 23, 24)
PERIODS = ("2025-11", "2025-T4", "2025")  # published periods holding the cases
COMMON_WORDS = {"Bapak", "Ibu", "Kakak", "Guru", "Pelapor"}


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture(scope="module")
def _module_unit(_module_world, django_db_blocker):
    """The unit's cases, built once for the module inside the world's transaction (undone with it
    at the module's end), as every test here would: reading changes nothing (each crawl asserts
    it), so every persona reads the same unit."""
    jobs = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    with (
        django_db_blocker.unblock(),
        time_machine.travel(NOW, tick=False),
        override_settings(PASSWORD_HASHERS=FAST_HASHERS, TASKS=jobs),
    ):
        return build_unit(_module_world)


@pytest.fixture
def unit(_module_unit, db) -> Unit:
    return _module_unit


# --- the cases ------------------------------------------------------------------------------------


@dataclass
class Unit:
    secrets: set[str] = field(default_factory=set)
    cases: list[Case] = field(default_factory=list)
    complaints: list[Complaint] = field(default_factory=list)
    documents: dict = field(default_factory=dict)  # route name -> kwargs of one document

    def keep(self, *values: str) -> None:
        self.secrets.update(v for v in values if v)


def pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n% uji\n", content_type="application/pdf")


def build_unit(world) -> Unit:
    """Kupang's cases, through the real actions; every report as received in November 2025."""
    unit = Unit()
    worker, supervisor = world.case_worker, world.case_supervisor
    kelurahan = Region.objects.get(code=KELURAHAN)
    today = timezone.localdate()

    def report(child: str, reporter: str, contact: str, description: str, files=()) -> Complaint:
        complaint = actions.submit_public_complaint(
            local_government=world.kupang,
            description=description,
            incident_date=INCIDENT,
            incident_region=kelurahan,
            place="household",
            child_name=child,
            child_age=9,
            child_sex="P",
            reporter_relation="neighbour",
            reporter_anonymous=False,
            reporter_name=reporter,
            reporter_contact=contact,
            files=files,
        )
        Complaint.objects.filter(pk=complaint.pk).update(received_at=RECEIVED)
        complaint.refresh_from_db()
        unit.complaints.append(complaint)
        unit.keep(complaint.tracking_code, child, reporter, contact, description)
        # the invented words of the names are distinctive: none is Indonesian or in the UI
        unit.keep(*(w for w in (*child.split(), *reporter.split()) if w not in COMMON_WORDS))
        return complaint

    def take(complaint: Complaint, types: list[str]) -> Case:
        case = actions.take_complaint(complaint, actor=worker)
        case = actions.update_case(case, actor=worker, version=case.version, types=types)
        unit.cases.append(case)
        unit.keep(case.number, str(case.uid))
        return case

    # 1. Physical violence: a second child with a NIK, a perpetrator, consent, services, referral.
    first = take(
        report(
            "Kirana Zafirani",
            "Bapak Pelapor Sembirangga",
            "0813-5555-7771",
            "Kirana sering dipukul pamannya di dapur rumah dekat Jalan Flamboyan Merah.",
        ),
        [ProtectionType.PHYSICAL],
    )
    second_child = actions.save_child(
        first,
        actor=worker,
        name="Yohanes Kristalwadi",
        nik=SECOND_NIK,
        birth_date=date(2014, 3, 12),
        sex="L",
        address_region=kelurahan,
        address="Jalan Flamboyan Merah nomor tujuh belas",
        school="SD Inpres Oebobo Rahasia",
    )
    unit.keep(
        "Yohanes Kristalwadi",
        "Kristalwadi",
        SECOND_NIK,
        "Jalan Flamboyan Merah nomor tujuh belas",
        "SD Inpres Oebobo Rahasia",
    )
    actions.add_perpetrator(
        first, actor=worker, relationship="family", name="Paman Lodovikus Tarigu", age=40, sex="L"
    )
    unit.keep("Paman Lodovikus Tarigu", "Lodovikus", "Tarigu")
    actions.record_consent(
        first, actor=worker, obtained=True, guardian_relation="parent", given_on=today
    )
    service = actions.record_service(
        first,
        actor=worker,
        kind="psychological",
        date=today,
        provider="Psikolog Puskesmas Oebobo",
        notes="Anak menangis saat menceritakan pukulan ikat pinggang di dapur.",
        child=second_child,
        files=[pdf("asesmen.pdf")],
    )
    unit.keep("Anak menangis saat menceritakan pukulan ikat pinggang di dapur.")
    unit.documents["protection:document"] = {
        "code": KUPANG,
        "uid": first.uid,
        "item": service.documents.get().uid,
    }
    actions.refer_case(
        first,
        actor=worker,
        kind="referral",
        institution="RSUD Prof. Dr. W. Z. Johannes",
        reason="Visum et repertum atas luka memar di punggung Kirana.",
        sent_on=today,
    )
    unit.keep("Visum et repertum atas luka memar di punggung Kirana.")

    # 2. Sexual violence, a single case of its type: referred without consent (an override).
    second = take(
        report(
            "Mawar Tersembunyika",
            "Ibu Pelapor Ndaomanu",
            "0812-4444-9992",
            "Mawar diraba tetangga sebelah rumah sepulang sekolah pada awal November.",
            files=[pdf("foto.pdf")],
        ),
        [ProtectionType.SEXUAL],
    )
    actions.save_child(
        second,
        actor=worker,
        child=second.children.get(),
        name="Mawar Tersembunyika",
        nik=CHILD_NIK,
        birth_date=date(2015, 8, 5),
        sex="P",
        address_region=kelurahan,
    )
    unit.keep(CHILD_NIK)
    override = "Wali adalah terduga pelaku; anak harus segera diperiksa dokter forensik."
    actions.refer_case(
        second,
        actor=supervisor,
        kind="referral",
        institution="Unit PPA Polresta Kupang",
        reason="Pemeriksaan forensik Mawar oleh dokter kepolisian.",
        sent_on=today,
        override_reason=override,
    )
    unit.keep(override, "Pemeriksaan forensik Mawar oleh dokter kepolisian.")
    actions.record_service(
        second, actor=worker, kind="health", date=today, provider="RS Bhayangkara Kupang"
    )

    # 3. Trafficking, one case; closed with a note.
    third = take(
        report(
            "Gabriela Lomboanu",
            "Kakak Pelapor Haumeni",
            "0852-3333-1113",
            "Gabriela dijanjikan kerja di Batam oleh perekrut bernama Om Beni Kalabahi.",
        ),
        [ProtectionType.TRAFFICKING],
    )
    actions.transition_case(
        third,
        actor=worker,
        to_status="closed",
        outcome="reintegrated",
        closing_note="Gabriela sudah kembali ke orang tuanya di Kelurahan Fontein.",
    )
    unit.keep("Gabriela sudah kembali ke orang tuanya di Kelurahan Fontein.")

    # 4. Five cases of neglect: a count the tables may publish.
    for n, name in enumerate(["Adelia", "Benedikta", "Cornelia", "Dorkasina", "Evangelina"]):
        take(
            report(
                f"{name} Telantarina",
                f"Pelapor Kelima{name}",
                f"0811-2222-00{n}{n}",
                f"{name} ditinggal sendirian berhari-hari tanpa makan di rumah kontrakan.",
            ),
            [ProtectionType.NEGLECT],
        )

    # 5. A complaint waiting in the inbox, never taken.
    pending = report(
        "Theodora Kusumabangsa",
        "Guru Pelapor Manafe",
        "0821-7777-6665",
        "Theodora datang ke sekolah dengan luka bakar rokok di lengan kirinya.",
        files=[pdf("luka.pdf")],
    )
    unit.documents["protection:complaint_document"] = {
        "code": KUPANG,
        "uid": pending.uid,
        "item": pending.documents.get().uid,
    }

    unit.cases = list(Case.objects.filter(pk__in=[c.pk for c in unit.cases]).order_by("pk"))
    return unit


# --- reading a response -----------------------------------------------------------------------


@dataclass
class Page:
    """The links of a page, its table rows (cell texts) and its JSON script blocks (lxml's C
    parser: the crawl reads some 3,000 pages, and Python's own parser took a tenth of its time)."""

    links: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    scripts: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, html: str) -> Page:
        if not html.strip():
            return cls()
        document = lxml.html.document_fromstring(html)
        return cls(
            links=document.xpath("//a/@href[string-length() > 0]"),
            rows=[
                [" ".join(cell.text_content().split()) for cell in row.xpath("td|th")]
                for row in document.iter("tr")
            ],
            scripts=[s.text or "" for s in document.xpath('//script[@type="application/json"]')],
        )


def small_type_rows(rows) -> list[list]:
    """Rows labelled with a type of case that show a count of 1–4 (a published table must not)."""
    found = []
    for row in rows:
        cells = ["" if c is None else str(c).strip() for c in row]
        if cells and cells[0] in TYPE_LABELS and any(SMALL.match(c) for c in cells[1:]):
            found.append(cells)
    return found


def small_types_in_json(value) -> list:
    """Counts of 1–4 keyed by a type of case, or a chart's type labels with such a bar."""
    found = []
    if isinstance(value, dict):
        for key, n in value.items():
            if (key in TYPE_LABELS or key in ProtectionType.values) and n in (1, 2, 3, 4):
                found.append((key, n))
        if isinstance(value.get("labels"), list) and isinstance(value.get("datasets"), list):
            for dataset in value["datasets"]:
                for label, n in zip(value["labels"], dataset.get("data", []), strict=False):
                    if label in TYPE_LABELS and n in (1, 2, 3, 4):
                        found.append((label, n))
        for inner in value.values():
            found += small_types_in_json(inner)
    elif isinstance(value, list):
        for inner in value:
            found += small_types_in_json(inner)
    return found


def xlsx_rows(body: bytes) -> list[list]:
    workbook = load_workbook(io.BytesIO(body), read_only=True, data_only=True)
    return [list(row) for sheet in workbook.worksheets for row in sheet.iter_rows(values_only=True)]


def pdf_text(body: bytes) -> str:
    """The text of a PDF (pypdf); of what pypdf cannot read, the streams, inflated if they are."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    texts = []
    quiet = logging.getLogger("pypdf")
    level, quiet.level = quiet.level, logging.ERROR  # a stub upload has no EOF marker
    try:
        with contextlib.suppress(PyPdfError, ValueError):  # a stub ("%PDF-1.4 % uji") is no PDF
            texts += [page.extract_text() or "" for page in PdfReader(io.BytesIO(body)).pages]
    finally:
        quiet.level = level
    if any(t.strip() for t in texts):
        return "\n".join(texts)
    for stream in re.findall(rb"stream\r?\n(.*?)endstream", body, re.S):
        try:
            texts.append(zlib.decompress(stream).decode("latin-1"))
        except zlib.error:
            texts.append(stream.decode("latin-1"))
    return "\n".join(texts)


def pdf_rows(text: str) -> list[list[str]]:
    """Table rows of a PDF's text: a type label, then the counts on its own line or the next
    ones ("Kekerasan fisik 12", or "Kekerasan fisik" above "12")."""
    lines = [" ".join(line.split()) for line in text.splitlines()]
    rows = []
    for i, line in enumerate(lines):
        label = next((t for t in TYPE_LABELS if line == t or line.startswith(t + " ")), None)
        if label is None:
            continue
        row = [label, *line[len(label) :].split()]
        for following in lines[i + 1 :]:
            if not CELL.match(following):
                break
            row.append(following)
        rows.append(row)
    return rows


@dataclass
class Answer:
    url: str
    status: int
    kind: str  # html, json, xlsx, pdf, other
    text: str = ""  # everything readable, to look for secrets in
    links: list[str] = field(default_factory=list)
    small_types: list = field(default_factory=list)


def read(response, url: str) -> Answer:
    body = (
        b"".join(response.streaming_content) if response.streaming else response.content
    )  # a FileResponse streams; the test client closes the response once it is read
    content_type = response.get("Content-Type", "")
    raw = body.decode("utf-8", "replace")
    answer = Answer(url, response.status_code, "other", raw)
    if response.status_code in (301, 302, 303, 307, 308):
        answer.links.append(response["Location"])
    if "spreadsheetml" in content_type or body[:2] == b"PK":
        answer.kind = "xlsx"
        rows = xlsx_rows(body)
        answer.text += "\n".join(" ".join(str(c) for c in row if c is not None) for row in rows)
        answer.small_types = small_type_rows(rows)
    elif "pdf" in content_type or body[:5] == b"%PDF-":
        answer.kind = "pdf"
        text = pdf_text(body)
        answer.text += "\n" + text
        answer.small_types = small_type_rows(pdf_rows(text))
    elif "json" in content_type:
        answer.kind = "json"
        with contextlib.suppress(ValueError):
            answer.small_types = small_types_in_json(json.loads(body))
    elif "html" in content_type:
        answer.kind = "html"
        page = Page.of(raw)
        answer.links += page.links
        answer.small_types = small_type_rows(page.rows)
        for script in page.scripts:
            with contextlib.suppress(ValueError):
                answer.small_types += small_types_in_json(json.loads(script))
    return answer


def leaked(answer: Answer, secrets: set[str]) -> list[str]:
    """The secrets in an answer, but for those in the address asked (a case's uid, echoed in a
    refusal or in the login page's `?next=`)."""
    haystack = "\n".join((answer.text, unescape(answer.text), unquote(answer.text))).casefold()
    return sorted(s for s in secrets if s.casefold() in haystack and s not in answer.url)


# --- the crawl ------------------------------------------------------------------------------------


def route_of(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name


def is_unit_route(name: str | None) -> bool:
    """Every protection route but the public channel and the de-identified statistics."""
    return (name or "").startswith("protection:") and not name.startswith(
        ("protection:report", "protection:statistics")
    )


def same_site(base: str, href: str) -> str | None:
    """The path and query of a link within the site, or None."""
    if href.startswith(("mailto:", "tel:", "javascript:", "#")):
        return None
    parts = urlsplit(urljoin(base, href))
    if parts.scheme not in ("http", "https", "") or parts.netloc not in ("", "testserver"):
        return None
    if not parts.path.startswith("/") or parts.path.startswith(SKIPPED_PREFIXES):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


@dataclass
class Crawl:
    answers: list[Answer] = field(default_factory=list)
    skipped: Counter = field(default_factory=Counter)  # route -> addresses left out (the cap)


def crawl(client, seeds: list[str]) -> Crawl:
    result = Crawl()
    queue, seen, per_route = deque(seeds), set(seeds), Counter()
    while queue and len(result.answers) < MAX_PAGES:
        url = queue.popleft()
        answer = read(client.get(url), url)
        result.answers.append(answer)
        for href in answer.links:
            target = same_site(url, href)
            if target is None or target in seen:
                continue
            seen.add(target)
            route = route_of(target.split("?")[0]) or target
            if per_route[route] >= MAX_PER_ROUTE:
                result.skipped[route] += 1
                continue
            per_route[route] += 1
            queue.append(target)
    result.skipped["(left in the queue)"] = len(queue)
    return result


API_YEARS = (2025, 2026)  # a `{year}` in an API path: the last ended year and this one


def api_routes(client) -> list[str]:
    """GET routes of the OpenAPI document whose path takes nothing but `code` (Kupang) and
    `year`, and that need no query parameter; the published statistics per period too."""
    spec = client.get("/api/v1/openapi.json").json()
    urls = set()
    for path, methods in spec["paths"].items():
        operation = methods.get("get")
        if operation is None:
            continue
        parameters = operation.get("parameters", [])
        in_path = {p["name"] for p in parameters if p["in"] == "path"}
        required_query = [p for p in parameters if p["in"] != "path" and p.get("required")]
        if in_path <= {"code", "year"} and not required_query:
            urls.update(
                path.replace("{code}", KUPANG).replace("{year}", str(year)) for year in API_YEARS
            )
    statistics = reverse("api:protection_statistics", args=[KUPANG])
    assert statistics in urls
    urls.update(f"{statistics}?period={period}" for period in PERIODS)
    return sorted(urls)


def ask_the_unit(client, unit: Unit) -> list[Answer]:
    """The unit's own pages and API, asked straight (the walk finds no link to them); the case
    search by POST, as its form sends it, for a child's name."""
    case, complaint = unit.cases[0], unit.complaints[-1]
    kwargs = {
        "protection:complaint": {"code": KUPANG, "uid": complaint.uid},
        "protection:case": {"code": KUPANG, "uid": case.uid},
        "protection:case_edit": {"code": KUPANG, "uid": case.uid},
        "protection:child_add": {"code": KUPANG, "uid": case.uid},
        "api:case": {"code": KUPANG, "uid": case.uid},
        **unit.documents,
    }
    answers = []
    for name in UNIT_ROUTES:
        url = reverse(name, kwargs=kwargs.get(name, {"code": KUPANG}))
        if name == "protection:case_search":
            answers.append(read(client.post(url, {"terms": "Kirana Zafirani"}), url))
        else:
            answers.append(read(client.get(url), url))
    return answers


@pytest.mark.parametrize("persona", ROLES)
def test_a_crawl_outside_the_unit_finds_no_case(client, world, unit, persona):
    user = world.persona(persona)
    if user is not None:
        client.force_login(user)
        client.post(reverse("core:switch_lg"), {"code": KUPANG})  # national roles: Kupang first
    statistics = reverse("protection:statistics", args=[KUPANG])
    events = AuditEvent.objects.count()
    started = time.monotonic()

    seeds = [
        "/",
        statistics,
        *(f"{statistics}?periode={period}" for period in PERIODS),
        reverse("dashboards:portal", args=[KUPANG]),
        # the cluster V indicators fed by the unit's counts (beyond the walk's cap per route)
        *(
            reverse(name, args=[KUPANG, PERIOD_YEAR, number])
            for name in ("collection:submission", "evaluation:indicator")
            for number in CLUSTER_V
        ),
    ]
    walk = crawl(client, seeds)
    api = [read(client.get(url), url) for url in api_routes(client)]
    unit_pages = ask_the_unit(client, unit)

    answers = walk.answers + api + unit_pages
    kinds = Counter(a.kind for a in walk.answers)
    print(  # shown with -s: what the walk reached
        f"\n{persona}: {len(walk.answers)} pages {dict(kinds)}, {len(api)} API routes, "
        f"{time.monotonic() - started:.1f} s; capped: {dict(walk.skipped)}"
    )
    assert {a.url: a.status for a in answers if a.status >= 500} == {}
    assert {a.url: found for a in answers if (found := leaked(a, unit.secrets))} == {}
    assert {a.url: a.small_types for a in answers if a.small_types} == {}
    assert {a.url: a.status for a in unit_pages if a.status not in REFUSED} == {}
    # ... and so does any address of the unit's the walk came upon
    met = [a for a in walk.answers if is_unit_route(route_of(a.url.split("?")[0]))]
    assert {a.url: a.status for a in met if a.status not in REFUSED} == {}
    # reading changes nothing (the statistics workbook's access-log row is not an audit event)
    assert AuditEvent.objects.count() == events
    # the walk really read the published statistics where the role may see them
    stats = [a for a in answers if a.url.startswith(statistics) and a.status == 200]
    if user is not None and user.scope in ("", "53", KUPANG):
        assert any(a.kind == "html" for a in stats), "the statistics page was not reached"
        assert any(a.kind == "xlsx" for a in stats), "the statistics workbook was not reached"


def test_the_checks_find_what_the_unit_itself_sees(client, world, unit):
    """The same reading, as the case supervisor: the case page names the child and the exact
    statistics show the single cases of a type — so the checks above can fail."""
    client.force_login(world.case_supervisor)
    case = reverse("protection:case", args=[KUPANG, unit.cases[0].uid])

    found = leaked(read(client.get(case), case), unit.secrets)

    assert {"Kirana Zafirani", "Kristalwadi", unit.cases[0].number} <= set(found)
    for name in (
        "protection:statistics",
        "protection:statistics_xlsx",
        "api:protection_statistics",
    ):
        url = reverse(name, args=[KUPANG]) + "?from=2025-01-01"  # exact counts, to today
        exact = read(client.get(url), url)
        assert exact.status == 200
        assert exact.small_types, url
