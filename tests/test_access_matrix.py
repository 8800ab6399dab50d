"""DESIGN.md §5 as a table: role × page × in-scope/out-of-scope → the exact answer.

404 for anything outside the user's scope (existence never leaks), 403 for a role that lacks the
right inside its scope, 302 to the login page for anonymous visitors, 401 from the API.
"""

import pytest

from sikla.accounts.models import Role, User
from sikla.accounts.rules import ROLE_PERMISSIONS, Perm, can, in_scope
from sikla.organisations.models import Agency
from tests.personas import JAMBI, KUPANG, world_fixture  # noqa: F401

PAGES = {
    "detail": "/organisasi/{code}/",
    "edit": "/organisasi/{code}/ubah/",
    "agencies": "/organisasi/{code}/perangkat-daerah/",
    "agency_add": "/organisasi/{code}/perangkat-daerah/tambah/",
    "task_force": "/organisasi/{code}/gugus-tugas/",
    "history": "/organisasi/{code}/riwayat/",
    "api": "/api/v1/local-governments/{code}",
}
COLUMNS = tuple(PAGES)

# fmt: off
#                                      detail edit agencies add task_force history api
MATRIX = {
    ("anonymous",            KUPANG): (302,   302, 302,     302, 302,       302,    401),
    ("anonymous",            JAMBI):  (302,   302, 302,     302, 302,       302,    401),
    ("national_admin",       KUPANG): (200,   200, 200,     200, 200,       200,    200),
    ("national_admin",       JAMBI):  (200,   200, 200,     200, 200,       200,    200),
    ("national_evaluator",   KUPANG): (200,   403, 200,     403, 200,       403,    200),
    ("national_evaluator",   JAMBI):  (200,   403, 200,     403, 200,       403,    200),
    ("provincial_evaluator", KUPANG): (200,   403, 200,     403, 200,       403,    200),
    ("provincial_evaluator", JAMBI):  (404,   404, 404,     404, 404,       404,    404),
    ("secretariat",          KUPANG): (200,   200, 200,     200, 200,       200,    200),
    ("secretariat",          JAMBI):  (404,   404, 404,     404, 404,       404,    404),
    ("task_force_chair",     KUPANG): (200,   403, 200,     403, 200,       200,    200),
    ("task_force_chair",     JAMBI):  (404,   404, 404,     404, 404,       404,    404),
    ("agency_operator",      KUPANG): (200,   403, 200,     403, 200,       403,    200),
    ("agency_operator",      JAMBI):  (404,   404, 404,     404, 404,       404,    404),
    ("case_worker",          KUPANG): (200,   403, 200,     403, 200,       403,    200),
    ("case_worker",          JAMBI):  (404,   404, 404,     404, 404,       404,    404),
    ("case_supervisor",      KUPANG): (200,   403, 200,     403, 200,       403,    200),
    ("case_supervisor",      JAMBI):  (404,   404, 404,     404, 404,       404,    404),
    ("village_officer",      KUPANG): (200,   403, 200,     403, 200,       403,    200),
    ("village_officer",      JAMBI):  (404,   404, 404,     404, 404,       404,    404),
    ("viewer",               KUPANG): (200,   403, 200,     403, 200,       403,    200),
    ("viewer",               JAMBI):  (404,   404, 404,     404, 404,       404,    404),
    ("jambi_secretariat",    KUPANG): (404,   404, 404,     404, 404,       404,    404),
    ("jambi_secretariat",    JAMBI):  (200,   200, 200,     200, 200,       200,    200),
}

# /pengguna/ answers 404 (not 403) to roles that administer nobody: the page does not exist for them.
USERS_PAGE = {
    "anonymous": 302, "national_admin": 200, "national_evaluator": 404,
    "provincial_evaluator": 404, "secretariat": 200, "task_force_chair": 404,
    "agency_operator": 404, "case_worker": 404, "case_supervisor": 200,
    "village_officer": 404, "viewer": 404, "jambi_secretariat": 200,
}

# POST a valid new agency: 302 and a new row, or the refusal and no row.
#                                       into Kupang  into Jambi
AGENCY_CREATE = {
    "anonymous":            (302, 302),  # to the login page
    "national_admin":       (302, 302),
    "national_evaluator":   (403, 403),
    "provincial_evaluator": (403, 404),
    "secretariat":          (302, 404),
    "task_force_chair":     (403, 404),
    "agency_operator":      (403, 404),
    "case_worker":          (403, 404),
    "case_supervisor":      (403, 404),
    "village_officer":      (403, 404),
    "viewer":               (403, 404),
    "jambi_secretariat":    (404, 302),
}
ALLOWED_TO_CREATE = {("national_admin", KUPANG), ("national_admin", JAMBI),
                     ("secretariat", KUPANG), ("jambi_secretariat", JAMBI)}
# fmt: on


