"""`sikla serve`: SIKLA under gunicorn, as production runs it.

Collects the static files (compressed, named by content), makes the cache table when the cache
lives in the database, prepares the metrics folder, then hands the process to gunicorn — which
stops cleanly on SIGTERM (finishing the requests in flight). Database migrations are a separate,
deliberate step: `sikla migrate`."""

import fcntl
import os
import shutil
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Jalankan SIKLA dengan gunicorn (server produksi)."

    def add_arguments(self, parser):
        parser.add_argument("--bind", help="alamat:port (default SIKLA_BIND atau 127.0.0.1:PORT)")
        parser.add_argument("--workers", type=int, help="proses (default WEB_CONCURRENCY atau 2)")
        parser.add_argument("--threads", type=int, help="thread per proses (SIKLA_THREADS, 4)")

    def handle(self, *args, bind=None, workers=None, threads=None, **options):
        gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or shutil.which(
            "gunicorn"
        )
        if gunicorn is None:
            raise CommandError("gunicorn tidak terpasang (pip install gunicorn).")
        env = {**os.environ, "SIKLA_PRODUCTION": "1", "DJANGO_SETTINGS_MODULE": "sikla.settings"}
        if bind:
            env["SIKLA_BIND"] = bind
        if workers:
            env["WEB_CONCURRENCY"] = str(workers)
        if threads:
            env["SIKLA_THREADS"] = str(threads)
        port = (env.get("SIKLA_BIND") or env.get("PORT", "8000")).rsplit(":", 1)[-1]
        metrics_dir = Path(
            env.get("PROMETHEUS_MULTIPROC_DIR") or settings.DATA_DIR / f"metrics-{port}"
        )
        shutil.rmtree(metrics_dir, ignore_errors=True)  # counts start again with the server
        metrics_dir.mkdir(parents=True)
        env["PROMETHEUS_MULTIPROC_DIR"] = str(metrics_dir)

        sikla = [sys.executable, "-m", "sikla"]
        # Two instances on one host share the static folder: one prepares at a time (a second
        # copying over the first's manifest made it exit at start now and then).
        static_root = Path(settings.STATIC_ROOT)
        static_root.mkdir(parents=True, exist_ok=True)
        with open(static_root / ".collecting.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            subprocess.run([*sikla, "collectstatic", "--noinput", "-v0"], env=env, check=True)  # noqa: S603
            if "DatabaseCache" in settings.CACHES["default"]["BACKEND"]:
                subprocess.run([*sikla, "createcachetable"], env=env, check=True)  # noqa: S603
        self.stdout.write(f"SIKLA (gunicorn) di {env.get('SIKLA_BIND') or '127.0.0.1:' + port}")
        self.stdout.flush()
        os.execve(  # noqa: S606 - our own gunicorn, our own arguments
            gunicorn,
            [gunicorn, "sikla.wsgi:application", "--config", "python:sikla.ops.gunicorn_conf"],
            env,
        )
