"""A complaint from a phone to a closed case: an anonymous neighbour reports violence against a
child of Kota Kupang on the public form at 360 px and keeps the tracking code; the persona case
worker triages the complaint, takes it as a case, assesses it, records two services and closes
it; back on the phone, the code shows only "Selesai" and nothing of what was reported."""

import re

import pytest
from django.core.cache import cache
from django.db import connections
from playwright.sync_api import expect

from sikla.protection.models import (
    AccessKind,
    AccessLog,
    Case,
    CaseStatus,
    Complaint,
    Outcome,
    PublicStatus,
    Risk,
    ServiceKind,
    Urgency,
)
from sikla.regions.models import Region
from tests.personas import KUPANG, PASSWORD, build_world
from tests.reference import load_reference_data

DESCRIPTION = "Anak tetangga sebelah sering dipukul ayah tirinya sampai memar di lengan."
KELURAHAN = "Oetete"  # a kelurahan of Oebobo, Kota Kupang
PHONE = {"width": 360, "height": 740}


@pytest.fixture
def e2e_world(transactional_db, tmp_path, settings):
    """The personas' world (Kupang and Jambi), committed so the live server sees it.

    Overrides the e2e conftest's demo data: the `browser` fixture depends on this one, so the
    ORM work is done before Playwright's event loop starts."""
    from tests.e2e.conftest import ARTIFACTS

    settings.COMPLAINT_MIN_SECONDS = 0  # the form is filled faster than a person types
    cache.clear()  # the public channel's rate limits live in the cache
    if not Region.objects.filter(code=KUPANG).exists():
        load_reference_data(tmp_path)
    ARTIFACTS.mkdir(exist_ok=True)
    return {"world": build_world(), "artifacts": ARTIFACTS}


def log_in(browser, base_url, username, password):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{base_url}/masuk/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk").click()
    expect(page.get_by_role("heading", name=re.compile("Selamat datang"))).to_be_visible()
    return page


def look_up(phone, base_url, code):
    """The public status of a tracking code, as the reporter sees it."""
    phone.goto(f"{base_url}/lapor/status/")
    phone.get_by_label("Kode laporan").fill(code)
    phone.get_by_role("button", name="Lihat status").click()
    result = phone.get_by_test_id("status-result")
    expect(result).to_be_visible()
    expect(result).to_contain_text(code)
    return result.locator("p").filter(has_text=re.compile(r"^\s*Status\s*:")).locator("strong")


