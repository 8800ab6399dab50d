"""The task queue as production runs it: django-tasks' database backend served by `sikla worker`.

Jobs are committed before a worker can see them, so these tests commit (transactional_db) and run
after the others (conftest sorts them last); two workers are two real processes on PostgreSQL."""

import os
import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from sikla.evaluation import jobs, reports
from sikla.evaluation.actions import request_report
from sikla.evaluation.models import JobStatus, ReportJob
from sikla.ops.models import PeriodicRun
from sikla.ops.schedule import enqueue_due
from tests.personas import KUPANG

from .conftest import DATABASE_QUEUE, needs_database_server

REPO = Path(__file__).resolve().parents[2]
# The worker closes and reopens its database connection between jobs, as in production; the
# embedded test database lives in the memory of one connection, so these need PostgreSQL.
NEEDS_SERVER = needs_database_server("the queue worker")


def run_worker() -> None:
    call_command("worker", batch=True, no_schedule=True, interval=0)


@NEEDS_SERVER
def test_a_failed_job_is_tried_again_later_then_shown_failed_with_its_error(
    committed_world, monkeypatch, client
):
    world = committed_world
    monkeypatch.setattr(reports, "build_pdf", lambda data: 1 / 0)
    job = request_report(world.periods[KUPANG], actor=world.secretariat, fmt="pdf")
    start = timezone.now()

    run_worker()  # try 1 fails; try 2 waits a minute
    job.refresh_from_db()
    assert (job.status, job.attempts) == (JobStatus.QUEUED, 1)
    assert "Percobaan ke-1 gagal" in job.message
    waiting = DBTaskResult.objects.get(status="READY")
    assert waiting.args_kwargs["kwargs"] == {"attempt": 2}
    assert waiting.run_after - start >= timedelta(seconds=59)

    run_worker()  # not yet due: nothing happens
    assert ReportJob.objects.get(pk=job.pk).attempts == 1

    with time_machine.travel(start + timedelta(seconds=61), tick=False):
        run_worker()  # try 2 fails; try 3 waits two minutes
    with time_machine.travel(start + timedelta(seconds=61 + 121), tick=False):
        run_worker()  # try 3 fails for good

    job.refresh_from_db()
    assert (job.status, job.attempts) == (JobStatus.FAILED, 3)
    assert DBTaskResult.objects.filter(status="FAILED").count() == 1  # the last try, on record
    client.force_login(world.secretariat)
    url = f"/organisasi/{KUPANG}/periode/{job.period.year}/evaluasi/laporan/{job.uid}/"
    assert (
        "setelah 3 percobaan (ZeroDivisionError: division by zero)"
        in client.get(url).content.decode()
    )
    assert world.secretariat.notifications.filter(link__contains=str(job.uid)).exists()


@NEEDS_SERVER
def test_two_workers_never_run_the_same_job_twice(committed_world, settings):
    world = committed_world
    made = [
        request_report(world.periods[KUPANG], actor=world.secretariat, fmt=fmt)
        for fmt in ("pdf", "xlsx", "pdf", "xlsx")
    ]
    for job in made:  # each job queued twice, as a double click or a retried request would
        jobs.make_report.enqueue(job.pk)
    assert DBTaskResult.objects.filter(status="READY").count() == 8

    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "SIKLA_TASKS": "database",
    }
    command = [
        sys.executable,
        "-m",
        "sikla",
        "worker",
        "--batch",
        "--no-schedule",
        "--interval",
        "0",
    ]
    workers = [subprocess.Popen(command, env=env, cwd=REPO) for _ in range(2)]  # noqa: S603
    assert [w.wait(timeout=120) for w in workers] == [0, 0]

    results = list(DBTaskResult.objects.all())
    assert {r.status for r in results} == {"SUCCESSFUL"}
    assert all(len(r.worker_ids) == 1 for r in results)
    assert sorted(r.return_value for r in results) == ["done"] * 4 + ["taken"] * 4
    for job in made:
        job.refresh_from_db()
        assert (job.status, job.attempts) == (JobStatus.DONE, 1)
        assert Path(job.file.path).stat().st_size > 1000


def test_the_daily_reminders_are_enqueued_once_a_day_by_any_number_of_workers(db, settings):
    settings.TASKS = DATABASE_QUEUE
    settings.REMINDER_HOUR = 7
    zone = timezone.get_current_timezone()
    path = "sikla.planning.tasks.send_reminders"

    def queued():
        return DBTaskResult.objects.filter(task_path=path).count()

    with time_machine.travel(datetime(2026, 3, 18, 6, 59, tzinfo=zone), tick=False):
        assert enqueue_due() == ["protection.retention"]  # due from 02:00; reminders not yet
    with time_machine.travel(datetime(2026, 3, 18, 7, 0, tzinfo=zone), tick=False):
        assert enqueue_due() == ["planning.overdue_reminders"]
        assert enqueue_due() == []  # a second worker on the same morning
    with time_machine.travel(datetime(2026, 3, 18, 16, 0, tzinfo=zone), tick=False):
        assert enqueue_due() == []
    assert queued() == 1
    with time_machine.travel(datetime(2026, 3, 19, 7, 5, tzinfo=zone), tick=False):
        assert enqueue_due() == ["planning.overdue_reminders", "protection.retention"]
    assert queued() == 2
    assert sorted(PeriodicRun.objects.values_list("day", "name")) == [
        (date(2026, 3, 18), "planning.overdue_reminders"),
        (date(2026, 3, 18), "protection.retention"),
        (date(2026, 3, 19), "planning.overdue_reminders"),
        (date(2026, 3, 19), "protection.retention"),
    ]


def test_the_worker_refuses_to_start_without_the_database_queue(db, settings):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="antrean basis data"):
        run_worker()
