"""The read replica: heavy read-only pages read from `replica` when DATABASE_REPLICA_URL is set.

The routes in `REPLICA_VIEWS` — the national and provincial roll-ups, statistics, the public
portal and their exports, where a few seconds of replication lag do no harm — read from the
replica (`ReplicaMiddleware`; code may also use `reading_from_replica()`). What they build from it
is kept a minute at most (`core.public_cache.REPLICA_TTL`), never until the next change: the
replica may not yet have replayed the change that moved the cache's versions on. Everything else — every
write, and every page a user sees right after writing — reads the primary, so nobody misses their
own change."""

import contextlib
import contextvars

from django.conf import settings

_use_replica: contextvars.ContextVar[bool] = contextvars.ContextVar("use_replica", default=False)


def replica_configured() -> bool:
    return settings.READ_REPLICA


def reads_from_replica() -> bool:
    """Whether the reads of this moment go to the replica."""
    return _use_replica.get() and replica_configured()


@contextlib.contextmanager
def reading_from_replica():
    token = _use_replica.set(True)
    try:
        yield
    finally:
        _use_replica.reset(token)


# One list of the routes that read from the replica (view names as `reverse` knows them).
REPLICA_VIEWS = frozenset(
    {
        "evaluation:rollup",
        "protection:statistics",
        "protection:statistics_xlsx",
        "dashboards:portal_list",
        "dashboards:portal",
        "api:protection_statistics",
        "api:portal_list",
        "api:portal",
    }
)


class ReplicaMiddleware:
    """Runs the views of REPLICA_VIEWS with their reads on the replica."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            return self.get_response(request)
        finally:
            token = getattr(request, "_replica_token", None)
            if token is not None:
                _use_replica.reset(token)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is not None and match.view_name in REPLICA_VIEWS:
            request._replica_token = _use_replica.set(True)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if _use_replica.get() and replica_configured():
            return "replica"
        return None

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # both aliases hold the same rows

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"
