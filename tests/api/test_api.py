"""The JSON API: bearer tokens, scoping, the one error shape, the public reference routes."""

from decimal import Decimal

import pytest
from django.conf import settings

from sikla.accounts.actions import set_user_active
from tests.personas import JAMBI, KUPANG, PASSWORD, world_fixture  # noqa: F401
from tests.second_factor import otp_for

TOKEN_URL = "/api/v1/auth/token"


def request_token(client, username, password=PASSWORD):
    return client.post(
        TOKEN_URL,
        {"username": username, "password": password, **otp_for(username)},
        content_type="application/json",
    )


def bearer(token):
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def assert_json_error(response, status):
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["detail"]


@pytest.fixture
def token(client, world):
    return request_token(client, world.secretariat.username).json()["token"]


def test_it_exchanges_credentials_for_a_token(client, world):
    response = request_token(client, world.secretariat.username)
    assert response.status_code == 200
    assert set(response.json()) == {"token", "expires_at"}
    assert len(response.json()["token"]) >= 32


def test_it_lists_only_the_local_governments_in_the_token_owners_scope(client, token):
    response = client.get("/api/v1/local-governments", **bearer(token))
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == len(body["items"]) == 1
    assert [lg["code"] for lg in body["items"]] == [KUPANG]
    assert body["items"][0]["name"] == "Kota Kupang"
    assert body["items"][0]["agency_count"] == 3


def test_it_lists_every_local_government_to_a_national_user(client, world):
    token = request_token(client, world.national_evaluator.username).json()["token"]
    body = client.get("/api/v1/local-governments", **bearer(token)).json()
    assert [lg["code"] for lg in body["items"]] == [JAMBI, KUPANG]


def test_it_hides_a_local_government_outside_the_scope_as_404(client, token):
    assert client.get(f"/api/v1/local-governments/{KUPANG}", **bearer(token)).status_code == 200
    assert_json_error(client.get(f"/api/v1/local-governments/{JAMBI}", **bearer(token)), 404)


def test_it_refuses_a_wrong_password_with_401(client, world):
    assert_json_error(request_token(client, world.secretariat.username, "salah-sekali-123"), 401)


def test_it_refuses_an_unknown_user_with_the_same_401(client, world):
    response = request_token(client, "tidak.ada", PASSWORD)
    assert_json_error(response, 401)
    assert response.json() == request_token(client, world.viewer.username, "x" * 12).json()


def test_it_explains_a_malformed_body_with_422(client, world):
    response = client.post(TOKEN_URL, {"username": "sekretariat"}, content_type="application/json")
    assert_json_error(response, 422)
    assert list(response.json()["errors"]) == ["password"]


def test_it_explains_fields_of_the_wrong_type_with_422(client, world):
    response = client.post(
        TOKEN_URL, {"username": 1, "password": []}, content_type="application/json"
    )
    assert_json_error(response, 422)
    assert set(response.json()["errors"]) == {"username", "password"}


def test_it_refuses_a_body_that_is_not_json_with_a_json_400(client, world):
    response = client.post(TOKEN_URL, "username=a&password=b", content_type="application/json")
    assert_json_error(response, 400)


def test_it_asks_for_authentication_without_a_token(client, world):
    assert_json_error(client.get("/api/v1/local-governments"), 401)


def test_it_refuses_a_garbage_token(client, world):
    assert_json_error(client.get("/api/v1/local-governments", **bearer("bukan-token")), 401)


def test_it_refuses_the_token_of_a_deactivated_user(client, world, token):
    set_user_active(world.secretariat, actor=world.national_admin, active=False)
    assert_json_error(client.get("/api/v1/local-governments", **bearer(token)), 401)


def test_it_refuses_a_token_to_a_deactivated_user(client, world):
    set_user_active(world.viewer, actor=world.national_admin, active=False)
    assert_json_error(request_token(client, world.viewer.username), 401)


