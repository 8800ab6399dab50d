"""Reports, made at once when small and in the background when large.

A large report (more evidence documents than `settings.REPORT_BACKGROUND_EVIDENCE`) becomes a
`ReportJob`: after the request commits, a worker thread of the same process makes it, writing
its progress to the row that the job page polls. `sikla run-report-jobs` makes whatever is still
queued (after a restart, or where `SIKLA_REPORT_RUNNER=command` leaves jobs to a worker).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import close_old_connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sikla.collection.models import Evidence, Period
from sikla.core.notify import notify

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


def render(period: Period, fmt: str, *, base_url: str, progress: Callable | None = None) -> bytes:
    step = progress or (lambda percent: None)
    step(10)
    data = queries.report_data(period, base_url=base_url)
    step(50)
    body = reports.build_pdf(data) if fmt == "pdf" else reports.build_xlsx(data)
    step(95)
    return body


def file_name(period: Period, fmt: str) -> str:
    return f"laporan-evaluasi-kla-{period.local_government_id}-{period.year}.{fmt}"


def start(job: ReportJob) -> None:
    """Hand a queued job to a worker thread once the request's transaction commits."""
    if settings.REPORT_RUNNER != "thread":
        return

    def work():
        try:
            run(job.pk)
        finally:
            close_old_connections()

    transaction.on_commit(lambda: threading.Thread(target=work, daemon=True).start())


def _update(job_id: int, **fields) -> None:
    ReportJob.objects.filter(pk=job_id).update(**fields)


def run(job_id: int) -> ReportJob | None:
    """Make one queued job; a job already taken by another worker is left alone."""
    taken = ReportJob.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, progress=5
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
            base_url=settings.SIKLA_BASE_URL,
            progress=lambda percent: _update(job_id, progress=percent),
        )
        job.file.save(file_name(job.period, job.fmt), ContentFile(body), save=False)
        _update(
            job_id,
            file=job.file.name,
            status=JobStatus.DONE,
            progress=100,
            finished_at=timezone.now(),
        )
    except Exception:
        logger.exception("Report job %s failed", job_id)
        _update(
            job_id,
            status=JobStatus.FAILED,
            message=_("Laporan gagal dibuat; coba lagi atau hubungi admin."),
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


def run_queued() -> int:
    done = 0
    for job_id in ReportJob.objects.filter(status=JobStatus.QUEUED).values_list("pk", flat=True):
        if run(job_id) is not None:
            done += 1
    return done
