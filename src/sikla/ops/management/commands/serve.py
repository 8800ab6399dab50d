"""`sikla serve`: SIKLA under gunicorn, as production runs it.

Collects the static files (compressed, named by content; not again while their sources are
unchanged), makes the cache table when the cache lives in the database, prepares the metrics
folder, then hands the process to gunicorn — which stops cleanly on SIGTERM (finishing the
requests in flight). Database migrations are a separate, deliberate step: `sikla migrate`."""

import fcntl
import hashlib
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
        with open(Path(settings.STATIC_ROOT) / ".collecting.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            collect_static(sikla, env)
            if "DatabaseCache" in settings.CACHES["default"]["BACKEND"]:
                subprocess.run([*sikla, "createcachetable"], env=env, check=True)  # noqa: S603
        self.stdout.write(f"SIKLA (gunicorn) di {env.get('SIKLA_BIND') or '127.0.0.1:' + port}")
        self.stdout.flush()
        os.execve(  # noqa: S606 - our own gunicorn, our own arguments
            gunicorn,
            [gunicorn, "sikla.wsgi:application", "--config", "python:sikla.ops.gunicorn_conf"],
            env,
        )


def collect_static(sikla: list[str], env: dict) -> bool:
    """Collect the static files, unless those collected last came from the same sources (their
    paths, sizes and times, and Django's version): collectstatic deletes and writes again every
    hashed CSS and JS file, and another instance on the host that started from the folder a
    moment ago fails to list it (FileNotFoundError in WhiteNoise's scan). The caller holds the
    lock. Returns whether it collected."""
    root = Path(settings.STATIC_ROOT)
    stamp = root / ".collected"
    fingerprint = static_sources_fingerprint()
    if (root / "staticfiles.json").exists() and stamp.exists() and stamp.read_text() == fingerprint:
        return False
    stamp.unlink(missing_ok=True)  # a collect cut short is never taken for a complete one
    subprocess.run([*sikla, "collectstatic", "--noinput", "-v0"], env=env, check=True)  # noqa: S603
    stamp.write_text(fingerprint)
    return True


def static_sources_fingerprint() -> str:
    """A digest of every file collectstatic would collect: its path, size and modification time."""
    import django
    from django.apps import apps
    from django.contrib.staticfiles.finders import get_finders

    ignore = apps.get_app_config("staticfiles").ignore_patterns
    sources = sorted(
        (path, os.stat(storage.path(path)))
        for finder in get_finders()
        for path, storage in finder.list(ignore)
    )
    digest = hashlib.sha256(django.get_version().encode())
    for path, info in sources:
        digest.update(f"{path}\0{info.st_size}\0{info.st_mtime_ns}\n".encode())
    return digest.hexdigest()
