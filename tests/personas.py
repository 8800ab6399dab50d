"""The personas of STYLE.md ("Tests"), built through the real actions.

Import the fixture into a test module with `from tests.personas import world_fixture  # noqa: F401`
(it registers as `world`).
Kota Kupang (53.71) and Kota Jambi (15.71) take part; every Kupang persona, and the NTT
provincial evaluator, must see nothing of Jambi.
"""

import copy
from dataclasses import dataclass
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from sikla.accounts.actions import create_user
from sikla.accounts.models import Role, User
from sikla.collection.actions import open_period, upload_evidence
from sikla.collection.models import Evidence, Period
from sikla.organisations import actions
from sikla.organisations.models import (
    Agency,
    AgencyKind,
    LocalGovernment,
    MemberRole,
    TaskForce,
    TaskForceMember,
)
from sikla.regions.models import Region
from tests.once import built_once_per_module

PASSWORD = "sandi-uji-yang-panjang"
KUPANG = "53.71"
JAMBI = "15.71"
OEBOBO = "53.71.04"

AGENCIES = [
    ("DP3A", "Dinas Pemberdayaan Perempuan dan Perlindungan Anak"),
    ("Dinkes", "Dinas Kesehatan"),
    ("Bappeda", "Badan Perencanaan Pembangunan Daerah"),
]

# attribute name -> (role, scope, agency abbreviation in that scope's local government)
PERSONAS: dict[str, tuple[str, str, str | None]] = {
    "national_evaluator": (Role.NATIONAL_EVALUATOR, "", None),
    "provincial_evaluator": (Role.PROVINCIAL_EVALUATOR, "53", None),
    "secretariat": (Role.SECRETARIAT, KUPANG, None),
    "task_force_chair": (Role.TASK_FORCE_CHAIR, KUPANG, None),
    "agency_operator": (Role.AGENCY_OPERATOR, KUPANG, "Dinkes"),
    "case_worker": (Role.CASE_WORKER, KUPANG, None),
    "case_supervisor": (Role.CASE_SUPERVISOR, KUPANG, None),
    "village_officer": (Role.VILLAGE_OFFICER, OEBOBO, None),
    "viewer": (Role.VIEWER, KUPANG, None),
    "jambi_secretariat": (Role.SECRETARIAT, JAMBI, None),
}


@dataclass
class World:
    kupang: LocalGovernment
    jambi: LocalGovernment
    agencies: dict[str, dict[str, Agency]]  # {"53.71": {"DP3A": …}, "15.71": {…}}
    task_force: TaskForce
    member: TaskForceMember
    periods: dict[str, Period]  # an open evaluation period per local government
    evidence: Evidence  # a PDF on Kupang's indicator 4
    national_admin: User
    national_evaluator: User
    provincial_evaluator: User
    secretariat: User
    task_force_chair: User
    agency_operator: User
    case_worker: User
    case_supervisor: User
    village_officer: User
    viewer: User
    jambi_secretariat: User

    def persona(self, name: str) -> User | None:
        """A persona by name; "anonymous" is None."""
        return None if name == "anonymous" else getattr(self, name)

    def agency(self, code: str, abbreviation: str = "DP3A") -> Agency:
        return self.agencies[code][abbreviation]


PERIOD_YEAR = 2026


def build_world() -> World:
    # The personas' password is a known strong one; checking it against the validators on
    # every test's eleven accounts costs more than the rest of the world (tests of the password
    # rules live in tests/accounts).
    with override_settings(AUTH_PASSWORD_VALIDATORS=[]):
        return _build_world()


def _build_world() -> World:
    admin = create_user(
        actor=None,
        username="admin.nasional",
        full_name="Admin Nasional",
        role=Role.NATIONAL_ADMIN,
        scope="",
        password=PASSWORD,
    )
    lgs, agencies = {}, {}
    for code in (KUPANG, JAMBI):
        lgs[code] = actions.register_local_government(
            actor=admin, region=Region.objects.get(code=code)
        )
        agencies[code] = {
            abbreviation: actions.create_agency(
                actor=admin,
                local_government=lgs[code],
                kind=AgencyKind.LOCAL_AGENCY,
                name=name,
                abbreviation=abbreviation,
            )
            for abbreviation, name in AGENCIES
        }
    task_force = actions.create_task_force(
        actor=admin,
        local_government=lgs[KUPANG],
        decree_number="188.45/KEP/UJI/2025",
        decree_date=date(2025, 3, 3),
        chair_name="Kepala Bappeda Kota Kupang",
        chair_position="Kepala Bappeda",
        secretariat_agency=agencies[KUPANG]["DP3A"],
    )
    member = actions.add_task_force_member(
        task_force, actor=admin, agency=agencies[KUPANG]["Bappeda"], role=MemberRole.CHAIR
    )
    users = {
        name: create_user(
            actor=admin,
            username=name.replace("_", "."),
            full_name=name.replace("_", " ").title(),
            role=role,
            scope=scope,
            agency=agencies[scope[:5]][abbreviation] if abbreviation else None,
            password=PASSWORD,
        )
        for name, (role, scope, abbreviation) in PERSONAS.items()
    }
    periods = {
        code: open_period(
            actor=admin,
            local_government=lgs[code],
            year=PERIOD_YEAR,
            input_deadline=date(PERIOD_YEAR, 3, 31),
            review_deadline=date(PERIOD_YEAR, 4, 30),
        )
        for code in (KUPANG, JAMBI)
    }
    evidence = upload_evidence(
        periods[KUPANG].submissions.get(indicator__number=4),
        actor=admin,
        upload=SimpleUploadedFile("sk.pdf", b"%PDF-1.4\n% uji\n", content_type="application/pdf"),
        title="SK uji",
        kind="decree",
    )
    return World(
        kupang=lgs[KUPANG],
        jambi=lgs[JAMBI],
        agencies=agencies,
        task_force=task_force,
        member=member,
        periods=periods,
        evidence=evidence,
        national_admin=admin,
        **users,
    )


# conftest.py registers it for every module (build_world is slow: about 0.2 s).
_module_world = built_once_per_module(build_world)


@pytest.fixture(name="world")
def world_fixture(_module_world, db) -> World:
    """Imported under this name so that test arguments called `world` shadow nothing.

    A deep copy per test (as setUpTestData does): the rows are the module's, rolled back to
    their built state after every test, and so are the Python objects a test may change."""
    return copy.deepcopy(_module_world)


def extra_user(
    world: World, username: str, role: str, *, agency: str | None = None, **extra
) -> User:
    """One more Kupang user beside the personas (a second secretary, another agency's operator)."""
    return create_user(
        actor=world.national_admin,
        username=username,
        full_name=username.replace(".", " ").title(),
        role=role,
        scope=KUPANG,
        agency=world.agency(KUPANG, agency) if agency else None,
        password=PASSWORD,
        **extra,
    )
