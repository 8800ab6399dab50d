"""The service standard the unit is measured against (KLA-REFERENCE.md §4), as data.

A complaint is followed up within 3 working days at most (a regional SOP under PermenPPPA
2/2022); an emergency at once, within 24 hours; an urgent report within one working day (SIKLA's
default). Working days skip Saturdays and Sundays; public holidays are not modelled, so a target
across a holiday is stricter than the SOP, never looser.
"""

from datetime import datetime, timedelta

from django.utils.translation import gettext_lazy as _

from .models import Urgency

# urgency -> (calendar hours or None, working days or None)
RESPONSE_TARGETS: dict[str, tuple[int | None, int | None]] = {
    Urgency.EMERGENCY: (24, None),
    Urgency.URGENT: (None, 1),
    Urgency.NORMAL: (None, 3),
}

TARGET_LABELS = {
    Urgency.EMERGENCY: _("24 jam"),
    Urgency.URGENT: _("1 hari kerja"),
    Urgency.NORMAL: _("3 hari kerja"),
}


def add_working_days(start: datetime, days: int) -> datetime:
    """`start` moved forward by `days` working days (Mon–Fri), keeping the time of day. A start on
    a weekend counts from the next Monday at the same time."""
    moment = start
    while moment.weekday() >= 5:
        moment += timedelta(days=1)
    added = 0
    while added < days:
        moment += timedelta(days=1)
        if moment.weekday() < 5:
            added += 1
    return moment


def response_due(received_at: datetime, urgency: str) -> datetime:
    """The latest first response for a report received at `received_at` (an aware datetime,
    counted in the local time zone)."""
    from django.utils import timezone

    hours, working_days = RESPONSE_TARGETS[urgency]
    if hours is not None:
        return received_at + timedelta(hours=hours)
    local = timezone.localtime(received_at)
    return add_working_days(local, working_days)
