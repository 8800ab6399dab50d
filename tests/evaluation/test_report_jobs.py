"""Large reports are made in the background: the request queues a job, the job page shows its
progress (htmx polling), the worker makes the file, the requester is told, the file downloads."""

import io

import pytest
from pypdf import PdfReader

from sikla.core.models import AuditEvent, Notification
from sikla.evaluation import jobs, reports
from sikla.evaluation.models import JobStatus, ReportJob
from tests.evaluation.test_reports_pages import BASE, answered
from tests.personas import JAMBI, KUPANG, PERIOD_YEAR, world_fixture  # noqa: F401


@pytest.fixture
def large(settings):
    settings.REPORT_BACKGROUND_EVIDENCE = 0  # the one evidence document makes it "large"


def queued(client, world, fmt="pdf"):
    answered(world)
    client.force_login(world.secretariat)
    response = client.get(BASE + f"laporan.{fmt}")
    job = ReportJob.objects.get()
    assert response.status_code == 302
    assert response.url == BASE + f"laporan/{job.uid}/"
    return job


def test_it_queues_a_large_report_and_shows_its_progress(client, world, large):
    job = queued(client, world)

    page = client.get(BASE + f"laporan/{job.uid}/")

    assert job.status == JobStatus.QUEUED
    assert 'data-testid="job-status">Menunggu' in page.content.decode()
    assert 'hx-trigger="every 2s"' in page.content.decode()
    assert AuditEvent.objects.filter(action="evaluation.report").count() == 1


def test_it_makes_the_report_and_offers_the_download(
    client, world, large, django_capture_on_commit_callbacks
):
    job = queued(client, world)

    with django_capture_on_commit_callbacks(execute=True):
        jobs.run(job.pk)

    job.refresh_from_db()
    assert (job.status, job.progress) == (JobStatus.DONE, 100)
    fragment = client.get(BASE + f"laporan/{job.uid}/", HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in fragment
    assert "hx-trigger" not in fragment  # finished: the polling stops
    assert "job-download" in fragment
    download = client.get(BASE + f"laporan/{job.uid}/unduh/")
    pdf = PdfReader(io.BytesIO(b"".join(download.streaming_content)))
    assert "Laporan Evaluasi Mandiri KLA" in "".join(p.extract_text() for p in pdf.pages)
    assert Notification.objects.filter(recipient=world.secretariat, link__contains=str(job.uid))


def test_it_refuses_the_download_before_the_report_is_made(client, world, large):
    job = queued(client, world)

    assert client.get(BASE + f"laporan/{job.uid}/unduh/").status_code == 404


def test_it_says_when_a_report_fails(client, world, large, monkeypatch):
    job = queued(client, world, fmt="xlsx")

    def broken(data):
        raise RuntimeError("disk full")

    monkeypatch.setattr(reports, "build_xlsx", broken)
    jobs.run(job.pk)

    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert "gagal dibuat" in client.get(BASE + f"laporan/{job.uid}/").content.decode()


def test_the_queued_job_makes_the_report_once(client, world, large):
    job = queued(client, world)

    first = jobs.make_report.enqueue(job.pk)  # what the worker runs
    second = jobs.make_report.enqueue(job.pk)

    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.attempts == 1
    assert (first.return_value, second.return_value) == ("done", "taken")


def test_a_failed_try_is_made_again_then_shown_with_its_error(client, world, large, monkeypatch):
    job = queued(client, world, fmt="xlsx")
    monkeypatch.setattr(reports, "build_xlsx", lambda data: 1 / 0)

    jobs.make_report.enqueue(job.pk)  # on this queue the tries follow at once

    job.refresh_from_db()
    assert (job.status, job.attempts) == (JobStatus.FAILED, jobs.ATTEMPTS)
    assert "ZeroDivisionError" in job.message
    page = client.get(BASE + f"laporan/{job.uid}/").content.decode()
    assert "gagal dibuat setelah 3 percobaan (ZeroDivisionError: division by zero)" in page


def test_it_keeps_a_kupang_report_from_jambi(client, world, large):
    job = queued(client, world)
    client.force_login(world.jambi_secretariat)

    assert client.get(BASE + f"laporan/{job.uid}/").status_code == 404
    jambi = f"/organisasi/{JAMBI}/periode/{PERIOD_YEAR}/evaluasi/laporan/{job.uid}/"
    assert client.get(jambi).status_code == 404
    assert KUPANG in BASE
