"""Named reads of the protection module. Lists never carry an identity: a case is its number,
status, types and dates; names and NIKs show only on the case page, whose opening is logged."""

from dataclasses import dataclass

from django.db import models
from django.db.models import Count, Exists, IntegerField, Max, OuterRef, Prefetch, Q, Value, When
from django.utils import timezone

from sikla.accounts.models import Role

from . import crypto
from .models import (
    OPEN_STATUSES,
    AccessLog,
    Case,
    CaseType,
    Child,
    ChildNameToken,
    Complaint,
    GuardianConsent,
    PublicStatus,
    Referral,
    Urgency,
)

URGENT = [Urgency.URGENT, Urgency.EMERGENCY]


# What a list of reports shows (code, date, channel, urgency, kelurahan, status): a report's
# own texts (what happened, the child's and the reporter's names, the contact) stay encrypted
# in the database, undecrypted, until its page is opened and logged.
LISTED_COMPLAINT = (
    "uid",
    "local_government_id",
    "tracking_code",
    "received_at",
    "channel",
    "urgency",
    "status",
    "incident_region__name",
)


def pending_complaints(local_government):
    """The intake queue: reports nobody has taken, emergencies first, then the oldest."""
    return _ranked(
        Complaint.objects.filter(local_government=local_government, status=PublicStatus.RECEIVED)
        .select_related("incident_region")
        .only(*LISTED_COMPLAINT)
    )


