"""A Kupang secretariat officer logs in, switches language, and reads the catalog."""

import re

from playwright.sync_api import expect


def test_it_walks_the_secretariat_through_login_language_and_catalog(
    live_server, browser, e2e_world
):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/")  # the front door: reporting first, the staff login last
    expect(page.get_by_test_id("report-now")).to_be_visible()
    page.get_by_test_id("staff-login").click()
    expect(page).to_have_url(re.compile(r"/masuk/$"))
    expect(page.get_by_role("heading", name="Masuk ke SIKLA")).to_be_visible()

    page.get_by_label("Nama pengguna").fill("sekretariat.kupang")
    page.get_by_label("Kata sandi").fill(e2e_world["password"])
    page.get_by_role("button", name="Masuk").click()
    expect(page.get_by_role("heading", name=re.compile("Selamat datang"))).to_be_visible()
    expect(page.get_by_test_id("current-lg")).to_have_text("Kota Kupang")

    # Switching the language submits the form from the select (app.js), no button press.
    page.get_by_test_id("language-switcher").locator("select").select_option("en")
    expect(page.get_by_role("heading", name=re.compile("Welcome"))).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "en")

    page.goto(f"{live_server.url}/indikator/")
    expect(page.get_by_role("heading", name="KLA indicators")).to_be_visible()
    page.get_by_role("link", name=re.compile("Klaster III")).click()
    expect(page).to_have_url(re.compile(r"/indikator/klaster/3/$"))
    page.get_by_role("link", name=re.compile("Prevalensi status gizi")).click()
    expect(page.get_by_role("heading", name=re.compile(r"^12\. "))).to_be_visible()
    expect(page.locator(".rubric").first).to_be_visible()
    page.screenshot(path=str(e2e_world["artifacts"] / "e2e-indicator-12.png"), full_page=True)

    # Back to Indonesian, on a 360-px phone: the menu folds behind a button and still works.
    page.get_by_test_id("language-switcher").locator("select").select_option("id")
    # the choice is a form sent on change: wait for its answer before the phone takes the cookies
    expect(page.locator("html")).to_have_attribute("lang", "id")
    phone = browser.new_page(viewport={"width": 360, "height": 740})
    phone.context.add_cookies(page.context.cookies())
    phone.goto(f"{live_server.url}/indikator/12/")
    menu = phone.locator("details.nav-menu")
    menu.locator("summary").click()
    menu.get_by_role("link", name="Gugus tugas").click()
    expect(phone.get_by_role("heading", name=re.compile("Gugus Tugas KLA"))).to_be_visible()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the page scrolls sideways on a phone ({width}px)"
    phone.screenshot(path=str(e2e_world["artifacts"] / "e2e-phone-task-force.png"), full_page=True)
