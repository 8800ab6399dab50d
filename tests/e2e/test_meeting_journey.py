"""A task-force meeting to its follow-ups in a browser: the Kota Kupang secretariat schedules a
coordination meeting through the form, inviting DP3A, Dinkes and Bappeda; once it has started,
records who came and the minutes, then a decision that gives Dinkes a task due in a week and
Bappeda one already due yesterday, and downloads the calendar invitation; the Dinkes operator
finds the task under "Tindak lanjut saya" and reports it done with a PDF as evidence (the page
fits a 360 px phone); the coordination overview then shows Dinkes on time and Bappeda late."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import connections
from django.utils import timezone
from playwright.sync_api import expect

from sikla.planning.models import FollowUpStatus, Meeting, MeetingStatus
from sikla.regions.models import Region
from tests.personas import KUPANG, PASSWORD, build_world
from tests.reference import load_reference_data

TITLE = "Rapat Koordinasi Gugus Tugas KLA Triwulan I"
MINUTES = "Dinkes dan Bappeda hadir; DP3A berhalangan. Disepakati dua tindak lanjut."
DECISION = "Percepatan data gizi dan penyusunan profil anak Kota Kupang."
STUNTING = "Kirim data stunting per kelurahan"
PROFILE = "Susun profil anak"
NOTE = "Data 51 kelurahan sudah dikirim ke sekretariat."
PDF = b"%PDF-1.4\n% bukti\n"
PHONE = {"width": 360, "height": 740}
LOCAL_MINUTE = "%Y-%m-%dT%H:%M"  # what a datetime-local input takes


@pytest.fixture
def e2e_world(transactional_db, tmp_path):
    """The personas' world (Kupang and Jambi), committed so the live server sees it.

    Overrides the e2e conftest's demo data: the `browser` fixture depends on this one, so the
    ORM work is done before Playwright's event loop starts."""
    from tests.e2e.conftest import ARTIFACTS

    cache.clear()
    if not Region.objects.filter(code=KUPANG).exists():
        load_reference_data(tmp_path)
    ARTIFACTS.mkdir(exist_ok=True)
    now = timezone.localtime()  # Asia/Jakarta, the app's time zone
    return {
        "world": build_world(),
        "artifacts": ARTIFACTS,
        "starts": now - timedelta(hours=2),  # started earlier today, so attendance can be kept
        "ends": now - timedelta(hours=1),
        "today": now.date(),
    }


def log_in(browser, base_url, username, password):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{base_url}/masuk/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk").click()
    expect(page.get_by_role("heading", name=re.compile("Selamat datang"))).to_be_visible()
    return page


