import io
import os

import pytest

from sikla.regions.models import Region
from tests import snapshot
from tests.e2e.chromium import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS  # noqa: F401
from tests.reference import load_reference_data

PASSWORD = "sandi-demo-e2e-panjang"


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)
            if CHROMIUM is None:
                item.add_marker(
                    pytest.mark.skip(
                        reason="Debian's chromium is not installed (apt-get install chromium); "
                        "browser journeys skipped"
                    )
                )


@pytest.fixture(autouse=True)
def _second_factor_off(settings):
    """The journeys log in through the form as demo users, who enrol a second factor at their
    first login; that step has a journey of its own (test_second_factor_journey.py, which asks
    for it with `second_factor_on`), so the others go straight to what they are about."""
    settings.SECOND_FACTOR_REQUIRED = False


@pytest.fixture
def second_factor_on(settings):
    settings.SECOND_FACTOR_REQUIRED = True


@pytest.fixture
def browser(e2e_world):
    # Depends on the data fixture so the ORM work is done before Playwright's event loop starts:
    # inside a running loop Django would open a second connection that outlives the test.
    # Playwright's sync API runs an event loop in this thread; the ORM calls the test makes
    # around it are synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def e2e_world(transactional_db, tmp_path):
    """Reference data and the Kupang demo, committed so the live server sees them."""
    from django.core.management import call_command

    def build():
        if not Region.objects.filter(code="53.71").exists():
            load_reference_data(tmp_path)
        call_command("demo", password=PASSWORD, stdout=io.StringIO())

    snapshot.committed("kupang-demo", build)
    ARTIFACTS.mkdir(exist_ok=True)
    return {"password": PASSWORD, "artifacts": ARTIFACTS}
