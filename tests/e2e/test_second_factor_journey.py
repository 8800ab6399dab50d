"""A Kupang secretariat officer's first login enrols an authenticator app (QR code or the secret
typed by hand, a first code, recovery codes shown once); the next login asks for a fresh code
and refuses a wrong one (issue 13, point 3)."""

import re
import time

from playwright.sync_api import expect

from tests.second_factor import app_code_from_secret

USERNAME = "sekretariat.kupang"


def log_in_with_the_password(page, base_url, password):
    page.goto(f"{base_url}/masuk/")
    page.get_by_label("Nama pengguna").fill(USERNAME)
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk").click()


def test_it_enrols_the_secretariat_at_first_login_and_asks_for_a_code_at_the_next(
    live_server, browser, e2e_world, second_factor_on
):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    log_in_with_the_password(page, live_server.url, e2e_world["password"])
    expect(page).to_have_url(re.compile(r"/akun/dua-langkah/aktifkan/\?next=%2F$"))
    expect(page.get_by_role("heading", name="Aktifkan verifikasi dua langkah")).to_be_visible()
    expect(page.get_by_test_id("totp-qr").locator("svg")).to_be_visible()
    expect(page.locator(".nav-desktop")).to_have_count(0)  # nothing else before the code

    # The officer types the secret into the app by hand; the test is the app.
    secret = page.get_by_test_id("totp-secret").inner_text()
    enrolled_at = time.time()
    page.get_by_label("Kode 6 angka dari aplikasi").fill(app_code_from_secret(secret, enrolled_at))
    page.get_by_role("button", name="Aktifkan").click()
    expect(page.get_by_role("heading", name="Simpan kode pemulihan Anda")).to_be_visible()
    expect(page.get_by_test_id("recovery-codes").locator("li")).to_have_count(10)
    page.screenshot(path=str(e2e_world["artifacts"] / "e2e-second-factor-codes.png"))
    page.get_by_test_id("continue").click()
    expect(page.get_by_role("heading", name=re.compile("Selamat datang"))).to_be_visible()

    page.locator(".nav-desktop").get_by_role("button", name="Keluar").click()
    expect(page).to_have_url(re.compile(r"/masuk/$"))

    log_in_with_the_password(page, live_server.url, e2e_world["password"])
    expect(
        page.get_by_role("heading", name="Masukkan kode dari aplikasi autentikator")
    ).to_be_visible()
    wrong = "000000" if app_code_from_secret(secret) != "000000" else "111111"
    page.get_by_label("Kode verifikasi").fill(wrong)
    page.get_by_role("button", name="Verifikasi").click()
    expect(page.get_by_text("Kode salah atau sudah dipakai.")).to_be_visible()
    page.wait_for_timeout(1100)  # the app would show a code again only after the 1-s wait

    # A fresh code: never the one used at enrolment (the next 30-s step at the earliest).
    fresh = app_code_from_secret(secret, max(time.time(), enrolled_at + 30))
    page.get_by_label("Kode verifikasi").fill(fresh)
    page.get_by_role("button", name="Verifikasi").click()
    expect(page.get_by_role("heading", name=re.compile("Selamat datang"))).to_be_visible()
    page.goto(f"{live_server.url}/akun/")
    expect(page.get_by_test_id("second-factor-status")).to_contain_text("Tersisa 10 kode pemulihan")
