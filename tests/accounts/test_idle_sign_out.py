"""Case workers and supervisors are signed out after 30 minutes without a request; other roles
keep the normal session age (issue 13, point 3)."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from tests.personas import world_fixture  # noqa: F401

MESSAGE = "Sesi berakhir karena tidak ada aktivitas selama 30 menit."


@pytest.mark.parametrize("persona", ["case_worker", "case_supervisor"])
def test_a_protection_role_is_signed_out_after_31_idle_minutes(client, world, persona):
    client.force_login(world.persona(persona))
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        assert client.get("/").status_code == 200
    with time_machine.travel(start + timedelta(minutes=31), tick=False):
        response = client.get("/akun/")
        assert response.status_code == 302
        assert response.url == "/masuk/?next=%2Fakun%2F"
        assert "_auth_user_id" not in client.session
        page = client.get(response.url).content.decode()
        assert MESSAGE in page


def test_activity_keeps_the_session_alive(client, world):
    client.force_login(world.case_worker)
    start = timezone.now()
    for minutes in (0, 20, 40, 60):  # never 30 minutes apart
        with time_machine.travel(start + timedelta(minutes=minutes), tick=False):
            assert client.get("/").status_code == 200


def test_the_api_with_a_session_answers_401_in_json(client, world):
    client.force_login(world.case_supervisor)
    with time_machine.travel(timezone.now() + timedelta(minutes=31), tick=False):
        response = client.get("/api/v1/auth/tokens")
    assert response.status_code == 401
    assert response.json()["detail"] == MESSAGE


@pytest.mark.parametrize("persona", ["agency_operator", "secretariat"])
def test_other_roles_keep_the_normal_session_age(client, world, persona):
    client.force_login(world.persona(persona))
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        assert client.get("/").status_code == 200
    with time_machine.travel(start + timedelta(minutes=31), tick=False):
        assert client.get("/").status_code == 200


def test_the_limit_is_a_setting(client, world, settings):
    settings.PROTECTION_IDLE_MINUTES = 5
    client.force_login(world.case_worker)
    with time_machine.travel(timezone.now() + timedelta(minutes=6), tick=False):
        response = client.get("/")
    assert response.status_code == 302 and response.url.startswith("/masuk/")
