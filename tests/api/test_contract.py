"""The API contract an integrator's generated client relies on (issue 16, point 4): readable and
complete operation ids, tags in one language, a machine code on every error, English when asked."""

import json
import re
import uuid

import pytest

from sikla.api.operations import OPERATION_IDS
from sikla.core.api_schemas import CODE_OF_STATUS, ErrorCode
from sikla.protection import spam
from tests.api.test_collection_api import Api, cells, submission_of, url
from tests.personas import world_fixture  # noqa: F401

SCHEMA = "/api/v1/openapi.json"


@pytest.fixture
def schema(client):
    return client.get(SCHEMA).json()


def operations(schema):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield f"{method.upper()} {path}", operation


def test_every_operation_has_a_readable_stable_id(schema):
    ids = {key: op["operationId"] for key, op in operations(schema)}
    assert len(set(ids.values())) == len(ids), "operation ids are unique"
    assert all(re.fullmatch(r"[a-z]+(?:[A-Z][a-z]+)*", i) for i in ids.values()), ids
    assert set(ids.values()) == set(OPERATION_IDS.values())  # none unused, none missing
    assert ids["PUT /api/v1/submissions/{uid}/values"] == "replaceSubmissionValues"
    assert ids["PATCH /api/v1/submissions/{uid}/values"] == "updateSubmissionValues"
    assert ids["GET /api/v1/local-governments/{code}/periods/{year}/submissions"] == (
        "listSubmissions"
    )


def test_tags_name_areas_in_one_language(schema):
    tags = {tag for _key, op in operations(schema) for tag in op.get("tags", [])}
    assert tags == {
        "autentikasi",
        "wilayah",
        "indikator",
        "pemerintah daerah",
        "pengumpulan data",
        "evaluasi",
        "pemantauan",
        "perlindungan: kasus",
        "perlindungan: statistik",
        "pengaduan publik",
        "koordinasi: rapat dan tindak lanjut",
        "koordinasi: rencana aksi",
        "desa/kelurahan layak anak",
        "partisipasi",
        "profil anak",
        "portal publik",
    }


def test_the_schema_requires_the_error_code_and_lists_every_code(schema):
    error = schema["components"]["schemas"]["ErrorOut"]
    assert error["required"][0] == "code" and "default" not in error["properties"]["code"]
    codes = schema["components"]["schemas"]["ErrorCode"]["enum"]
    assert set(codes) == {c.value for c in ErrorCode} == {c.value for c in CODE_OF_STATUS.values()}


def test_every_error_status_answers_its_machine_code(client, world, settings):
    operator = Api(client, world.agency_operator)
    viewer = Api(client, world.viewer)
    item = submission_of(world)
    assert operator.put(url(item), {"version": 1, "values": cells()}).status_code == 200
    answers = {
        400: client.post("/api/v1/auth/token", "{bukan json", content_type="application/json"),
        401: client.get("/api/v1/local-governments"),
        403: viewer.put(url(item), {"version": 2, "values": cells()}),
        404: operator.get(f"/api/v1/submissions/{uuid.uuid4()}/values"),
        405: operator.client.delete(url(item), **operator.headers),
        409: operator.put(url(item), {"version": 1, "values": cells()}),
        422: operator.put(url(item), {"version": "dua", "values": []}),
    }
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    answers[413] = client.post(
        "/api/v1/complaints",
        json.dumps({"description": "x" * 4000}),
        content_type="application/json",
    )
    for _attempt in range(spam.STATUS_LOOKUPS_PER_HOUR + 1):  # limited per client
        answer = client.get("/api/v1/complaints/ZZZZ-ZZZZ")
        if answer.status_code == 429:
            break
    answers[429] = answer

    for status, response in answers.items():
        assert response.status_code == status, (status, response.content)
        body = response.json()
        assert body["code"] == CODE_OF_STATUS[status].value, (status, body)
        assert isinstance(body["detail"], str) and body["detail"]
    assert answers[409].json()["code"] == "stale_version"
    assert answers[422].json()["errors"]["version"]
    assert answers[429]["Retry-After"]


