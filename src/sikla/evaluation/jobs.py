"""Reports, made at once when small and in the background when large.

A large report (more evidence documents than `settings.REPORT_BACKGROUND_EVIDENCE`) becomes a
`ReportJob`: after the request commits, `make_report` is enqueued on the task queue and a
`sikla worker` makes it, writing its progress to the row that the job page polls. A failed try
is made again (three tries, a minute apart and then two); after the last, the job page tells the
person who asked what went wrong.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from sikla.collection.models import Evidence, Period
from sikla.core.notify import notify
from sikla.ops.tasks import background, enqueue_on_commit

from . import queries, reports
from .models import JobStatus, ReportJob

logger = logging.getLogger("sikla.reports")

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def is_large(period: Period) -> bool:
    documents = Evidence.objects.filter(submission__period=period, deleted_at__isnull=True)
    return documents.count() > settings.REPORT_BACKGROUND_EVIDENCE


def render(period: Period, fmt: str, *, progress: Callable | None = None) -> bytes:
    step = progress or (lambda percent: None)
    step(10)
    data = queries.report_data(period)
    step(50)
    body = reports.build_pdf(data) if fmt == "pdf" else reports.build_xlsx(data)
    step(95)
    return body


def file_name(period: Period, fmt: str) -> str:
    return f"laporan-evaluasi-kla-{period.local_government_id}-{period.year}.{fmt}"


ATTEMPTS = 3


def start(job: ReportJob) -> None:
    """Hand a queued job to the task queue once the request's transaction commits."""
    enqueue_on_commit(make_report, job.pk)


@background(attempts=ATTEMPTS, backoff_seconds=60)
def make_report(job_id: int, *, attempt: int = 1) -> str:
    """The queued job. A try that fails raises, so the queue tries again later."""
    job = run(job_id, final=attempt >= ATTEMPTS)
    if job is None:
        return "taken"  # another worker made it, or it is no longer queued
    if job.status in (JobStatus.QUEUED, JobStatus.FAILED):  # the queue's record says so too
        raise ReportFailed(f"report job {job_id}: attempt {attempt} failed")
    return job.status


class ReportFailed(Exception):
    pass


def _update(job_id: int, **fields) -> None:
    ReportJob.objects.filter(pk=job_id).update(**fields)


def run(job_id: int, *, final: bool = True) -> ReportJob | None:
    """Make one queued job; a job already taken by another worker is left alone. A failure
    puts the job back in the queue (unless this was the `final` try, which marks it failed with
    the error and tells the requester)."""
    taken = ReportJob.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, progress=5, attempts=F("attempts") + 1
    )
    if not taken:
        return None
    job = ReportJob.objects.select_related(
        "period__catalog", "period__local_government__region", "requested_by"
    ).get(pk=job_id)
    try:
        body = render(
            job.period,
            job.fmt,
            progress=lambda percent: _update(job_id, progress=percent),
        )
        job.file.save(file_name(job.period, job.fmt), ContentFile(body), save=False)
        _update(
            job_id,
            file=job.file.name,
            status=JobStatus.DONE,
            progress=100,
            message="",
            finished_at=timezone.now(),
        )
    except Exception as error:
        logger.exception("Report job %s failed (try %s)", job_id, job.attempts)
        if not final:
            _update(
                job_id,
                status=JobStatus.QUEUED,
                progress=0,
                message=_("Percobaan ke-%(n)s gagal; SIKLA mencoba lagi otomatis.")
                % {"n": job.attempts},
            )
            return ReportJob.objects.get(pk=job_id)
        _update(
            job_id,
            status=JobStatus.FAILED,
            message=(
                _(
                    "Laporan gagal dibuat setelah %(n)s percobaan (%(error)s). Coba lagi atau hubungi admin."
                )
                % {"n": job.attempts, "error": describe(error)}
            )[:255],
            finished_at=timezone.now(),
        )
    job.refresh_from_db()
    if job.requested_by is not None:
        from django.urls import reverse

        with transaction.atomic():
            notify(
                [job.requested_by],
                text=_("Laporan evaluasi %(year)s: %(status)s")
                % {"year": job.period.year, "status": job.get_status_display()},
                link=reverse(
                    "evaluation:report_job",
                    args=[job.local_government_id, job.period.year, job.uid],
                ),
            )
    return job


def describe(error: Exception) -> str:
    """The error as the requester may read it: its kind and first words, no stack."""
    text = str(error).splitlines()[0][:120] if str(error) else ""
    return f"{type(error).__name__}: {text}" if text else type(error).__name__
