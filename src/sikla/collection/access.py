from django.core.exceptions import ValidationError
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


def get_submission_by_uid(user, uid, *, perm: Perm = Perm.VIEW_COLLECTION) -> Submission:
    """For the API: a submission by its public uid, only within the user's local governments."""
    from sikla.organisations.queries import local_governments_visible_to

    try:
        submission = Submission.objects.select_related(
            "period__local_government__region", "indicator", "lead_agency"
        ).get(uid=uid, local_government__in=local_governments_visible_to(user))
    except (Submission.DoesNotExist, ValueError, ValidationError):
        raise Http404 from None
    require(user, perm, submission.local_government_id)
    return submission
