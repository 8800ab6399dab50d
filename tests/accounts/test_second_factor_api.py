"""API tokens for the roles that need a second factor are issued only to a request that proves
it (`otp`): refused without one (422), with a wrong one (401, counted toward the lockout), before
enrolment (403); accepted with the authenticator's code or a recovery code. Other roles need
none. The OpenAPI contract documents the field."""

import pytest
from axes.models import AccessAttempt
from django.conf import settings

from sikla.accounts.actions import SecondFactorRefused, issue_api_token
from sikla.accounts.models import ApiToken
from tests.personas import PASSWORD, world_fixture  # noqa: F401
from tests.second_factor import app_code, authenticator_of, recovery_code_for

TOKEN_URL = "/api/v1/auth/token"


def ask(client, user, **extra):
    return client.post(
        TOKEN_URL,
        {"username": user.username, "password": PASSWORD, **extra},
        content_type="application/json",
    )


def wrong_code(device) -> str:
    return "000000" if app_code(device) != "000000" else "111111"


@pytest.mark.parametrize(
    "persona", ["case_worker", "case_supervisor", "secretariat", "national_admin"]
)
def test_a_token_needs_the_code_from_the_authenticator(client, world, persona):
    user = world.persona(persona)
    device = authenticator_of(user)
    response = ask(client, user)
    assert response.status_code == 422
    assert (
        response.json()["detail"]
        == "Kode verifikasi dua langkah (otp) wajib diisi untuk peran ini."
    )
    assert not ApiToken.objects.filter(user=user).exists()

    response = ask(client, user, otp=app_code(device))
    assert response.status_code == 200, response.content
    assert ApiToken.objects.filter(user=user).count() == 1


def test_a_wrong_code_is_refused_and_counted_as_a_failed_login(client, world):
    device = authenticator_of(world.secretariat)
    response = ask(client, world.secretariat, otp=wrong_code(device))
    assert response.status_code == 401
    assert response.json()["detail"] == "Kode verifikasi dua langkah salah atau sudah dipakai."
    assert AccessAttempt.objects.get(username=world.secretariat.username).failures_since_start == 1
    assert not ApiToken.objects.exists()


def test_repeated_wrong_codes_lock_the_token_api_out(client, world):
    authenticator_of(world.case_worker)
    statuses = [
        ask(client, world.case_worker, otp="salahsalah").status_code
        for _ in range(settings.AXES_FAILURE_LIMIT + 1)
    ]
    assert statuses == [401] * (settings.AXES_FAILURE_LIMIT - 1) + [429, 429]
    response = ask(client, world.case_worker, otp=recovery_code_for(world.case_worker))
    assert response.status_code == 429  # even with a right code now


def test_a_recovery_code_gets_one_token_once(client, world):
    code = recovery_code_for(world.case_supervisor)
    assert ask(client, world.case_supervisor, otp=code).status_code == 200
    assert ask(client, world.case_supervisor, otp=code).status_code == 401


def test_before_enrolment_there_is_no_token(client, world):
    response = ask(client, world.national_admin, otp="123456")
    assert response.status_code == 403
    assert "Aktifkan verifikasi dua langkah" in response.json()["detail"]
    with pytest.raises(SecondFactorRefused):
        issue_api_token(world.national_admin)


@pytest.mark.parametrize("persona", ["agency_operator", "viewer", "national_evaluator"])
def test_other_roles_need_no_code(client, world, persona):
    assert ask(client, world.persona(persona)).status_code == 200


def test_the_contract_documents_the_field(client, world):
    schema = client.get("/api/v1/openapi.json").json()
    credentials = schema["components"]["schemas"]["Credentials"]
    assert "otp" in credentials["properties"] and "otp" not in credentials.get("required", [])
    assert "aplikasi autentikator" in credentials["properties"]["otp"]["description"]
