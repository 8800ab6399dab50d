from typing import NamedTuple

from django.db.models import Count, Prefetch, Q, QuerySet

from sikla.organisations.models import Agency

from .models import Period, PeriodStatus, Submission


def periods_of(lg) -> QuerySet[Period]:
    return lg.periods.select_related("catalog").annotate(
        submission_count=Count("submissions"),
        confirmed_count=Count(
            "submissions", filter=Q(submissions__assignment_confirmed_at__isnull=False)
        ),
    )


def submissions_of(period: Period) -> QuerySet[Submission]:
    return (
        period.submissions.select_related("indicator__cluster", "lead_agency")
        .prefetch_related(
            Prefetch("supporting_agencies", queryset=Agency.objects.order_by("abbreviation"))
        )
        .order_by("indicator__number")
    )


def submissions_for_agency(agency) -> QuerySet[Submission]:
    """What an agency delivers in open periods: as lead or as supporting agency."""
    return (
        Submission.objects.filter(
            Q(lead_agency=agency) | Q(supporting_agencies=agency),
            period__status=PeriodStatus.OPEN,
        )
        .distinct()
        .select_related("period", "indicator__cluster", "lead_agency")
        .order_by("period__input_deadline", "indicator__number")
    )


class EntryRow(NamedTuple):
    """A region a value is entered for: what the grid, the template and the checks read."""

    code: str
    name: str


def entry_rows(indicator, lg) -> list[EntryRow]:
    """The regions an indicator is entered for: every kelurahan, every kecamatan, or the kab/kota
    (tuples, not model rows: a kab/kota may have 850 kelurahan/desa)."""
    from sikla.regions.models import Region

    if indicator.data_level == "regency":
        return [EntryRow(lg.region.code, lg.region.name)]
    return [
        EntryRow(*row)
        for row in Region.objects.filter(
            code__startswith=lg.code + ".", level=indicator.data_level, is_active=True
        )
        .order_by("code")
        .values_list("code", "name")
    ]


def values_map(submission) -> dict:
    """{(region, sex, age group): (numerator, denominator, value)} of a submission."""
    if submission is None:
        return {}
    # tuples, not model rows: a kab/kota of 850 villages by sex and age group has ~5,000 cells
    return {
        (region, sex, age): (numerator, denominator, value)
        for region, sex, age, numerator, denominator, value in submission.values.values_list(
            "region_id", "sex", "age_group", "numerator", "denominator", "value"
        )
    }


def previous_submission(submission):
    """The same indicator in the local government's previous evaluation year, if any."""
    return (
        Submission.objects.filter(
            local_government_id=submission.local_government_id,
            period__year=submission.period.year - 1,
            indicator__number=submission.indicator.number,
        )
        .only("pk")
        .first()
    )


def submission_history(submission):
    from sikla.core.models import AuditEvent

    return AuditEvent.objects.filter(
        target_type=Submission._meta.label_lower, target_id=str(submission.pk)
    ).select_related("actor")[:50]


def progress_rows(period: Period) -> QuerySet[Submission]:
    """Every submission of a period with its filled-cell and evidence counts, in a constant
    number of queries (subqueries, not joins that would multiply rows)."""
    from django.db.models import IntegerField, OuterRef, Subquery
    from django.db.models.functions import Coalesce

    from .models import DataValue, Evidence

    def count_of(model, **extra):
        rows = (
            model.objects.filter(submission=OuterRef("pk"), **extra)
            .order_by()
            .values("submission")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return Coalesce(Subquery(rows, output_field=IntegerField()), 0)

    return (
        period.submissions.select_related("indicator__cluster", "lead_agency")
        .annotate(
            filled=count_of(DataValue),
            evidence_count=count_of(Evidence, deleted_at__isnull=True),
        )
        .order_by("indicator__number")
    )


def rows_per_level(lg) -> dict[str, int]:
    """How many regions each data level has in a local government (for expected cell counts)."""
    from sikla.regions.models import Region

    counts = dict(
        Region.objects.filter(code__startswith=lg.code + ".", is_active=True)
        .values_list("level")
        .annotate(n=Count("code"))
        .values_list("level", "n")
    )
    return {
        "village": counts.get("village", 0),
        "district": counts.get("district", 0),
        "regency": 1,
    }


def progress_overview(period: Period, *, today) -> dict:
    """Everything the progress page shows, from `progress_rows` (constant queries):
    rows with expected cells and overdue flag, counts per status, completion per lead agency,
    the share with evidence, and the overdue list. A submission is overdue when it is not
    approved and its deadline has passed (the review deadline once it was submitted)."""
    from django.utils.translation import gettext as _

    from .grid import columns
    from .models import SubmissionStatus

    per_level = rows_per_level(period.local_government)
    rows, agencies = [], {}
    counts = dict.fromkeys(SubmissionStatus.values, 0)
    for item in progress_rows(period):
        expected = per_level[item.indicator.data_level] * len(
            columns(item.indicator.disaggregations)
        )
        deadline = (
            period.review_deadline
            if item.status == SubmissionStatus.SUBMITTED
            else period.input_deadline
        )
        overdue = item.status != SubmissionStatus.APPROVED and today > deadline
        rows.append({"item": item, "expected": expected, "overdue": overdue})
        counts[item.status] += 1
        name = item.lead_agency.abbreviation if item.lead_agency else _("(belum ada pengampu)")
        agency = agencies.setdefault(name, {"name": name, "total": 0, "approved": 0, "overdue": 0})
        agency["total"] += 1
        agency["approved"] += item.status == SubmissionStatus.APPROVED
        agency["overdue"] += overdue
    for agency in agencies.values():
        agency["percent"] = round(100 * agency["approved"] / agency["total"])
    with_evidence = sum(1 for r in rows if r["item"].evidence_count)
    return {
        "rows": rows,
        "counts": [(SubmissionStatus(s).label, s, n) for s, n in counts.items()],
        "agencies": sorted(agencies.values(), key=lambda a: (a["percent"], a["name"])),
        "evidence_percent": round(100 * with_evidence / len(rows)) if rows else 0,
        "overdue": [r for r in rows if r["overdue"]],
        "today": today,
    }
