"""gunicorn's settings for `sikla serve`, from the environment (see the README)."""

import os

bind = [os.environ.get("SIKLA_BIND") or f"127.0.0.1:{os.environ.get('PORT', '8000')}"]
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("SIKLA_THREADS", "4"))
worker_class = "gthread"
timeout = int(os.environ.get("SIKLA_REQUEST_TIMEOUT", "60"))
graceful_timeout = 30  # on SIGTERM: stop accepting, finish what is running, then exit
keepalive = 5
max_requests = 2000  # a worker is replaced now and then, so no leak grows without bound
max_requests_jitter = 200
# gunicorn's heartbeat files in memory, not on a disk that may stall (its documented advice)
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108
accesslog = None  # SIKLA logs each request itself (JSON, with its request id; sikla.ops.logs)
errorlog = "-"
# X-Forwarded-* are trusted from the proxy in front (nginx on the same machine by default).
forwarded_allow_ips = os.environ.get("SIKLA_PROXY_ADDRESSES", "127.0.0.1,::1")
proc_name = "sikla"
preload_app = True  # Django is loaded once, before the workers fork: no slow first requests
control_socket_disable = True  # no admin socket in $HOME (several instances share a machine)
# Request size limits before Django reads a body (Django's own limits follow).
limit_request_line = 8190
limit_request_fields = 100


def child_exit(server, worker):
    """A finished worker's metric files are merged into the totals of the live ones."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
