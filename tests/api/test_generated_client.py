"""A client generated from the live schema works as generated (issue 16, point 5).

openapi-python-client (a development dependency) generates a Python package from the schema the
running SIKLA serves; the scenario then uses that package alone — its functions, its models, its
enums — against SIKLA (in-process, through httpx's WSGI transport): a token, the evaluation and a
simulation, a submission's values read, patched and replaced with the version (and a stale write
refused), a public complaint and its status. Any schema or typing mismatch fails: the generator's
warnings, an answer the generated models cannot parse, a field of the wrong type.
"""

from __future__ import annotations

import importlib
import shutil
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client as DjangoClient

from tests.personas import KUPANG, PASSWORD, PERIOD_YEAR, world_fixture  # noqa: F401
from tests.protection.conftest import KELURAHAN
from tests.second_factor import otp_for

GENERATOR = shutil.which("openapi-python-client") or str(
    Path(sys.executable).with_name("openapi-python-client")
)
CONFIG = "post_hooks: []\npackage_name_override: sikla_client\n"


@pytest.fixture(scope="module")
def sikla_client(tmp_path_factory, django_db_blocker):
    """The package generated from /api/v1/openapi.json, imported as `sikla_client`."""
    if not Path(GENERATOR).exists():
        pytest.skip("openapi-python-client is not installed (pip install -e '.[dev]')")
    folder = tmp_path_factory.mktemp("generated")
    with django_db_blocker.unblock():
        schema = DjangoClient().get("/api/v1/openapi.json")
    assert schema.status_code == 200
    (folder / "openapi.json").write_bytes(schema.content)
    (folder / "config.yaml").write_text(CONFIG)
    run = subprocess.run(
        [
            GENERATOR,
            "generate",
            "--path",
            "openapi.json",
            "--output-path",
            "sikla_client",
            "--meta",
            "none",
            "--config",
            "config.yaml",
        ],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=120,
    )
    said = run.stdout + run.stderr
    assert run.returncode == 0, said
    assert "Warning" not in said and "Error" not in said, said  # nothing skipped or missing
    sys.path.insert(0, str(folder))
    try:
        yield importlib.import_module("sikla_client")
    finally:
        sys.path.remove(str(folder))
        for name in [n for n in sys.modules if n.split(".")[0] == "sikla_client"]:
            del sys.modules[name]


def module(package, dotted: str):
    return importlib.import_module(f"{package.__name__}.{dotted}")


@pytest.fixture
def in_process():
    """httpx's WSGI transport into this process's SIKLA, on the test's own database connection:
    as Django's test client does, the connection is not closed at the end of each request."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield {"transport": httpx.WSGITransport(app=get_wsgi_application())}
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def test_the_generated_client_runs_the_integrators_scenario(
    sikla_client, world, settings, in_process
):
    settings.COMPLAINT_MIN_SECONDS = 0
    cache.clear()
    Client = sikla_client.Client  # noqa: N806
    AuthenticatedClient = sikla_client.AuthenticatedClient  # noqa: N806
    models = module(sikla_client, "models")
    api = module(sikla_client, "api")
    transport = in_process
    anonymous = Client(base_url="http://testserver", httpx_args=transport)

    # A token for the agency operator, with the second factor where the role has one.
    credentials = models.Credentials(
        username=world.agency_operator.username,
        password=PASSWORD,
        **otp_for(world.agency_operator),
    )
    token = module(api, "autentikasi.create_token").sync(client=anonymous, body=credentials)
    assert isinstance(token, models.TokenOut), token
    client = AuthenticatedClient(
        base_url="http://testserver", token=token.token, httpx_args=transport
    )

    # The evaluation and a simulation of one changed answer.
    evaluation = module(api, "evaluasi.get_evaluation").sync(
        code=KUPANG, year=PERIOD_YEAR, client=client
    )
    assert isinstance(evaluation, models.EvaluationOut), evaluation
    assert isinstance(evaluation.stage, models.Stage)
    changed = models.SimulateInAnswers.from_dict({"1.2": "yes"})
    simulated = module(api, "evaluasi.simulate_evaluation").sync(
        code=KUPANG, year=PERIOD_YEAR, client=client, body=models.SimulateIn(answers=changed)
    )
    assert isinstance(simulated, models.SimulationOut), simulated

    # A submission's values: listed, read, patched, replaced — each write with the version read.
    page = module(api, "pengumpulan_data.list_submissions").sync(
        code=KUPANG, year=PERIOD_YEAR, client=client, limit=50
    )
    assert isinstance(page, models.SubmissionPage) and page.count == 24
    eleven = next(s for s in page.items if s.indicator == 11)
    assert isinstance(eleven.status, models.SubmissionStatus)
    values = module(api, "pengumpulan_data")
    read = module(values, "get_submission_values").sync(uid=eleven.uid, client=client)
    assert isinstance(read, models.ValuesOut) and read.values == []
    cells = [models.ValueIn(region=f"53.71.0{i}", numerator="9", denominator="10") for i in (1, 2)]
    patched = module(values, "update_submission_values").sync(
        uid=eleven.uid,
        client=client,
        body=models.ValuesPatchIn(version=read.version, values=cells),
    )
    assert isinstance(patched, models.WrittenOut), patched
    assert patched.version == read.version + 1 and patched.cleared == []
    assert [(v.region, v.numerator) for v in patched.values] == [
        ("53.71.01", "9.00"),
        ("53.71.02", "9.00"),
    ]
    replaced = module(values, "replace_submission_values").sync(
        uid=eleven.uid,
        client=client,
        body=models.ValuesIn(version=patched.version, values=cells[:1]),
    )
    assert isinstance(replaced, models.WrittenOut)
    assert [(c.region, c.sex, c.age_group) for c in replaced.cleared] == [("53.71.02", "", "")]
    stale = module(values, "replace_submission_values").sync(
        uid=eleven.uid,
        client=client,
        body=models.ValuesIn(version=patched.version, values=cells),
    )
    assert isinstance(stale, models.StaleOut), stale
    assert stale.code == models.ErrorCode.STALE_VERSION
    assert stale.current_version == replaced.version

    # A public complaint, without a login, and its status by the tracking code.
    report = models.ComplaintIn(
        local_government=KUPANG,
        kelurahan=KELURAHAN,
        description="Anak tetangga tidak sekolah dan disuruh bekerja sampai malam.",
        place=models.Place.HOUSEHOLD,
        child_age=12,
        child_sex=models.Sex.P,
        reporter_relation=models.ReporterRelation.NEIGHBOUR,
        reporter_name="Pak RT",
        reporter_contact="0813-0000-0000",
    )
    created = module(api, "pengaduan_publik.create_complaint").sync(client=anonymous, body=report)
    assert isinstance(created, models.ComplaintCreatedOut), created
    status = module(api, "pengaduan_publik.get_complaint_status").sync(
        tracking_code=created.tracking_code, client=anonymous
    )
    assert isinstance(status, models.ComplaintStatusOut), status
    assert isinstance(status.status, models.PublicStatus)
