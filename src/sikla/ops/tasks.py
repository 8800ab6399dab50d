"""Background work through Django's Tasks API (the `django-tasks` package).

With PostgreSQL the queue is durable: `django_tasks_db`'s table, served by `sikla worker` on any
number of machines (a job is claimed with SELECT … FOR UPDATE SKIP LOCKED, so no two workers run
it). On the embedded SQLite default a job runs at once in the process that enqueued it, so
`bin/start` needs no worker.

`background()` adds what the API leaves to the application: a failed job is enqueued again with
exponential backoff, and after its last attempt the failure stands (the job's own record says so
to the person who asked). Jobs take ids, never model instances or identities: arguments are
stored in the queue table as JSON.
"""

from __future__ import annotations

import functools
import logging
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django_tasks import task, task_backends

logger = logging.getLogger("sikla.tasks")


def background(*, attempts: int = 1, backoff_seconds: int = 30, queue_name: str = "default"):
    """A task tried up to `attempts` times, waiting backoff_seconds × 2^(n-1) before try n+1.

    The function receives `attempt` (1, 2, …) and may read `.attempts` on the task to know
    whether this try is its last."""

    def decorate(func):
        @functools.wraps(func)
        def run(*args, attempt: int = 1, **kwargs):
            try:
                return func(*args, attempt=attempt, **kwargs)
            except Exception:
                if attempt >= attempts:
                    logger.exception("Job %s failed for good (attempt %s)", func.__name__, attempt)
                    raise
                delay = backoff_seconds * 2 ** (attempt - 1)
                logger.warning(
                    "Job %s failed (attempt %s of %s); trying again in %s s",
                    func.__name__,
                    attempt,
                    attempts,
                    delay,
                    exc_info=True,
                )
                later = the_task
                if the_task.get_backend().supports_defer:
                    later = the_task.using(run_after=timezone.now() + timedelta(seconds=delay))
                later.enqueue(*args, attempt=attempt + 1, **kwargs)
                return None

        the_task = task(queue_name=queue_name)(run)
        run.attempts = attempts
        return the_task

    return decorate


def attempts_of(a_task) -> int:
    return getattr(a_task.func, "attempts", 1)


def enqueue_on_commit(a_task, *args, **kwargs) -> None:
    """Enqueue once the current transaction commits: a worker must find the rows the job reads,
    and a rolled-back request leaves no job behind."""
    transaction.on_commit(lambda: a_task.enqueue(*args, **kwargs))


def queue_reachable() -> None:
    """Raises when the configured queue cannot be read (for /readyz)."""
    backend = task_backends["default"]
    if backend.__class__.__name__ == "DatabaseBackend":
        from django_tasks_db.models import DBTaskResult

        DBTaskResult.objects.only("id").first()
