"""Resetting someone's second factor (a lost phone): whoever manages the account — a case
supervisor for the unit's case workers, the secretariat for local roles, a national admin for
anyone — from the user page; audited, every API token revoked; never one's own."""

from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from sikla.accounts.actions import issue_api_token, reset_second_factor
from sikla.accounts.models import ApiToken, Role
from sikla.core.models import AuditEvent
from tests.personas import PASSWORD, extra_user, world_fixture  # noqa: F401
from tests.second_factor import authenticator_of, otp_for

BUTTON = "Atur ulang verifikasi dua langkah"


def reset_url(user) -> str:
    return f"/pengguna/{user.uid}/dua-langkah/atur-ulang/"


def enrolled_with_a_token(user) -> ApiToken:
    authenticator_of(user)
    token, _raw = issue_api_token(user, **otp_for(user))
    return token


def has_devices(user) -> bool:
    return (
        TOTPDevice.objects.filter(user=user).exists()
        or StaticDevice.objects.filter(user=user).exists()
    )


@pytest.mark.parametrize(
    ("actor", "account"),
    [
        ("case_supervisor", "case_worker"),
        ("national_admin", "secretariat"),
        ("national_admin", "case_supervisor"),
        ("secretariat", "second_secretary"),
    ],
)
def test_a_manager_resets_it_from_the_user_page_audited_and_tokens_revoked(
    client, world, actor, account
):
    world.second_secretary = extra_user(world, "sekretariat.dua", Role.SECRETARIAT)
    actor, account = world.persona(actor), world.persona(account)
    token = enrolled_with_a_token(account)
    elsewhere = Client()
    elsewhere.force_login(account)  # signed in with both factors on another computer
    assert elsewhere.get("/").status_code == 200
    client.force_login(actor)
    page = client.get(f"/pengguna/{account.uid}/").content.decode()
    assert BUTTON in page and 'data-testid="second-factor-status">Aktif<' in page

    response = client.post(reset_url(account))
    assert response.status_code == 302 and response.url == f"/pengguna/{account.uid}/"
    assert not has_devices(account)
    token.refresh_from_db()
    assert token.revoked_at is not None
    event = AuditEvent.objects.get(action="user.reset_second_factor")
    assert (event.actor, event.target_id, event.changes) == (
        actor,
        str(account.pk),
        {"devices": [2, 0]},
    )
    assert AuditEvent.objects.filter(action="api_token.revoke_all", note="second_factor").exists()
    page = client.get(f"/pengguna/{account.uid}/").content.decode()
    assert "Belum diaktifkan" in page and BUTTON not in page
    assert elsewhere.get("/").url.startswith("/akun/dua-langkah/aktifkan/")  # at once

    # The next login of that user starts with the enrolment again.
    client.logout()
    client.post("/masuk/", {"username": account.username, "password": PASSWORD})
    assert client.get("/").url.startswith("/akun/dua-langkah/aktifkan/")


@pytest.mark.parametrize(
    ("actor", "account"),
    [
        ("jambi_secretariat", "secretariat"),  # another local government: 404
        ("secretariat", "case_worker"),  # the protection compartment is the supervisor's
        ("viewer", "case_worker"),  # administers nobody
        ("case_worker", "case_supervisor"),
        ("case_supervisor", "secretariat"),
    ],
)
def test_nobody_else_may_reset_it(client, world, actor, account):
    account = world.persona(account)
    token = enrolled_with_a_token(account)
    client.force_login(world.persona(actor))
    assert client.post(reset_url(account)).status_code == 404
    assert has_devices(account)
    token.refresh_from_db()
    assert token.revoked_at is None
    assert not AuditEvent.objects.filter(action="user.reset_second_factor").exists()


@pytest.mark.parametrize("persona", ["national_admin", "case_supervisor"])
def test_nobody_resets_their_own(client, world, persona):
    user = world.persona(persona)
    authenticator_of(user)
    with pytest.raises(ValidationError):
        reset_second_factor(user, actor=user)
    client.force_login(user)
    response = client.post(reset_url(user), follow=True)
    assert response.status_code in (200, 404)
    assert has_devices(user)
    assert not AuditEvent.objects.filter(action="user.reset_second_factor").exists()


def test_the_command_line_resets_it_for_the_last_national_admin(world):
    authenticator_of(world.national_admin)
    out = StringIO()
    call_command(
        "reset-second-factor", world.national_admin.username, note="ponsel hilang", stdout=out
    )
    assert not has_devices(world.national_admin)
    event = AuditEvent.objects.get(action="user.reset_second_factor")
    assert (event.actor, event.note) == (None, "ponsel hilang")
    assert world.national_admin.username in out.getvalue()
