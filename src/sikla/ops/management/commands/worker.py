"""`sikla worker`: serves the task queue (django-tasks' database backend) and enqueues the
periodic jobs when they are due. Run one or more, on one or more machines; each job is taken by
one worker only. SIGTERM lets the job in hand finish, then stops."""

import logging
import os
import socket
import threading

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections, connection
from django_tasks import task_backends

from sikla.ops.schedule import enqueue_due

logger = logging.getLogger("sikla.worker")


class Command(BaseCommand):
    help = "Jalankan pekerja antrean tugas (laporan besar, surel, pengingat harian)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch", action="store_true", help="kerjakan yang antre lalu berhenti"
        )
        parser.add_argument("--interval", type=float, default=1.0, help="detik antara pemeriksaan")
        parser.add_argument(
            "--no-schedule", action="store_true", help="jangan mengantrekan tugas berkala"
        )

    def handle(self, *args, batch=False, interval=1.0, no_schedule=False, **options):
        from django_tasks_db.backend import DatabaseBackend
        from django_tasks_db.management.commands.db_worker import Worker

        if not isinstance(task_backends["default"], DatabaseBackend):
            raise CommandError(
                "Pekerja hanya diperlukan dengan antrean basis data (PostgreSQL, atau "
                "SIKLA_TASKS=database); pada bawaan SQLite tugas langsung dijalankan."
            )
        if "DatabaseCache" in settings.CACHES["default"]["BACKEND"]:
            try:
                call_command("createcachetable", verbosity=0)
            except CommandError:
                # Two workers starting together both found it missing; one made it.
                table = settings.CACHES["default"]["LOCATION"]
                if table not in connection.introspection.table_names():
                    raise
        worker_id = f"{socket.gethostname()}-{os.getpid()}"[:64]
        if not no_schedule:
            enqueue_due()
            if not batch:
                threading.Thread(target=self.schedule, args=(interval,), daemon=True).start()
        worker = Worker(
            queue_names=["default"],
            interval=interval,
            batch=batch,
            backend_name="default",
            startup_delay=not batch,
            max_tasks=None,
            worker_id=worker_id,
            excluded_queue_names=[],
        )
        worker.configure_signals()
        logger.info("worker %s started", worker_id)
        worker.run()

    def schedule(self, interval: float) -> None:
        """Every minute: enqueue what is due (its own connection, closed between rounds)."""
        stop = threading.Event()
        while not stop.wait(max(60.0, interval)):
            try:
                enqueue_due()
            except Exception:
                logger.exception("periodic scheduling failed; trying again in a minute")
            finally:
                close_old_connections()
                connection.close()
