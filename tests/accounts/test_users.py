"""User administration pages, the login page with its lockout, and `sikla add-user`."""

from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from sikla.accounts.actions import issue_api_token
from sikla.accounts.models import Role, User
from sikla.core.models import AuditEvent
from tests.personas import JAMBI, KUPANG, PASSWORD, world_fixture  # noqa: F401

NEW_PASSWORD = "sandi-baru-yang-panjang"


def new_user(world, **overrides):
    return {
        "username": "operator.bappeda",
        "full_name": "Operator Bappeda",
        "email": "bappeda@example.org",
        "role": Role.AGENCY_OPERATOR,
        "scope": KUPANG,
        "agency": world.agency(KUPANG, "Bappeda").pk,
        "password": NEW_PASSWORD,
    } | overrides


def test_it_lets_the_secretariat_create_an_agency_operator(client, world):
    client.force_login(world.secretariat)
    response = client.post("/pengguna/tambah/", new_user(world))
    user = User.objects.get(username="operator.bappeda")
    assert response.status_code == 302
    assert response.url == f"/pengguna/{user.uid}/"
    assert (user.role, user.scope, user.agency) == (
        Role.AGENCY_OPERATOR,
        KUPANG,
        world.agency(KUPANG, "Bappeda"),
    )
    assert user.check_password(NEW_PASSWORD)
    event = AuditEvent.objects.get(action="user.create", target_id=str(user.pk))
    assert (event.actor, event.region_code) == (world.secretariat, KUPANG)
    assert event.changes == {"role": [None, "agency_operator"], "scope": [None, KUPANG]}


def role_choices(client):
    return {
        value
        for value, _label in client.get("/pengguna/tambah/").context["form"]["role"].field.choices
    }


def test_it_offers_the_secretariat_only_local_roles(client, world):
    client.force_login(world.secretariat)
    assert role_choices(client) == {
        Role.SECRETARIAT,
        Role.TASK_FORCE_CHAIR,
        Role.AGENCY_OPERATOR,
        Role.VILLAGE_OFFICER,
        Role.VIEWER,
    }


def test_it_refuses_a_national_admin_forced_by_the_secretariat(client, world):
    client.force_login(world.secretariat)
    response = client.post(
        "/pengguna/tambah/",
        new_user(world, username="penyusup", role=Role.NATIONAL_ADMIN, scope="", agency=""),
    )
    assert response.status_code == 200
    assert "role" in response.context["form"].errors
    assert not User.objects.filter(username="penyusup").exists()


def test_it_refuses_the_secretariat_a_user_in_another_local_government(client, world):
    client.force_login(world.secretariat)
    response = client.post(
        "/pengguna/tambah/", new_user(world, role=Role.VIEWER, scope=JAMBI, agency="")
    )
    assert response.status_code == 200
    assert response.context["form"].errors["scope"] == [
        "Cakupan 15.71 berada di luar wilayah Anda (53.71)."
    ]
    assert 'value="Operator Bappeda"' in response.content.decode()
    assert not User.objects.filter(username="operator.bappeda").exists()


def test_it_lets_a_case_supervisor_create_a_case_worker(client, world):
    client.force_login(world.case_supervisor)
    client.post(
        "/pengguna/tambah/",
        new_user(world, username="pendamping.dua", role=Role.CASE_WORKER, agency=""),
    )
    assert User.objects.get(username="pendamping.dua").role == Role.CASE_WORKER


@pytest.mark.parametrize("role", [Role.VIEWER, Role.SECRETARIAT, Role.AGENCY_OPERATOR])
def test_it_refuses_a_case_supervisor_any_other_role(client, world, role):
    client.force_login(world.case_supervisor)
    response = client.post("/pengguna/tambah/", new_user(world, username="lain", role=role))
    assert response.status_code == 200
    assert "role" in response.context["form"].errors
    assert not User.objects.filter(username="lain").exists()


