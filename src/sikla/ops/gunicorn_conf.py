"""gunicorn's settings for `sikla serve`, from the environment (see the README)."""

import gc
import os
import sys

bind = [os.environ.get("SIKLA_BIND") or f"127.0.0.1:{os.environ.get('PORT', '8000')}"]
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("SIKLA_THREADS", "4"))
worker_class = "gthread"
timeout = int(os.environ.get("SIKLA_REQUEST_TIMEOUT", "60"))
graceful_timeout = 30  # on SIGTERM: stop accepting, finish what is running, then exit
keepalive = 5
# A worker is replaced after this many requests (± 10 %), so no leak grows without bound. Each
# replacement costs a fork and a cold start, so not too often: at 500 requests a second 2,000 was
# a new worker every 8 s (SIKLA_MAX_REQUESTS; 0: never).
max_requests = int(os.environ.get("SIKLA_MAX_REQUESTS", "20000"))
max_requests_jitter = max_requests // 10
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


def pre_fork(server, worker):
    """What the preloaded application made stays shared with the workers: the collector of a
    worker never walks it (each walk would write every page a worker shares into its own)."""
    gc.freeze()


def worker_exit(server, worker):
    """A worker that leaves normally (replaced after `max_requests`, or stopped) closes its
    connections, flushes its logs and exits at once: the interpreter's own way out frees the
    whole heap object by object, half a second of a core each time. Any other way out (a
    worker that failed to boot or crashed) keeps its exit status, which the master acts on."""
    leaving = sys.exc_info()[1]
    if not isinstance(leaving, SystemExit) or leaving.code not in (0, None):
        return
    import logging

    from django.db import connections

    connections.close_all()
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)
