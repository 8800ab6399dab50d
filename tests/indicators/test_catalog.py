"""The KLA catalog: the loaded default instrument, idempotent reloads, line-precise validation."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Sum

from sikla.indicators.catalog import DEFAULT_CATALOG, CatalogError, load_catalog
from sikla.indicators.models import (
    CatalogVersion,
    CategoryBound,
    Cluster,
    Direction,
    Indicator,
    Question,
)

VERSION = "PermenPPPA-12-2022"
MARKER = "# <-- diubah untuk uji"


def catalog_text():
    return DEFAULT_CATALOG.read_text(encoding="utf-8")


def write_variant(tmp_path, old, new, *, name="catalog.yaml", version=None):
    """A copy of the default catalog with one targeted replacement; `old` must occur."""
    text = catalog_text()
    assert old in text, old
    text = text.replace(old, new, 1)
    if version:
        text = text.replace(f"version: {VERSION}", f"version: {version}", 1)
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def line_of(path, fragment):
    """1-based number of the first line of `path` that contains `fragment`."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, start=1) if fragment in line)


def row_counts():
    return [
        m.objects.count() for m in (CatalogVersion, CategoryBound, Cluster, Indicator, Question)
    ]


def assert_rejected(path, *fragments):
    before = row_counts()
    with pytest.raises(CatalogError) as error:
        load_catalog(path)
    message = str(error.value)
    for fragment in fragments:
        assert fragment in message, message
    assert row_counts() == before
    return message


# --- The loaded default catalog ------------------------------------------------------------------


@pytest.mark.django_db
def test_it_has_the_default_catalog_active_with_its_clusters_and_indicators():
    version = CatalogVersion.objects.get(is_active=True)

    assert version.code == VERSION
    assert list(version.clusters.values_list("number", flat=True)) == [0, 1, 2, 3, 4, 5]
    assert list(version.indicators.values_list("number", flat=True)) == list(range(1, 25))
    assert version.indicators.aggregate(total=Sum("max_points"))["total"] == 1000
    per_cluster = [
        cluster.indicators.aggregate(total=Sum("max_points"))["total"]
        for cluster in version.clusters.all()
    ]
    assert per_cluster == [180, 120, 135, 200, 155, 210]
    lower = version.indicators.filter(direction=Direction.LOWER_IS_BETTER)
    assert list(lower.values_list("number", flat=True)) == [7, 12]


@pytest.mark.django_db
def test_it_lets_every_indicator_reach_its_max_points_through_its_questions():
    version = CatalogVersion.objects.get(code=VERSION)

    for indicator in version.indicators.annotate(attainable=Sum("questions__max_points")):
        assert indicator.attainable >= indicator.max_points, indicator


@pytest.mark.django_db
def test_it_has_five_category_bounds_from_pratama_to_kla():
    bounds = CatalogVersion.objects.get(code=VERSION).categories.all()

    assert [(b.name, b.min_score, b.inclusive) for b in bounds] == [
        ("Pratama", 500, True),
        ("Madya", 600, False),
        ("Nindya", 700, False),
        ("Utama", 800, False),
        ("KLA", 900, False),
    ]


# --- Reloading -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_it_changes_nothing_when_the_same_file_is_loaded_again():
    before = row_counts()

    result = load_catalog()

    assert (result.version, result.created, result.changed) == (VERSION, False, False)
    assert (result.clusters, result.indicators) == (6, 24)
    assert row_counts() == before


@pytest.mark.django_db
def test_it_updates_a_corrected_file_in_place_keeping_primary_keys(tmp_path):
    old_text = Question.objects.get(indicator__version__code=VERSION, code="7.2").text
    new_text = "Apakah kebijakan daerah tentang pencegahan perkawinan anak sudah ditetapkan?"
    indicator_pks = dict(Indicator.objects.values_list("number", "pk"))
    question_pk = Question.objects.get(indicator__number=7, code="7.2").pk
    before = row_counts()

    result = load_catalog(write_variant(tmp_path, f'text: "{old_text}"', f'text: "{new_text}"'))

    assert (result.created, result.changed) == (False, True)
    assert dict(Indicator.objects.values_list("number", "pk")) == indicator_pks
    question = Question.objects.get(indicator__number=7, code="7.2")
    assert (question.pk, question.text) == (question_pk, new_text)
    assert row_counts() == before
    assert CatalogVersion.objects.get(code=VERSION).is_active


# --- Validation names the line -------------------------------------------------------------------


