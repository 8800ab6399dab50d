"""The API: the status list with the latest checklist, the shares, and setting a status with
the same rules as the pages."""

import json
from decimal import Decimal

import pytest
from django.urls import reverse

from sikla.villages.models import ChecklistItem, Status, StatusChange, VillageStatus
from tests.personas import JAMBI, KUPANG

from .conftest import (
    ALAK_KELURAHAN,
    JAMBI_KELURAHAN,
    OEBOBO,
    OEBOBO_KELURAHAN,
    YEAR,
    checklist,
    declare,
    pdf,
)

LIST = reverse("api:villages", args=[KUPANG])
SHARES = reverse("api:village_shares", args=[KUPANG])


def update_url(code=OEBOBO_KELURAHAN, lg=KUPANG):
    return reverse("api:village_update", args=[lg, code])


def put(client, url, body):
    return client.put(url, json.dumps(body), content_type="application/json")


DECLARE = {
    "status": "declared",
    "declared_on": "2025-07-23",
    "decree_number": "12/KEP/LRH/2025",
    "task_force_decree": "11/KEP/GT/2025",
    "task_force_chair": "Lurah Oebobo",
    "task_force_members": 17,
}


# --- list ----------------------------------------------------------------------------------------


def test_it_lists_every_kelurahan_with_its_latest_checklist(client, world):
    declare(world, OEBOBO_KELURAHAN, task_force_chair="Lurah Oebobo", task_force_members=9)
    checklist(world, OEBOBO_KELURAHAN, 2025, done={ChecklistItem.CHILD_PROFILE})
    checklist(world, OEBOBO_KELURAHAN, YEAR, done={ChecklistItem.PATBM}, files={"patbm": pdf()})
    client.force_login(world.viewer)

    response = client.get(LIST)

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 51
    row = next(r for r in body["items"] if r["code"] == OEBOBO_KELURAHAN)
    assert row["status"] == "declared"
    assert row["declared_on"] == "2025-07-23"
    assert row["district"] == OEBOBO and row["level"] == "village"
    assert row["task_force"] == {
        "decree_number": "",
        "chair_name": "Lurah Oebobo",
        "member_count": 9,
    }
    assert row["checklist"]["year"] == YEAR
    assert set(row["checklist"]["items"]) == set(ChecklistItem.values)
    assert row["checklist"]["items"]["patbm"] == {
        "done": True,
        "note": "",
        "has_evidence": True,
    }
    other = next(r for r in body["items"] if r["code"] == ALAK_KELURAHAN)
    assert (other["status"], other["checklist"]) == ("not_started", None)


def test_it_filters_by_status_district_and_level(client, world):
    declare(world, OEBOBO_KELURAHAN)
    declare(world, ALAK_KELURAHAN)
    declare(world, OEBOBO)
    client.force_login(world.secretariat)

    declared = client.get(LIST, {"status": "declared"}).json()
    in_oebobo = client.get(LIST, {"status": "declared", "district": OEBOBO}).json()
    districts = client.get(LIST, {"level": "district"}).json()
    paged = client.get(LIST, {"limit": 5, "offset": 50}).json()

    assert [r["code"] for r in declared["items"]] == [ALAK_KELURAHAN, OEBOBO_KELURAHAN]
    assert [r["code"] for r in in_oebobo["items"]] == [OEBOBO_KELURAHAN]
    assert districts["count"] == 6
    assert next(r for r in districts["items"] if r["code"] == OEBOBO)["status"] == "declared"
    assert paged["count"] == 51 and len(paged["items"]) == 1


@pytest.mark.parametrize("query", [{"status": "revoked"}, {"level": "province"}, {"limit": 0}])
def test_it_refuses_unknown_filters(client, world, query):
    client.force_login(world.secretariat)

    response = client.get(LIST, query)

    assert response.status_code == 422
    assert response.json()["detail"]


def test_it_lists_in_a_bounded_number_of_queries(client, world, django_assert_max_num_queries):
    client.force_login(world.secretariat)
    declare(world, OEBOBO_KELURAHAN)
    checklist(world, OEBOBO_KELURAHAN, done={ChecklistItem.PATBM})
    with django_assert_max_num_queries(20) as few:
        client.get(LIST)
    for code in ("53.71.04.1008", "53.71.04.1009", ALAK_KELURAHAN, "53.71.02.1001"):
        declare(world, code)
        checklist(world, code, 2025, done={ChecklistItem.PATBM})
        checklist(world, code, YEAR, done={ChecklistItem.PATBM})

    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(LIST)


# --- shares --------------------------------------------------------------------------------------