def _ranked(rows):
    return rows.annotate(
        urgency_rank=models.Case(
            When(urgency=Urgency.EMERGENCY, then=Value(0)),
            When(urgency=Urgency.URGENT, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        )
    ).order_by("urgency_rank", "received_at")


def public_status(text: str) -> Complaint | None:
    """The complaint behind a tracking code as the public may see it: status and date only."""
    from .actions import normalise_tracking_code

    code = normalise_tracking_code(text)
    if not code:
        return None
    return Complaint.objects.filter(tracking_code=code).only("status", "received_at").first()


def sees_urgent_reports(user) -> bool:
    """The unit's staff: urgent reports nobody has taken are on top of every screen of theirs."""
    return getattr(user, "is_authenticated", False) and user.role in (
        Role.CASE_WORKER,
        Role.CASE_SUPERVISOR,
    )


def urgent_waiting(user):
    """Urgent reports nobody has taken, for the banner on every screen of the unit's staff."""
    if not sees_urgent_reports(user):
        return Complaint.objects.none()
    return _ranked(
        Complaint.objects.filter(
            local_government_id=user.scope, status=PublicStatus.RECEIVED, urgency__in=URGENT
        )
    )


def all_complaints(local_government, *, status: str = ""):
    rows = (
        Complaint.objects.filter(local_government=local_government)
        .select_related("incident_region")
        .only(*LISTED_COMPLAINT)
    )
    if status:
        rows = rows.filter(status=status)
    return rows.order_by("-received_at", "-id")


@dataclass(frozen=True)
class CaseFilter:
    status: str = ""
    type: str = ""
    mine: bool = False
    overdue: bool = False
    consent_owed: bool = False
    year: int | None = None


def cases(local_government, user, f: CaseFilter = CaseFilter()):
    rows = Case.objects.filter(local_government=local_government)
    if f.status == "open":
        rows = rows.filter(status__in=OPEN_STATUSES)
    elif f.status:
        rows = rows.filter(status=f.status)
    if f.type:
        rows = rows.filter(Exists(CaseType.objects.filter(case=OuterRef("pk"), type=f.type)))
    if f.mine:
        # assigned or supervised: a test per case, not a join to the workers made DISTINCT
        # (counting a worker's 2,000 open cases of a unit of 50,000: 81 → 14 ms)
        assigned = Case.workers.through.objects.filter(case=OuterRef("pk"), user=user)
        rows = rows.filter(Q(Exists(assigned)) | Q(supervisor=user))
    if f.overdue:
        rows = overdue_q(rows)
    if f.consent_owed:
        rows = consent_owed_q(rows)
    if f.year:
        rows = rows.filter(year=f.year)
    # A list shows no chronology nor closing note: not read, so not decrypted row by row.
    return (
        rows.defer("chronology", "closing_note")
        .prefetch_related(Prefetch("types", queryset=CaseType.objects.order_by("type")))
        .order_by("-received_at", "-id")
    )


def overdue_q(rows, now=None):
    """Cases with no first response after the target of the service standard."""
    now = now or timezone.now()
    return rows.filter(
        first_response_at__isnull=True, response_due_at__lt=now, status__in=OPEN_STATUSES
    )


def consent_owed_q(rows):
    """Open cases referred without the guardian's consent (a supervisor's override) whose consent,
    or the reason it cannot be had, is still not recorded."""
    return rows.filter(
        Exists(Referral.objects.filter(case=OuterRef("pk"), consent_overridden=True)),
        ~Exists(GuardianConsent.objects.filter(case=OuterRef("pk"))),
        status__in=OPEN_STATUSES,
    )


def is_overdue(case: Case, now=None) -> bool:
    now = now or timezone.now()
    return case.first_response_at is None and case.response_due_at < now and not case.is_closed


def responded_late(case: Case) -> bool:
    return case.first_response_at is not None and case.first_response_at > case.response_due_at


@dataclass(frozen=True)
class SearchHit:
    case: Case
    exact: bool  # the exact case number, the NIK, or every word of a child's full name


def search_cases(local_government, terms: str) -> list[SearchHit]:
    """Cases matching part of a case number, an exact NIK (through its keyed hash) or every word
    of a child's name (through the blind index of keyed word hashes: `ChildNameToken`), newest
    first, at most 50. A hit is *exact* when the number, the NIK or the child's whole name (no
    word more, no word less) was given: only those may be shown, and only as "a case exists",
    to someone who is not on the case. One query; no name is decrypted or compared in clear."""
    terms = terms.strip()
    if not terms:
        return []
    exact = Q(number__iexact=terms)
    digits = "".join(ch for ch in terms if ch.isdigit())
    # A case number has digits: a search of words alone never scans the unit's numbers.
    match = Q(number__icontains=terms) if digits else Q(pk__in=[])
    if len(digits) == 16:
        by_nik = Q(
            pk__in=Child.objects.filter(
                case__local_government=local_government, nik_hash=crypto.lookup_hash(digits)
            ).values("case_id")
        )
        exact |= by_nik
        match |= by_nik
    tokens = crypto.name_tokens(terms)
    if tokens and not digits:
        # Children with every word searched, read from the blind index alone (one range per
        # word); the whole name when it has no other word.
        every_word = (
            ChildNameToken.objects.filter(local_government=local_government, token__in=tokens)
            .values("child_id")
            .annotate(found=Count("token"), words=Max("words"), case=Max("case_id"))
            .filter(found=len(tokens))
        )
        match |= Q(pk__in=every_word.values("case"))
        exact |= Q(pk__in=every_word.filter(words=len(tokens)).values("case"))
    # The newest 50 first, then their supervisors: the join is made for 50 rows, not every hit.
    newest = (
        Case.objects.filter(local_government=local_government)
        .filter(match)
        .order_by("-received_at", "-pk")
        .values("pk")[:50]
    )
    rows = (
        Case.objects.filter(pk__in=newest)
        .defer("chronology", "closing_note")  # shown on the case's page only, not decrypted here
        .annotate(exact=models.Case(When(exact, then=Value(True)), default=Value(False)))
        .select_related("supervisor")
        .order_by("-received_at", "-pk")
    )
    return [SearchHit(case=c, exact=c.exact) for c in rows]


ACCESS_LOG_SHOWN = (
    "at",
    "kind",
    "terms",
    "reason",
    "user__full_name",
    "user__username",
    "case__number",
    "complaint__tracking_code",
)


def access_log(local_government, *, kind: str = "", user_id=None, case_number: str = ""):
    """The unit's access log, newest first. A page of it is read as tuples of what its page
    shows (`.values_list(*ACCESS_LOG_SHOWN)`), after the count of its pages, which needs none
    of their joins.

    Never a case's or a report's encrypted texts (reading a case or a report decrypts its
    chronology, names and contacts: six decryptions a row for nothing, and identities in memory
    the page has no use for), and no model objects: three a row, for a page of 50 rows."""
    rows = AccessLog.objects.filter(local_government=local_government)
    if kind:
        rows = rows.filter(kind=kind)
    if user_id:
        rows = rows.filter(user_id=user_id)
    if case_number:
        rows = rows.filter(case__number__icontains=case_number)
    return rows.order_by("-at", "-id")


def access_log_people(local_government):
    """Everyone who appears in the unit's access log, former staff included (the filter of its
    page): looked up person by person in `accesslog_lg_user_at_idx`."""
    from sikla.accounts.models import User

    logged = AccessLog.objects.filter(local_government=local_government, user=OuterRef("pk"))
    return User.objects.filter(Exists(logged)).order_by("username")


def unit_members(local_government):
    from sikla.accounts.models import User

    return User.objects.filter(
        is_active=True,
        scope=local_government.pk,
        role__in=[Role.CASE_WORKER, Role.CASE_SUPERVISOR],
    ).order_by("role", "username")
