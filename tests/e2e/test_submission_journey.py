"""Dinkes fills indicator 16 and submits it with evidence; the secretariat returns it with a
comment; Dinkes fixes and resubmits; the secretariat approves. The demo's 2027 period."""

import re

from playwright.sync_api import expect

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def log_in(browser, base_url, username, password):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.on("dialog", lambda dialog: dialog.accept())  # the confirm() before submitting
    page.goto(f"{base_url}/masuk/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk").click()
    expect(page.get_by_role("heading", name=re.compile("Selamat datang"))).to_be_visible()
    return page


def test_it_takes_an_indicator_from_draft_to_approved(live_server, browser, e2e_world, tmp_path):
    password, artifacts = e2e_world["password"], e2e_world["artifacts"]
    evidence = tmp_path / "perda-ktr.pdf"
    evidence.write_bytes(PDF)

    operator = log_in(browser, live_server.url, "operator.dinkes", password)
    nav = operator.locator(".nav-desktop")
    nav.locator("summary", has_text="Data & bukti dukung").click()  # grouped by task
    nav.get_by_role("link", name="Indikator saya").click()
    # The demo has several open periods; this journey works on the newest (2027).
    operator.locator("a[href$='/periode/2027/indikator/16/']").click()
    status = operator.get_by_test_id("submission-status")
    expect(status).to_have_text("Draf")
    operator.locator("select[name^='v__53.71']").select_option("1")
    operator.get_by_role("button", name="Simpan", exact=True).click()
    expect(operator.get_by_text("Data disimpan.")).to_be_visible()

    operator.get_by_text("Unggah bukti dukung").click()
    operator.get_by_label("Berkas (PDF, JPG/PNG, DOCX, XLSX)").set_input_files(str(evidence))
    operator.get_by_label("Judul").fill("Perda Kawasan Tanpa Rokok")
    operator.get_by_label("Jenis").select_option("decree")
    operator.get_by_role("button", name="Unggah", exact=True).click()
    expect(operator.get_by_test_id("evidence")).to_contain_text("Perda Kawasan Tanpa Rokok")
    operator.get_by_role("button", name="Ajukan ke sekretariat").click()
    expect(status).to_have_text("Diajukan")
    url = operator.url

    secretariat = log_in(browser, live_server.url, "sekretariat.kupang", password)
    secretariat.goto(url)
    secretariat.get_by_label("Catatan untuk perangkat daerah").fill("Lampirkan juga SK Satpol PP.")
    secretariat.get_by_role("button", name="Kembalikan dengan catatan").click()
    expect(secretariat.get_by_test_id("submission-status")).to_have_text("Dikembalikan")

    operator.reload()
    expect(operator.get_by_test_id("review-comment")).to_contain_text("SK Satpol PP")
    operator.get_by_role("button", name="Ajukan ke sekretariat").click()
    expect(status).to_have_text("Diajukan")

    secretariat.reload()
    secretariat.get_by_role("button", name="Setujui").click()
    expect(secretariat.get_by_test_id("submission-status")).to_have_text("Disetujui")
    expect(secretariat.locator(".timeline")).to_contain_text("mengembalikan")
    secretariat.screenshot(path=str(artifacts / "e2e-submission-approved.png"), full_page=True)
