"""API tokens die with the password, can be listed and revoked by their owner (page and API) and
by an administrator, and live 7 days for the roles that read children's cases (issue 13, point 4)."""

from datetime import timedelta

from django.test import Client
from django.utils import timezone

from sikla.accounts.models import ApiToken
from sikla.core.models import AuditEvent
from tests.personas import PASSWORD, world_fixture  # noqa: F401
from tests.second_factor import otp_for

NEW_PASSWORD = "sandi-baru-yang-panjang-sekali"


def issue(client, user, password=PASSWORD) -> str:
    response = client.post(
        "/api/v1/auth/token",
        {"username": user.username, "password": password, **otp_for(user)},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    return response.json()["token"]


def works(client, token) -> bool:
    """The token alone opens the API (a fresh client: no session to fall back on)."""
    response = Client().get("/api/v1/auth/tokens", HTTP_AUTHORIZATION=f"Bearer {token}")
    return response.status_code == 200


def test_a_token_dies_when_its_owner_changes_the_password(client, world):
    token = issue(client, world.secretariat)
    assert works(client, token)
    client.force_login(world.secretariat)
    response = client.post(
        "/akun/kata-sandi/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert not works(client, token)
    assert AuditEvent.objects.filter(action="api_token.revoke_all", note="password").exists()


def test_a_token_dies_when_an_administrator_resets_the_password(client, world):
    token = issue(client, world.secretariat)
    client.force_login(world.national_admin)
    response = client.post(
        f"/pengguna/{world.secretariat.uid}/kata-sandi/",
        {"password": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert not works(client, token)


def test_an_administrator_revokes_every_token_of_a_user(client, world):
    tokens = [issue(client, world.secretariat) for _ in range(2)]
    client.force_login(world.national_admin)
    page = client.get(f"/pengguna/{world.secretariat.uid}/").content.decode()
    assert "Cabut 2 token API aktif" in page
    client.post(f"/pengguna/{world.secretariat.uid}/token/cabut/")
    assert not any(works(client, t) for t in tokens)


def test_the_owner_sees_and_revokes_a_token_on_the_page(client, world):
    keep, drop = issue(client, world.secretariat), issue(client, world.secretariat)
    client.force_login(world.secretariat)
    page = client.get("/akun/").content.decode()
    assert f'data-testid="token-{drop[:8]}"' in page and drop not in page  # never the token
    row = ApiToken.objects.get(prefix=drop[:8])
    client.post(f"/akun/token/{row.pk}/cabut/")
    assert not works(client, drop) and works(client, keep)
    # Someone else's token is not the user's to revoke.
    other = issue(client, world.viewer)
    other_row = ApiToken.objects.get(prefix=other[:8])
    assert client.post(f"/akun/token/{other_row.pk}/cabut/").status_code == 404
    assert works(client, other)


def test_the_owner_lists_and_revokes_a_token_through_the_api(client, world):
    token, spare = issue(client, world.secretariat), issue(client, world.secretariat)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    listed = client.get("/api/v1/auth/tokens", **headers).json()["items"]
    assert {t["prefix"] for t in listed} >= {token[:8], spare[:8]}
    assert token not in str(listed)
    assert client.delete(f"/api/v1/auth/tokens/{spare[:8]}", **headers).status_code == 204
    assert not works(client, spare) and works(client, token)
    assert client.delete(f"/api/v1/auth/tokens/{spare[:8]}", **headers).status_code == 404


def test_protection_roles_get_tokens_for_seven_days(client, world):
    issue(client, world.case_worker)
    issue(client, world.secretariat)
    worker = ApiToken.objects.get(user=world.case_worker)
    other = ApiToken.objects.get(user=world.secretariat)
    assert worker.expires_at - timezone.now() < timedelta(days=7, minutes=1)
    assert other.expires_at - timezone.now() > timedelta(days=29)


def test_an_administrator_cannot_reset_their_own_password_from_the_user_page(client, world):
    client.force_login(world.national_admin)
    response = client.post(
        f"/pengguna/{world.national_admin.uid}/kata-sandi/",
        {"password": NEW_PASSWORD},
    )
    assert response.status_code in (404, 422)
    world.national_admin.refresh_from_db()
    assert world.national_admin.check_password(PASSWORD)
