import pytest

from sikla.accounts.actions import create_user
from sikla.accounts.models import Role
from sikla.core.models import AuditEvent
from tests.personas import world_fixture  # noqa: F401

NEW = "sandi-baru-yang-panjang-2"


def test_it_lets_a_user_change_their_own_password(client, world):
    user = world.viewer
    client.force_login(user)

    response = client.post(
        "/akun/kata-sandi/",
        {"old_password": "sandi-uji-yang-panjang", "new_password1": NEW, "new_password2": NEW},
    )

    assert response.status_code == 302 and response["Location"] == "/akun/"
    user.refresh_from_db()
    assert user.check_password(NEW)


def test_it_refuses_a_wrong_old_password(client, world):
    client.force_login(world.viewer)

    response = client.post(
        "/akun/kata-sandi/", {"old_password": "salah", "new_password1": NEW, "new_password2": NEW}
    )

    assert response.status_code == 200
    assert "errorlist" in response.content.decode()


def test_it_lets_the_secretariat_set_a_temporary_password(client, world):
    operator = world.agency_operator
    client.force_login(world.secretariat)

    response = client.post(f"/pengguna/{operator.uid}/kata-sandi/", {"password": NEW})

    assert response.status_code == 302
    operator.refresh_from_db()
    assert operator.check_password(NEW)
    assert AuditEvent.objects.filter(
        action="user.set_password", target_id=str(operator.pk)
    ).exists()


def test_it_explains_a_weak_temporary_password_next_to_the_field(client, world):
    client.force_login(world.secretariat)

    response = client.post(
        f"/pengguna/{world.agency_operator.uid}/kata-sandi/", {"password": "1234567890"}
    )

    assert response.status_code == 422
    assert "errorlist" in response.content.decode()


@pytest.mark.django_db
def test_it_hides_other_regions_users_from_the_password_form(client, world):
    client.force_login(world.secretariat)

    response = client.post(
        f"/pengguna/{world.jambi_secretariat.uid}/kata-sandi/", {"password": NEW}
    )

    assert response.status_code == 404
    world.jambi_secretariat.refresh_from_db()
    assert not world.jambi_secretariat.check_password(NEW)


def test_it_keeps_the_command_line_path_working(world):
    user = create_user(
        actor=None,
        username="baru",
        full_name="Baru",
        role=Role.VIEWER,
        scope="53.71",
        password="sandi-uji-yang-panjang",
    )
    assert user.check_password("sandi-uji-yang-panjang")


def test_it_hashes_production_passwords_with_argon2():
    from django.contrib.auth.hashers import Argon2PasswordHasher

    import sikla.settings as production

    # Tests swap in a fast hasher; production settings and the argon2 library are checked here.
    assert production.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    hasher = Argon2PasswordHasher()
    encoded = hasher.encode("sandi-uji-yang-panjang", hasher.salt())
    assert encoded.startswith("argon2$") and hasher.verify("sandi-uji-yang-panjang", encoded)
