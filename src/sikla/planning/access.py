"""Fetch-and-check for planning. Outside the scope → 404; without the right → 403. Agency
operators report only on their own agency's follow-ups and programmes."""

from django.http import Http404

from sikla.accounts.models import Role
from sikla.accounts.rules import Perm, can, require
from sikla.organisations.access import get_local_government_for_user


def get_planning_lg(user, code: str, *, perm: Perm = Perm.VIEW_PLANNING):
    return get_local_government_for_user(user, code, perm=perm)


def get_meeting_for_user(user, code: str, uid, *, perm: Perm = Perm.VIEW_PLANNING):
    from .models import Meeting

    lg = get_local_government_for_user(user, code)
    try:
        meeting = Meeting.objects.select_related("local_government__region", "created_by").get(
            uid=uid, local_government=lg
        )
    except (Meeting.DoesNotExist, ValueError):
        raise Http404 from None
    require(user, perm, lg.code)
    return meeting


def get_follow_up_for_user(user, code: str, uid):
    from .models import FollowUp

    lg = get_local_government_for_user(user, code)
    try:
        follow_up = FollowUp.objects.select_related(
            "agency", "meeting", "decision", "indicator", "local_government__region"
        ).get(uid=uid, local_government=lg)
    except (FollowUp.DoesNotExist, ValueError):
        raise Http404 from None
    require(user, Perm.VIEW_PLANNING, lg.code)
    return follow_up


def can_update_follow_up(user, follow_up) -> bool:
    if not can(user, Perm.UPDATE_FOLLOW_UPS, follow_up.local_government_id):
        return False
    if user.role == Role.AGENCY_OPERATOR:
        return user.agency_id == follow_up.agency_id
    return True
