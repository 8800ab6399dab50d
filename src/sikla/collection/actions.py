"""Periods and indicator assignments. Every change checks the rule and writes its audit row."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sikla.accounts.rules import Perm, require
from sikla.core.audit import apply_changes, record
from sikla.indicators.models import Indicator
from sikla.indicators.queries import active_catalog
from sikla.organisations.models import Agency, LocalGovernment

from .grid import plain
from .models import DataValue, Period, PeriodStatus, Submission, SubmissionStatus

# Allowed period transitions: a closed period may reopen; a locked one never changes again.
PERIOD_TRANSITIONS = {
    PeriodStatus.OPEN: {PeriodStatus.CLOSED},
    PeriodStatus.CLOSED: {PeriodStatus.OPEN, PeriodStatus.LOCKED},
    PeriodStatus.LOCKED: set(),
}


def _check_deadlines(input_deadline: date, review_deadline: date) -> None:
    if review_deadline < input_deadline:
        raise ValidationError(
            {"review_deadline": _("Batas reviu tidak boleh sebelum batas pengisian.")}
        )


def default_assignment(indicator: Indicator, agencies: dict[str, Agency]):
    """The catalog's default agencies matched by abbreviation: the first found leads."""
    matched = [agencies[a.lower()] for a in indicator.lead_agencies if a.lower() in agencies]
    return (matched[0] if matched else None), matched[1:]


@transaction.atomic
def open_period(
    *,
    actor,
    local_government: LocalGovernment,
    year: int,
    input_deadline: date,
    review_deadline: date,
) -> Period:
    require(actor, Perm.MANAGE_PERIODS, local_government.code)
    _check_deadlines(input_deadline, review_deadline)
    if local_government.periods.filter(year=year).exists():
        raise ValidationError({"year": _("Periode %(year)s sudah ada.") % {"year": year}})
    catalog = active_catalog()
    if catalog is None:
        raise ValidationError(_("Belum ada katalog indikator yang aktif."))
    period = Period.objects.create(
        local_government=local_government,
        year=year,
        catalog=catalog,
        input_deadline=input_deadline,
        review_deadline=review_deadline,
    )
    agencies = {a.abbreviation.lower(): a for a in local_government.agencies.filter(is_active=True)}
    indicators = list(catalog.indicators.order_by("number"))
    submissions = []
    for indicator in indicators:
        lead, _supporting = default_assignment(indicator, agencies)
        submissions.append(
            Submission(
                period=period,
                local_government=local_government,
                indicator=indicator,
                lead_agency=lead,
            )
        )
    Submission.objects.bulk_create(submissions)
    through = Submission.supporting_agencies.through
    through.objects.bulk_create(
        through(submission_id=submission.pk, agency_id=agency.pk)
        for submission, indicator in zip(submissions, indicators, strict=True)
        for agency in default_assignment(indicator, agencies)[1]
    )
    record(
        actor=actor,
        action="period.open",
        target=period,
        region_code=local_government.code,
        changes={
            "year": [None, year],
            "input_deadline": [None, input_deadline.isoformat()],
            "review_deadline": [None, review_deadline.isoformat()],
        },
    )
    return period


def _require_unlocked(period: Period) -> None:
    if period.is_locked:
        raise ValidationError(_("Periode %(year)s sudah dikunci.") % {"year": period.year})


@transaction.atomic
def update_period_deadlines(
    period: Period, *, actor, input_deadline: date, review_deadline: date
) -> dict:
    require(actor, Perm.MANAGE_PERIODS, period.local_government_id)
    _require_unlocked(period)
    _check_deadlines(input_deadline, review_deadline)
    return apply_changes(
        period,
        {"input_deadline": input_deadline, "review_deadline": review_deadline},
        actor=actor,
        action="period.deadlines",
        region_code=period.local_government_id,
    )


@transaction.atomic
def set_period_status(period: Period, *, actor, status: str, note: str = "") -> dict:
    require(actor, Perm.MANAGE_PERIODS, period.local_government_id)
    period = Period.objects.select_for_update().get(pk=period.pk)
    if status not in PERIOD_TRANSITIONS[period.status]:
        raise ValidationError(
            _("Periode berstatus %(now)s tidak dapat diubah menjadi %(new)s.")
            % {
                "now": PeriodStatus(period.status).label,
                "new": PeriodStatus(status).label if status in PeriodStatus.values else status,
            }
        )
    return apply_changes(
        period,
        {"status": status},
        actor=actor,
        action=f"period.{status}",
        region_code=period.local_government_id,
        note=note,
    )


