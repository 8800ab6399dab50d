"""`sikla serve` as production runs it: gunicorn, static files collected with content-hashed
names and long cache headers (compressed), JSON logs, workers replaced after `max_requests`, and
a clean stop on SIGTERM."""

import json
import os
import re
import signal
import subprocess
import sys
import urllib.request
from pathlib import Path

from .servers import free_port, wait_for_port

REPO = Path(__file__).resolve().parents[2]


def test_it_serves_with_gunicorn_replaces_workers_and_stops_cleanly_on_sigterm(tmp_path):
    port = free_port()
    env = {
        **{
            k: v
            for k, v in os.environ.items()
            if k not in {"DATABASE_URL", "PROMETHEUS_MULTIPROC_DIR"}
        },
        "SIKLA_DATA_DIR": str(tmp_path),
        "WEB_CONCURRENCY": "1",
        "SIKLA_THREADS": "2",
        "SIKLA_MAX_REQUESTS": "3",  # a new worker every third request
        # plain http on the loopback: production would redirect to https and keep cookies to it
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
    }
    subprocess.run([sys.executable, "-m", "sikla", "migrate", "-v0"], env=env, cwd=REPO, check=True)
    server = subprocess.Popen(
        [sys.executable, "-m", "sikla", "serve", "--bind", f"127.0.0.1:{port}"],
        env=env,
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        wait_for_port(port, timeout=60)
        base = f"http://127.0.0.1:{port}"
        for _ in range(8):  # each worker that leaves is replaced: no request is lost
            with urllib.request.urlopen(f"{base}/healthz", timeout=30) as response:
                assert response.headers["Server"].startswith("gunicorn")
                assert json.loads(response.read()) == {"status": "ok"}
        with urllib.request.urlopen(f"{base}/masuk/", timeout=30) as response:
            page = response.read().decode()
        css = re.search(r'href="(/static/sikla/app\.[0-9a-f]{12}\.css)"', page).group(1)
        request = urllib.request.Request(base + css, headers={"Accept-Encoding": "gzip"})
        with urllib.request.urlopen(request, timeout=30) as response:
            assert response.headers["Content-Encoding"] == "gzip"
            assert "immutable" in response.headers["Cache-Control"]
    finally:
        server.send_signal(signal.SIGTERM)
        output, _ = server.communicate(timeout=60)
    assert server.returncode == 0, output
    assert "Shutting down: Master" in output
    lines = [json.loads(line) for line in output.splitlines() if line.startswith("{")]
    assert {"route": "/healthz", "status": 200}.items() <= lines[0].items()
    assert all(line.get("request_id") for line in lines)
    # a worker leaving at once (gunicorn_conf.worker_exit) still wrote the log of each request
    assert sum(line.get("route") == "/healthz" for line in lines) == 8
    assert output.count("Booting worker") >= 3  # replaced at least twice
    assert "Exception" not in output


def test_only_a_worker_leaving_normally_skips_the_slow_way_out(tmp_path):
    """A worker leaving normally exits at once (no atexit, no freeing of the heap); a failed
    boot keeps its status, which tells the master to stop rather than start it again and again."""
    program = (
        "import atexit, sys\n"
        "atexit.register(print, 'the slow way out')\n"
        "from sikla.ops import gunicorn_conf\n"
        "try:\n"
        "    sys.exit(int(sys.argv[1]))\n"
        "finally:\n"
        "    gunicorn_conf.worker_exit(None, None)\n"
    )
    env = {
        **os.environ,
        "SIKLA_DATA_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "sikla.settings",
    }
    ran = {
        code: subprocess.run(
            [sys.executable, "-c", program, str(code)],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        for code in (0, 3)
    }
    assert (ran[0].returncode, ran[0].stdout) == (0, "")
    assert (ran[3].returncode, ran[3].stdout) == (3, "the slow way out\n")


def test_production_settings_pass_the_deployment_check(tmp_path):
    """`sikla serve`'s settings (SIKLA_PRODUCTION) with a real secret and host: `check --deploy`
    finds nothing — secure cookies, HSTS, HTTPS redirects are the defaults there."""
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"DATABASE_URL"}},
        "SIKLA_DATA_DIR": str(tmp_path),
        "SIKLA_PRODUCTION": "1",
        "SECRET_KEY": "uji-" + "k" * 60,
        "ALLOWED_HOSTS": "sikla.kupangkota.go.id",
    }
    for name in ("SECURE_COOKIES", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "DEBUG"):
        env.pop(name, None)
    result = subprocess.run(
        [sys.executable, "-m", "sikla", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_static_files_are_collected_again_only_when_their_sources_change(tmp_path, settings):
    """A second instance starting on the host rewrites nothing under the first one's feet (the
    production stack's two app servers: WhiteNoise's scan once met a file being written again),
    an incomplete folder is collected again, and a changed source changes the fingerprint."""
    from sikla.ops.management.commands.serve import collect_static, static_sources_fingerprint

    settings.STATIC_ROOT = tmp_path / "static"
    settings.STATIC_ROOT.mkdir()
    env = {**os.environ, "SIKLA_DATA_DIR": str(tmp_path), "SIKLA_PRODUCTION": "1"}
    sikla = [sys.executable, "-m", "sikla"]

    assert collect_static(sikla, env)
    (css,) = (settings.STATIC_ROOT / "sikla").glob("app.*[0-9a-f].css")
    written = css.stat().st_mtime_ns
    assert not collect_static(sikla, env)
    assert css.stat().st_mtime_ns == written
    (settings.STATIC_ROOT / "staticfiles.json").unlink()
    assert collect_static(sikla, env)
    assert (settings.STATIC_ROOT / "staticfiles.json").exists()

    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "a.css").write_text("a {}")
    settings.STATICFILES_DIRS = [*settings.STATICFILES_DIRS, extra]
    before = static_sources_fingerprint()
    (extra / "a.css").write_text("a { color: red }")
    assert static_sources_fingerprint() != before
