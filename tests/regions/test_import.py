"""Importing the Kemendagri region list: counts, idempotent re-runs, validation, descendants."""

import csv
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from sikla.core import public_cache
from sikla.regions import importer
from sikla.regions.importer import RegionFileError, import_regions
from sikla.regions.models import Level, Region
from tests.reference import write_region_slice

KUPANG = "53.71"


def write_csv(path, rows, header=("kode", "nama")):
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        if header:
            writer.writerow(header)
        writer.writerows(rows)
    return path


def slice_rows(tmp_path):
    """The rows already in the test database (the reference slice), as [code, name] lists."""
    with write_region_slice(tmp_path / "slice.csv").open(encoding="utf-8") as src:
        reader = csv.reader(src)
        next(reader)
        return [row for row in reader]


def import_rows(tmp_path, rows, name="regions.csv"):
    return import_regions(write_csv(tmp_path / name, rows), population_path=None)


def line_of(rows, code):
    """The file line of `code` when `rows` is written after a header line."""
    return next(i for i, row in enumerate(rows, start=2) if row[0] == code)


# --- The full bundled list -----------------------------------------------------------------------


@pytest.mark.django_db
def test_it_imports_the_full_bundled_list_with_exact_counts_and_population():
    result = import_regions(importer.DEFAULT_REGIONS_FILE, importer.DEFAULT_POPULATION_FILE)

    expected = {
        Level.PROVINCE: 38,
        Level.REGENCY: 514,
        Level.DISTRICT: 7285,
        Level.VILLAGE: 83762,
    }
    assert result.per_level == expected
    for level, count in expected.items():
        assert Region.objects.filter(level=level, is_active=True).count() == count
    assert Region.objects.count() == 91599
    kupang = Region.objects.get(code=KUPANG)
    assert kupang.population > 0
    assert kupang.population == kupang.population_male + kupang.population_female

    again = import_regions(importer.DEFAULT_REGIONS_FILE, importer.DEFAULT_POPULATION_FILE)
    assert (again.created, again.renamed, again.reactivated, again.deactivated) == (0, 0, 0, 0)
    assert again.unchanged == 91599
    assert Region.objects.count() == 91599


# --- Idempotent re-runs on a small file ----------------------------------------------------------


@pytest.mark.django_db
def test_it_changes_nothing_when_the_same_list_is_imported_twice(tmp_path):
    rows = slice_rows(tmp_path)
    before = Region.objects.count()

    result = import_rows(tmp_path, rows)

    assert (result.created, result.renamed, result.reactivated, result.deactivated) == (0, 0, 0, 0)
    assert result.unchanged == len(rows) == before
    assert Region.objects.count() == before


@pytest.mark.django_db
def test_an_import_that_changes_regions_moves_every_kept_page_on(tmp_path):
    """What a process or the cache keeps under the global version (a kab/kota's entry grid of
    kelurahan, its row with its province, the portal) is built again after an import that
    changed a region, and kept through one that changed nothing."""
    rows = slice_rows(tmp_path)
    kept = public_cache.kept_in_process("uji-wilayah", KUPANG, lambda: "lama")

    import_rows(tmp_path, rows, "same.csv")
    assert public_cache.kept_in_process("uji-wilayah", KUPANG, lambda: "baru") == kept

    renamed = [[code, "Kota Kupang Baru" if code == KUPANG else name] for code, name in rows]
    import_rows(tmp_path, renamed)
    assert public_cache.kept_in_process("uji-wilayah", KUPANG, lambda: "baru") == "baru"


@pytest.mark.django_db
def test_it_adds_a_new_province_and_its_children(tmp_path):
    rows = slice_rows(tmp_path) + [["99", "Provinsi Uji"], ["99.01", "Kabupaten Uji"]]

    result = import_rows(tmp_path, rows)

    assert result.created == 2
    regency = Region.objects.get(code="99.01")
    assert regency.parent_id == "99"
    assert regency.level == Level.REGENCY
    assert regency.kind_label == "Kabupaten"


@pytest.mark.django_db
def test_it_renames_a_region_whose_name_changed(tmp_path):
    rows = [
        [code, "Kota Kupang Baru" if code == KUPANG else name]
        for code, name in slice_rows(tmp_path)
    ]

    result = import_rows(tmp_path, rows)

    assert result.renamed == 1
    assert result.created == result.deactivated == 0
    assert Region.objects.get(code=KUPANG).name == "Kota Kupang Baru"