def test_it_answers_the_shares_and_the_questions(client, world):
    declare(world, OEBOBO_KELURAHAN)
    checklist(world, OEBOBO_KELURAHAN, done={ChecklistItem.PATBM})
    declare(world, ALAK_KELURAHAN)
    declare(world, OEBOBO)
    client.force_login(world.national_evaluator)

    body = client.get(SHARES, {"year": YEAR}).json()

    assert body["local_government"] == KUPANG and body["year"] == YEAR
    assert (body["declared_villages"], body["total_villages"]) == (2, 51)
    assert Decimal(body["pct_villages_declared"]) == Decimal("3.92")
    assert body["villages_with_patbm"] == 1
    assert Decimal(body["pct_patbm"]) == Decimal("50.00")
    assert (body["declared_districts"], body["total_districts"]) == (1, 6)
    assert Decimal(body["pct_districts_declared"]) == Decimal("16.67")
    assert {k: Decimal(v) for k, v in body["questions"].items()} == {
        "2.4": Decimal("16.67"),
        "2.5": Decimal("3.92"),
        "2.6": Decimal("50.00"),
    }


def test_the_shares_default_to_this_year(client, world):
    declare(world, OEBOBO_KELURAHAN)
    client.force_login(world.secretariat)

    assert client.get(SHARES).json()["year"] == YEAR
    assert client.get(SHARES, {"year": 2024}).json()["declared_villages"] == 0
    assert client.get(SHARES, {"year": "tahun lalu"}).status_code == 422


@pytest.mark.parametrize("url", [LIST, SHARES])
def test_it_answers_404_outside_the_scope_and_401_without_login(client, world, url):
    assert client.get(url).status_code == 401
    client.force_login(world.jambi_secretariat)

    response = client.get(url)

    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "detail": "Tidak ditemukan."}


# --- update --------------------------------------------------------------------------------------


def test_the_secretariat_declares_through_the_api(client, world):
    client.force_login(world.secretariat)

    response = put(client, update_url(), DECLARE)

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "declared" and body["decree_number"] == "12/KEP/LRH/2025"
    assert body["task_force"]["member_count"] == 17
    row = VillageStatus.objects.get(region_id=OEBOBO_KELURAHAN)
    assert row.is_declared
    assert StatusChange.objects.filter(village_status=row).count() == 1


@pytest.mark.parametrize(
    ("persona", "code", "lg", "expected"),
    [
        ("village_officer", OEBOBO_KELURAHAN, KUPANG, 200),
        ("village_officer", OEBOBO, KUPANG, 200),
        ("village_officer", ALAK_KELURAHAN, KUPANG, 403),
        ("village_officer", JAMBI_KELURAHAN, JAMBI, 404),
        ("village_officer", JAMBI_KELURAHAN, KUPANG, 404),
        ("agency_operator", OEBOBO_KELURAHAN, KUPANG, 403),
        ("viewer", OEBOBO_KELURAHAN, KUPANG, 403),
        ("national_evaluator", OEBOBO_KELURAHAN, KUPANG, 403),
        ("jambi_secretariat", OEBOBO_KELURAHAN, KUPANG, 404),
        ("secretariat", KUPANG, KUPANG, 404),
        ("anonymous", OEBOBO_KELURAHAN, KUPANG, 401),
    ],
)
def test_who_may_set_a_status(client, world, persona, code, lg, expected):
    user = world.persona(persona)
    if user:
        client.force_login(user)

    response = put(client, update_url(code, lg), DECLARE)

    assert response.status_code == expected
    if expected != 200:
        assert response.json()["detail"]
    assert VillageStatus.objects.filter(status=Status.DECLARED).exists() == (expected == 200)


def test_it_answers_422_with_the_field_that_is_wrong(client, world):
    client.force_login(world.secretariat)

    missing = put(client, update_url(), {**DECLARE, "decree_number": ""})
    wrong = put(client, update_url(), {**DECLARE, "status": "revoked"})

    assert missing.status_code == 422
    assert "decree_number" in missing.json()["errors"]
    assert wrong.status_code == 422
    assert "status" in wrong.json()["errors"]
    assert not VillageStatus.objects.exists()


def test_it_documents_the_routes(client, db):
    paths = client.get("/api/v1/openapi.json").json()["paths"]

    assert {"200", "403", "404", "422"} <= set(
        paths["/api/v1/local-governments/{code}/villages/{region_code}"]["put"]["responses"]
    )
    listing = paths["/api/v1/local-governments/{code}/villages"]["get"]
    assert {p["name"] for p in listing["parameters"]} >= {"code", "status", "district"}
    shares = paths["/api/v1/local-governments/{code}/villages/shares"]["get"]
    assert {p["name"] for p in shares["parameters"]} >= {"code", "year"}
