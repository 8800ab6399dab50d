"""The profile pages, PDF and API: who reaches what (anonymous → login, Jambi → 404, agency
operator → 403 on population entry, everyone in scope reads), the population grid, the PDF read
back with pypdf, and a flat query count."""

from __future__ import annotations

import io
import json
from datetime import date, timedelta

import pytest
from django.urls import reverse
from pypdf import PdfReader

from sikla.dashboards.models import ChildPopulation, ChildPopulationFigure
from tests.personas import JAMBI, KUPANG, world_fixture  # noqa: F401

from .test_profile_support import (
    DATA_YEAR,
    enter_population,
    fill_birth_certificates,
    kupang_cells,
    local,
    make_case,
)

READ = {
    "index": lambda lg=KUPANG: reverse("dashboards:profile_index", args=[lg]),
    "profile": lambda lg=KUPANG: reverse("dashboards:profile", args=[lg, DATA_YEAR]),
    "pdf": lambda lg=KUPANG: reverse("dashboards:profile_pdf", args=[lg, DATA_YEAR]),
}
ENTRY = reverse("dashboards:profile_population", args=[KUPANG, DATA_YEAR])
API = reverse("api:children_profile", args=[KUPANG, DATA_YEAR])


def grid(world, **extra) -> dict:
    data = {"source": "Disdukcapil, data konsolidasi semester II 2025"}
    for i, (code, sex, age) in enumerate(kupang_cells(world.kupang)):
        data[f"n__{code}__{sex}__{age}"] = str(1000 + i)
    data.update(extra)
    return data


# --- access ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", [*READ, "entry"])
def test_it_sends_an_anonymous_visitor_to_the_login_page(client, world, name):
    url = ENTRY if name == "entry" else READ[name]()

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith("/masuk/")


@pytest.mark.parametrize("name", [*READ, "entry"])
def test_it_hides_kupang_from_jambi(client, world, name):
    client.force_login(world.jambi_secretariat)
    url = ENTRY if name == "entry" else READ[name]()

    assert client.get(url).status_code == 404
    assert client.get(API).status_code == 404


@pytest.mark.parametrize(
    "persona",
    [
        "secretariat",
        "viewer",
        "agency_operator",
        "village_officer",
        "case_worker",
        "provincial_evaluator",
        "national_evaluator",
    ],
)
@pytest.mark.parametrize("name", list(READ))
def test_everyone_in_scope_reads(client, world, persona, name):
    client.force_login(world.persona(persona))

    assert client.get(READ[name]()).status_code == 200


@pytest.mark.parametrize("persona", ["agency_operator", "viewer", "village_officer"])
def test_only_the_secretariat_enters_population(client, world, persona):
    client.force_login(world.persona(persona))

    assert client.get(ENTRY).status_code == 403
    assert client.post(ENTRY, grid(world)).status_code == 403
    assert not ChildPopulation.objects.exists()


def test_a_year_outside_the_range_is_not_found(client, world):
    client.force_login(world.secretariat)

    assert client.get(reverse("dashboards:profile", args=[KUPANG, 1999])).status_code == 404
    assert client.get(reverse("dashboards:profile", args=[KUPANG, 2999])).status_code == 404
    assert client.get(reverse("api:children_profile", args=[KUPANG, 2999])).status_code == 404


# --- population entry -----------------------------------------------------------------------------


def test_the_secretariat_enters_the_grid_and_sees_the_totals(client, world):
    client.force_login(world.secretariat)
    assert client.get(ENTRY).status_code == 200

    response = client.post(ENTRY, grid(world))

    assert response.status_code == 302
    assert response["Location"] == READ["profile"]()
    expected = sum(1000 + i for i in range(len(kupang_cells(world.kupang))))
    assert sum(ChildPopulationFigure.objects.values_list("count", flat=True)) == expected
    page = client.get(READ["profile"]()).content.decode()
    shown = f"{expected:,}".replace(",", ".")
    assert f'data-testid="population-total">{shown}<' in page
    assert "Disdukcapil, data konsolidasi semester II 2025" in page
    assert f'data-testid="grand-total">{shown}<' in client.get(ENTRY).content.decode()


