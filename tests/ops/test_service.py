"""Running as a service: health and readiness, metrics, the client's address behind proxies,
structured logs without identities, the replica router."""

import json
import logging

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import resolve

from sikla.ops import replica
from sikla.ops.client import client_address
from sikla.ops.logs import JsonFormatter, redact, request_id
from tests.personas import KUPANG, world_fixture  # noqa: F401

# -- health ---------------------------------------------------------------------------------------


def test_healthz_answers_without_login(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_readyz_checks_database_cache_storage_and_queue(client, db):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "cache": "ok", "storage": "ok", "queue": "ok"},
    }


def test_readyz_fails_when_the_cache_is_gone_and_says_no_more_than_that(client, db, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",  # nothing listens on the discard port
        }
    }
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["cache"] == "gagal"
    assert response.json()["checks"]["database"] == "ok"
    assert "127.0.0.1" not in response.content.decode()
    assert "Error" not in response.content.decode()


# -- metrics --------------------------------------------------------------------------------------


def test_metrics_count_requests_per_route(client, world):
    client.force_login(world.secretariat)
    client.get(f"/organisasi/{KUPANG}/")
    body = client.get("/metrics").content.decode()
    assert (
        'sikla_http_requests_total{method="GET",route="/organisasi/<str:code>/",status="200"}'
        in body
    )
    assert "sikla_http_request_duration_seconds_bucket" in body
    assert KUPANG not in body  # routes, never the values in them


def test_metrics_only_for_allowed_addresses_or_the_token(client, db, settings):
    settings.METRICS_TOKEN = "rahasia-metrik-uji"
    outside = {"REMOTE_ADDR": "203.0.113.5"}
    assert client.get("/metrics", **outside).status_code == 403
    with_token = client.get("/metrics", HTTP_AUTHORIZATION="Bearer rahasia-metrik-uji", **outside)
    assert with_token.status_code == 200
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer salah", **outside).status_code == 403


def test_metrics_behind_the_proxy_judge_the_real_client(client, db, settings):
    """nginx connects from 127.0.0.1; the client it forwards is not thereby local."""
    settings.TRUSTED_PROXIES = 1
    via_proxy = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.5"}
    assert client.get("/metrics", **via_proxy).status_code == 403
    spoofed = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "127.0.0.1, 203.0.113.5"}
    assert client.get("/metrics", **spoofed).status_code == 403


# -- the client's address -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "198.51.100.7", "10.0.0.1"),  # no proxy trusted: the header is anybody's text
        (1, "198.51.100.7", "198.51.100.7"),
        (1, "6.6.6.6, 198.51.100.7", "198.51.100.7"),  # a prefix written by the client
        (2, "6.6.6.6, 198.51.100.7, 10.0.0.9", "198.51.100.7"),
        (2, "198.51.100.7", "198.51.100.7"),  # a shorter chain: its leftmost
        (1, "", "10.0.0.1"),
    ],
)
def test_the_client_is_the_address_the_trusted_proxy_saw(settings, proxies, forwarded, expected):
    settings.TRUSTED_PROXIES = proxies
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected


# -- logs -----------------------------------------------------------------------------------------


def test_a_log_line_is_one_json_object_with_the_request_id():
    token = request_id.set("abc123def456")
    try:
        record = logging.makeLogRecord(
            {"name": "sikla.test", "levelname": "INFO", "msg": "case %s opened", "args": (7,)}
        )
        line = JsonFormatter().format(record)
    finally:
        request_id.reset(token)
    entry = json.loads(line)
    assert "\n" not in line
    assert entry["message"] == "case 7 opened"
    assert entry["request_id"] == "abc123def456"
    assert entry["level"] == "INFO" and entry["logger"] == "sikla.test"


@pytest.mark.parametrize(
    ("text", "hidden"),
    [
        ("NIK 5371044508150001 ditolak", "5371044508150001"),
        ("Authorization: Bearer sk_9f8e7d6c5b4a3f2e1d0c", "sk_9f8e7d6c5b4a3f2e1d0c"),
        ("POST password=sandi-rahasia-123&username=x", "sandi-rahasia-123"),
        ("mail to ibu.melati@example.org failed", "ibu.melati@example.org"),
    ],
)
def test_logs_mask_identities_tokens_and_passwords(text, hidden):
    assert hidden not in redact(text)


def test_each_request_is_logged_by_its_route_with_an_id(client, world, caplog):
    client.force_login(world.secretariat)
    with caplog.at_level(logging.INFO, logger="sikla.request"):
        response = client.get(f"/organisasi/{KUPANG}/", HTTP_X_REQUEST_ID="req-0123456789")
    assert response["X-Request-ID"] == "req-0123456789"
    (entry,) = [r for r in caplog.records if r.name == "sikla.request"]
    assert (entry.route, entry.status, entry.method) == ("/organisasi/<str:code>/", 200, "GET")
    line = json.loads(JsonFormatter().format(entry))
    assert line["route"] == "/organisasi/<str:code>/" and line["status"] == 200


def test_a_request_id_that_is_not_an_id_is_replaced(client, db):
    response = client.get("/healthz", HTTP_X_REQUEST_ID="<script>alert(1)</script>")
    assert "<" not in response["X-Request-ID"] and len(response["X-Request-ID"]) == 32


# -- the replica ----------------------------------------------------------------------------------


def test_reads_go_to_the_replica_only_inside_a_marked_view(settings):
    settings.READ_REPLICA = True
    router = replica.ReplicaRouter()
    assert router.db_for_read(None) is None  # the primary
    with replica.reading_from_replica():
        assert router.db_for_read(None) == "replica"
        assert router.db_for_write(None) == "default"
    assert router.db_for_read(None) is None
    assert router.allow_migrate("replica", "core") is False


def test_without_a_replica_everything_reads_the_primary():
    router = replica.ReplicaRouter()
    with replica.reading_from_replica():
        assert router.db_for_read(None) is None


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/kla/", "replica"),
        (f"/kla/{KUPANG}/", "replica"),
        ("/evaluasi/", "replica"),
        (f"/perlindungan/{KUPANG}/statistik/", "replica"),
        ("/api/v1/public/local-governments", "replica"),
        (f"/organisasi/{KUPANG}/", None),
        (f"/organisasi/{KUPANG}/periode/", None),
    ],
)
def test_the_heavy_pages_read_from_the_replica_and_the_rest_from_the_primary(
    settings, path, expected
):
    settings.READ_REPLICA = True
    router = replica.ReplicaRouter()
    request = RequestFactory().get(path)
    request.resolver_match = resolve(path)
    during = []

    def view(request):
        middleware.process_view(request, request.resolver_match.func, (), {})  # as Django does
        during.append(router.db_for_read(None))
        return HttpResponse()

    middleware = replica.ReplicaMiddleware(view)
    middleware(request)

    assert during == [expected]
    assert router.db_for_read(None) is None  # and the next request starts on the primary


def test_every_replica_route_exists():
    from django.urls import NoReverseMatch, reverse

    for name in replica.REPLICA_VIEWS:
        try:
            reverse(name)
        except NoReverseMatch:
            reverse(name, kwargs={"code": KUPANG})
