"""The cache of what anyone may read without logging in: the public portal's pages and their API.

A page a child or a journalist can open without login must never be the one that brings the
server down, so each is built once and then served from the cache (Redis in production, the
`sikla_cache` table on PostgreSQL alone) until something it shows changes.

What changes them: every state change of SIKLA writes an audit row (`core.audit.record`), and that
bumps a version number — of the local government the row names, or the global one when it names
none — at once and again when the transaction commits (a page built from the old data between the
two is never read again). A cache key carries the versions its page depends on, the language and
the day, so nothing is ever deleted: old keys simply go unread and expire (`TTL`).

The same versions keep what some signed-in pages work out from many rows and show to everyone
allowed to open them (a period's assessment, where points are lost in a scope): the access rule
runs on every request first, and only then is the kept value read (`kept_in_process`, the
template's `{% cache %}` under a `key`). Nothing of a child is ever kept this way.

A version never comes back: one the cache has lost (evicted, culled, expired) starts again from
the clock in nanoseconds, never from a number an earlier page was kept under. Where the cache is
the database itself, a bump inside a transaction would commit with it anyway, so only the bump
on commit is made, once per transaction and scope however many rows the transaction audits.
"""

from __future__ import annotations

import hashlib
import pickle
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from contextvars import ContextVar
from datetime import date
from functools import wraps
from typing import Any, NamedTuple

from django.core.cache import cache, caches
from django.core.cache.backends.db import DatabaseCache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import get_language

from sikla.ops.replica import reads_from_replica

TTL = 15 * 60  # seconds; a safety net, since every change moves the versions on
LAST_TTL = 7 * 24 * 3600  # the last value built of a slow item, served while a job rebuilds it
REFRESH_WAIT = 5 * 60  # one rebuild job per item and version at a time; another after this
BUILD_WAIT = 30  # seconds a request waits for another's first build of a slow item
BUILD_POLL = 0.05  # seconds between its looks
STALE_TTL = 60  # seconds; what was built from the last value of a slow item, until its new one
# seconds; what was built from the read replica, which may not yet have replayed the change that
# moved the versions on: kept a minute, not until the next change
REPLICA_TTL = 60
EVERYTHING = "*"  # bumped by every change: what lists every local government
GLOBAL = "-"  # bumped by changes that name no local government (the catalog, the regions)


def ttl() -> int:
    """How long what is built now is kept: `TTL`, or `REPLICA_TTL` when it was read from the
    replica (`ops.replica`)."""
    return REPLICA_TTL if reads_from_replica() else TTL


def _version_key(scope: str) -> str:
    return "public:v:" + _digest(scope)


def _digest(text: str) -> str:
    """Keys carry what a visitor typed (a path, a code): hashed, so any text makes a valid key."""
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def versions(*scopes: str) -> list[int]:
    keys = [_version_key(s) for s in scopes]
    found = cache.get_many(keys)
    for missing in [k for k in keys if k not in found]:
        cache.add(missing, _fresh(), timeout=None)
        found[missing] = cache.get(missing, 0)
    return [found[k] for k in keys]


def _fresh() -> int:
    """A version no page can have been kept under: the clock, far above any count of bumps."""
    return time.time_ns()


def _bump(scopes: tuple[str, ...]) -> None:
    for scope in scopes:
        key = _version_key(scope)
        try:
            cache.incr(key)
        except ValueError:  # never read yet, or lost: a fresh start is as good as a bump
            cache.add(key, _fresh(), timeout=None)


class _BumpOnCommit:
    def __init__(self, scopes: tuple[str, ...]) -> None:
        self.scopes = scopes

    def __call__(self) -> None:
        _bump(self.scopes)


def changed(region_code: str = "") -> None:
    """Something a public page may show changed in this region (a kab/kota or anything below
    it; "" for the catalog or the regions): now, and again on commit."""
    lg = ".".join(region_code.split(".")[:2]) if region_code.count(".") >= 1 else ""
    scopes = (EVERYTHING, lg or GLOBAL)
    connection = transaction.get_connection()
    if not connection.in_atomic_block:  # committed already
        _bump(scopes)
        return
    if not isinstance(caches["default"], DatabaseCache):  # outside the transaction: at once too
        _bump(scopes)
    pending = (getattr(f, "scopes", None) for _ids, f, _robust in connection.run_on_commit)
    if scopes not in pending:  # the bumps on commit all come at the same moment: one is enough
        transaction.on_commit(_BumpOnCommit(scopes))


