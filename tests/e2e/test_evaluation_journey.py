"""The evaluation cycle of the demo's 2025 period of Kota Kupang in a browser: the secretariat
reads its self-assessment (Pratama, ~15 points short of Madya), finds in the what-if page the
answers that would reach Madya without saving them, keeps that as a named scenario, downloads
the PDF report and submits to the province; the NTT provincial evaluator then cuts the points
of one answer whose evidence does not hold, and the overview shows self and administrative
totals side by side."""

import re
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.utils import translation
from playwright.sync_api import expect
from pypdf import PdfReader

from sikla.core.numbers import score
from sikla.evaluation import queries, scoring

CODE, YEAR = "53.71", 2025
OVERVIEW = f"/organisasi/{CODE}/periode/{YEAR}/evaluasi/"
NOTE = "Bukti dukung tidak memadai"


@dataclass(frozen=True)
class Plan:
    self_total: Decimal
    flips: list[str]  # yes_no questions answered "no" whose "yes" lifts the projection to Madya
    projected_total: Decimal
    indicator: int  # an indicator with a question the evaluator will cut
    question: str
    cut_to: Decimal
    administrative_total: Decimal


def shown(value: Decimal) -> str:
    """A total as the pages print it (Indonesian format: 584,85)."""
    with translation.override("id"):
        return score(value)


@pytest.fixture(autouse=True)
def plan(e2e_world) -> Plan:
    # Autouse, so it runs before the `browser` fixture starts Playwright's event loop: the ORM
    # work stays on the ordinary synchronous connection.
    from sikla.collection.models import Period

    period = Period.objects.get(local_government_id=CODE, year=YEAR)
    a = queries.assessment(period)
    instrument, answers = a.instrument, dict(a.answers)
    madya = next(c for c in instrument.categories if c.code == "madya")
    assert a.stage == "self"
    assert a.result.category_name == "Pratama"
    assert a.result.next.name == "Madya"

    # Biggest steps first; the indicator cap is checked by scoring the whole set each time.
    candidates = sorted(
        (
            (scoring.next_gain(rule, answers.get(rule.code)), rule.code)
            for rule in instrument.questions
            if rule.answer_type == "yes_no" and answers.get(rule.code) == "no"
        ),
        key=lambda gain_code: -gain_code[0],
    )
    flips: list[str] = []
    projected = a.result
    for gain, code in candidates:
        if madya.admits(projected.total):
            break
        if gain <= 0:
            continue
        flips.append(code)
        projected = scoring.score_answers(instrument, {**answers, **dict.fromkeys(flips, "yes")})
    assert projected.category_name == "Madya", "no set of 'no' → 'yes' answers reaches Madya"

    row, question = next(
        (row, q) for row in a.rows for q in row.questions if not q.from_data and q.points > 0
    )
    cut_to = scoring.cents(question.points / 2)
    assert cut_to < question.points
    points = {**a.result.points, question.question.code: cut_to}
    administrative = scoring.score_points(instrument, points).total
    assert administrative < a.result.total
    return Plan(
        self_total=a.result.total,
        flips=flips,
        projected_total=projected.total,
        indicator=row.indicator.number,
        question=question.question.code,
        cut_to=cut_to,
        administrative_total=administrative,
    )


def log_in(page, base_url, username, password):
    page.goto(f"{base_url}/masuk/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk").click()
    expect(page.get_by_role("heading", name=re.compile("Selamat datang"))).to_be_visible()


def open_group_of(page, field_name):
    """Opens the <details> of the what-if form that holds a question, as a user would."""
    group = page.locator("form#simulation details").filter(
        has=page.locator(f'input[name="{field_name}"]')
    )
    if group.get_attribute("open") is None:
        group.locator("summary").click()


