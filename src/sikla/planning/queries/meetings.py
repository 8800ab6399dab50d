"""Reads for meetings and follow-ups, and the coordination overview per agency."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, F, Prefetch, Q
from django.utils import timezone

from sikla.organisations.models import Agency

from ..models import (
    OPEN_FOLLOW_UP,
    Attendance,
    FollowUp,
    FollowUpStatus,
    FollowUpUpdate,
    Meeting,
    MeetingStatus,
)

__all__ = [
    "AgencyCoordination",
    "coordination_overview",
    "follow_ups",
    "is_overdue",
    "meeting_detail",
    "meetings",
    "my_follow_ups",
    "overdue_q",
]


def meetings(local_government, *, status: str = "", year: int | None = None):
    rows = Meeting.objects.filter(local_government=local_government).annotate(
        invited=Count("attendance", distinct=True),
        present_count=Count("attendance", filter=Q(attendance__present=True), distinct=True),
        follow_up_count=Count("follow_ups", distinct=True),
    )
    if status in MeetingStatus.values:
        rows = rows.filter(status=status)
    if year:
        rows = rows.filter(starts_at__year=year)
    return rows.order_by("-starts_at", "-id")


def meeting_detail(meeting: Meeting) -> dict:
    return {
        "attendance": list(meeting.attendance.select_related("agency").order_by("agency__name")),
        "decisions": list(
            meeting.decisions.prefetch_related(
                Prefetch(
                    "follow_ups",
                    queryset=FollowUp.objects.select_related(
                        "agency", "indicator", "meeting"
                    ).order_by("due_date", "id"),
                )
            )
        ),
        "documents": list(meeting.documents.all()),
    }


def overdue_q(rows, today: date | None = None):
    today = today or timezone.localdate()
    return rows.filter(status__in=OPEN_FOLLOW_UP, due_date__lt=today)


def is_overdue(follow_up: FollowUp, today: date | None = None) -> bool:
    today = today or timezone.localdate()
    return follow_up.status in OPEN_FOLLOW_UP and follow_up.due_date < today


def follow_ups(local_government, *, status: str = "", agency=None, today: date | None = None):
    rows = FollowUp.objects.filter(local_government=local_government).select_related(
        "agency", "meeting", "indicator"
    )
    if status == "overdue":
        rows = overdue_q(rows, today)
    elif status == "open":
        rows = rows.filter(status__in=OPEN_FOLLOW_UP)
    elif status in FollowUpStatus.values:
        rows = rows.filter(status=status)
    if agency is not None:
        rows = rows.filter(agency=agency)
    return rows.order_by("due_date", "id")


def my_follow_ups(user, *, status: str = ""):
    if not user.agency_id:
        return FollowUp.objects.none()
    return follow_ups(user.agency.local_government, status=status, agency=user.agency)


def follow_up_history(follow_up: FollowUp):
    return FollowUpUpdate.objects.filter(follow_up=follow_up).select_related("actor")


@dataclass(frozen=True)
class AgencyCoordination:
    agency: Agency
    invited: int
    present: int
    open: int
    done_on_time: int
    done_late: int
    overdue: int

    @property
    def attendance_rate(self) -> float | None:
        return round(100 * self.present / self.invited, 1) if self.invited else None

    @property
    def total(self) -> int:
        return self.open + self.done_on_time + self.done_late


def coordination_overview(
    local_government, *, year: int | None = None, today: date | None = None
) -> list[AgencyCoordination]:
    """Per agency: attendance at held meetings, follow-ups open, done on time, done late,
    overdue — "working alone" made visible. Three queries whatever the number of agencies."""
    today = today or timezone.localdate()
    held = Attendance.objects.filter(
        meeting__local_government=local_government, meeting__status=MeetingStatus.HELD
    )
    tasks = FollowUp.objects.filter(local_government=local_government).exclude(
        status=FollowUpStatus.CANCELLED
    )
    if year:
        held = held.filter(meeting__starts_at__year=year)
        tasks = tasks.filter(due_date__year=year)
    attendance = {
        row["agency"]: row
        for row in held.values("agency").annotate(
            invited=Count("id"), present=Count("id", filter=Q(present=True))
        )
    }
    done = Q(status=FollowUpStatus.DONE)
    counts = {
        row["agency"]: row
        for row in tasks.values("agency").annotate(
            open=Count("id", filter=Q(status__in=OPEN_FOLLOW_UP)),
            overdue=Count("id", filter=Q(status__in=OPEN_FOLLOW_UP, due_date__lt=today)),
            done_on_time=Count("id", filter=done & Q(done_at__date__lte=F("due_date"))),
            done_late=Count("id", filter=done & Q(done_at__date__gt=F("due_date"))),
        )
    }
    rows = []
    for agency in local_government.agencies.filter(
        Q(is_active=True) | Q(pk__in=[*attendance, *counts])
    ).order_by("name"):
        a, c = attendance.get(agency.pk, {}), counts.get(agency.pk, {})
        if not a and not c:
            continue
        rows.append(
            AgencyCoordination(
                agency=agency,
                invited=a.get("invited", 0),
                present=a.get("present", 0),
                open=c.get("open", 0),
                done_on_time=c.get("done_on_time", 0),
                done_late=c.get("done_late", 0),
                overdue=c.get("overdue", 0),
            )
        )
    return rows


def open_follow_ups_by_indicator(local_government_id: str, numbers) -> dict[int, list[FollowUp]]:
    """Open follow-ups of a local government per indicator number (one query), for the
    evaluation's gap analysis."""
    found: dict[int, list[FollowUp]] = {}
    rows = (
        FollowUp.objects.filter(
            local_government_id=local_government_id,
            status__in=OPEN_FOLLOW_UP,
            indicator__number__in=list(numbers),
        )
        .select_related("agency", "indicator")
        .order_by("due_date", "id")
    )
    for follow_up in rows:
        found.setdefault(follow_up.indicator.number, []).append(follow_up)
    return found


__all__ += ["follow_up_history", "open_follow_ups_by_indicator"]
