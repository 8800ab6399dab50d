"""The public complaint API: no login, the same limiter and spam rules as the form, and a status
answer that says nothing but the public label and the date."""

import json

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from sikla.protection import spam
from sikla.protection.models import Complaint
from tests.personas import JAMBI, KUPANG, world_fixture  # noqa: F401

from .conftest import KELURAHAN
from .test_public import form_url, report

CREATE = "/api/v1/complaints"
JAMBI_KELURAHAN = "15.71.01.1001"


@pytest.fixture(autouse=True)
def _fresh_limits(settings):
    cache.clear()
    settings.COMPLAINT_MIN_SECONDS = 0
    yield
    cache.clear()


def body(**overrides) -> dict:
    data = {
        "local_government": KUPANG,
        "kelurahan": KELURAHAN,
        "description": "Anak tetangga tidak sekolah dan disuruh bekerja sampai malam.",
        "incident_date": "2025-04-02",
        "place": "household",
        "child_name": "Mawar Uji",
        "child_age": 12,
        "child_sex": "P",
        "reporter_relation": "neighbour",
        "reporter_anonymous": False,
        "reporter_name": "Pak RT",
        "reporter_contact": "0813-0000-0000",
        "child_wording": False,
        "website": "",
    }
    data.update(overrides)
    return data


def create(client, data=None, **extra):
    return client.post(
        CREATE, body() if data is None else data, content_type="application/json", **extra
    )


def status_url(code: str) -> str:
    return reverse("api:complaint_status", args=[code])


def test_it_names_its_routes():
    assert reverse("api:complaint_create") == CREATE


def test_it_takes_a_report_and_tells_its_status_without_a_login(client, world):
    response = create(client)
    assert response.status_code == 201
    code = response.json()["tracking_code"]
    assert response.json() == {"tracking_code": code}

    complaint = Complaint.objects.get()
    assert complaint.tracking_code == code
    assert complaint.channel == "web"
    assert complaint.incident_region_id == KELURAHAN
    assert complaint.child_name == "Mawar Uji"
    assert (complaint.child_age, complaint.child_sex) == (12, "P")

    status = client.get(status_url(code.lower().replace("-", "")))
    assert status.status_code == 200
    assert status.json() == {
        "tracking_code": code,
        "status": "received",
        "status_label": "Diterima",
        "received_on": timezone.localdate(complaint.received_at).isoformat(),
    }


def test_it_takes_a_report_without_the_optional_fields(client, world):
    minimal = {"local_government": KUPANG, "description": "Ada anak dipukul di pasar."}
    response = create(client, minimal)
    assert response.status_code == 201
    complaint = Complaint.objects.get()
    assert complaint.incident_region is None
    assert complaint.child_age is None


def test_it_forgets_the_reporter_who_asks_for_anonymity(client, world):
    assert create(client, body(reporter_anonymous=True)).status_code == 201
    complaint = Complaint.objects.get()
    assert complaint.reporter_name == complaint.reporter_contact == ""


def test_it_answers_404_for_an_unknown_code(client, world):
    for code in ("ZZZZ-ZZZZ", "abc"):
        response = client.get(status_url(code))
        assert response.status_code == 404
        assert response.json() == {"code": "not_found", "detail": "Kode tidak ditemukan."}


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"local_government": "99.99"}, "local_government"),
        ({"kelurahan": "53.71.99.9999"}, "kelurahan"),
        ({"kelurahan": JAMBI_KELURAHAN}, "kelurahan"),
        ({"incident_date": "2999-01-01"}, "incident_date"),
        ({"incident_date": "kemarin"}, "incident_date"),
        ({"child_age": 18}, "child_age"),
        ({"child_age": -1}, "child_age"),
        ({"child_sex": "X"}, "child_sex"),
        ({"place": "bulan"}, "place"),
        ({"description": ""}, "description"),
        ({"description": "x" * 5001}, "description"),
        ({"description": " ".join(f"http://iklan{i}.example" for i in range(4))}, "description"),
        ({"reporter_name": "n" * 151}, "reporter_name"),
    ],
)
def test_it_refuses_invalid_input_with_422(client, world, overrides, field):
    response = create(client, body(**overrides))
    assert response.status_code == 422
    payload = response.json()
    assert payload["detail"] == "Data tidak valid."
    assert field in payload["errors"]
    assert Complaint.objects.count() == 0


def test_it_refuses_a_nul_byte(client, world):
    response = create(client, body(description="a\x00b"))
    assert response.status_code == 400
    assert "detail" in response.json()
    assert Complaint.objects.count() == 0


def test_it_refuses_malformed_json(client, world):
    response = client.post(CREATE, "{not json", content_type="application/json")
    assert response.status_code == 400
    assert Complaint.objects.count() == 0


def test_it_limits_reports_per_client_with_the_forms_count(client, world):
    assert create(client, body(child_age=18)).status_code == 422  # refused input costs nothing
    for _i in range(3):
        assert create(client).status_code == 201
    for _i in range(2):  # the form and the API share one count
        assert client.post(form_url(), report()).status_code == 302
    response = create(client)
    assert response.status_code == 429
    assert response["Content-Type"].startswith("application/json")
    assert "SAPA 129" in response.json()["detail"]
    assert response["Retry-After"] == "3600"
    assert Complaint.objects.count() == 5
    assert create(client, REMOTE_ADDR="10.1.2.3").status_code == 201


def test_it_pretends_to_accept_what_a_robot_fills_in(client, world):
    response = create(client, body(website="https://iklan.example"))
    assert response.status_code == 201
    decoy = response.json()["tracking_code"]
    assert spam.decoy_tracking_code().count("-") == decoy.count("-") == 1
    assert len(decoy) == 9
    assert Complaint.objects.count() == 0
    assert client.get(status_url(decoy)).status_code == 404


def test_it_limits_status_lookups(client, world):
    code = create(client).json()["tracking_code"]
    for _i in range(spam.STATUS_LOOKUPS_PER_HOUR):
        assert client.get(status_url("ZZZZ-ZZZZ")).status_code == 404
    response = client.get(status_url(code))
    assert response.status_code == 429
    assert set(response.json()) == {"code", "detail"}  # nothing about the code asked


def test_it_accepts_reports_for_every_active_local_government(client, world):
    response = create(client, body(local_government=JAMBI, kelurahan=JAMBI_KELURAHAN))
    assert response.status_code == 201
    assert Complaint.objects.get().local_government_id == JAMBI


def test_it_documents_the_public_routes_without_auth(client, world):
    schema = client.get("/api/v1/openapi.json").json()
    create_op = schema["paths"]["/api/v1/complaints"]["post"]
    status_op = schema["paths"]["/api/v1/complaints/{tracking_code}"]["get"]
    assert "security" not in create_op and "security" not in status_op
    assert {"201", "422", "429"} <= set(create_op["responses"])


def test_an_oversized_body_gets_a_json_413(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    response = client.post(
        "/api/v1/complaints",
        json.dumps({"description": "x" * 4000}),
        content_type="application/json",
    )
    assert response.status_code == 413
    assert "terlalu besar" in response.json()["detail"]
