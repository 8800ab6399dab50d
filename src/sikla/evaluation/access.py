"""Fetch-and-check for the evaluation, and the small predicates the pages and actions share.
Out of scope answers 404 (the period is never found); a role without the right answers 403."""

from django.http import Http404

from sikla.accounts.models import Role
from sikla.accounts.rules import Perm, can
from sikla.collection.access import get_period_for_user
from sikla.collection.models import Period, Submission

from .models import Scenario, Stage

STAGE_PERMS = {
    Stage.ADMINISTRATIVE: Perm.VERIFY_PROVINCE,
    Stage.RECHECK: Perm.VERIFY_NATIONAL,
    Stage.FIELD: Perm.VERIFY_NATIONAL,
    Stage.FINAL: Perm.VERIFY_NATIONAL,
}


def get_evaluation_period(user, code: str, year: int, *, perm: Perm = Perm.VIEW_EVALUATION):
    return get_period_for_user(user, code, year, perm=perm)


def can_answer(user, submission: Submission | None, code: str) -> bool:
    """Secretariat and national admins answer every question; an agency operator answers the
    questions of the indicators their agency leads."""
    if not can(user, Perm.ANSWER_QUESTIONS, code):
        return False
    if user.role == Role.AGENCY_OPERATOR:
        return submission is not None and submission.lead_agency_id == user.agency_id
    return True


def can_verify(user, stage: str, code: str) -> bool:
    perm = STAGE_PERMS.get(stage)
    return perm is not None and can(user, perm, code)


def get_scenario_for_user(user, period: Period, uid) -> Scenario:
    try:
        return Scenario.objects.select_related("created_by").get(uid=uid, evaluation__period=period)
    except (Scenario.DoesNotExist, ValueError):
        raise Http404 from None
