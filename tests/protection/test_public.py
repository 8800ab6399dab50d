"""The public complaint form, its "terkirim" page and the status page: anonymous visitors, the
spam guards, and what a reporter may (never) see."""

import re
from datetime import datetime, timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sikla.accounts.models import Role
from sikla.core.models import Notification
from sikla.organisations.models import LocalGovernment
from sikla.protection import actions, spam
from sikla.protection.models import Complaint, DismissReason, Document, PublicStatus
from tests.personas import JAMBI, KUPANG, extra_user, world_fixture  # noqa: F401

from .conftest import KELURAHAN

JAMBI_KELURAHAN = "15.71.01.1001"
DESCRIPTION = "Seorang anak sering dipukul di rumah oleh pamannya."
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64
PDF = b"%PDF-1.4\n% uji\n"


@pytest.fixture(autouse=True)
def _fresh_limits(settings):
    cache.clear()
    settings.COMPLAINT_MIN_SECONDS = 0  # timing is the subject of its own tests only
    yield
    cache.clear()


def form_url(code: str = KUPANG, child: bool = False) -> str:
    url = reverse("protection:report", args=[code])
    return f"{url}?bahasa=anak" if child else url


def report(**overrides) -> dict:
    data = {
        "description": DESCRIPTION,
        "incident_date": "2025-03-01",
        "kelurahan": KELURAHAN,
        "place": "household",
        "child_name": "Melati Uji",
        "child_age": "9",
        "child_sex": "P",
        "reporter_relation": "neighbour",
        "reporter_name": "Ibu Tetangga",
        "reporter_contact": "0812-0000-0000",
        spam.STARTED_FIELD: spam.form_token(),
        spam.HONEYPOT: "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def send(client, data=None, code: str = KUPANG, **extra):
    return client.post(form_url(code), report() if data is None else data, **extra)


def assert_nothing_stored():
    assert Complaint.objects.count() == 0
    assert Document.objects.count() == 0


def code_on_page(response) -> str:
    match = re.search(r'data-testid="tracking-code">([A-Z0-9-]+)<', response.content.decode())
    assert match, "no tracking code on the page"
    return match.group(1)


def look_up(client, code: str) -> str:
    response = client.post(reverse("protection:report_status"), {"code": code})
    assert response.status_code == 200
    return response.content.decode()


def status_shown(page: str) -> str | None:
    """The status label in the result block of the status page (None when there is none)."""
    match = re.search(
        r'data-testid="status-result">.*?Status: <strong>([^<]+)</strong>', page, re.S
    )
    return match.group(1) if match else None


# -- the start page ----------------------------------------------------------------------------


def test_it_lists_the_local_governments_with_the_hotline(client, world):
    response = client.get(reverse("protection:report_start"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Kota Kupang" in page and "Kota Jambi" in page
    assert form_url(KUPANG) in page
    assert "SAPA 129" in page
    assert reverse("protection:report_status") in page


def test_it_goes_straight_to_the_only_local_government_taking_reports(client, world):
    LocalGovernment.objects.filter(pk=JAMBI).update(is_active=False)  # no action for this yet
    response = client.get(reverse("protection:report_start"))
    assert response.status_code == 302
    assert response.url == form_url(KUPANG)
    child = client.get(reverse("protection:report_start") + "?bahasa=anak")
    assert child.url == form_url(KUPANG, child=True)


# -- the form ------------------------------------------------------------------------------------


def test_it_serves_the_form_to_anonymous_visitors_without_javascript(client, world):
    response = client.get(form_url())
    assert response.status_code == 200
    page = response.content.decode()
    assert "<script" not in page
    assert 'enctype="multipart/form-data"' in page
    assert '<optgroup label="Kecamatan Oebobo">' in page
    assert f'value="{KELURAHAN}"' in page
    assert JAMBI_KELURAHAN not in page
    assert re.search(
        r'<div hidden aria-hidden="true">\s*<label[^>]*>[^<]*</label>\s*<input '
        r'type="text" name="website"',
        page,
    )
    assert f'name="{spam.STARTED_FIELD}"' in page
    assert "SAPA 129" in page
    assert "Kamu boleh tidak menyebut namamu" not in page


def test_it_speaks_to_a_child_when_asked(client, world):
    page = client.get(form_url(child=True)).content.decode()
    assert "Apa yang terjadi?" in page
    assert "Kamu boleh tidak menyebut namamu" in page
    assert f'action="{form_url(child=True).replace("&", "&amp;")}"' in page
    assert f'href="{form_url()}"' in page  # back to the grown-up wording

    response = client.post(form_url(child=True), report(reporter_relation="self"))
    assert response.status_code == 302
    assert Complaint.objects.get().child_wording is True


def test_it_answers_404_for_an_unknown_or_inactive_local_government(client, world):
    assert client.get(form_url("99.99")).status_code == 404
    LocalGovernment.objects.filter(pk=JAMBI).update(is_active=False)
    assert client.get(form_url(JAMBI)).status_code == 404
    assert client.post(form_url(JAMBI), report(kelurahan=JAMBI_KELURAHAN)).status_code == 404
    assert_nothing_stored()


def test_it_stores_a_report_encrypted_and_shows_its_code_once(client, world):
    response = send(client)
    assert response.status_code == 302
    assert response.url == reverse("protection:report_sent")

    complaint = Complaint.objects.get()
    assert complaint.local_government_id == KUPANG
    assert complaint.channel == "web"
    assert complaint.description == DESCRIPTION
    assert complaint.incident_region_id == KELURAHAN
    assert (complaint.child_age, complaint.child_sex, complaint.place) == (9, "P", "household")
    assert complaint.child_wording is False
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT description, child_name, reporter_name, reporter_contact "
            "FROM protection_complaint WHERE id = %s",
            [complaint.pk],
        )
        raw = cursor.fetchone()
    assert all(value.startswith("gAAAAA") for value in raw)
    assert not any("Melati" in value or "Tetangga" in value for value in raw)

    sent = client.get(response.url)
    assert sent.status_code == 200
    assert code_on_page(sent) == complaint.tracking_code
    assert "Tulis kode ini" in sent.content.decode()
    again = client.get(response.url)
    assert again.status_code == 302
    assert again.url == reverse("protection:report_start")


def test_it_sends_a_visitor_without_a_report_to_the_start(client, world):
    response = client.get(reverse("protection:report_sent"))
    assert response.status_code == 302
    assert response.url == reverse("protection:report_start")


def test_it_forgets_the_reporter_who_asks_for_anonymity(client, world):
    send(client, report(reporter_anonymous="on"))
    complaint = Complaint.objects.get()
    assert complaint.reporter_anonymous is True
    assert complaint.reporter_name == complaint.reporter_contact == ""


def test_it_keeps_uploaded_photos_and_documents(client, world):
    files = [
        SimpleUploadedFile("foto.jpg", JPEG, content_type="image/jpeg"),
        SimpleUploadedFile("surat.pdf", PDF, content_type="application/pdf"),
    ]
    assert send(client, report(files=files)).status_code == 302
    kinds = sorted(Complaint.objects.get().documents.values_list("kind_ext", flat=True))
    assert kinds == ["jpg", "pdf"]


# -- refusals: the form comes back with Indonesian messages and what was typed ------------------


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"description": ""}, "description", "Ceritakan apa yang terjadi."),
        ({"description": "x" * 5001}, "description", "paling banyak 5000 karakter"),
        ({"description": "a\x00b"}, "description", "Karakter null tidak diizinkan"),
        ({"kelurahan": JAMBI_KELURAHAN}, "kelurahan", "Pilih kelurahan/desa dari daftar."),
        ({"child_age": "18"}, "child_age", "belum berumur 18 tahun"),
        ({"child_age": "-1"}, "child_age", "tidak boleh kurang dari 0"),
        ({"incident_date": "2099-01-01"}, "incident_date", "tidak boleh di masa depan"),
        ({"incident_date": "2999-01-01"}, "incident_date", "antara tahun 1900 dan 2100"),
        ({"incident_date": "kemarin"}, "incident_date", "Tanggal tidak dikenali"),
        (
            {"description": "Promo " + " ".join(f"https://spam{i}.example" for i in range(4))},
            "description",
            "lebih dari 3 tautan",
        ),
    ],
)
def test_it_refuses_invalid_input_next_to_the_field(client, world, overrides, field, message):
    response = send(client, report(**overrides))
    assert response.status_code == 200
    page = response.content.decode()
    errors = re.search(rf'<ul class="errorlist" id="id_{field}_error"[^>]*>(.*?)</ul>', page, re.S)
    assert errors, f"no error next to {field}"
    assert message in errors.group(1)
    assert "Laporan belum terkirim" in page
    assert_nothing_stored()


