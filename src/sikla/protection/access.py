"""Fetch-and-check for the protection compartment (DESIGN.md §5).

Only the UPTD PPA of a local government reaches its complaints and cases: everybody else is
refused (403) before anything is looked up, so whether a case exists never leaks; another local
government's addresses answer 404. Inside the unit, a case worker opens the cases assigned to
them, a supervisor every case, and anybody else of the unit only by breaking the glass. Every
opening is written to the access log by the caller (`open_case`).
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from sikla.accounts.rules import Perm, can, require
from sikla.organisations.access import get_local_government_for_user

from .models import Case, Complaint


class NeedsBreakGlass(PermissionDenied):
    """A unit member asked for a case that is not theirs: offer the emergency access form."""

    def __init__(self, case: Case):
        super().__init__()
        self.case = case


def can_open_case(user, case: Case) -> bool:
    if not can(user, Perm.HANDLE_CASES, case.local_government_id):
        return False
    if can(user, Perm.SUPERVISE_CASES, case.local_government_id):
        return True
    if case.workers.filter(pk=user.pk).exists():
        return True
    return case.break_glass.filter(user=user, expires_at__gt=timezone.now()).exists()


def get_unit_local_government(user, code: str, *, perm: Perm = Perm.HANDLE_CASES):
    lg = get_local_government_for_user(user, code)
    require(user, perm, lg.code)
    return lg


def get_case_for_user(user, code: str, uid, *, log: bool = True) -> Case:
    """The case, when `user` may open it; the opening is logged."""
    from .actions import log_access
    from .models import AccessKind

    lg = get_unit_local_government(user, code)
    try:
        # not its report: the reporter's identity is not read (nor decrypted) to show a case
        case = Case.objects.select_related(
            "local_government__region", "supervisor", "incident_region"
        ).get(uid=uid, local_government=lg)
    except (Case.DoesNotExist, ValueError):
        raise Http404 from None
    if not can_open_case(user, case):
        raise NeedsBreakGlass(case)
    if log:
        log_access(user=user, local_government=lg, kind=AccessKind.OPEN_CASE, case=case)
    return case


def get_case_for_break_glass(user, code: str, uid) -> Case:
    lg = get_unit_local_government(user, code)
    try:
        return Case.objects.select_related("local_government").get(uid=uid, local_government=lg)
    except (Case.DoesNotExist, ValueError):
        raise Http404 from None


def get_complaint_for_user(user, code: str, uid, *, log: bool = True) -> Complaint:
    from .actions import log_access
    from .models import AccessKind

    lg = get_unit_local_government(user, code)
    try:
        complaint = Complaint.objects.select_related(
            "local_government__region", "incident_region", "case"
        ).get(uid=uid, local_government=lg)
    except (Complaint.DoesNotExist, ValueError):
        raise Http404 from None
    case = getattr(complaint, "case", None)
    if case is not None and not can_open_case(user, case):
        # Once taken, a report belongs to its case's team like the case itself.
        raise NeedsBreakGlass(case)
    if log:
        log_access(
            user=user, local_government=lg, kind=AccessKind.OPEN_COMPLAINT, complaint=complaint
        )
    return complaint
