import gc
import os
import tempfile
from importlib import import_module
from pathlib import Path

import pytest
from django.db import connection
from django.test import override_settings

from tests import FAST_HASHERS, snapshot
from tests.personas import _module_world  # noqa: F401  (the world, once per module)
from tests.reference import load_reference_data

os.environ.setdefault("SIKLA_DATA_DIR", tempfile.mkdtemp(prefix="sikla-test-"))


def pytest_configure(config):
    if not hasattr(config, "workerinput"):  # the run's own process, before its workers start
        snapshot.open_folder()


def pytest_unconfigure(config):
    if not hasattr(config, "workerinput"):
        snapshot.close_folder()


@pytest.fixture(autouse=True, scope="session")
def _one_process_settings(tmp_path_factory):
    """Uploads of the whole run land in one temporary folder (a module's world keeps its evidence
    there for every test of the module), never in the developer's var/; the cache is the test
    process's own memory (a database cache would need a table and a database access of its own
    in every test that clears it). WhiteNoise looks a static file up when it is asked for
    instead of listing every static file each time a test client builds its middleware (5 ms of
    each of some 2,500 tests)."""
    with override_settings(
        MEDIA_ROOT=tmp_path_factory.mktemp("media"),
        CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}},
        WHITENOISE_AUTOREFRESH=True,
    ):
        yield


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings):
    from django.core.cache import cache

    cache.clear()  # the database of the last test was rolled back; its cached pages go too
    settings.PASSWORD_HASHERS = FAST_HASHERS
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # Jobs run at once where they are enqueued, as on the embedded default; enqueuing happens on
    # commit, which a test reaches with django_capture_on_commit_callbacks(execute=True). The
    # worker itself is tested on the database queue (tests/ops/test_tasks.py).
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _force_login_passes_the_second_factor(monkeypatch):
    """`client.force_login` stands for a finished login: for the roles that need a second factor
    that is the password and a code, so the session is marked verified by a real authenticator
    device (tests/second_factor.py). The second-factor tests log in through the pages instead."""
    from django.test.client import ClientMixin

    from sikla.accounts.rules import needs_second_factor
    from tests.second_factor import mark_verified

    force_login = ClientMixin.force_login

    def force_login_verified(self, user, backend=None):
        force_login(self, user, backend)
        if needs_second_factor(user):
            mark_verified(self, user)

    monkeypatch.setattr(ClientMixin, "force_login", force_login_verified)


# The test database is made from the models (`--no-migrations` in pyproject.toml): a second
# instead of ten for Django to replay 85 migrations in every worker. The models and the
# migrations are the same schema (`makemigrations --check` in CI); the migrations themselves run
# in the tests that start SIKLA as it is deployed (`sikla migrate`: serve, stack, backup). What
# the migrations add beyond the models is added here: PostgreSQL's refusal to rewrite the access
# log.
APPEND_ONLY = import_module("sikla.protection.migrations.0002_access_log_append_only")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, tmp_path_factory):
    """Regions (a slice) and the catalog, loaded once into the test database."""
    with django_db_blocker.unblock():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    APPEND_ONLY.BACKWARD + APPEND_ONLY.FORWARD
                )  # also under --migrations
        load_reference_data(Path(tmp_path_factory.mktemp("reference")))
    yield
    # A session some test left open on the test database (seen after the browser journeys and
    # the worker's test ran in one process; not traced further) would keep it from being
    # dropped ("is being accessed by other users"): every other session on it ends here, before
    # the database is.
    if connection.vendor == "postgresql":
        with django_db_blocker.unblock(), connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )


@pytest.fixture
def viewer_client(client, db):
    """A client logged in as a nation-wide read-only viewer (catalog and region pages)."""
    from sikla.accounts.actions import create_user
    from sikla.accounts.models import Role

    viewer = create_user(
        actor=None,
        username="pemantau.nasional",
        full_name="Pemantau Nasional",
        role=Role.VIEWER,
        scope="",
        password="sandi-uji-yang-panjang",
    )
    client.force_login(viewer)
    return client


# The longest tests first in their group (the production stack, which has its own database, at the
# very start; the browser sweeps first among the committing tests): the two workers then end
# together instead of one running a minute-long test alone while the other waits.
LONGEST_FIRST = ("tests/ops/test_stack.py", "tests/e2e/test_sweep.py")


# Modules whose tests share data that costs seconds to build (once per module and process): their
# tests all go to one worker, which builds it once. (xdist's own `--dist loadgroup` cannot mark
# them under pytest 9: it renames items through an attribute pytest no longer reads.)
ONE_WORKER = frozenset({"tests/core/test_demo.py"})


def pytest_xdist_make_scheduler(config, log):
    """The tests one at a time as workers free up, in the order below (collection's, sorted),
    with each module of ONE_WORKER sent whole to one worker."""
    from xdist.scheduler import LoadScopeScheduling

    class Scheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            module = nodeid.split("::", 1)[0]
            return module if module in ONE_WORKER else nodeid

    if config.getvalue("dist") != "load":
        return None  # a scheduling asked for by name
    config.option.loadscopereorder = False
    return Scheduling(config, log)


def pytest_collection_finish(session):
    # Django, the app and every test module are loaded now and live to the end: out of the cyclic
    # collector's way, which also runs less often (a run of the walk and the fuzzing: 2 % less CPU).
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 50, 1000)


def pytest_collection_modifyitems(config, items):
    # Browser journeys and other committing tests (transactional_db) empty the database when they
    # end; run them after every test that relies on the session's reference data.
    def order(item) -> tuple[bool, bool]:
        commits = item.get_closest_marker("e2e") is not None or "transactional_db" in getattr(
            item, "fixturenames", ()
        )
        longest = any(item.nodeid.startswith(path) for path in LONGEST_FIRST)
        return commits, not longest

    items.sort(key=order)
