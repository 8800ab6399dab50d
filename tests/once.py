"""Data built once per test module: a fixture whose rows live in a transaction that is rolled
back at the module's end. Each test runs in its own savepoint on top of it (pytest-django's `db`),
so whatever a test writes is undone before the next one — Django's setUpTestData, for pytest."""

from collections.abc import Callable

import pytest
from django.db import connection, transaction
from django.test import override_settings

from tests import FAST_HASHERS


def built_once_per_module(build: Callable):
    """A module-scoped fixture holding `build()`'s result; request it beside `db`, and hand
    tests a copy of any object they may change (see `world` in tests/personas.py)."""

    @pytest.fixture(scope="module")
    def fixture(django_db_setup, django_db_blocker):
        with django_db_blocker.unblock():
            outer = transaction.atomic()
            outer._from_testcase = True  # durable atomics inside behave as in a TestCase
            outer.__enter__()
            try:
                with override_settings(PASSWORD_HASHERS=FAST_HASHERS):
                    built = build()
            except BaseException:
                transaction.set_rollback(True)
                outer.__exit__(None, None, None)
                raise
        yield built
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            assert not connection.in_atomic_block, "a test left a transaction open"

    return fixture