@transaction.atomic
def assign_submission(
    submission: Submission,
    *,
    actor,
    lead_agency: Agency,
    supporting_agencies: list[Agency],
) -> dict:
    lg_code = submission.local_government_id
    require(actor, Perm.MANAGE_PERIODS, lg_code)
    _require_unlocked(submission.period)
    chosen = [lead_agency, *supporting_agencies]
    if any(a.local_government_id != lg_code or not a.is_active for a in chosen):
        raise ValidationError(_("Pilih perangkat daerah aktif dari pemerintah daerah ini."))
    if lead_agency in supporting_agencies:
        raise ValidationError(
            {"supporting_agencies": _("Pengampu tidak perlu dipilih lagi sebagai pendukung.")}
        )
    before = sorted(a.abbreviation for a in submission.supporting_agencies.all())
    after = sorted(a.abbreviation for a in supporting_agencies)
    changes = apply_changes(
        submission,
        {
            "lead_agency": lead_agency,
            "assignment_confirmed_at": timezone.now(),
            "assignment_confirmed_by": actor,
        },
        actor=actor,
        action="submission.assign",
        region_code=lg_code,
    )
    if before != after:
        submission.supporting_agencies.set(supporting_agencies)
        record(
            actor=actor,
            action="submission.assign_supporting",
            target=submission,
            region_code=lg_code,
            changes={"supporting_agencies": [before, after]},
        )
    return changes


@transaction.atomic
def confirm_assignments(period: Period, *, actor) -> int:
    """Confirm every pre-filled assignment that has a lead agency; returns how many."""
    require(actor, Perm.MANAGE_PERIODS, period.local_government_id)
    _require_unlocked(period)
    pending = period.submissions.filter(
        assignment_confirmed_at__isnull=True, lead_agency__isnull=False
    )
    count = pending.update(assignment_confirmed_at=timezone.now(), assignment_confirmed_by=actor)
    if count:
        record(
            actor=actor,
            action="period.confirm_assignments",
            target=period,
            region_code=period.local_government_id,
            changes={"confirmed": [0, count]},
        )
    return count


EDITABLE_STATUSES = {SubmissionStatus.DRAFT, SubmissionStatus.RETURNED}


class StaleSubmission(Exception):
    """Someone saved the submission after the form was opened; nothing was written.

    `differences` lists the cells whose saved value differs from what this user sent, so the
    page can show both and let the user decide.
    """

    def __init__(self, *, current_version: int, differences: dict, last_event):
        super().__init__("stale submission")
        self.current_version = current_version
        self.differences = differences
        self.last_event = last_event


def _cell_text(numbers: tuple | None) -> str:
    if numbers is None:
        return "–"
    numerator, denominator, value = numbers
    if value is not None:
        return str(plain(value))
    shown = ["–" if n is None else str(plain(n)) for n in (numerator, denominator)]
    return "/".join(shown)


def _differences(old: dict, new: dict) -> dict[str, list[str]]:
    cells = sorted(set(old) | set(new))
    return {
        " ".join(p for p in cell if p): [_cell_text(old.get(cell)), _cell_text(new.get(cell))]
        for cell in cells
        if old.get(cell) != new.get(cell)
    }


@transaction.atomic
def save_values(
    submission: Submission, *, actor, values: dict, narrative: str, expected_version: int
) -> dict:
    """Replace a submission's values and narrative, if nobody saved in between."""
    from sikla.core.models import AuditEvent

    from .access import can_enter_data
    from .queries import values_map

    submission = (
        Submission.objects.select_for_update()
        .select_related("period", "indicator")
        .get(pk=submission.pk)
    )
    if not can_enter_data(actor, submission):
        raise PermissionDenied
    if submission.period.status != PeriodStatus.OPEN:
        raise ValidationError(_("Periode tidak sedang dibuka; data tidak dapat diubah."))
    if submission.status not in EDITABLE_STATUSES:
        raise ValidationError(
            _("Pengisian berstatus %(status)s tidak dapat diubah.")
            % {"status": SubmissionStatus(submission.status).label}
        )
    current = values_map(submission)
    if submission.version != expected_version:
        raise StaleSubmission(
            current_version=submission.version,
            differences=_differences(current, values),
            last_event=AuditEvent.objects.filter(
                target_type=Submission._meta.label_lower, target_id=str(submission.pk)
            )
            .select_related("actor")
            .first(),
        )
    changes = _differences(current, values)
    if submission.narrative != narrative:
        changes["narasi"] = [submission.narrative[:200], narrative[:200]]
    if not changes:
        return {}
    submission.values.all().delete()
    DataValue.objects.bulk_create(
        DataValue(
            submission=submission,
            region_id=code,
            sex=sex,
            age_group=age,
            numerator=numerator,
            denominator=denominator,
            value=value,
        )
        for (code, sex, age), (numerator, denominator, value) in values.items()
    )
    submission.narrative = narrative
    submission.version += 1
    submission.save(update_fields=["narrative", "version", "updated_at"])
    record(
        actor=actor,
        action="submission.save_values",
        target=submission,
        region_code=submission.local_government_id,
        changes=dict(list(changes.items())[:60]),
        note=_("%(n)s sel berubah") % {"n": len(changes) - ("narasi" in changes)},
    )
    return changes