def test_accept_language_en_answers_english_and_indonesian_stays_the_default(client, world):
    english = {"HTTP_ACCEPT_LANGUAGE": "en-GB,en;q=0.9,id;q=0.5"}
    absent = client.get("/api/v1/local-governments", **english)
    assert absent.json() == {"code": "not_authenticated", "detail": "Authentication required."}
    assert absent["Content-Language"] == "en" and "Accept-Language" in absent["Vary"]

    operator = Api(client, world.agency_operator)
    missing = client.get(
        f"/api/v1/submissions/{uuid.uuid4()}/values", **operator.headers, **english
    )
    assert missing.json()["detail"] == "Not found."
    item = submission_of(world)
    refused = client.put(
        url(item),
        {"version": 1, "values": [{"region": "53.71.01", "numerator": 12, "denominator": 10}]},
        content_type="application/json",
        **operator.headers,
        **english,
    )
    assert refused.json()["detail"] == "Invalid data."
    assert refused.json()["errors"] == {
        "values[0].numerator": ["The numerator (12) exceeds the denominator (10)."]
    }

    indonesian = client.get("/api/v1/local-governments")
    assert indonesian.json()["detail"] == "Autentikasi diperlukan."
    assert indonesian["Content-Language"] == "id"


ENUM_FIELDS = re.compile(
    r"^(?:status|stage|kind|category|score_category|latest_category|\w+_status|\w+_kind)$"
)


def _enum_like(schema: dict, components: dict) -> bool:
    if "enum" in schema or "const" in schema or schema.get("type") == "null":
        return True
    if "$ref" in schema:
        return _enum_like(components[schema["$ref"].rsplit("/", 1)[1]], components)
    options = schema.get("anyOf") or schema.get("oneOf") or schema.get("allOf")
    return bool(options) and all(_enum_like(o, components) for o in options)


def test_every_status_stage_and_kind_is_an_enum_and_every_uid_a_uuid(schema):
    components = schema["components"]["schemas"]
    loose, untyped = [], []
    for name, component in components.items():
        for field, prop in component.get("properties", {}).items():
            if (name, field) == ("ProfileIndicatorOut", "status"):
                continue  # a sentence: why the value is missing ("" when it is there)
            if ENUM_FIELDS.match(field) and not _enum_like(prop, components):
                loose.append(f"{name}.{field}")
            if (field == "uid" or field.endswith("_uid")) and prop.get("format") != "uuid":
                untyped.append(f"{name}.{field}")
    assert loose == [] and untyped == []
    from sikla.indicators.models import CategoryName

    category = components["MonitoringItem"]["properties"]["category"]
    assert category["enum"] == ["", *CategoryName.values]  # the regulation's five, or none
    assert components["SubmissionStatus"]["enum"] == [
        "draft",
        "submitted",
        "returned",
        "approved",
    ]


def test_decimals_follow_one_rule_strings_in_decimal_format(schema, client, world):
    components = schema["components"]["schemas"]
    mixed = [
        f"{name}.{field}"
        for name, component in components.items()
        for field, prop in component.get("properties", {}).items()
        if {"number", "string"} <= {o.get("type") for o in prop.get("anyOf", [])}
    ]
    assert mixed == []  # never "a number or a string"
    numerator = components["ValueOut"]["properties"]["numerator"]["anyOf"][0]
    assert numerator == components["ValueIn"]["properties"]["numerator"]["anyOf"][0]
    assert (numerator["type"], numerator["format"]) == ("string", "decimal")

    operator = Api(client, world.agency_operator)
    item = submission_of(world)
    sent = [{"region": "53.71.01", "numerator": "281", "denominator": "357.5"}]
    body = operator.put(url(item), {"version": 1, "values": sent}).json()
    assert (body["values"][0]["numerator"], body["values"][0]["denominator"]) == (
        "281.00",
        "357.50",
    )


def test_every_list_route_is_paged_the_same_way_with_a_bounded_limit(schema, client, world):
    components = schema["components"]["schemas"]
    lists = {}
    for path, methods in schema["paths"].items():
        get = methods.get("get")
        if not get:
            continue
        ok = get["responses"]["200"]["content"]["application/json"]["schema"]
        assert ok.get("type") != "array", f"{path} answers a bare array"
        props = components.get(ok.get("$ref", "/").rsplit("/", 1)[1], {}).get("properties", {})
        if props.get("items", {}).get("type") == "array":
            lists[path] = get
            assert {"count", "limit", "offset"} <= set(props), path
            params = {p["name"]: p["schema"] for p in get.get("parameters", [])}
            assert params["limit"]["maximum"] == 500 and params["offset"]["minimum"] == 0, path
    assert len(lists) >= 14  # submissions, cases, meetings, villages, monitoring, portal, …

    operator = Api(client, world.agency_operator)
    listing = f"/api/v1/local-governments/{world.kupang.code}/periods/2026/submissions"
    page = operator.get(listing + "?limit=5&offset=10").json()
    assert (page["count"], page["limit"], page["offset"]) == (24, 5, 10)
    assert [s["indicator"] for s in page["items"]] == [11, 12, 13, 14, 15]
    too_many = operator.get(listing + "?limit=100000")
    assert too_many.status_code == 422 and too_many.json()["code"] == "invalid"
    assert "limit" in too_many.json()["errors"]
