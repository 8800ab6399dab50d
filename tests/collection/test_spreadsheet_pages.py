"""The spreadsheet functions are tested in test_spreadsheets.py; these test the pages."""

import io
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from sikla.collection.models import DataValue
from tests.personas import JAMBI, KUPANG, PERIOD_YEAR, world_fixture  # noqa: F401

BASE = f"/organisasi/{KUPANG}/periode/{PERIOD_YEAR}/indikator/11/"


def template(client) -> bytes:
    response = client.get(BASE + "templat.xlsx")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    return response.content


def filled(data: bytes, cells: dict[str, object]) -> SimpleUploadedFile:
    workbook = load_workbook(io.BytesIO(data))
    for ref, value in cells.items():
        workbook["Data"][ref] = value
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("isian.xlsx", buffer.getvalue())


def test_it_takes_a_filled_template_back_and_saves_it(client, world):
    client.force_login(world.agency_operator)

    upload = filled(template(client), {"C2": 45, "D2": 50, "C3": "3,5", "D3": 10})
    response = client.post(BASE + "impor/", {"workbook": upload})

    assert response.status_code == 302
    assert DataValue.objects.get(region_id="53.71.01").numerator == Decimal(45)
    assert DataValue.objects.get(region_id="53.71.02").numerator == Decimal("3.5")


def test_it_lists_every_problem_and_saves_nothing(client, world):
    client.force_login(world.agency_operator)

    upload = filled(template(client), {"C2": 12, "D2": 10, "C3": -1, "D3": 5})
    response = client.post(BASE + "impor/", {"workbook": upload})

    page = response.content.decode()
    assert response.status_code == 422
    assert "Lembar Data, sel C2" in page and "Lembar Data, sel C3" in page
    assert not DataValue.objects.exists()


def test_it_refuses_a_file_that_is_not_a_workbook(client, world):
    client.force_login(world.agency_operator)

    response = client.post(BASE + "impor/", {"workbook": SimpleUploadedFile("x.xlsx", b"MZ")})

    assert response.status_code == 422
    assert 'data-testid="import-problems"' in response.content.decode()


def test_it_exports_a_period_for_everyone_in_scope_only(client, world):
    client.force_login(world.viewer)

    xlsx = client.get(f"/organisasi/{KUPANG}/periode/{PERIOD_YEAR}/ekspor.xlsx")
    csv = client.get(f"/organisasi/{KUPANG}/periode/{PERIOD_YEAR}/ekspor.csv")
    other = client.get(f"/organisasi/{KUPANG}/periode/{PERIOD_YEAR}/ekspor.exe")
    client.force_login(world.jambi_secretariat)
    outsider = client.get(f"/organisasi/{KUPANG}/periode/{PERIOD_YEAR}/ekspor.csv")

    assert xlsx.status_code == 200 and xlsx.content.startswith(b"PK")
    assert csv.status_code == 200 and csv["Content-Type"].startswith("text/csv")
    assert other.status_code == 404 and outsider.status_code == 404


def test_a_viewer_cannot_import(client, world):
    client.force_login(world.viewer)
    upload = SimpleUploadedFile("isian.xlsx", b"PK")

    assert client.post(BASE + "impor/", {"workbook": upload}).status_code == 403
