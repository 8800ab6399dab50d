"""The access rule of DESIGN.md §5, written once.

A user may do `perm` on something that belongs to region `code` when the user is active, the
user's role grants `perm`, and `code` lies inside the user's scope. Queries use `scope_q` to start
from what the user may see; actions call `require` before they write. Objects outside the scope
answer 404 (the fetch helpers never find them); a role lacking the permission answers 403.
"""

from enum import StrEnum

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Q

from .models import Role


class Perm(StrEnum):
    VIEW_REFERENCE = "reference.view"  # regions, indicator catalog
    VIEW_ORGANISATIONS = "organisations.view"
    MANAGE_ORGANISATIONS = "organisations.manage"  # agencies, task force, profile
    REGISTER_LOCAL_GOVERNMENT = "organisations.register"
    MANAGE_USERS = "users.manage"
    MANAGE_CALENDAR = "core.calendar"  # joint leave and regional holidays (national admin)
    VIEW_AUDIT = "audit.view"
    VIEW_COLLECTION = "collection.view"  # periods, assignments, progress
    MANAGE_PERIODS = "collection.manage"  # open/close/lock periods, assign indicators
    ENTER_DATA = "collection.enter"  # indicator values (agency operators: their own agency's)
    REVIEW_DATA = "collection.review"  # return, approve, reopen submissions
    VIEW_EVALUATION = "evaluation.view"  # scores, gap analysis, what-if, reports, roll-ups
    ANSWER_QUESTIONS = "evaluation.answer"  # self-assessment (agency operators: as lead agency)
    SUBMIT_SELF_ASSESSMENT = "evaluation.submit"  # hand the self-assessment to the province
    SAVE_SCENARIOS = "evaluation.scenario"  # name and share a what-if with the task force
    VERIFY_PROVINCE = "evaluation.verify_province"  # administrative verification
    VERIFY_NATIONAL = "evaluation.verify_national"  # re-check, field and final verification
    DETERMINE_CATEGORY = "evaluation.determine"  # the ministry's decree
    VIEW_PROTECTION_STATS = "protection.statistics"  # de-identified counts, nothing more
    HANDLE_CASES = "protection.handle"  # UPTD PPA: intake, triage, the cases assigned to one
    SUPERVISE_CASES = "protection.supervise"  # any case of the unit, assignment, access log
    OVERRIDE_CONSENT = "protection.override_consent"  # refer without the guardian's consent
    VIEW_PLANNING = "planning.view"  # meetings, follow-ups, plan, villages, participation
    MANAGE_MEETINGS = "planning.meetings"  # schedule, attendance, minutes, decisions, follow-ups
    UPDATE_FOLLOW_UPS = "planning.follow_up"  # report progress (agency operators: their own)
    MANAGE_PLAN = "planning.plan"  # the action plan (RAD KLA), programmes, budgets
    REPORT_PROGRESS = "planning.progress"  # quarterly progress (agency operators: their own)
    MANAGE_VILLAGES = "villages.manage"  # child-friendly villages (village officers: their own)
    MANAGE_PARTICIPATION = "participation.manage"  # Forum Anak, consultations, partners


# The protection compartment (DESIGN.md §5): identities are for the UPTD PPA of the local
# government alone — not for administrators, evaluators or the ministry.
PROTECTION_PERMS = frozenset({Perm.HANDLE_CASES, Perm.SUPERVISE_CASES, Perm.OVERRIDE_CONSENT})


_EVERYONE = {
    Perm.VIEW_REFERENCE,
    Perm.VIEW_ORGANISATIONS,
    Perm.VIEW_COLLECTION,
    Perm.VIEW_EVALUATION,
    Perm.VIEW_PROTECTION_STATS,
    Perm.VIEW_PLANNING,
}

