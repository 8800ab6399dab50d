"""Periods and indicator assignments. Every change checks the rule and writes its audit row."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sikla.accounts.rules import Perm, require
from sikla.core.audit import apply_changes, record
from sikla.core.notify import notify
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
        Submission.objects.select_for_update(of=("self",))
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


def _people_of_agencies(submission: Submission):
    from sikla.accounts.models import Role, User

    agency_ids = [
        submission.lead_agency_id,
        *submission.supporting_agencies.values_list("pk", flat=True),
    ]
    return User.objects.filter(role=Role.AGENCY_OPERATOR, agency_id__in=agency_ids, is_active=True)


def _reviewers_of(submission: Submission):
    from sikla.accounts.models import Role, User

    return User.objects.filter(
        role=Role.SECRETARIAT, scope=submission.local_government_id, is_active=True
    )


def _link(submission: Submission) -> str:
    from django.urls import reverse

    return reverse(
        "collection:submission",
        args=[submission.local_government_id, submission.period.year, submission.indicator.number],
    )


def _locked_for_transition(submission: Submission, allowed: set, perm: Perm, actor) -> Submission:
    submission = (
        # Lock only the submission row: PostgreSQL refuses FOR UPDATE on the nullable side of
        # the outer join that the optional lead agency brings.
        Submission.objects.select_for_update(of=("self",))
        .select_related("period", "indicator", "lead_agency")
        .get(pk=submission.pk)
    )
    require(actor, perm, submission.local_government_id)
    if submission.period.status != PeriodStatus.OPEN:
        raise ValidationError(_("Periode tidak sedang dibuka; data tidak dapat diubah."))
    if submission.status not in allowed:
        raise ValidationError(
            _("Pengisian berstatus %(status)s tidak dapat diproses begini.")
            % {"status": SubmissionStatus(submission.status).label}
        )
    return submission


def missing_cells(submission: Submission) -> int:
    from .entry import grid_cells
    from .queries import entry_rows, values_map

    expected = grid_cells(
        submission.indicator, entry_rows(submission.indicator, submission.period.local_government)
    )
    filled = values_map(submission)
    return sum(1 for cell in expected if cell not in filled)


def _transition(submission, *, actor, status, action, note, notify_people, text, **fields):
    before = submission.status
    for name, value in {"status": status, **fields}.items():
        setattr(submission, name, value)
    submission.save(update_fields=["status", *fields, "updated_at"])
    record(
        actor=actor,
        action=action,
        target=submission,
        region_code=submission.local_government_id,
        changes={"status": [before, status]},
        note=note,
    )
    notify(notify_people, text=text, link=_link(submission))


@transaction.atomic
def submit_submission(submission: Submission, *, actor, note: str = "") -> None:
    """The agency hands its data to the secretariat: every cell must be filled."""
    from .access import can_enter_data

    submission = _locked_for_transition(submission, EDITABLE_STATUSES, Perm.ENTER_DATA, actor)
    if not can_enter_data(actor, submission):
        raise PermissionDenied
    missing = missing_cells(submission)
    if missing:
        raise ValidationError(
            _("%(n)s sel belum diisi; lengkapi dulu sebelum mengajukan.") % {"n": missing}
        )
    _transition(
        submission,
        actor=actor,
        status=SubmissionStatus.SUBMITTED,
        action="submission.submit",
        note=note,
        notify_people=_reviewers_of(submission),
        text=_("Indikator %(n)s %(year)s diajukan %(agency)s untuk direviu")
        % {
            "n": submission.indicator.number,
            "year": submission.period.year,
            "agency": submission.lead_agency.abbreviation if submission.lead_agency else "",
        },
        submitted_at=timezone.now(),
        submitted_by=actor,
    )


@transaction.atomic
def return_submission(submission: Submission, *, actor, comment: str) -> None:
    submission = _locked_for_transition(
        submission, {SubmissionStatus.SUBMITTED}, Perm.REVIEW_DATA, actor
    )
    comment = comment.strip()
    if not comment:
        raise ValidationError({"comment": _("Tuliskan apa yang perlu diperbaiki.")})
    _transition(
        submission,
        actor=actor,
        status=SubmissionStatus.RETURNED,
        action="submission.return",
        note=comment,
        notify_people=_people_of_agencies(submission),
        text=_("Indikator %(n)s %(year)s dikembalikan untuk diperbaiki")
        % {"n": submission.indicator.number, "year": submission.period.year},
        reviewed_at=timezone.now(),
        reviewed_by=actor,
        review_comment=comment,
    )


@transaction.atomic
def approve_submission(submission: Submission, *, actor, note: str = "") -> None:
    submission = _locked_for_transition(
        submission, {SubmissionStatus.SUBMITTED}, Perm.REVIEW_DATA, actor
    )
    if submission.submitted_by_id == actor.pk:
        raise PermissionDenied(_("Anda tidak dapat menyetujui pengajuan Anda sendiri."))
    _transition(
        submission,
        actor=actor,
        status=SubmissionStatus.APPROVED,
        action="submission.approve",
        note=note,
        notify_people=_people_of_agencies(submission),
        text=_("Indikator %(n)s %(year)s disetujui")
        % {"n": submission.indicator.number, "year": submission.period.year},
        reviewed_at=timezone.now(),
        reviewed_by=actor,
        review_comment="",
    )


@transaction.atomic
def reopen_submission(submission: Submission, *, actor, reason: str) -> None:
    """Approved data is locked; the secretariat may reopen it, saying why."""
    submission = _locked_for_transition(
        submission, {SubmissionStatus.APPROVED}, Perm.REVIEW_DATA, actor
    )
    reason = reason.strip()
    if not reason:
        raise ValidationError({"comment": _("Tuliskan alasan membuka kembali.")})
    _transition(
        submission,
        actor=actor,
        status=SubmissionStatus.RETURNED,
        action="submission.reopen",
        note=reason,
        notify_people=_people_of_agencies(submission),
        text=_("Indikator %(n)s %(year)s dibuka kembali oleh sekretariat")
        % {"n": submission.indicator.number, "year": submission.period.year},
        review_comment=reason,
    )


def _require_editable(submission: Submission, actor) -> None:
    from .access import can_enter_data

    if not can_enter_data(actor, submission):
        raise PermissionDenied
    if submission.period.status != PeriodStatus.OPEN or submission.status not in EDITABLE_STATUSES:
        raise ValidationError(_("Bukti dukung hanya dapat diubah selama pengisian belum diajukan."))


@transaction.atomic
def upload_evidence(
    submission: Submission,
    *,
    actor,
    upload,
    title: str,
    kind: str,
    document_date=None,
    question=None,
):
    """Store a checked file. Raises ValidationError({"file": ...}) for a refused file."""
    _require_editable(submission, actor)
    return store_evidence(
        submission,
        actor=actor,
        upload=upload,
        title=title,
        kind=kind,
        document_date=document_date,
        question=question,
    )


def store_evidence(
    submission: Submission,
    *,
    actor,
    upload,
    title: str,
    kind: str,
    document_date=None,
    question=None,
    action: str = "evidence.upload",
):
    """The storing half of an upload, for callers that have checked their own rule (the data
    entry above; an evaluation's correction window). Checks the file, never the person."""

    from sikla.lib.uploads import inspect_upload

    from .models import Evidence

    if question is not None and question.indicator_id != submission.indicator_id:
        raise ValidationError({"question": _("Pertanyaan itu bukan milik indikator ini.")})
    checked, sha256 = inspect_upload(upload)
    duplicate = submission.evidence.filter(sha256=sha256, deleted_at__isnull=True).first()
    if duplicate:
        raise ValidationError(
            {"file": _("Berkas yang sama sudah diunggah sebagai “%(t)s”.") % {"t": duplicate.title}}
        )
    evidence = Evidence(
        submission=submission,
        question=question,
        title=title,
        kind=kind,
        document_date=document_date,
        kind_ext=checked.kind,
        mime=checked.mime,
        size=upload.size,
        sha256=sha256,
        uploaded_by=actor,
    )
    evidence.file.save(f"{checked.kind}", upload, save=False)
    evidence.save()
    record(
        actor=actor,
        action=action,
        target=submission,
        region_code=submission.local_government_id,
        changes={
            "evidence": [None, title],
            "sha256": [None, sha256[:16]],
            **({"question": [None, question.code]} if question else {}),
        },
    )
    return evidence


@transaction.atomic
def delete_evidence(evidence, *, actor) -> None:
    """Soft: the file stays for the audit trail; it no longer counts or shows."""
    submission = evidence.submission
    _require_editable(submission, actor)
    evidence.deleted_at = timezone.now()
    evidence.deleted_by = actor
    evidence.save(update_fields=["deleted_at", "deleted_by", "updated_at"])
    record(
        actor=actor,
        action="evidence.delete",
        target=submission,
        region_code=submission.local_government_id,
        changes={"evidence": [evidence.title, None]},
    )