def test_it_keeps_what_was_typed_but_asks_for_the_files_again(client, world):
    upload = SimpleUploadedFile("foto.jpg", JPEG, content_type="image/jpeg")
    response = send(client, report(child_age="18", files=[upload]))
    page = response.content.decode()
    assert DESCRIPTION in page
    assert 'value="Ibu Tetangga"' in page
    assert f'<option value="{KELURAHAN}" selected>' in page
    assert "pilih lagi sebelum mengirim" in page
    assert_nothing_stored()


def test_it_refuses_a_file_above_the_limit(client, world, settings):
    settings.COMPLAINT_MAX_UPLOAD_MB = 1
    big = SimpleUploadedFile("foto.jpg", JPEG + b"\x00" * 1_100_000, content_type="image/jpeg")
    response = send(client, report(files=[big]))
    assert response.status_code == 200
    assert "melebihi batas 1 MB" in response.content.decode()
    assert_nothing_stored()


def test_it_refuses_a_program_dressed_as_a_photo(client, world):
    exe = SimpleUploadedFile(
        "foto.jpg", b"MZ\x90\x00\x03" + b"\x00" * 200, content_type="image/jpeg"
    )
    response = send(client, report(files=[exe]))
    assert response.status_code == 200
    assert "Jenis berkas tidak diterima" in response.content.decode()
    assert_nothing_stored()