def test_it_describes_a_region_and_its_children_without_login(client, db):
    response = client.get("/api/v1/regions/53.71")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"code", "name", "level", "parent", "is_active", "population", "children"}
    assert (body["code"], body["name"], body["level"], body["parent"]) == (
        "53.71",
        "Kota Kupang",
        "regency",
        "53",
    )
    assert len(body["children"]) == 6
    assert all(set(child) == {"code", "name", "level"} for child in body["children"])
    assert {child["level"] for child in body["children"]} == {"district"}
    assert body["children"][0] == {"code": "53.71.01", "name": "Alak", "level": "district"}


def test_it_answers_an_unknown_region_with_json_404(client, db):
    assert_json_error(client.get("/api/v1/regions/99.99"), 404)


def test_it_publishes_the_indicator_catalog(client, db):
    response = client.get("/api/v1/indicators")
    assert response.status_code == 200
    body = response.json()
    assert len(body["indicators"]) == 24
    assert sum(Decimal(str(c["max_points"])) for c in body["clusters"]) == 1000
    assert [c["number"] for c in body["clusters"]] == [0, 1, 2, 3, 4, 5]
    for indicator in body["indicators"]:
        assert {"number", "name", "cluster", "max_points", "questions"} <= set(indicator)
        assert indicator["questions"]
    assert [i["number"] for i in body["indicators"]] == list(range(1, 25))


def test_it_publishes_its_openapi_description(client, db):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert "/api/v1/auth/token" in paths
    assert "/api/v1/local-governments/{code}" in paths


def test_it_builds_its_openapi_description_once_per_language(client, db, monkeypatch):
    """Building the description walks every operation's models (half a second of CPU): a client
    asking for it again and again must not make the server build it again and again."""
    import ninja.main

    from sikla.api.main import api

    built = []
    build = ninja.main.get_schema
    monkeypatch.setattr(ninja.main, "get_schema", lambda **kw: built.append(1) or build(**kw))
    monkeypatch.setattr(api, "_schemas", {})

    first = client.get("/api/v1/openapi.json").json()
    again = client.get("/api/v1/openapi.json").json()
    english = client.get("/api/v1/openapi.json", headers={"accept-language": "en"}).json()
    client.get("/api/v1/openapi.json", headers={"accept-language": "en"})

    assert first == again and "/api/v1/auth/token" in english["paths"]
    assert len(built) == 2  # Indonesian, English


def fail_until_locked(client, username):
    return [
        request_token(client, username, "kata-sandi-keliru").status_code
        for _ in range(settings.AXES_FAILURE_LIMIT)
    ]


def test_it_locks_the_token_endpoint_after_repeated_failures(client, world):
    statuses = fail_until_locked(client, world.secretariat.username)
    assert statuses[:-1] == [401] * (settings.AXES_FAILURE_LIMIT - 1)
    response = request_token(client, world.secretariat.username)
    assert_json_error(response, 429)
    assert "token" not in response.json()


def test_it_keeps_other_users_unlocked(client, world):
    fail_until_locked(client, world.secretariat.username)
    assert request_token(client, world.viewer.username).status_code == 200


@pytest.mark.parametrize("url", ["/api/v1/tidak-ada", "/api/v1/local-governments/53.71/x"])
def test_it_answers_an_unknown_api_path_with_json_404(client, world, url):
    client.force_login(world.secretariat)
    assert_json_error(client.get(url), 404)


def test_it_answers_a_wrong_method_with_json_405(client, world):
    response = client.get(TOKEN_URL)
    assert_json_error(response, 405)


def test_every_schema_has_its_own_name():
    """OpenAPI keys components by class name: two schemas of one name silently replace each
    other in the contract (and the fuzz test then fails on the wrong route)."""
    from ninja import Schema

    import sikla.api.main  # noqa: F401 - mounts every router, importing every schema

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    names = [c.__name__ for c in subclasses(Schema) if c.__module__.startswith("sikla.")]
    assert sorted(n for n in set(names) if names.count(n) > 1) == []