def test_it_offers_a_case_supervisor_only_the_case_worker_role(client, world):
    client.force_login(world.case_supervisor)
    assert role_choices(client) == {Role.CASE_WORKER}


def test_it_deactivates_a_user_and_revokes_their_tokens(client, world):
    token, _raw = issue_api_token(world.viewer)
    client.force_login(world.secretariat)
    response = client.post(f"/pengguna/{world.viewer.uid}/status/")
    assert response.status_code == 302
    world.viewer.refresh_from_db()
    token.refresh_from_db()
    assert not world.viewer.is_active
    assert token.revoked_at is not None
    assert AuditEvent.objects.filter(action="user.deactivate", actor=world.secretariat).exists()


def test_it_reactivates_a_user_on_a_second_toggle(client, world):
    client.force_login(world.secretariat)
    client.post(f"/pengguna/{world.viewer.uid}/status/")
    client.post(f"/pengguna/{world.viewer.uid}/status/")
    world.viewer.refresh_from_db()
    assert world.viewer.is_active


def test_it_refuses_to_deactivate_oneself(client, world):
    client.force_login(world.secretariat)
    response = client.post(f"/pengguna/{world.secretariat.uid}/status/", follow=True)
    world.secretariat.refresh_from_db()
    assert world.secretariat.is_active
    assert "Anda tidak dapat menonaktifkan akun Anda sendiri." in response.content.decode()


@pytest.mark.parametrize("suffix", ["", "status/"])
def test_it_hides_a_jambi_user_from_the_kupang_secretariat(client, world, suffix):
    client.force_login(world.secretariat)
    url = f"/pengguna/{world.jambi_secretariat.uid}/{suffix}"
    response = client.post(url) if suffix else client.get(url)
    assert response.status_code == 404
    world.jambi_secretariat.refresh_from_db()
    assert world.jambi_secretariat.is_active


def test_it_hides_users_the_secretariat_does_not_administer(client, world):
    client.force_login(world.secretariat)
    listed = {u.username for u in client.get("/pengguna/").context["page"].object_list}
    assert world.viewer.username in listed
    assert world.case_worker.username not in listed  # UPTD PPA staff: their supervisor's
    assert world.jambi_secretariat.username not in listed
    assert world.national_admin.username not in listed
    assert client.get(f"/pengguna/{world.case_worker.uid}/").status_code == 404


def test_scopes_are_named_as_people_name_them(client, world, django_assert_max_num_queries):
    """Issue 14, point 9: "53.71" on the user pages read as "Kota Kupang"; in one query for
    the whole list."""
    client.force_login(world.secretariat)
    page = client.get("/pengguna/").content.decode()
    assert "<td>Kota Kupang</td>" in page and "<td>53.71</td>" not in page
    detail = client.get(f"/pengguna/{world.viewer.uid}/").content.decode()
    assert "<dd>Kota Kupang</dd>" in detail
    with django_assert_max_num_queries(12):
        client.get("/pengguna/")
    client.force_login(world.national_admin)
    assert "Nasional" in client.get("/akun/").content.decode()


def test_it_refuses_a_weak_password_with_a_message(client, world):
    client.force_login(world.secretariat)
    response = client.post("/pengguna/tambah/", new_user(world, password="1234567890"))
    assert response.status_code == 200
    errors = response.context["form"].errors["password"]
    assert errors
    assert any(message in response.content.decode() for message in errors)
    assert 'value="Operator Bappeda"' in response.content.decode()
    assert not User.objects.filter(username="operator.bappeda").exists()


def login(client, username, password):
    return client.post("/masuk/", {"username": username, "password": password})


def test_it_logs_in_with_the_right_password(client, world):
    response = login(client, world.viewer.username, PASSWORD)
    assert response.status_code == 302
    assert response.url == "/"


def test_it_says_so_on_a_wrong_password(client, world):
    response = login(client, world.viewer.username, "bukan-sandinya")
    assert response.status_code == 200
    assert "Nama pengguna atau kata sandi salah." in response.content.decode()