def test_it_refuses_more_than_three_files(client, world):
    files = [SimpleUploadedFile(f"f{i}.jpg", JPEG, content_type="image/jpeg") for i in range(4)]
    response = send(client, report(files=files))
    assert response.status_code == 200
    assert "Paling banyak 3 berkas" in response.content.decode()
    assert_nothing_stored()


def test_it_answers_an_oversized_body_with_a_clear_page(world, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2_000
    client = Client(enforce_csrf_checks=True)  # as in production: the CSRF check reads the body
    response = client.post(form_url(), report(description="x" * 3_000))
    assert response.status_code == 413
    assert "Kiriman terlalu besar" in response.content.decode()
    assert_nothing_stored()


def test_it_answers_a_body_with_too_many_files_with_a_clear_page(world, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 5
    client = Client(enforce_csrf_checks=True)
    files = [SimpleUploadedFile(f"f{i}.jpg", JPEG, content_type="image/jpeg") for i in range(6)]
    response = client.post(form_url(), report(files=files))
    assert response.status_code == 400
    assert "terlalu banyak bagian atau berkas" in response.content.decode()
    assert_nothing_stored()


def test_it_still_checks_csrf(world):
    client = Client(enforce_csrf_checks=True)
    assert client.post(form_url(), report()).status_code == 403
    page = client.get(form_url()).content.decode()
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    assert client.post(form_url(), report(csrfmiddlewaretoken=csrf)).status_code == 302
    assert Complaint.objects.count() == 1


# -- script injection ---------------------------------------------------------------------------

SCRIPT = "<script>alert(1)</script>"


def test_it_stores_markup_as_text_and_never_renders_it(client, world):
    refused = send(client, report(description=f"Tolong {SCRIPT}", child_age="18"))
    assert SCRIPT not in refused.content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in refused.content.decode()

    sent = client.get(send(client, report(description=f"Tolong {SCRIPT}")).url)
    complaint = Complaint.objects.get()
    assert complaint.description == f"Tolong {SCRIPT}"
    status = look_up(client, complaint.tracking_code.lower().replace("-", " "))
    assert complaint.tracking_code in status  # typed loosely, shown as issued
    assert "alert(1)" not in sent.content.decode()
    assert "alert(1)" not in status


# -- spam guards ----------------------------------------------------------------------------------


def test_it_limits_reports_per_client_per_hour(client, world):
    assert send(client, report(description="")).status_code == 200  # a typo costs nothing
    for _i in range(5):
        assert send(client).status_code == 302
    response = send(client)
    assert response.status_code == 429
    assert response["Retry-After"] == "3600"
    assert "SAPA 129" in response.content.decode()
    assert Complaint.objects.count() == 5
    # another address still may; an hour later this one may again
    assert send(client, REMOTE_ADDR="10.9.8.7").status_code == 302
    with time_machine.travel(timezone.now() + timedelta(hours=1, minutes=1)):
        assert send(client).status_code == 302


def test_it_never_keeps_the_address(client, world, rf):
    send(client, REMOTE_ADDR="203.0.113.77")
    stored = repr(list(cache._cache.items()))  # noqa: SLF001 - the locmem store itself
    assert "203.0.113.77" not in stored
    assert spam.client_key(rf.get("/", REMOTE_ADDR="203.0.113.77")) in stored


def test_it_trusts_forwarded_addresses_only_behind_a_proxy(client, world, settings):
    settings.COMPLAINT_RATE_LIMIT = 1
    first = {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "198.51.100.1"}
    second = {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "198.51.100.2"}
    assert send(client, **first).status_code == 302
    assert send(client, **second).status_code == 429  # the same proxy address: one client

    cache.clear()
    settings.TRUSTED_PROXIES = 1
    assert send(client, **first).status_code == 302
    assert send(client, **second).status_code == 302  # two clients behind the proxy
    assert send(client, **first).status_code == 429


def test_a_client_cannot_escape_the_limit_by_writing_its_own_forwarded_header(
    client, world, settings
):
    """The proxy appends the address it saw; what the client wrote before it is not evidence."""
    settings.COMPLAINT_RATE_LIMIT = 2
    settings.TRUSTED_PROXIES = 1
    spoofed = [f"192.0.2.{n}, 198.51.100.9" for n in range(1, 9)]
    answers = [
        send(client, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=header).status_code
        for header in spoofed
    ]
    assert answers == [302, 302] + [429] * 6


def test_it_pretends_to_accept_what_a_robot_fills_in(client, world):
    response = send(client, report(website="https://spam.example"))
    assert response.status_code == 302
    assert response.url == reverse("protection:report_sent")
    sent = client.get(response.url)
    assert sent.status_code == 200
    assert "Laporan terkirim" in sent.content.decode()
    assert 'data-testid="tracking-code"' not in sent.content.decode()
    assert_nothing_stored()


def test_it_refuses_a_form_sent_faster_than_a_person_types(client, world, settings):
    settings.COMPLAINT_MIN_SECONDS = 3
    start = datetime(2026, 5, 4, 9, 0, tzinfo=timezone.get_current_timezone())
    with time_machine.travel(start, tick=False):
        token = spam.form_token()
    with time_machine.travel(start + timedelta(seconds=1), tick=False):
        response = send(client, report(**{spam.STARTED_FIELD: token}))
    assert response.status_code == 200
    page = response.content.decode()
    assert "terkirim terlalu cepat" in page
    assert DESCRIPTION in page  # kept
    assert_nothing_stored()
    with time_machine.travel(start + timedelta(seconds=5), tick=False):
        assert send(client, report(**{spam.STARTED_FIELD: token})).status_code == 302
    assert Complaint.objects.count() == 1


def test_it_refuses_a_form_opened_too_long_ago(client, world):
    start = datetime(2026, 5, 4, 9, 0, tzinfo=timezone.get_current_timezone())
    with time_machine.travel(start, tick=False):
        token = spam.form_token()
    with time_machine.travel(start + timedelta(hours=2, seconds=5), tick=False):
        response = send(client, report(**{spam.STARTED_FIELD: token}))
    assert "sudah dibuka terlalu lama" in response.content.decode()
    assert_nothing_stored()


@pytest.mark.parametrize("token", ["", "lapor:1a2b3c:palsu", "tamper"])
def test_it_refuses_a_missing_or_tampered_token(client, world, token):
    response = send(client, report(**{spam.STARTED_FIELD: token}))
    assert response.status_code == 200
    assert "Formulir tidak dapat diproses" in response.content.decode()
    assert_nothing_stored()


def test_it_refuses_a_token_with_a_changed_time(client, world):
    value, stamp, signature = spam.form_token().split(":")
    forged = f"{value}:{stamp[:-1]}{'0' if stamp[-1] != '0' else '1'}:{signature}"
    response = send(client, report(**{spam.STARTED_FIELD: forged}))
    assert "Formulir tidak dapat diproses" in response.content.decode()
    assert_nothing_stored()


# -- staff are told, even when mail fails ------------------------------------------------------


class FailingEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise ConnectionRefusedError("mail server down")


def test_it_stores_the_report_when_mail_fails(
    client, world, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.protection.test_public.FailingEmailBackend"
    worker = extra_user(world, "pekerja.surel", Role.CASE_WORKER, email="pekerja@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        assert send(client).status_code == 302
    assert Complaint.objects.count() == 1
    assert Notification.objects.filter(recipient=worker).count() == 1
    assert Notification.objects.filter(recipient=world.case_worker).count() == 1


# -- the status page ----------------------------------------------------------------------------


def test_it_shows_only_the_public_status(client, world, complaint):
    form = client.get(reverse("protection:report_status"))
    assert form.status_code == 200
    assert status_shown(form.content.decode()) is None
    typed = complaint.tracking_code.lower().replace("-", " ")
    response = client.post(reverse("protection:report_status"), {"code": typed})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    assert status_shown(page) == "Diterima"
    received = timezone.localdate(complaint.received_at)
    assert f"Diterima pada: {received.day} " in page
    for secret in ("dipukul", "Melati", "Tetangga", "0812", "Oebobo", "PPA/", "Mendesak"):
        assert secret not in page


def test_it_follows_the_complaint_through_its_states(client, world, complaint, case):
    page = look_up(client, complaint.tracking_code)
    assert status_shown(page) == "Sedang ditangani"
    assert case.number not in page


def test_it_says_only_that_an_unknown_code_is_unknown(client, world, complaint):
    for typed in ("ZZZZ-ZZZZ", "abc", complaint.tracking_code + "X"):
        page = look_up(client, typed)
        assert status_shown(page) is None
        assert "Kode tidak ditemukan" in page
    assert "Tulis kode laporan Anda." in look_up(client, "")


def test_it_limits_status_lookups(client, world, complaint):
    url = reverse("protection:report_status")
    for _i in range(spam.STATUS_LOOKUPS_PER_HOUR):
        assert client.post(url, {"code": "ZZZZ-ZZZZ"}).status_code == 200
    response = client.post(url, {"code": complaint.tracking_code})
    assert response.status_code == 429
    assert status_shown(response.content.decode()) is None
    assert "SAPA 129" in response.content.decode()


def test_it_says_finished_and_not_why_a_report_was_closed(client, world, complaint):
    actions.dismiss_complaint(complaint, actor=world.case_worker, reason=DismissReason.SPAM)
    assert Complaint.objects.get().status == PublicStatus.CLOSED
    page = look_up(client, complaint.tracking_code)
    assert status_shown(page) == "Selesai"
    assert "spam" not in page.lower()