@pytest.mark.django_db
def test_it_deactivates_a_dropped_subtree_and_reactivates_it_when_it_returns(tmp_path):
    rows = slice_rows(tmp_path)
    subtree = [r for r in rows if r[0] == "53.71.01" or r[0].startswith("53.71.01.")]
    assert len(subtree) > 1  # the kecamatan and its kelurahan
    kept = [r for r in rows if r not in subtree]
    before = Region.objects.count()

    dropped = import_rows(tmp_path, kept, "dropped.csv")

    assert dropped.deactivated == len(subtree)
    assert Region.objects.count() == before  # marked inactive, never deleted
    inactive = Region.objects.filter(is_active=False)
    assert set(inactive.values_list("code", flat=True)) == {code for code, _ in subtree}

    restored = import_rows(tmp_path, rows, "restored.csv")

    assert restored.reactivated == len(subtree)
    assert restored.created == 0
    assert not Region.objects.filter(is_active=False).exists()


# --- Validation ----------------------------------------------------------------------------------


def assert_rejected(path, *fragments):
    before = Region.objects.count()
    with pytest.raises(RegionFileError) as error:
        import_regions(path, population_path=None)
    for fragment in fragments:
        assert fragment in str(error.value)
    assert Region.objects.count() == before
    return str(error.value)


@pytest.mark.django_db
def test_it_rejects_a_malformed_code_naming_its_line(tmp_path):
    rows = slice_rows(tmp_path) + [["99", "Provinsi Uji"], ["99.1", "Kode Rusak"]]

    assert_rejected(write_csv(tmp_path / "bad.csv", rows), f"baris {line_of(rows, '99.1')}", "99.1")


@pytest.mark.django_db
def test_it_rejects_a_duplicate_code_naming_the_second_line(tmp_path):
    rows = slice_rows(tmp_path) + [["99", "Provinsi Uji"], ["99", "Provinsi Uji Lagi"]]

    assert_rejected(write_csv(tmp_path / "dup.csv", rows), f"baris {len(rows) + 1}", "dua kali")


@pytest.mark.django_db
def test_it_rejects_a_wrong_header_naming_line_one(tmp_path):
    path = write_csv(tmp_path / "header.csv", slice_rows(tmp_path), header=("code", "name"))

    assert_rejected(path, "baris 1", "kode,nama")


@pytest.mark.django_db
def test_it_rejects_a_code_whose_parent_is_missing(tmp_path):
    rows = slice_rows(tmp_path) + [["99.01", "Kabupaten Yatim"]]

    assert_rejected(write_csv(tmp_path / "orphan.csv", rows), "induk 99", "99.01")


@pytest.mark.django_db
def test_it_names_the_line_of_a_code_whose_parent_is_missing(tmp_path):
    rows = slice_rows(tmp_path) + [["99.01", "Kabupaten Yatim"]]

    assert_rejected(write_csv(tmp_path / "orphan.csv", rows), f"baris {line_of(rows, '99.01')}")


@pytest.mark.django_db
def test_it_reports_a_bad_file_through_the_management_command(tmp_path):
    rows = slice_rows(tmp_path) + [["99", "Provinsi Uji"], ["99.1", "Kode Rusak"]]
    before = Region.objects.count()

    with pytest.raises(CommandError, match=rf"baris {line_of(rows, '99.1')}"):
        call_command("import-regions", str(write_csv(tmp_path / "bad.csv", rows)))

    assert Region.objects.count() == before


# --- Descendants by code prefix ------------------------------------------------------------------


@pytest.mark.django_db
def test_it_finds_the_descendants_of_a_city_by_code_prefix():
    descendants = Region.objects.filter(code__startswith=f"{KUPANG}.")

    assert descendants.count() == 57
    assert descendants.filter(level=Level.DISTRICT).count() == 6
    assert descendants.filter(level=Level.VILLAGE).count() == 51
    assert not descendants.filter(code__startswith="15.71").exists()
    assert Region.objects.filter(code__startswith="15.71.").exists()  # Jambi is loaded, just apart


@pytest.mark.django_db
def test_it_links_parents_and_labels_cities_and_kelurahan():
    kecamatan = Region.objects.get(code=f"{KUPANG}.01")
    kelurahan = Region.objects.filter(code__startswith=f"{KUPANG}.01.1").first()

    assert kecamatan.parent.code == KUPANG
    assert kecamatan.parent.kind_label == "Kota"
    assert kelurahan is not None and kelurahan.is_kelurahan
    assert kelurahan.kind_label == "Kelurahan"
    assert kelurahan.ancestor_codes() == ["53", KUPANG, f"{KUPANG}.01"]
    assert Region.objects.get(code="53.01").kind_label == "Kabupaten"


@pytest.mark.django_db
def test_it_serves_the_descendants_query_from_an_index_on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip(
            f"the varchar_pattern_ops index exists only on PostgreSQL, not {connection.vendor}"
        )
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # the slice is small; force the choice

    plan = str(Region.objects.filter(code__startswith=f"{KUPANG}.").explain())

    assert "Index" in plan or "Bitmap" in plan, plan
    assert re.search(r"regions_region_\w*(_like|_pkey)\b", plan), plan
    assert "Seq Scan" not in plan, plan