def test_it_locks_the_login_page_after_repeated_failures(client, world):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, world.viewer.username, "bukan-sandinya")
    response = login(client, world.viewer.username, PASSWORD)
    assert response.status_code == 429
    assert "Akun dikunci sementara" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_one_address_cannot_try_passwords_across_many_accounts(client, world, settings):
    settings.LOGIN_FAILURES_PER_ADDRESS = 8
    people = [world.viewer, world.secretariat, world.case_worker, world.agency_operator]
    for attempt in range(8):  # two wrong passwords each: no single account reaches its lockout
        login(client, people[attempt % 4].username, "bukan-sandinya")
    response = login(client, world.task_force_chair.username, PASSWORD)
    assert response.status_code == 429  # even the right password of an untouched account
    assert "_auth_user_id" not in client.session
    # The same accounts, from another address, still log in: nobody was locked out.
    other = client.__class__(REMOTE_ADDR="10.9.9.9")
    assert login(other, world.viewer.username, PASSWORD).status_code == 302


def test_failures_elsewhere_never_lock_out_the_real_user(client, world, settings):
    attacker = client.__class__(REMOTE_ADDR="10.6.6.6")
    for _ in range(settings.AXES_FAILURE_LIMIT * 2):
        login(attacker, world.viewer.username, "bukan-sandinya")
    assert login(attacker, world.viewer.username, PASSWORD).status_code == 429
    assert login(client, world.viewer.username, PASSWORD).status_code == 302


def test_behind_a_proxy_a_spoofed_forwarded_for_changes_nothing(client, world, settings):
    """nginx appends the address it saw; whatever the client wrote before it is ignored, so
    rotating it neither escapes the lockout nor locks the real user out (REMOTE_ADDR is the
    proxy's own, shared by everybody)."""
    settings.TRUSTED_PROXIES = 1
    proxy = client.__class__(REMOTE_ADDR="127.0.0.1")
    for n in range(settings.AXES_FAILURE_LIMIT):
        proxy.post(
            "/masuk/",
            {"username": world.viewer.username, "password": "bukan-sandinya"},
            HTTP_X_FORWARDED_FOR=f"10.0.0.{n}, 203.0.113.7",
        )
    response = proxy.post(
        "/masuk/",
        {"username": world.viewer.username, "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="10.0.0.99, 203.0.113.7",
    )
    assert response.status_code == 429  # the attacker, at 203.0.113.7, is locked out
    real_user = proxy.post(
        "/masuk/",
        {"username": world.viewer.username, "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="198.51.100.20",
    )
    assert real_user.status_code == 302  # the real user, elsewhere, is not


def test_it_creates_a_user_from_the_command_line(world):
    out = StringIO()
    call_command(
        "add-user",
        "operator.dinkes2",
        role="agency_operator",
        scope=KUPANG,
        agency="dinkes",
        password=NEW_PASSWORD,
        name="Operator Dinkes Dua",
        stdout=out,
    )
    user = User.objects.get(username="operator.dinkes2")
    assert (user.full_name, user.agency) == ("Operator Dinkes Dua", world.agency(KUPANG, "Dinkes"))
    assert "operator.dinkes2" in out.getvalue()
    assert AuditEvent.objects.get(action="user.create", target_id=str(user.pk)).actor is None


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"role": "raja", "scope": KUPANG}, "raja"),
        ({"role": "viewer", "scope": "99.99"}, "99.99"),
        ({"role": "secretariat", "scope": "53"}, "scope"),
        ({"role": "secretariat", "scope": "53.01"}, "53.01"),  # not registered in SIKLA
        ({"role": "agency_operator", "scope": KUPANG, "agency": "Disdik"}, "Disdik"),
    ],
)
def test_it_refuses_a_bad_role_or_scope_on_the_command_line(world, options, message):
    with pytest.raises(CommandError, match=message):
        call_command("add-user", "salah", password=NEW_PASSWORD, **options)
    assert not User.objects.filter(username="salah").exists()
