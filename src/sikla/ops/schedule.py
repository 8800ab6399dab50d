"""Periodic jobs, enqueued by `sikla worker`: each at most once per local day, whatever the
number of workers (a `PeriodicRun` row per job and day, inserted in the same transaction as the
job itself: one worker wins the insert, the others find it done)."""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from .models import PeriodicRun


@dataclass(frozen=True)
class Periodic:
    name: str
    task_path: str
    hour: int  # local time (settings.TIME_ZONE) from which the day's run is due


def periodic_jobs() -> list[Periodic]:
    return [
        Periodic(
            "planning.overdue_reminders",
            "sikla.planning.tasks.send_reminders",
            settings.REMINDER_HOUR,
        ),
        Periodic(
            "protection.retention",
            "sikla.protection.tasks.anonymise_expired",
            2,  # at night
        ),
    ]


def enqueue_due(now: datetime | None = None) -> list[str]:
    """Enqueue every periodic job that is due today and not yet enqueued; returns their names."""
    local = timezone.localtime(now or timezone.now())
    enqueued = []
    for job in periodic_jobs():
        if local.hour < job.hour:
            continue
        try:
            with transaction.atomic():
                PeriodicRun.objects.create(name=job.name, day=local.date())
                import_string(job.task_path).enqueue()
        except IntegrityError:
            continue  # another worker enqueued it today
        enqueued.append(job.name)
    return enqueued