def scroll_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def test_a_public_report_becomes_a_case_that_is_served_and_closed(live_server, browser, e2e_world):
    world, artifacts = e2e_world["world"], e2e_world["artifacts"]
    base = live_server.url

    # 1. An anonymous neighbour reports from a cheap phone.
    phone_context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    phone = phone_context.new_page()
    phone.goto(f"{base}/lapor/{KUPANG}/")
    expect(phone.get_by_role("heading", level=1)).to_contain_text("Kota Kupang")
    phone.get_by_label("Apa yang terjadi?").fill(DESCRIPTION)
    phone.get_by_label("Kelurahan/desa tempat kejadian").select_option(label=KELURAHAN)
    phone.get_by_label("Umur anak (tahun)").fill("8")
    phone.get_by_label("Perempuan").check()
    phone.get_by_label("Saya melapor tanpa nama (anonim)").check()
    expect(phone.locator("input[name='website']")).to_have_value("")  # the honeypot
    phone.get_by_role("button", name="Kirim laporan").click()

    expect(phone).to_have_url(re.compile(r"/lapor/terkirim/$"))
    expect(phone.get_by_role("heading", name="Laporan terkirim")).to_be_visible()
    tracking = phone.get_by_test_id("tracking-code")
    expect(tracking).to_have_text(re.compile(r"^\s*[A-Z0-9]{4}-[A-Z0-9]{4}\s*$"))
    code = tracking.inner_text().strip()
    phone.screenshot(path=str(artifacts / "protection-sent-phone.png"), full_page=True)
    width = scroll_width(phone)
    assert width <= 360, f"the 'report sent' page scrolls sideways on a phone ({width}px)"

    expect(look_up(phone, base, code)).to_have_text("Diterima")
    expect(phone.get_by_text(DESCRIPTION)).to_have_count(0)
    width = scroll_width(phone)
    assert width <= 360, f"the status page scrolls sideways on a phone ({width}px)"
    phone.screenshot(path=str(artifacts / "protection-status-received-phone.png"), full_page=True)

    # The public portal, where a visitor finds the way to report, also fits the phone.
    phone.goto(f"{base}/kla/53.71/")
    expect(phone.get_by_role("link", name=re.compile("laporan|Lapor", re.I)).first).to_be_visible()
    width = scroll_width(phone)
    assert width <= 360, f"the public portal scrolls sideways on a phone ({width}px)"

    # 2. The case worker finds the complaint waiting, triages it and takes it.
    worker = log_in(browser, base, world.case_worker.username, PASSWORD)
    worker.goto(f"{base}/perlindungan/{KUPANG}/")
    expect(worker.get_by_test_id("pending-count")).to_have_text("1")
    pending = worker.get_by_test_id("complaints").locator("tbody tr", has_text=code)
    expect(pending).to_contain_text(KELURAHAN)
    pending.get_by_role("link", name=code).click()
    expect(worker).to_have_url(re.compile(rf"/perlindungan/{re.escape(KUPANG)}/pengaduan/[^/]+/$"))
    expect(worker.get_by_test_id("description")).to_have_text(DESCRIPTION)

    worker.get_by_label("Urgensi").select_option("urgent")
    worker.get_by_label("Tingkat risiko").select_option("high")
    worker.get_by_role("button", name="Simpan triase").click()
    expect(worker.get_by_text("Triase disimpan.")).to_be_visible()
    expect(worker.get_by_label("Urgensi")).to_have_value("urgent")
    expect(worker.get_by_label("Tingkat risiko")).to_have_value("high")

    worker.get_by_test_id("take").click()
    expect(worker).to_have_url(re.compile(rf"/perlindungan/{re.escape(KUPANG)}/kasus/[^/]+/$"))
    expect(worker.get_by_text("Pengaduan diambil dan menjadi kasus Anda.")).to_be_visible()
    status = worker.get_by_test_id("case-status")
    expect(status).to_have_text("Diterima")
    expect(worker.get_by_text("Mendesak / Tinggi")).to_be_visible()  # the triage came along

    # Assessed, then in service.
    worker.get_by_test_id("to-assessed").click()
    expect(status).to_have_text("Diasesmen")
    worker.get_by_test_id("to-in_service").click()
    expect(status).to_have_text("Dalam layanan")

    # Two services, each through its form, linked from the case page.
    services = worker.get_by_test_id("services")
    for kind, label, provider, notes in [
        ("outreach", "Penjangkauan", "Pendamping UPTD PPA", "Kunjungan rumah bersama RT."),
        ("psychological", "Pendampingan psikologis", "Psikolog UPTD PPA", "Sesi pertama."),
    ]:
        worker.get_by_test_id("add-service").click()
        expect(worker.get_by_role("heading", name="Catat layanan")).to_be_visible()
        worker.get_by_label(re.compile(r"^Layanan\b")).select_option(kind)
        expect(worker.get_by_label(re.compile(r"^Tanggal\b"))).not_to_have_value("")
        worker.get_by_label("Pemberi layanan").fill(provider)
        worker.get_by_label("Catatan", exact=True).fill(notes)
        worker.get_by_test_id("save").click()
        expect(worker.get_by_text("Layanan dicatat.")).to_be_visible()
        expect(services.locator("tbody tr", has_text=label)).to_contain_text(provider)
    expect(services.locator("tbody tr")).to_have_count(2)

    # Closed, resolved.
    worker.locator("summary", has_text="Tutup kasus").click()
    worker.get_by_label("Hasil penanganan").select_option("resolved")
    worker.get_by_test_id("close-case").click()
    expect(status).to_have_text("Ditutup")
    expect(worker.get_by_text("Status kasus kini “Ditutup”.")).to_be_visible()
    expect(worker.get_by_test_id("add-service")).to_have_count(0)  # a closed case takes no more
    worker.screenshot(path=str(artifacts / "protection-case-closed.png"), full_page=True)

    # 3. The reporter sees "Selesai", and nothing of the report.
    expect(look_up(phone, base, code)).to_have_text("Selesai")
    content = phone.content()
    for secret in (DESCRIPTION, KELURAHAN, "Penjangkauan", "Psikolog", "Mendesak"):
        assert secret not in content, f"the public status page shows {secret!r}"
    phone.screenshot(path=str(artifacts / "protection-status-closed-phone.png"), full_page=True)
    phone_context.close()

    # What the database kept.
    check_database(code, world.case_worker)