def key(name: str, local_government: str = "", *, day: date | None = None) -> str:
    """The cache key of a public item: its name, the language, the local day (`day`, for a job
    that builds what a request asked for) and the versions it depends on (one local
    government's and the global one, or every change for a list)."""
    scopes = [local_government, GLOBAL] if local_government else [EVERYTHING]
    parts = [
        name,
        get_language() or "",
        (day or timezone.localdate()).isoformat(),
        *map(str, versions(*scopes)),
    ]
    return "public:" + _digest("\x00".join(parts))


def get_or_build(
    name: str, local_government: str, build: Callable[[], Any], *, day: date | None = None
) -> Any:
    """The cached value of a public item, built (and stored) when missing."""
    cache_key = key(name, local_government, day=day)
    value = _usable(cache.get(cache_key))
    if value is None:
        value, waiting = _build(build)
        _keep(cache_key, value, waiting)
    return value


class Kept:
    """Values built from the database, kept in this process's memory for as long as the versions
    of their local government and the global one (of every change, for a value about all of
    them: "") stay where they were when they were built. The versions are read before the
    build: a change during it leaves the value out of date at once. At most `size` values, the
    least recently used dropped first.

    A value is the same object for every request (not pickled: to be read, never changed), or
    with `pickled` a copy of its own for each (a model row a view may change and save).
    `per_language`: the language is part of the name (a value holding translated texts)."""

    def __init__(self, size: int, *, pickled: bool = False, per_language: bool = True) -> None:
        self.size, self.pickled, self.per_language = size, pickled, per_language
        self._values: OrderedDict[str, tuple[list[int], Any]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, name: str, local_government: str, build: Callable[[], Any]) -> Any:
        stamp = versions(local_government, GLOBAL) if local_government else versions(EVERYTHING)
        if self.per_language:
            name = f"{name}\x00{get_language() or ''}"
        with self._lock:
            kept = self._values.get(name)
            if kept is not None and kept[0] == stamp:
                self._values.move_to_end(name)
                return pickle.loads(kept[1]) if self.pickled else kept[1]  # noqa: S301 - ours
        value = build()
        with self._lock:
            self._values[name] = (stamp, pickle.dumps(value) if self.pickled else value)
            self._values.move_to_end(name)
            while len(self._values) > self.size:
                self._values.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._values.clear()

    def __len__(self) -> int:
        return len(self._values)


# What pages work out from many rows (a period's assessment: 10 ms to unpickle, so not pickled).
KEPT = Kept(64)


def kept_in_process(name: str, local_government: str, build: Callable[[], Any]) -> Any:
    """`build()`'s value, kept by this process in `KEPT` (see `Kept`)."""
    return KEPT.get(name, local_government, build)


def get_or_refresh(
    name: str,
    local_government: str,
    build: Callable[[], Any],
    refresh: Callable[[], None],
    *,
    day: date | None = None,
) -> Any:
    """An item too slow to build while someone waits (the disclosure control of a kab/kota of
    850 villages takes seconds): when a change has made it out of date, the last one built is
    served while `refresh` has a job of the task queue call `rebuild` (at once where the queue
    is immediate: the embedded default and the tests). Built here only when there has never
    been one. With no worker running, the last one stays until it expires (`LAST_TTL`)."""
    current = key(name, local_government, day=day)
    value = cache.get(current)
    if value is not None:
        return value
    last = cache.get(_last_key(name, local_government))
    if last is None:
        return _first_build(name, local_government, build, day=day)
    if cache.add("public:refreshing:" + current, 1, REFRESH_WAIT):
        refresh()
        value = cache.get(current)
        if value is not None:
            return value
    _served_last((current,))
    return last