def login(client, world, persona):
    user = world.persona(persona)
    if user is not None:
        client.force_login(user)
    return user


def page_cases():
    for (persona, code), statuses in MATRIX.items():
        for column, status in zip(COLUMNS, statuses, strict=True):
            yield pytest.param(persona, code, column, status, id=f"{persona}-{code}-{column}")


@pytest.mark.parametrize(("persona", "code", "column", "status"), list(page_cases()))
def test_it_answers_each_persona_with_the_status_of_the_matrix(
    client, world, persona, code, column, status
):
    login(client, world, persona)
    response = client.get(PAGES[column].format(code=code))
    assert response.status_code == status
    if status == 302:
        assert response.url.startswith("/masuk/?next=")
    if column == "api":
        assert response["Content-Type"].startswith("application/json")


def test_it_covers_every_persona_and_both_local_governments():
    personas = {persona for persona, _code in MATRIX}
    assert personas == set(USERS_PAGE) == set(AGENCY_CREATE)
    assert {(p, c) for p in personas for c in (KUPANG, JAMBI)} == set(MATRIX)


@pytest.mark.parametrize(("persona", "status"), USERS_PAGE.items())
def test_it_shows_the_users_page_only_to_user_administrators(client, world, persona, status):
    login(client, world, persona)
    assert client.get("/pengguna/").status_code == status


@pytest.mark.parametrize("code", [KUPANG, JAMBI])
@pytest.mark.parametrize("persona", AGENCY_CREATE)
def test_it_lets_only_the_local_secretariat_and_the_national_admin_add_an_agency(
    client, world, persona, code
):
    login(client, world, persona)
    response = client.post(
        f"/organisasi/{code}/perangkat-daerah/tambah/",
        {"kind": "local_agency", "name": "Dinas Sosial", "abbreviation": "Dinsos"},
    )
    created = Agency.objects.filter(local_government_id=code, abbreviation="Dinsos").exists()
    allowed = (persona, code) in ALLOWED_TO_CREATE
    assert response.status_code == AGENCY_CREATE[persona][code == JAMBI]
    assert created == allowed
    if allowed:
        assert response.url == f"/organisasi/{code}/perangkat-daerah/"
    elif response.status_code == 302:
        assert response.url.startswith("/masuk/")


# The rule itself: every role × permission, inside and outside the scope.
SCOPE_OF = {
    Role.NATIONAL_ADMIN: "",
    Role.NATIONAL_EVALUATOR: "",
    Role.PROVINCIAL_EVALUATOR: "53",
    Role.SECRETARIAT: "53.71",
    Role.TASK_FORCE_CHAIR: "53.71",
    Role.AGENCY_OPERATOR: "53.71",
    Role.CASE_WORKER: "53.71",
    Role.CASE_SUPERVISOR: "53.71",
    Role.VILLAGE_OFFICER: "53.71.04",
    Role.VIEWER: "53.71",
}
INSIDE_EVERY_SCOPE = "53.71.04"  # inside "", "53", "53.71" and "53.71.04"
OUTSIDE_LOCAL_SCOPES = "15.71"  # inside only the national scope ""


def test_it_has_a_scope_for_every_role():
    assert set(SCOPE_OF) == set(Role) == set(ROLE_PERMISSIONS)


@pytest.mark.parametrize("code", [INSIDE_EVERY_SCOPE, OUTSIDE_LOCAL_SCOPES])
@pytest.mark.parametrize("perm", list(Perm))
@pytest.mark.parametrize("role", list(Role))
def test_it_grants_a_permission_only_to_its_roles_inside_their_scope(role, perm, code):
    user = User(role=role, scope=SCOPE_OF[role])
    inside = code == INSIDE_EVERY_SCOPE or SCOPE_OF[role] == ""
    assert can(user, perm, code) == (perm in ROLE_PERMISSIONS[role] and inside)


@pytest.mark.parametrize("perm", list(Perm))
def test_it_grants_nothing_to_inactive_or_anonymous_users(perm):
    from django.contrib.auth.models import AnonymousUser

    assert not can(User(role=Role.NATIONAL_ADMIN, scope="", is_active=False), perm, "53.71")
    assert not can(AnonymousUser(), perm, "53.71")


@pytest.mark.parametrize(
    ("scope", "code", "inside"),
    [
        ("", "53.71", True),
        ("", "15.71.01.1001", True),
        ("53.71", "53.71", True),
        ("53.71", "53.71.04", True),
        ("53.71", "53.71.04.1001", True),
        ("53", "53.71", True),
        ("53.7", "53.71", False),
        ("5", "53.71", False),
        ("53.71", "53.710", False),
        ("53.71", "53", False),
        ("53.71.04", "53.71", False),
        ("53.71", "15.71", False),
    ],
)
def test_it_matches_scopes_by_whole_code_segments(scope, code, inside):
    assert in_scope(scope, code) is inside
