import os
import tempfile
from pathlib import Path

import pytest
from django.test import override_settings

from tests import FAST_HASHERS
from tests.reference import load_reference_data

os.environ.setdefault("SIKLA_DATA_DIR", tempfile.mkdtemp(prefix="sikla-test-"))


@pytest.fixture(autouse=True, scope="session")
def _media_root(tmp_path_factory):
    """Uploads of the whole run land in one temporary folder (a module's world keeps its evidence
    there for every test of the module), never in the developer's var/."""
    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")):
        yield


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings):
    settings.PASSWORD_HASHERS = FAST_HASHERS
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.REPORT_RUNNER = "command"  # tests make queued reports themselves (jobs.run)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, tmp_path_factory):
    """Regions (a slice) and the catalog, loaded once into the test database."""
    with django_db_blocker.unblock():
        load_reference_data(Path(tmp_path_factory.mktemp("reference")))


@pytest.fixture(scope="module")
def module_world(django_db_setup, django_db_blocker):
    """The world, built once per test module inside a transaction that is rolled back at the
    module's end. Each test runs inside its own savepoint on top of it (pytest-django's `db`),
    so whatever a test writes is undone before the next one, as with Django's setUpTestData."""
    from django.db import connection, transaction

    from tests.personas import build_world

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer._from_testcase = True  # durable atomics inside behave as in a TestCase
        outer.__enter__()
        try:
            with override_settings(PASSWORD_HASHERS=FAST_HASHERS):
                world = build_world()
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    yield world
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)
        assert not connection.in_atomic_block, "a test left a transaction open"


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


def pytest_collection_modifyitems(config, items):
    # Browser journeys use a live server, whose transactional teardown empties the database;
    # run them after every test that relies on the session's reference data.
    items.sort(key=lambda item: item.get_closest_marker("e2e") is not None)
