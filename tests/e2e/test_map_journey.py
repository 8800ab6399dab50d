"""A visitor on a 360-px phone opens the national map of Kabupaten/Kota Layak Anak, finds Kota
Kupang, taps it and reaches its portal page; the staff roll-up map switches its colouring. No
console error on the way (issue "monitoring", point 1)."""

from playwright.sync_api import expect

PHONE = {"width": 360, "height": 740}


def watch(page) -> list[str]:
    errors: list[str] = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda e: errors.append(str(e)))
    return errors


def test_a_visitor_taps_kota_kupang_on_the_national_map(live_server, browser, e2e_world):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    errors = watch(page)
    page.goto(f"{live_server.url}/kla/")
    the_map = page.get_by_test_id("map")
    expect(the_map).to_have_attribute("data-ready", "514")  # every kab/kota of Indonesia drawn
    legend = page.get_by_test_id("map-legend")
    expect(legend.get_by_test_id("legend-absent")).to_contain_text("513")  # all but Kupang
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    # Kupang is a few pixels wide at the scale of the nation: the search brings it close...
    page.get_by_test_id("map-search").fill("Kota Kupang")
    page.get_by_test_id("map-search").dispatch_event("change")
    popup = page.locator(".leaflet-popup-content")
    expect(popup).to_contain_text("Kota Kupang")
    page.locator(".leaflet-popup-close-button").tap()
    expect(popup).to_have_count(0)
    # ...and a finger on the city opens what it is and where to read more.
    page.locator("path.kab-53-71").tap()
    expect(popup).to_contain_text("Kategori KLA terakhir")
    page.screenshot(path=str(e2e_world["artifacts"] / "map-kupang-phone.png"), full_page=True)
    popup.get_by_test_id("map-link").tap()
    expect(page).to_have_url(f"{live_server.url}/kla/53.71/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Kota Kupang")
    assert errors == []
    context.close()


def test_the_national_evaluator_colours_the_map_by_stage(live_server, browser, e2e_world):
    from tests.e2e.sweep import log_in

    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    errors = watch(page)
    log_in(page, live_server.url, "evaluator.nasional", e2e_world["password"])
    page.goto(f"{live_server.url}/evaluasi/")
    expect(page.get_by_test_id("map")).to_have_attribute("data-ready", "514")
    page.get_by_test_id("map-mode").select_option("stage")
    legend = page.get_by_test_id("map-legend")
    expect(legend).to_contain_text("Tahap musim")
    expect(legend.get_by_test_id("legend-self")).to_contain_text("1")  # the demo's 2025
    page.screenshot(path=str(e2e_world["artifacts"] / "map-rollup-stage.png"))
    assert errors == []
    context.close()