def check_database(code, case_worker):
    """The stored outcome of the journey. Playwright's event loop is running, so Django gives
    this code its own connection: it is closed here, or PostgreSQL could not drop the test
    database afterwards."""
    try:
        complaint = Complaint.objects.get(tracking_code=code)
        assert complaint.reporter_anonymous
        assert (complaint.child_age, complaint.child_sex) == (8, "P")
        assert complaint.incident_region.name == KELURAHAN
        assert complaint.status == PublicStatus.CLOSED
        case = Case.objects.get(complaint=complaint)
        assert Case.objects.count() == 1
        assert (case.status, case.outcome) == (CaseStatus.CLOSED, Outcome.RESOLVED)
        assert (case.urgency, case.risk) == (Urgency.URGENT, Risk.HIGH)
        kinds = sorted(case.services.values_list("kind", flat=True))
        assert kinds == [ServiceKind.OUTREACH, ServiceKind.PSYCHOLOGICAL]
        assert AccessLog.objects.filter(
            kind=AccessKind.OPEN_CASE, user=case_worker, case=case
        ).exists()
    finally:
        connections.close_all()


CHILD_STORY = "Aku sering dipukul om di rumah. Aku takut pulang hari ini."


def test_a_child_in_danger_reports_from_a_phone_and_the_unit_sees_an_emergency_at_once(
    live_server, browser, e2e_world
):
    """From the front door to the unit's banner: a child on a 360-px phone taps 'Aku anak',
    answers yes to 'in danger now', sends the story, and is shown numbers to call now; the case
    worker, on any page, sees the report as an emergency at once."""
    world, artifacts = e2e_world["world"], e2e_world["artifacts"]
    base = live_server.url
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    phone = context.new_page()
    errors = []
    phone.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)

    phone.goto(f"{base}/")
    phone.get_by_test_id("report-child").click()
    if "/lapor/" in phone.url and f"/lapor/{KUPANG}/" not in phone.url:
        phone.get_by_test_id("local-governments").get_by_role("link", name="Kota Kupang").click()
    expect(phone).to_have_url(re.compile(rf"/lapor/{re.escape(KUPANG)}/\?bahasa=anak$"))
    danger = phone.get_by_test_id("danger-question")
    expect(danger).to_contain_text("Apakah kamu (atau temanmu) dalam bahaya sekarang?")
    danger.get_by_label("Ya").check()
    phone.get_by_label("Apa yang terjadi?").fill(CHILD_STORY)
    phone.get_by_label("Umurnya berapa tahun?").fill("12")
    phone.get_by_label("Aku tidak mau menyebut namaku").check()
    width = scroll_width(phone)
    assert width <= 360, f"the child's form scrolls sideways on a phone ({width}px)"
    phone.get_by_role("button", name="Kirim ceritaku").click()

    expect(phone).to_have_url(re.compile(r"/lapor/terkirim/$"))
    expect(phone.get_by_test_id("danger-noted")).to_contain_text("Ceritamu ditandai darurat")
    call_now = phone.locator("a[href='tel:110'], a[href='tel:129']")
    expect(call_now.first).to_be_visible()
    assert "laporan Anda" not in phone.content()  # the child's words to the end
    phone.screenshot(path=str(artifacts / "protection-child-danger-phone.png"), full_page=True)
    code = phone.get_by_test_id("tracking-code").inner_text().strip()
    assert errors == [], errors

    complaint = Complaint.objects.get(tracking_code=code)
    assert complaint.urgency == Urgency.EMERGENCY and complaint.child_wording

    worker = log_in(browser, base, world.case_worker.username, PASSWORD)
    banner = worker.get_by_test_id("urgent-banner")
    expect(banner).to_contain_text(code)
    expect(banner).to_contain_text("Darurat")
    worker.locator(".nav-desktop").get_by_test_id("nav-notifications").click()
    expect(worker.get_by_test_id("urgent-banner")).to_contain_text(code)  # on every screen