def _first_build(name: str, local_government: str, build: Callable[[], Any], *, day) -> Any:
    """The first build of a slow item, by one request: the others asking for it meanwhile wait
    for that one (a cold cache — a new deployment, a restarted Redis — must not have every
    visitor of a large kab/kota build the same seconds-long counts at once). A waiter builds
    it itself only if the builder has gone without leaving it (`BUILD_WAIT`)."""
    current = key(name, local_government, day=day)
    building = "public:building:" + current
    if cache.add(building, 1, BUILD_WAIT):
        try:
            return rebuild(name, local_government, build, day=day)
        finally:
            cache.delete(building)
    deadline = time.monotonic() + BUILD_WAIT
    while time.monotonic() < deadline:
        time.sleep(BUILD_POLL)
        value = cache.get(current)
        if value is not None:
            return value
        if cache.get(building) is None:  # the builder failed: try once more here
            break
    return rebuild(name, local_government, build, day=day)


def rebuild(name: str, local_government: str, build: Callable[[], Any], *, day=None) -> Any:
    """Build an item of `get_or_refresh` and keep it as current and as the last one built. The
    versions are read before the build: a change during it leaves the value under an old key,
    and the next reader asks for another rebuild."""
    current = key(name, local_government, day=day)
    value = build()
    cache.set(current, value, ttl())
    cache.set(_last_key(name, local_government), value, LAST_TTL)
    return value


class _Waiting(NamedTuple):
    """A value built from the last value of slow items (`get_or_refresh`) whose new values are on
    their way: kept a short while (`STALE_TTL`) and only until one of them is ready, so a busy
    public page is not built again on every request while a job rebuilds its counts, and shows
    the new ones as soon as they are there."""

    keys: tuple[str, ...]  # the current keys of those slow items
    value: Any


# The slow items served their last value in the build under way (a list per `_build`; None
# outside any): a value built from them is kept as `_Waiting`, and so is any built around it.
_SERVED_LAST: ContextVar[list | None] = ContextVar("sikla_public_served_last", default=None)


def _served_last(keys: tuple[str, ...]) -> None:
    served = _SERVED_LAST.get()
    if served is not None:
        served.extend(keys)


def _build(build: Callable[[], Any]) -> tuple[Any, tuple[str, ...]]:
    """`build()`, and the slow items it was served the last value of."""
    served: list[str] = []
    token = _SERVED_LAST.set(served)
    try:
        value = build()
    finally:
        _SERVED_LAST.reset(token)
    _served_last(tuple(served))  # what is built around this value waits for them too
    return value, tuple(served)


def _keep(cache_key: str, value: Any, waiting: tuple[str, ...]) -> None:
    if waiting:
        cache.set(cache_key, _Waiting(waiting, value), STALE_TTL)
    else:
        cache.set(cache_key, value, ttl())


def _usable(stored: Any) -> Any:
    """A stored value, or None when it waited for slow items of which one is ready now."""
    if not isinstance(stored, _Waiting):
        return stored
    if any(v is not None for v in cache.get_many(list(stored.keys)).values()):
        return None
    _served_last(stored.keys)
    return stored.value


def _last_key(name: str, local_government: str) -> str:
    return "public:last:" + _digest("\x00".join([name, local_government, get_language() or ""]))


def cached_page(scope: Callable[..., str]):
    """A public view's whole response from the cache. `scope(**kwargs)` names the local
    government the page shows ("" for a page about all of them). Only complete 200 answers are
    kept, and a request carrying a flash message is served fresh."""

    def decorate(view):
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs):
            if "messages" in request.COOKIES:
                return view(request, *args, **kwargs)
            cache_key = key(request.path, scope(**kwargs))
            stored = _usable(cache.get(cache_key))
            if stored is not None:
                content, content_type = stored
                response = HttpResponse(content, content_type=content_type)
                response["X-Cache"] = "hit"
                return response
            response, waiting = _build(lambda: view(request, *args, **kwargs))
            if response.status_code == 200 and not response.streaming:
                _keep(cache_key, (response.content, response["Content-Type"]), waiting)
            return response

        return wrapper

    return decorate
