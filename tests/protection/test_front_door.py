"""The front door for the public and for a child in danger: `/` leads to the report form with
numbers to call now; a child who says they are in danger right now makes an emergency that the
unit sees at once."""

import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from sikla.protection.models import Complaint, Urgency
from tests.personas import KUPANG, world_fixture  # noqa: F401

from .test_public import code_on_page, form_url, report

PHONE_NUMBERS = re.compile(r"(?<![\d-])(110|129|08111-129-129)(?![\d-])")


@pytest.fixture(autouse=True)
def _fresh_limits(settings):
    cache.clear()
    settings.COMPLAINT_MIN_SECONDS = 0
    yield
    cache.clear()


def numbers_outside_links(html: str) -> list[str]:
    """Phone numbers a visitor would read but could not tap."""
    body = html.split("<body", 1)[1]
    without_links = re.sub(r"<a\b[^>]*>.*?</a>", "", body, flags=re.S)
    without_tags = re.sub(r"<[^>]+>", " ", without_links)
    return PHONE_NUMBERS.findall(without_tags)


def test_the_front_door_leads_a_visitor_to_report_first(client, world):
    page = client.get("/").content.decode()

    assert "Laporkan kekerasan terhadap anak" in page
    links = re.findall(r'href="([^"]+)"', page)
    report_at = links.index(reverse("protection:report_start"))
    assert report_at < links.index(reverse("dashboards:portal_list"))
    assert reverse("protection:report_start") + "?bahasa=anak" in links
    assert {"tel:110", "tel:129", "https://wa.me/628111129129"} <= set(links)
    assert reverse("participation:public_list") in links
    assert reverse("protection:report_status") in links
    assert links.index(reverse("accounts:login")) >= 0
    assert f'href="{reverse("dashboards:portal", args=[KUPANG])}"' in page  # Kota Kupang takes part


def test_a_newly_registered_local_government_shows_on_the_front_door_at_once(client, world):
    """The list of participating kab/kota is kept between visits, and a registration (a write
    with its audit row) moves it on: the next visitor sees the new one."""
    from sikla.organisations.actions import register_local_government
    from sikla.regions.models import Region

    portal = reverse("dashboards:portal", args=["53.01"])
    assert portal not in client.get("/").content.decode()

    register_local_government(actor=world.national_admin, region=Region.objects.get(code="53.01"))

    assert f'href="{portal}"' in client.get("/").content.decode()


def test_staff_still_find_their_home_at_the_same_address(client, world):
    client.force_login(world.secretariat)
    page = client.get("/").content.decode()
    assert "Selamat datang" in page and 'data-testid="report-now"' not in page


@pytest.mark.parametrize(
    "path",
    [
        "/",
        reverse("protection:report_start"),
        reverse("protection:report", args=[KUPANG]),
        reverse("protection:report", args=[KUPANG]) + "?bahasa=anak",
        reverse("dashboards:portal", args=[KUPANG]),
        reverse("protection:report_status"),
    ],
)
def test_every_phone_number_on_a_public_page_can_be_tapped(client, world, path):
    html = client.get(path).content.decode()
    assert PHONE_NUMBERS.search(html), "the page names no number at all"
    assert numbers_outside_links(html) == []


def test_the_child_form_asks_first_whether_they_are_in_danger_now(client, world):
    page = client.get(form_url(child=True)).content.decode()
    assert "Apakah kamu (atau temanmu) dalam bahaya sekarang?" in page
    assert page.index('name="in_danger"') < page.index('name="description"')
    adult = client.get(form_url()).content.decode()
    assert "Apakah anak itu dalam bahaya saat ini?" in adult


def test_a_child_in_danger_now_makes_an_emergency_the_unit_sees_at_once(client, world):
    response = client.post(
        form_url(child=True),
        report(in_danger="yes", description="Aku sering dipukul. Aku takut pulang."),
        follow=True,
    )

    page = response.content.decode()
    complaint = Complaint.objects.get()
    assert complaint.urgency == Urgency.EMERGENCY
    assert code_on_page(response) == complaint.tracking_code
    assert "Kalau kamu dalam bahaya sekarang, telepon sekarang juga:" in page
    assert page.index('href="tel:110"') < page.index('data-testid="tracking-code"')  # call first
    assert "Ceritamu sudah terkirim" in page and "laporan Anda" not in page  # still a child's words
    assert numbers_outside_links(page) == []

    client.force_login(world.case_worker)
    home = client.get(reverse("protection:home", args=[KUPANG])).content.decode()
    assert complaint.tracking_code in home
    assert "Darurat" in home


def test_not_in_danger_keeps_the_ordinary_urgency(client, world):
    client.post(form_url(), report(in_danger="no"))
    assert Complaint.objects.get().urgency == Urgency.NORMAL


def test_the_api_takes_the_danger_answer_too(client, world):
    response = client.post(
        "/api/v1/complaints",
        {"local_government": KUPANG, "description": "Anak dalam bahaya.", "in_danger": True},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert Complaint.objects.get().urgency == Urgency.EMERGENCY
