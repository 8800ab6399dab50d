from django.http import Http404

from sikla.accounts.models import Role
from sikla.accounts.rules import Perm, can, require
from sikla.organisations.access import get_local_government_for_user

from .models import Period, Submission


def get_period_for_user(user, code: str, year: int, *, perm: Perm = Perm.VIEW_COLLECTION):
    lg = get_local_government_for_user(user, code)
    try:
        period = lg.periods.select_related("catalog", "local_government__region").get(year=year)
    except Period.DoesNotExist:
        raise Http404 from None
    require(user, perm, lg.code)
    return period


def get_submission_for_user(user, period: Period, number: int, *, perm: Perm) -> Submission:
    try:
        submission = period.submissions.select_related("indicator", "lead_agency").get(
            indicator__number=number
        )
    except Submission.DoesNotExist:
        raise Http404 from None
    require(user, perm, period.local_government_id)
    return submission


def can_enter_data(user, submission: Submission) -> bool:
    """The rule (role and scope), and for agency operators: their agency leads or supports."""
    if not can(user, Perm.ENTER_DATA, submission.local_government_id):
        return False
    if user.role == Role.AGENCY_OPERATOR:
        return user.agency_id == submission.lead_agency_id or (
            submission.supporting_agencies.filter(pk=user.agency_id).exists()
        )
    return True