def test_it_refuses_negative_and_broken_numbers_and_keeps_what_was_typed(client, world):
    client.force_login(world.secretariat)
    first = kupang_cells(world.kupang)[0]
    second = kupang_cells(world.kupang)[1]
    data = grid(world, source="<b>Disdukcapil</b>")
    data["n__" + "__".join(first)] = "-3"
    data["n__" + "__".join(second)] = "dua"

    response = client.post(ENTRY, data)

    assert response.status_code == 422
    page = response.content.decode()
    assert "Jumlah tidak boleh negatif." in page
    assert "Isi dengan bilangan bulat." in page
    assert "Teks tidak boleh berisi tag HTML" in page
    assert 'value="-3"' in page and 'value="dua"' in page
    assert not ChildPopulation.objects.exists()


# --- the page, the PDF, the API -------------------------------------------------------------------


def test_the_page_shows_sources_and_no_identities(client, world):
    enter_population(world)
    fill_birth_certificates(world)
    make_case(
        world.kupang,
        received_at=local(date(DATA_YEAR, 5, 2)),
        types=["physical"],
        children=[{"sex": "P", "age": 9, "region": "53.71.04.1001", "served": True}],
    )
    client.force_login(world.viewer)

    page = client.get(READ["profile"]()).content.decode()

    assert "Anak Rahasia Profil" not in page
    assert "PROFIL" not in page  # no case number
    assert 'data-testid="indicator-4">' in page and "belum tersedia" in page  # 18 and 12
    assert "Sumber data" in page and "UPTD PPA Kota Kupang" in page
    assert 'data-chart="chart-population"' in page and 'id="chart-population"' in page


def test_the_pdf_reads_back_with_the_name_and_the_total(client, world):
    enter_population(world)
    client.force_login(world.viewer)

    response = client.get(READ["pdf"]())

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    total = sum(100 + i for i in range(len(kupang_cells(world.kupang))))
    assert "Kota Kupang" in text
    assert f"{total:,}".replace(",", ".") in text
    assert "Sumber data" in text and "Disdukcapil, DKB 2025" in text


def test_the_api_gives_the_numbers(client, world):
    enter_population(world)
    fill_birth_certificates(world)
    client.force_login(world.agency_operator)

    body = json.loads(client.get(API).content)

    assert body["local_government"] == KUPANG and body["year"] == DATA_YEAR
    assert body["population"]["total"] == sum(
        100 + i for i in range(len(kupang_cells(world.kupang)))
    )
    assert sum(d["total"] for d in body["population"]["districts"]) == body["population"]["total"]
    four = next(i for i in body["indicators"] if i["number"] == 4)
    assert four["available"] is True and four["value"] == "94.30"  # 56.300 / 59.700
    assert next(i for i in body["indicators"] if i["number"] == 18)["available"] is False
    assert {s["section"] for s in body["sources"]} >= {"Jumlah anak", "Forum Anak"}


def test_the_api_needs_a_login(client, world):
    assert client.get(API).status_code == 401
    assert client.get(reverse("api:children_profile", args=[JAMBI, DATA_YEAR])).status_code == 401


def test_the_page_reads_a_bounded_number_of_queries(client, world, django_assert_max_num_queries):
    client.force_login(world.viewer)
    enter_population(world)
    with django_assert_max_num_queries(30) as few:
        assert client.get(READ["profile"]()).status_code == 200
    count = len(few)

    fill_birth_certificates(world)
    for i in range(15):
        make_case(
            world.kupang,
            received_at=local(date(DATA_YEAR, 1, 1) + timedelta(days=20 * i)),
            types=["physical", "neglect"],
            children=[
                {"sex": "L", "age": i, "region": "53.71.01.1001", "served": True},
                {"sex": "P", "age": 17 - i, "region": "53.71.04.1001", "served": False},
            ],
        )
    with django_assert_max_num_queries(count):
        assert client.get(READ["profile"]()).status_code == 200
