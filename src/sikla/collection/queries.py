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