def scroll_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def test_a_meeting_decision_is_followed_up_and_shows_in_the_coordination_overview(
    live_server, browser, e2e_world
):
    world, artifacts = e2e_world["world"], e2e_world["artifacts"]
    today = e2e_world["today"]
    base = live_server.url

    # 1. The secretariat schedules the meeting through the form.
    secretariat = log_in(browser, base, world.secretariat.username, PASSWORD)
    secretariat.goto(f"{base}/organisasi/{KUPANG}/rapat/")
    secretariat.get_by_role("button", name="Jadwalkan rapat").click()  # a link styled as one
    expect(secretariat).to_have_url(re.compile(rf"/organisasi/{re.escape(KUPANG)}/rapat/baru/$"))
    form = secretariat.locator("main form")
    form.get_by_label("Jenis rapat").select_option("task_force")
    form.get_by_label("Judul").fill(TITLE)
    form.get_by_label("Agenda").fill("1. Evaluasi KLA 2025\n2. Data gizi\n3. Profil anak")
    form.get_by_label("Mulai").fill(e2e_world["starts"].strftime(LOCAL_MINUTE))
    form.get_by_label("Berakhir").fill(e2e_world["ends"].strftime(LOCAL_MINUTE))
    form.get_by_label("Tempat").fill("Aula Bappeda Kota Kupang")
    for abbreviation in ("DP3A", "Dinkes", "Bappeda"):
        form.get_by_label(abbreviation, exact=True).check()
    form.get_by_label(re.compile("^Mitra lain")).fill("Forum Anak Kota Kupang")
    form.get_by_role("button", name="Simpan").click()

    expect(secretariat).to_have_url(re.compile(rf"/organisasi/{re.escape(KUPANG)}/rapat/[^/]+/$"))
    meeting_url = secretariat.url
    expect(secretariat.get_by_text("Rapat dijadwalkan dan undangan dikirim.")).to_be_visible()
    expect(secretariat.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(secretariat.get_by_test_id("meeting-status")).to_have_text("Dijadwalkan")

    # The meeting list shows it.
    secretariat.goto(f"{base}/organisasi/{KUPANG}/rapat/")
    listed = secretariat.get_by_test_id("meetings").locator("tbody tr", has_text=TITLE)
    expect(listed).to_contain_text("Dijadwalkan")
    listed.get_by_role("link", name=TITLE).click()
    expect(secretariat).to_have_url(meeting_url)

    # 2. Attendance (Dinkes and Bappeda came) and the minutes.
    attendance = secretariat.get_by_test_id("attendance")
    expect(attendance.locator("tbody tr")).to_have_count(3)
    for name, representative in [
        ("Dinas Kesehatan", "Kabid Kesehatan Masyarakat"),
        ("Badan Perencanaan Pembangunan Daerah", "Sekretaris Bappeda"),
    ]:
        row = attendance.locator("tbody tr", has_text=name)
        row.get_by_role("checkbox").check()
        row.locator("input[type='text']").fill(representative)
    secretariat.get_by_label("Notulen").fill(MINUTES)
    secretariat.get_by_test_id("record").click()
    expect(secretariat.get_by_text("Kehadiran dan notulen disimpan.")).to_be_visible()
    expect(secretariat.get_by_test_id("meeting-status")).to_have_text("Terlaksana")
    expect(secretariat.get_by_label("Dinas Kesehatan", exact=True)).to_be_checked()
    expect(
        secretariat.get_by_label("Dinas Pemberdayaan Perempuan dan Perlindungan Anak", exact=True)
    ).not_to_be_checked()
    expect(secretariat.get_by_label("Notulen")).to_have_value(MINUTES)

    # 3. A decision with two follow-ups; the third row stays empty.
    secretariat.locator("summary", has_text="Catat keputusan").click()
    decision_form = secretariat.locator("form").filter(
        has=secretariat.get_by_test_id("save-decision")
    )
    decision_form.get_by_label(re.compile(r"^Keputusan\b")).fill(DECISION)
    rows = decision_form.get_by_test_id("follow-up-row")
    expect(rows).to_have_count(3)
    for index, (abbreviation, title, due) in enumerate(
        [
            ("Dinkes", STUNTING, today + timedelta(days=7)),
            ("Bappeda", PROFILE, today - timedelta(days=1)),
        ]
    ):
        row = rows.nth(index)
        row.get_by_label("Perangkat daerah").select_option(label=abbreviation)
        row.get_by_label("Tindak lanjut", exact=True).fill(title)
        row.get_by_label("Batas waktu").fill(due.isoformat())
    decision_form.get_by_test_id("save-decision").click()

    expect(secretariat).to_have_url(re.compile(r"/rapat/[^/]+/#keputusan$"))
    expect(secretariat.get_by_text("Keputusan 1 dicatat dengan 2 tindak lanjut.")).to_be_visible()
    decision = secretariat.locator("article", has_text=DECISION)
    follow_ups = decision.get_by_test_id("follow-ups")
    expect(follow_ups.locator("tbody tr")).to_have_count(2)
    stunting_row = follow_ups.locator("tbody tr", has_text=STUNTING)
    expect(stunting_row).to_contain_text("Dinkes")
    expect(stunting_row).to_contain_text("Belum dikerjakan")
    profile_row = follow_ups.locator("tbody tr", has_text=PROFILE)
    expect(profile_row).to_contain_text("Bappeda")
    expect(profile_row.get_by_test_id("overdue")).to_have_text("Terlambat")  # due yesterday
    secretariat.screenshot(path=str(artifacts / "meeting-decision.png"), full_page=True)

    # The calendar invitation.
    with secretariat.expect_download() as download_info:
        secretariat.get_by_test_id("ics").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".ics")
    body = Path(download.path()).read_bytes()
    assert body.startswith(b"BEGIN:VCALENDAR"), body[:80]
    assert b"BEGIN:VEVENT" in body and b"END:VCALENDAR" in body

    # 4. The Dinkes operator reports the task done, with a PDF as evidence.
    operator = log_in(browser, base, world.agency_operator.username, PASSWORD)
    nav = operator.locator(".nav-desktop")
    nav.locator("summary", has_text="Koordinasi").click()  # the navigation is grouped by task
    nav.get_by_role("link", name="Tindak lanjut saya").click()
    expect(operator).to_have_url(re.compile(r"/tindak-lanjut-saya/$"))
    expect(operator.get_by_role("heading", level=1)).to_have_text("Tindak lanjut Dinkes")
    mine = operator.get_by_test_id("follow-ups")
    expect(mine.locator("tbody tr")).to_have_count(1)
    expect(operator.get_by_text(PROFILE)).to_have_count(0)  # Bappeda's is not Dinkes' business
    mine.get_by_role("link", name=STUNTING).click()
    expect(operator).to_have_url(
        re.compile(rf"/organisasi/{re.escape(KUPANG)}/tindak-lanjut/[^/]+/$")
    )
    follow_up_url = operator.url
    expect(operator.get_by_role("heading", level=1)).to_have_text(STUNTING)
    status = operator.get_by_test_id("follow-up-status")
    expect(status).to_have_text("Belum dikerjakan")
    expect(operator.get_by_test_id("overdue")).to_have_count(0)
    expect(operator.get_by_role("link", name=TITLE)).to_be_visible()  # back to the meeting

    operator.get_by_label("Status").select_option(label="Selesai")
    operator.get_by_label("Catatan perkembangan").fill(NOTE)
    operator.get_by_label(re.compile(r"^Bukti")).set_input_files(
        {"name": "data-stunting.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    operator.get_by_test_id("report-progress").click()
    expect(operator).to_have_url(follow_up_url)
    expect(operator.get_by_text("Perkembangan tindak lanjut disimpan.")).to_be_visible()
    expect(status).to_have_text("Selesai")
    history = operator.locator("ol.timeline li")
    expect(history).to_have_count(1)
    expect(history.first).to_contain_text("Belum dikerjakan → Selesai")
    expect(history.first).to_contain_text(NOTE)
    evidence = history.first.get_by_role("link", name="bukti (PDF)")
    expect(evidence).to_have_attribute("href", re.compile(r"/bukti/[^/]+/$"))
    operator.screenshot(path=str(artifacts / "meeting-follow-up-done.png"), full_page=True)

    # The same page on a phone.
    operator.set_viewport_size(PHONE)
    operator.reload()
    expect(status).to_have_text("Selesai")
    width = scroll_width(operator)
    assert width <= PHONE["width"], f"the follow-up page scrolls sideways on a phone ({width}px)"
    operator.screenshot(path=str(artifacts / "meeting-follow-up-phone.png"), full_page=True)

    # 5. The coordination overview: Dinkes on time, Bappeda late.
    secretariat.goto(f"{base}/organisasi/{KUPANG}/koordinasi/")
    table = secretariat.get_by_test_id("coordination")
    dinkes = table.locator("tr[data-agency='Dinkes']")
    expect(dinkes.locator("td[data-col='done_on_time']")).to_have_text("1")
    expect(dinkes.locator("td[data-col='overdue']")).to_have_text("0")
    expect(dinkes.locator("td[data-col='open']")).to_have_text("0")
    expect(dinkes).to_contain_text("1/1 (100,0%)")
    bappeda = table.locator("tr[data-agency='Bappeda']")
    expect(bappeda.locator("td[data-col='overdue']")).to_have_text("1")
    expect(bappeda.locator("td[data-col='open']")).to_have_text("1")
    expect(bappeda.locator("td[data-col='done_on_time']")).to_have_text("0")
    dp3a = table.locator("tr[data-agency='DP3A']")
    expect(dp3a).to_contain_text("0/1 (0,0%)")
    secretariat.screenshot(path=str(artifacts / "meeting-coordination.png"), full_page=True)

    check_database(world, today)


def check_database(world, today):
    """The stored outcome of the journey. Playwright's event loop is running, so Django gives
    this code its own connection: it is closed here, or PostgreSQL could not drop the test
    database afterwards."""
    try:
        meeting = Meeting.objects.get(title=TITLE)
        assert meeting.local_government_id == KUPANG
        assert meeting.status == MeetingStatus.HELD
        assert meeting.minutes == MINUTES
        present = {
            a.agency.abbreviation: (a.present, a.representative)
            for a in meeting.attendance.select_related("agency")
        }
        assert present == {
            "DP3A": (False, ""),
            "Dinkes": (True, "Kabid Kesehatan Masyarakat"),
            "Bappeda": (True, "Sekretaris Bappeda"),
        }
        decision = meeting.decisions.get()
        assert (decision.number, decision.text) == (1, DECISION)
        stunting = decision.follow_ups.get(agency__abbreviation="Dinkes")
        profile = decision.follow_ups.get(agency__abbreviation="Bappeda")
        assert (stunting.title, stunting.due_date) == (STUNTING, today + timedelta(days=7))
        assert (profile.title, profile.due_date) == (PROFILE, today - timedelta(days=1))
        assert stunting.status == FollowUpStatus.DONE and stunting.done_at is not None
        assert profile.status == FollowUpStatus.OPEN
        update = stunting.updates.get()
        assert (update.actor, update.to_status, update.note) == (
            world.agency_operator,
            FollowUpStatus.DONE,
            NOTE,
        )
        assert update.kind_ext == "pdf"
        with update.file.open("rb") as stored:
            assert stored.read() == PDF
    finally:
        connections.close_all()
