"""The second factor at login (issue 13, point 3): case workers, case supervisors, the secretariat
and national admins enrol an authenticator app at their first login and give its code at every
later one; wrong codes are refused and count toward the lockout; a recovery code works once."""

import re
from datetime import timedelta

import pytest
import time_machine
from axes.models import AccessAttempt
from django.conf import settings
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from sikla.accounts import actions
from sikla.core.models import AuditEvent
from tests.personas import PASSWORD, world_fixture  # noqa: F401
from tests.second_factor import app_code, app_code_from_secret, authenticator_of

ENROL = "/akun/dua-langkah/aktifkan/"
VERIFY = "/akun/dua-langkah/"
WRONG = "Kode salah atau sudah dipakai."


def log_in(client, user, next_url=""):
    """The password step, through the login page."""
    data = {"username": user.username, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    response = client.post("/masuk/", data)
    assert response.status_code == 302, response.content
    return response


def secret_on(page: str) -> str:
    return re.search(r'data-testid="totp-secret">([A-Z2-7 ]+)<', page).group(1)


@pytest.mark.parametrize(
    "persona", ["case_worker", "case_supervisor", "secretariat", "national_admin"]
)
def test_it_sends_each_role_that_needs_it_to_enrol_and_opens_nothing_else(client, world, persona):
    log_in(client, world.persona(persona))
    for url in ("/", "/akun/", "/pengguna/", "/indikator/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(ENROL + "?next=")
    api = client.get("/api/v1/auth/tokens")  # the session does not open the API either
    assert api.status_code == 403
    assert "Verifikasi dua langkah belum selesai" in api.json()["detail"]
    page = client.get(ENROL)
    assert page.status_code == 200
    assert "Aktifkan verifikasi dua langkah" in page.content.decode()
    assert "nav-desktop" not in page.content.decode()  # no menu, no urgent cases
    assert not TOTPDevice.objects.filter(user=world.persona(persona), confirmed=True).exists()


@pytest.mark.parametrize(
    "persona", ["agency_operator", "viewer", "national_evaluator", "task_force_chair"]
)
def test_other_roles_go_straight_in(client, world, persona):
    log_in(client, world.persona(persona))
    assert client.get("/").status_code == 200
    assert client.get(ENROL).status_code == 302  # nothing to enrol
    assert not TOTPDevice.objects.filter(user=world.persona(persona)).exists()


def test_nobody_is_asked_when_the_setting_is_off(client, world, settings):
    settings.SECOND_FACTOR_REQUIRED = False
    log_in(client, world.case_worker)
    assert client.get("/").status_code == 200


def test_enrolment_shows_a_qr_code_and_the_secret_and_then_the_recovery_codes_once(client, world):
    log_in(client, world.secretariat, next_url="/akun/")
    page = client.get(f"{ENROL}?next=/akun/").content.decode()
    assert "<svg" in page and 'data-testid="totp-qr"' in page
    secret = secret_on(page)
    assert secret == secret_on(client.get(ENROL).content.decode())  # a reload keeps the secret

    response = client.post(ENROL, {"code": app_code_from_secret(secret), "next": "/akun/"})
    assert response.status_code == 200
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", response.content.decode())
    assert len(codes) == settings.SECOND_FACTOR_RECOVERY_CODES
    assert "hanya ditampilkan sekali" in response.content.decode()
    assert 'href="/akun/"' in response.content.decode()
    assert client.get("/akun/").status_code == 200  # verified for the rest of the session
    assert client.get(ENROL).status_code == 302  # and never shown again
    assert TOTPDevice.objects.get(user=world.secretariat).confirmed
    event = AuditEvent.objects.get(action="user.enrol_second_factor")
    assert (event.actor, event.changes) == (world.secretariat, {"recovery_codes": [0, 10]})


def test_a_wrong_enrolment_code_says_so_and_enrols_nothing(client, world):
    log_in(client, world.case_worker)
    client.get(ENROL)
    response = client.post(ENROL, {"code": "000000"})
    assert response.status_code == 200
    assert "Kode salah. Masukkan 6 angka" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=world.case_worker, confirmed=True).exists()
    assert client.get("/").status_code == 302


def test_an_enrolled_user_is_asked_for_a_code_and_goes_where_the_login_was_going(client, world):
    device = authenticator_of(world.case_supervisor)
    log_in(client, world.case_supervisor, next_url="/akun/")
    response = client.get("/akun/")
    assert response.url == f"{VERIFY}?next=%2Fakun%2F"
    page = client.get(response.url).content.decode()
    assert "Masukkan kode dari aplikasi autentikator" in page
    assert "nav-desktop" not in page
    response = client.post(VERIFY, {"code": app_code(device), "next": "/akun/"})
    assert response.status_code == 302 and response.url == "/akun/"
    assert client.get("/akun/").status_code == 200


def test_a_next_to_another_site_is_ignored(client, world):
    device = authenticator_of(world.national_admin)
    log_in(client, world.national_admin)
    response = client.post(VERIFY, {"code": app_code(device), "next": "https://contoh.example/"})
    assert response.url == "/"


def test_a_wrong_code_is_refused_and_counted_as_a_failed_login(client, world):
    device = authenticator_of(world.secretariat)
    log_in(client, world.secretariat)
    response = client.post(VERIFY, {"code": "123456" if app_code(device) != "123456" else "654321"})
    assert response.status_code == 200
    assert WRONG in response.content.decode()
    attempt = AccessAttempt.objects.get(username=world.secretariat.username)
    assert attempt.failures_since_start == 1  # django-axes: this username at this address
    device.refresh_from_db()
    assert device.throttling_failure_count == 1  # the device's own doubling wait
    assert client.get("/").status_code == 302  # still not in


def test_the_right_code_waits_out_the_doubling_pause_after_wrong_ones(client, world):
    device = authenticator_of(world.secretariat)
    log_in(client, world.secretariat)
    now = timezone.now()
    wrong = "000000" if app_code(device) != "000000" else "111111"
    for second in (0, 2, 5):  # each after the previous wait (1, then 2 s): counted
        with time_machine.travel(now + timedelta(seconds=second), tick=False):
            client.post(VERIFY, {"code": wrong})
    with time_machine.travel(now + timedelta(seconds=6), tick=False):  # inside the 4-s wait
        response = client.post(VERIFY, {"code": app_code(device)})
    assert "Terlalu banyak kode salah. Coba lagi setelah pukul" in response.content.decode()
    with time_machine.travel(now + timedelta(seconds=40), tick=False):
        response = client.post(VERIFY, {"code": app_code(device)})
    assert response.status_code == 302


def test_repeated_wrong_codes_lock_the_login_out(client, world):
    authenticator_of(world.secretariat)
    log_in(client, world.secretariat)
    answers = [
        client.post(VERIFY, {"code": "abcdefgh"}).status_code
        for _ in range(settings.AXES_FAILURE_LIMIT)
    ]
    assert answers == [200] * (settings.AXES_FAILURE_LIMIT - 1) + [429]
    assert "_auth_user_id" not in client.session  # signed out
    response = client.post(
        "/masuk/", {"username": world.secretariat.username, "password": PASSWORD}
    )
    assert response.status_code == 429  # and the right password no longer helps


def test_a_recovery_code_works_once_only(client, world):
    device = actions.start_second_factor(world.case_worker)
    codes = actions.confirm_second_factor(device, code=app_code(device))
    client.logout()

    log_in(client, world.case_worker)
    typed = codes[3][:4].upper() + "-" + codes[3][4:]  # as copied from paper
    assert client.post(VERIFY, {"code": typed}).status_code == 302
    assert client.get("/").status_code == 200
    assert StaticDevice.objects.get(user=world.case_worker).token_set.count() == 9
    event = AuditEvent.objects.get(action="user.use_recovery_code")
    assert event.changes == {"recovery_codes": [10, 9]}
    client.logout()

    log_in(client, world.case_worker)
    response = client.post(VERIFY, {"code": codes[3]})
    assert response.status_code == 200
    assert WRONG in response.content.decode()
    assert client.get("/").status_code == 302


def test_my_account_page_says_how_many_recovery_codes_are_left(client, world):
    log_in(client, world.case_supervisor)
    device = actions.start_second_factor(world.case_supervisor)
    actions.confirm_second_factor(device, code=app_code(device))
    client.logout()
    log_in(client, world.case_supervisor)
    with time_machine.travel(timezone.now() + timedelta(seconds=31), tick=False):
        client.post(VERIFY, {"code": app_code(device)})
        page = client.get("/akun/").content.decode()
    assert "Verifikasi dua langkah aktif." in page
    assert "Tersisa 10 kode pemulihan." in page
