import os

import pytest

from sikla.regions.models import Region
from tests.personas import KUPANG, build_world
from tests.reference import load_reference_data

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def needs_database_server(what: str):
    return pytest.mark.skipif(
        os.environ.get("DATABASE_URL", "") == "",
        reason=f"{what} needs a database server (PostgreSQL; set DATABASE_URL)",
    )


@pytest.fixture
def committed_world(transactional_db, tmp_path, settings):
    """The personas, committed (other processes see them); the database is emptied after."""
    settings.TASKS = DATABASE_QUEUE
    settings.REPORT_BACKGROUND_EVIDENCE = 0
    settings.MEDIA_ROOT = tmp_path / "media"  # only this test's files (backups count them)
    if not Region.objects.filter(code=KUPANG).exists():
        load_reference_data(tmp_path)
    return build_world()