@pytest.mark.django_db
def test_it_rejects_an_unknown_key_in_an_indicator(tmp_path):
    path = write_variant(
        tmp_path,
        "        max_points: 45\n",
        f"        max_points: 45\n        colour: red  {MARKER}\n",
    )

    # The error points at the indicator the stray key belongs to (indicator 7).
    assert_rejected(path, f"baris {line_of(path, '- number: 7')}:", "kunci tidak dikenal: colour")
    assert line_of(path, "- number: 7") < line_of(path, MARKER)


@pytest.mark.django_db
def test_it_requires_bands_for_a_percentage_under_a_lower_is_better_indicator(tmp_path):
    bands_of_7_1 = (
        "            bands:\n"
        "              - {min: 0, max: 2, points: 25}\n"
        "              - {min: 2, max: 5, points: 20}\n"
        "              - {min: 5, max: 10, points: 12}\n"
        "              - {min: 10, max: 15, points: 5}\n"
        "              - {min: 15, max: 100, points: 0}\n"
    )
    target = f"            target: 2  {MARKER}\n            points: 25\n"
    path = write_variant(tmp_path, bands_of_7_1, target)

    question_line = line_of(path, '- code: "7.1"')
    # code, text, answer_type, from_data, then target
    assert question_line == line_of(path, MARKER) - 4
    assert_rejected(path, f"baris {question_line}:", "wajib memakai 'bands'")


@pytest.mark.django_db
def test_it_rejects_invalid_yaml_naming_the_line(tmp_path):
    path = write_variant(
        tmp_path, "lead_agencies: [DP3A, Kemenag]", f"lead_agencies: [DP3A, Kemenag  {MARKER}"
    )

    message = assert_rejected(path, "baris", "YAML tidak sah")
    # PyYAML notices the missing ']' on the line after the unclosed bracket.
    assert f"baris {line_of(path, MARKER) + 1}:" in message


@pytest.mark.django_db
def test_it_rejects_an_indicator_whose_questions_cannot_reach_its_max_points(tmp_path):
    path = write_variant(
        tmp_path, "        max_points: 45\n", f"        max_points: 46  {MARKER}\n"
    )

    indicator_line = line_of(path, "- number: 7")
    assert indicator_line < line_of(path, MARKER)
    assert_rejected(path, f"baris {indicator_line}:", "indikator 7", "(45)", "(46)")


@pytest.mark.django_db
def test_it_rejects_a_gap_between_bands(tmp_path):
    path = write_variant(
        tmp_path,
        "- {min: 2, max: 5, points: 20}",
        "- {min: 3, max: 5, points: 20}  " + MARKER,
    )

    assert_rejected(path, f"baris {line_of(path, MARKER)}:", "bersambung", "seharusnya 2")


@pytest.mark.django_db
def test_it_writes_nothing_for_a_new_version_that_fails_validation(tmp_path):
    path = write_variant(
        tmp_path,
        "- {min: 2, max: 5, points: 20}",
        "- {min: 3, max: 5, points: 20}",
        version="Uji-2099",
    )

    assert_rejected(path, "baris")
    assert not CatalogVersion.objects.filter(code="Uji-2099").exists()
    assert CatalogVersion.objects.get(is_active=True).code == VERSION


# --- The management command ----------------------------------------------------------------------


@pytest.mark.django_db
def test_it_reports_a_bad_file_through_the_management_command(tmp_path):
    path = write_variant(
        tmp_path, "        max_points: 45\n", "        max_points: 45\n        colour: red\n"
    )

    with pytest.raises(CommandError, match=r"baris \d+"):
        call_command("load-catalog", str(path))


@pytest.mark.django_db
def test_it_loads_the_good_file_through_the_management_command():
    out = StringIO()

    call_command("load-catalog", str(DEFAULT_CATALOG), stdout=out)

    assert "24 indikator" in out.getvalue()
    assert VERSION in out.getvalue()


@pytest.mark.django_db
def test_it_refuses_bounds_that_admit_the_same_lowest_total(tmp_path):
    # Madya "> 600" already admits 600.01; a Nindya bound of ">= 600.01" would never show.
    path = write_variant(
        tmp_path,
        "    min_score: 700\n    inclusive: false",
        "    min_score: 600.01\n    inclusive: true",
    )
    assert_rejected(path, "batas kategori harus naik berurutan")


@pytest.mark.django_db
def test_it_refuses_a_category_name_outside_the_regulation(tmp_path):
    """Bounds may move between catalog versions; the five names of PermenPPPA 12/2022 may not
    (the API lists them as an enum)."""
    path = write_variant(tmp_path, "name: Nindya", "name: Istimewa", version="uji-nama")
    assert_rejected(path, "nama kategori harus salah satu dari Pratama, Madya, Nindya")