ROLE_PERMISSIONS: dict[str, frozenset[Perm]] = {
    Role.NATIONAL_ADMIN: frozenset(Perm) - PROTECTION_PERMS,
    Role.NATIONAL_EVALUATOR: frozenset(_EVERYONE | {Perm.VERIFY_NATIONAL, Perm.DETERMINE_CATEGORY}),
    Role.PROVINCIAL_EVALUATOR: frozenset(_EVERYONE | {Perm.VERIFY_PROVINCE}),
    Role.SECRETARIAT: frozenset(
        _EVERYONE
        | {
            Perm.MANAGE_ORGANISATIONS,
            Perm.MANAGE_USERS,
            Perm.VIEW_AUDIT,
            Perm.MANAGE_PERIODS,
            Perm.ENTER_DATA,
            Perm.REVIEW_DATA,
            Perm.ANSWER_QUESTIONS,
            Perm.SUBMIT_SELF_ASSESSMENT,
            Perm.SAVE_SCENARIOS,
            Perm.MANAGE_MEETINGS,
            Perm.UPDATE_FOLLOW_UPS,
            Perm.MANAGE_PLAN,
            Perm.REPORT_PROGRESS,
            Perm.MANAGE_VILLAGES,
            Perm.MANAGE_PARTICIPATION,
        }
    ),
    Role.TASK_FORCE_CHAIR: frozenset(_EVERYONE | {Perm.VIEW_AUDIT, Perm.SAVE_SCENARIOS}),
    Role.AGENCY_OPERATOR: frozenset(
        _EVERYONE
        | {Perm.ENTER_DATA, Perm.ANSWER_QUESTIONS, Perm.UPDATE_FOLLOW_UPS, Perm.REPORT_PROGRESS}
    ),
    Role.CASE_WORKER: frozenset(_EVERYONE | {Perm.HANDLE_CASES}),
    # The UPTD PPA supervisor manages the unit's own accounts (case workers), nobody else's.
    Role.CASE_SUPERVISOR: frozenset(_EVERYONE | {Perm.MANAGE_USERS} | PROTECTION_PERMS),
    Role.VILLAGE_OFFICER: frozenset(_EVERYONE | {Perm.MANAGE_VILLAGES}),
    Role.VIEWER: frozenset(_EVERYONE),
}

# Which roles an administrator of a scope may hand out (always within their own scope).
# Supervisors themselves are appointed by a national admin: the protection compartment stays
# out of the secretariat's hands.
_LOCAL_ROLES = frozenset(
    {
        Role.SECRETARIAT,
        Role.TASK_FORCE_CHAIR,
        Role.AGENCY_OPERATOR,
        Role.VILLAGE_OFFICER,
        Role.VIEWER,
    }
)
GRANTABLE_ROLES: dict[str, frozenset[str]] = {
    Role.NATIONAL_ADMIN: frozenset(Role),
    Role.SECRETARIAT: _LOCAL_ROLES,
    Role.CASE_SUPERVISOR: frozenset({Role.CASE_WORKER}),
}

# The region levels (by code length) a role's scope may have.
SCOPE_LENGTHS: dict[str, frozenset[int]] = {
    Role.NATIONAL_ADMIN: frozenset({0, 2, 5}),
    Role.NATIONAL_EVALUATOR: frozenset({0}),
    Role.PROVINCIAL_EVALUATOR: frozenset({2}),
    Role.SECRETARIAT: frozenset({5}),
    Role.TASK_FORCE_CHAIR: frozenset({5}),
    Role.AGENCY_OPERATOR: frozenset({5}),
    Role.CASE_WORKER: frozenset({5}),
    Role.CASE_SUPERVISOR: frozenset({5}),
    Role.VILLAGE_OFFICER: frozenset({8, 13}),
    Role.VIEWER: frozenset({0, 2, 5, 8, 13}),
}


# Who must pass a second factor (an authenticator app's code, or a one-time recovery code) at
# every login and before an API token: those who read children's cases, and those who hand out
# accounts (issue 13, point 3). SECOND_FACTOR_REQUIRED off switches it off for everyone.
SECOND_FACTOR_ROLES = frozenset(
    {Role.CASE_WORKER, Role.CASE_SUPERVISOR, Role.SECRETARIAT, Role.NATIONAL_ADMIN}
)
# Signed out after PROTECTION_IDLE_MINUTES without a request: a case file left open on an
# office PC is a child's identity on the screen.
IDLE_SIGN_OUT_ROLES = frozenset({Role.CASE_WORKER, Role.CASE_SUPERVISOR})


def needs_second_factor(user) -> bool:
    return (
        settings.SECOND_FACTOR_REQUIRED
        and getattr(user, "is_authenticated", False)
        and user.role in SECOND_FACTOR_ROLES
    )


def signs_out_when_idle(user) -> bool:
    return getattr(user, "is_authenticated", False) and user.role in IDLE_SIGN_OUT_ROLES


def in_scope(scope: str, code: str) -> bool:
    """True when region `code` is the scope itself or lies below it."""
    return scope == "" or code == scope or code.startswith(scope + ".")


def can(user, perm: Perm, code: str) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if perm not in ROLE_PERMISSIONS.get(user.role, frozenset()):
        return False
    return in_scope(user.scope, code)


def require(user, perm: Perm, code: str) -> None:
    if not can(user, perm, code):
        raise PermissionDenied


def has_role_perm(user, perm: Perm) -> bool:
    """The role grants `perm` somewhere (for menus); scope is checked per object."""
    return (
        getattr(user, "is_authenticated", False)
        and user.is_active
        and perm in ROLE_PERMISSIONS.get(user.role, frozenset())
    )


def scope_q(user, field: str) -> Q:
    """A filter keeping rows whose region code `field` lies in the user's scope."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Q(pk__in=[])
    if user.scope == "":
        return Q()
    return Q(**{field: user.scope}) | Q(**{f"{field}__startswith": user.scope + "."})
