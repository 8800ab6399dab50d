"""The service standard the unit is measured against (KLA-REFERENCE.md §4), as data.

A complaint is followed up within 3 working days at most (a regional SOP under PermenPPPA
2/2022); an emergency at once, within 24 hours; an urgent report within one working day (SIKLA's
default). Working days skip weekends, Indonesia's public holidays and joint leave days, and the
regional holidays of the local government (`core.workdays`), counted in the local government's
own time zone (`core.localtime`).
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


def response_due(received_at: datetime, urgency: str, local_government) -> datetime:
    """The latest first response for a report received at `received_at` (an aware datetime) by
    the unit of `local_government` (an object or its code), counted in its time zone."""
    from django.utils import timezone

    from sikla.core.localtime import zone_of
    from sikla.core.workdays import add_working_days

    hours, working_days = RESPONSE_TARGETS[urgency]
    if hours is not None:
        return received_at + timedelta(hours=hours)
    local = timezone.localtime(received_at, zone_of(local_government))
    code = getattr(local_government, "pk", local_government)
    return add_working_days(local, working_days, code)
