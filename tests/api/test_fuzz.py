"""Fuzzing every operation of the API's own OpenAPI description (schemathesis, in-process WSGI).

Each operation is fuzzed twice: without credentials (schemathesis still invents garbage bearer
tokens and session cookies) and with a bearer token of the Kupang secretariat. Every response must
be no server error, match what the schema documents (content type, body, headers), be either a
documented status or a 4xx, and every 4xx/5xx must be the project's one error shape: JSON with a
string "detail". Generation is derandomized, so a run is reproducible and a failure is stable.
"""

import json

import pytest
import schemathesis
from django.conf import settings
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test.utils import override_settings
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.personas import JAMBI, KUPANG, OEBOBO, PASSWORD, world_fixture  # noqa: F401
from tests.second_factor import otp_for

BASE_URL = "http://testserver"
OPENAPI_URL = "/api/v1/openapi.json"
TOKEN_URL = "/api/v1/auth/token"
TOKEN_OPERATION = f"POST {TOKEN_URL}"

HANDLER = get_wsgi_application()


def APP(environ, start_response):
    """Django's WSGI handler, keeping the database connection open as Django's test client does.

    The handler's request_started/request_finished signals close a connection found outside
    autocommit, which on PostgreSQL would end the test's transaction (SQLite's in-memory test
    database never closes) and fail every later request with "the connection is closed".
    """
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        response = HANDLER(environ, start_response)
        content = b"".join(response)
        response.close()  # sends request_finished, as a WSGI server would
        return [content]
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


# Loaded at collection time, before pytest-django adds "testserver" to ALLOWED_HOSTS for the tests.
with override_settings(ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"]):
    SCHEMA = schemathesis.openapi.from_wsgi(OPENAPI_URL, APP, base_url=BASE_URL)
SCHEMA.config.update(base_url=BASE_URL)

# Random strings never name a real region or persona, so the served schema (which has no examples)
# gets explicit ones here: schemathesis's "examples" phase then also exercises, and checks, the
# successful answers (a region and a local government in and out of scope, a real login).
_PATH_EXAMPLES = {
    "/api/v1/regions/{code}": [KUPANG, JAMBI, OEBOBO, KUPANG[:2]],
    "/api/v1/local-governments/{code}": [KUPANG, JAMBI],
}
for _path, _codes in _PATH_EXAMPLES.items():
    (_parameter,) = SCHEMA.raw_schema["paths"][_path]["get"]["parameters"]
    _parameter["examples"] = {code: {"value": code} for code in _codes}
SCHEMA.raw_schema["paths"][TOKEN_URL]["post"]["requestBody"]["content"]["application/json"][
    "example"
] = {"username": "secretariat", "password": PASSWORD}

FUZZ = hypothesis_settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    database=None,  # derandomized: an example database would add nothing
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def token_for(client, username):
    response = client.post(
        TOKEN_URL,
        {"username": username, "password": PASSWORD, **otp_for(username)},
        content_type="application/json",
    )
    assert response.status_code == 200
    return response.json()["token"]


@pytest.fixture(params=["anonymous", "secretariat"])
def headers(request, client, world):
    """No credentials of our own, or a bearer token of the Kupang secretariat (same world both)."""
    # Schemathesis's in-process transport does not undo gzip, which the app applies to a client
    # that accepts it (every HTTP library decodes it): ask for the body as it is.
    plain = {"Accept-Encoding": "identity"}
    if request.param == "anonymous":
        return plain
    return {**plain, "Authorization": f"Bearer {token_for(client, world.secretariat.username)}"}


def error_shape(ctx, response, case):
    """Every 4xx/5xx is JSON `{"detail": "<text>", ...}`."""
    if response.status_code < 400:
        return
    content_type = (response.headers.get("content-type") or [""])[0]
    assert content_type.startswith("application/json"), f"error is {content_type!r}, not JSON"
    try:
        body = json.loads(response.content)
    except ValueError as exc:
        raise AssertionError(f"error body is not JSON: {response.content[:200]!r}") from exc
    assert isinstance(body, dict), f"error body is not an object: {body!r}"
    assert isinstance(body.get("detail"), str) and body["detail"], f"no string detail: {body!r}"


CHECKS = [
    not_a_server_error,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
    error_shape,
]


@SCHEMA.parametrize()
@FUZZ
def test_every_operation_answers_within_its_contract(case, headers):
    case.call_and_validate(base_url=BASE_URL, headers=headers, checks=CHECKS)


def test_token_refuses_multipart_without_boundary_as_a_client_error(client, db):
    response = client.post(
        TOKEN_URL,
        json.dumps({"username": "tidak.ada", "password": "salah-sekali-123"}),
        content_type="multipart/form-data",
    )
    assert 400 <= response.status_code < 500
    assert isinstance(response.json()["detail"], str)


@pytest.mark.parametrize(
    ("url", "body"),
    [
        (TOKEN_URL, {"username": "sekre\x00tariat", "password": "salah-sekali-123"}),
        ("/api/v1/regions/53%0071", None),
        ("/api/v1/indicators?version=%00", None),
        ("/api/v1/local-governments?q=Kupang%00", None),
        ("/api/v1/local-governments/53%0071", None),
    ],
    ids=["token username", "region code", "catalog version", "search", "local government code"],
)
def test_a_nul_character_is_refused_as_a_client_error(client, world, url, body):
    token = token_for(client, world.secretariat.username)
    if body is None:
        response = client.get(url, HTTP_AUTHORIZATION=f"Bearer {token}")
    else:
        response = client.post(url, body, content_type="application/json")
    assert response.status_code < 500, response.content
    if response.status_code >= 400:
        assert isinstance(response.json()["detail"], str)