def test_it_runs_the_evaluation_cycle_in_a_browser(live_server, browser, e2e_world, plan):
    password, artifacts = e2e_world["password"], e2e_world["artifacts"]
    base = live_server.url
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.on("dialog", lambda dialog: dialog.accept())  # data-confirm before submitting

    # 1. The secretariat reads its self-assessment.
    log_in(page, base, "sekretariat.kupang", password)
    page.goto(f"{base}{OVERVIEW}")
    expect(page.get_by_test_id("stage")).to_have_text("Penilaian mandiri")
    expect(page.get_by_test_id("total")).to_have_text(shown(plan.self_total))
    expect(page.get_by_test_id("category")).to_have_text("Pratama")
    expect(page.get_by_test_id("next-category")).to_contain_text("Untuk mencapai Madya")
    expect(page.get_by_test_id("total-self")).to_have_text(shown(plan.self_total))

    # 2. What if: flip the planned "Tidak" answers to "Ya" until the projection reaches Madya.
    page.get_by_role("link", name="Simulasi").click()
    expect(page.get_by_role("heading", name=re.compile("bagaimana jika"))).to_be_visible()
    projection = page.get_by_test_id("projection")
    expect(page.get_by_test_id("projected-category")).to_have_text("Pratama")
    for code in plan.flips:
        name = f"a__{code}"
        open_group_of(page, name)
        expect(page.locator(f'input[name="{name}"][value="no"]')).to_be_checked()
        with page.expect_response(lambda r: r.request.method == "POST"):
            page.check(f'input[name="{name}"][value="yes"]')
    expect(page.get_by_test_id("projected-total")).to_have_text(shown(plan.projected_total))
    expect(page.get_by_test_id("projected-category")).to_have_text("Madya")
    expect(page.get_by_test_id("projected-category")).to_have_class(re.compile("crossed"))
    expect(page.get_by_test_id("current-total")).to_have_text(shown(plan.self_total))
    projection.screenshot(path=str(artifacts / "evaluation-what-if.png"))

    # The same answers, kept as a named scenario for the task force.
    page.get_by_label("Nama skenario").fill("Menuju Madya 2025")
    page.get_by_test_id("save-scenario").click()
    expect(page.get_by_text("Skenario “Menuju Madya 2025” disimpan.")).to_be_visible()
    expect(page.get_by_test_id("projected-category")).to_have_text("Madya")  # reopened as saved
    saved = page.get_by_test_id("scenarios").locator("tbody tr", has_text="Menuju Madya 2025")
    expect(saved).to_have_count(1)  # one click, one scenario
    expect(saved).to_contain_text(shown(plan.projected_total))
    expect(saved).to_contain_text("Madya")

    # Neither the what-if nor the scenario changed the assessment.
    page.get_by_role("link", name="Penilaian", exact=True).click()
    expect(page.get_by_test_id("total")).to_have_text(shown(plan.self_total))
    expect(page.get_by_test_id("category")).to_have_text("Pratama")

    # 3. The PDF report.
    with page.expect_download() as download_info:
        page.get_by_test_id("report-pdf").click()
    download = download_info.value
    assert download.suggested_filename == f"laporan-evaluasi-kla-{CODE}-{YEAR}.pdf"
    pdf = artifacts / "evaluation-report.pdf"
    download.save_as(str(pdf))
    text = "\n".join(p.extract_text() or "" for p in PdfReader(str(pdf)).pages)
    assert "Laporan Evaluasi Mandiri KLA" in text
    assert "PEMERINTAH KOTA KUPANG" in text

    # 4. Submission to the province.
    page.get_by_text("Ajukan penilaian mandiri ke provinsi").click()
    page.get_by_role("button", name="Ajukan", exact=True).click()
    expect(page.get_by_test_id("stage")).to_have_text("Verifikasi administrasi (provinsi)")
    expect(page.get_by_text("Ajukan penilaian mandiri ke provinsi")).to_have_count(0)

    # 5. The provincial evaluator cuts one answer's points.
    page.get_by_role("button", name="Keluar").click()
    expect(page).to_have_url(re.compile(r"/masuk/"))
    log_in(page, base, "evaluator.ntt", password)
    page.goto(f"{base}{OVERVIEW}indikator/{plan.indicator}/")
    review = page.get_by_test_id(f"review-{plan.question}")
    review.get_by_label("Nilai terverifikasi").fill(str(plan.cut_to))
    review.get_by_label("Catatan verifikator").fill(NOTE)
    review.get_by_role("button", name=f"Simpan nilai {plan.question}").click()
    expect(page.get_by_text(f"Nilai terverifikasi {plan.question} disimpan.")).to_be_visible()
    expect(page.get_by_test_id(f"stage-points-{plan.question}")).to_have_text(shown(plan.cut_to))
    expect(page.get_by_test_id(f"question-{plan.question}")).to_contain_text(NOTE)

    page.goto(f"{base}{OVERVIEW}")
    expect(page.get_by_test_id("stage")).to_have_text("Verifikasi administrasi (provinsi)")
    expect(page.get_by_test_id("total-self")).to_have_text(shown(plan.self_total))
    expect(page.get_by_test_id("total-administrative")).to_have_text(
        shown(plan.administrative_total)
    )
    expect(page.get_by_test_id("total")).to_have_text(shown(plan.administrative_total))
    page.screenshot(path=str(artifacts / "evaluation-verified.png"), full_page=True)

    # The same overview on a 360-px phone does not scroll sideways.
    page.set_viewport_size({"width": 360, "height": 740})
    width = page.evaluate("document.documentElement.scrollWidth")
    page.screenshot(path=str(artifacts / "evaluation-verified-phone.png"), full_page=True)
    assert width <= 360, f"the evaluation overview scrolls sideways on a phone ({width}px)"
