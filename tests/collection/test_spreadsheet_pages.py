"""The spreadsheet functions are tested in test_spreadsheets.py; these test the pages."""

import io
import re
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


def confirm(client, preview) -> object:
    """Press "Simpan perubahan ini" on the preview page."""
    token = re.search(r'name="pratinjau" value="([^"]+)"', preview.content.decode()).group(1)
    return client.post(BASE + "impor/simpan/", {"pratinjau": token}, follow=True)


def stored() -> dict[str, tuple]:
    return {v.region_id: (v.numerator, v.denominator) for v in DataValue.objects.all()}


def test_an_upload_shows_a_preview_and_stores_only_once_confirmed(client, world):
    client.force_login(world.agency_operator)

    upload = filled(template(client), {"C2": 45, "D2": 50, "C3": "3,5", "D3": 10})
    preview = client.post(BASE + "impor/", {"workbook": upload})

    page = preview.content.decode()
    assert preview.status_code == 200 and 'data-testid="import-not-saved"' in page
    assert 'data-testid="count-added">2<' in page and 'data-testid="count-changed">0<' in page
    assert "53.71.01 Alak" in page and "45/50" in page and "3,5/10" in page
    assert not DataValue.objects.exists()  # nothing until confirmed

    done = confirm(client, preview)

    assert stored() == {
        "53.71.01": (Decimal(45), Decimal(50)),
        "53.71.02": (Decimal("3.5"), Decimal(10)),
    }
    assert "Isian dari Excel disimpan: 2 sel ditambah, 0 diubah, 0 dikosongkan." in (
        done.content.decode()
    )


def save_two(world):
    from sikla.collection import actions
    from sikla.collection.models import Submission

    item = Submission.objects.get(period=world.periods[KUPANG], indicator__number=11)
    actions.save_values(
        item,
        actor=world.secretariat,
        values={
            ("53.71.01", "", ""): (Decimal(281), Decimal(357), None),
            ("53.71.02", "", ""): (Decimal(10), Decimal(20), None),
        },
        narrative="",
        expected_version=item.version,
    )
    return item


def without_row(data: bytes, code: str, cells: dict) -> SimpleUploadedFile:
    """The template with the row of `code` deleted, as an operator would, and `cells` typed."""
    workbook = load_workbook(io.BytesIO(data))
    sheet = workbook["Data"]
    [row] = [c.row for c in sheet["A"] if c.value == code]
    sheet.delete_rows(row)
    for ref, value in cells.items():
        sheet[ref] = value
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("isian.xlsx", buffer.getvalue())


def test_a_deleted_row_keeps_its_stored_value_unless_clearing_is_chosen(client, world):
    save_two(world)
    client.force_login(world.agency_operator)
    # Alak's row (281/357) deleted; Maulafa, now row 2, changed from 10/20 to 12/20.
    upload = without_row(template(client), "53.71.01", {"C2": 12})

    preview = client.post(BASE + "impor/", {"workbook": upload})
    page = preview.content.decode()
    assert 'data-testid="count-changed">1<' in page and 'data-testid="count-kept">1<' in page
    assert 'data-testid="count-cleared">0<' in page and "10/20" in page and "12/20" in page
    confirm(client, preview)
    assert stored() == {
        "53.71.01": (Decimal(281), Decimal(357)),  # kept, not erased
        "53.71.02": (Decimal(12), Decimal(20)),
    }

    # Asked explicitly: "kosongkan yang tidak ada" clears Alak, after a preview that says so.
    upload = without_row(template(client), "53.71.01", {})
    preview = client.post(BASE + "impor/", {"workbook": upload, "kosongkan": "ya"})
    page = preview.content.decode()
    assert 'data-testid="count-cleared">1<' in page and 'data-testid="clear-missing"' in page
    assert "281/357" in page
    assert "53.71.01" in stored()  # still there until confirmed
    done = confirm(client, preview)
    assert stored() == {"53.71.02": (Decimal(12), Decimal(20))}
    assert "0 sel ditambah, 0 diubah, 1 dikosongkan" in done.content.decode()


def test_a_confirmation_after_someone_else_saved_stores_nothing(client, world):
    client.force_login(world.agency_operator)
    preview = client.post(
        BASE + "impor/", {"workbook": filled(template(client), {"C2": 45, "D2": 50})}
    )
    save_two(world)  # the secretariat saves in between

    done = confirm(client, preview)

    assert stored() == {
        "53.71.01": (Decimal(281), Decimal(357)),
        "53.71.02": (Decimal(10), Decimal(20)),
    }
    assert "diubah orang lain setelah pratinjau dibuat" in done.content.decode()


def test_a_preview_is_this_users_own_and_cannot_be_forged(client, world):
    client.force_login(world.agency_operator)
    preview = client.post(
        BASE + "impor/", {"workbook": filled(template(client), {"C2": 45, "D2": 50})}
    )
    client.force_login(world.secretariat)  # may enter data too, but did not see this preview
    done = confirm(client, preview)
    assert "kedaluwarsa atau tidak sah" in done.content.decode()
    forged = client.post(BASE + "impor/simpan/", {"pratinjau": "e30:forged:sig"}, follow=True)
    assert "kedaluwarsa atau tidak sah" in forged.content.decode()
    assert not DataValue.objects.exists()


def test_a_file_equal_to_the_stored_values_changes_nothing_and_says_so(client, world):
    save_two(world)
    client.force_login(world.agency_operator)
    response = client.post(BASE + "impor/", {"workbook": filled(template(client), {})}, follow=True)
    assert "sama dengan yang tersimpan" in response.content.decode()


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
