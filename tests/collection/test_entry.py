import csv
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import given
from hypothesis import strategies as st

from sikla.accounts.models import Role
from sikla.collection import actions
from sikla.collection.grid import Total, columns, district_code, totals
from sikla.collection.models import DataValue, Submission
from sikla.core.models import AuditEvent
from sikla.regions.importer import import_regions
from sikla.regions.models import Region
from tests.personas import JAMBI, KUPANG, PASSWORD, PERIOD_YEAR, extra_user, world_fixture  # noqa: F401

# Indicator 11 (births in health facilities): a percentage entered per kecamatan, led by Dinkes.
URL = f"/organisasi/{KUPANG}/periode/{PERIOD_YEAR}/indikator/11/"
ALAK, MAULAFA = "53.71.01", "53.71.02"


def cell(kind: str, code: str, sex: str = "", age: str = "") -> str:
    return f"{kind}__{code}__{sex}__{age}"


def entry(version=1, **cells) -> dict:
    return {"version": version, "narrative": "", **cells}


def submission(world, number=11):
    return world.periods[KUPANG].submissions.get(indicator__number=number)


def test_it_saves_percentages_per_kecamatan_and_audits_the_change(client, world):
    client.force_login(world.agency_operator)

    response = client.post(
        URL,
        entry(**{cell("n", ALAK): "45", cell("d", ALAK): "50", "narrative": "Pendataan ulang"}),
    )

    assert response.status_code == 302
    saved = submission(world)
    assert saved.version == 2 and saved.narrative == "Pendataan ulang"
    value = DataValue.objects.get(submission=saved, region_id=ALAK)
    assert (value.numerator, value.denominator) == (Decimal(45), Decimal(50))
    event = AuditEvent.objects.get(action="submission.save_values", target_id=str(saved.pk))
    assert event.changes[ALAK] == ["–", "45/50"]


def test_it_accepts_indonesian_decimal_commas(client, world):
    client.force_login(world.agency_operator)

    client.post(URL, entry(**{cell("n", ALAK): "3,5", cell("d", ALAK): "10"}))

    assert DataValue.objects.get(region_id=ALAK).numerator == Decimal("3.5")


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        ({cell("n", ALAK): "12", cell("d", ALAK): "10"}, "Pembilang (12) melebihi penyebut (10)."),
        ({cell("n", ALAK): "5"}, "Isi penyebut juga."),
        ({cell("d", ALAK): "5"}, "Isi pembilang juga."),
        ({cell("n", ALAK): "0", cell("d", ALAK): "0"}, "Penyebut harus lebih dari 0."),
        ({cell("n", ALAK): "-1", cell("d", ALAK): "10"}, "lebih besar dari atau sama dengan 0"),
        ({cell("n", ALAK): "abc", cell("d", ALAK): "10"}, "Masukkan sebuah bilangan."),
    ],
)
def test_it_explains_each_invalid_cell_and_keeps_what_was_typed(client, world, cells, message):
    client.force_login(world.agency_operator)
    typed = {**cells, cell("n", MAULAFA): "7", cell("d", MAULAFA): "9"}

    response = client.post(URL, entry(**typed))

    page = response.content.decode()
    assert response.status_code == 422
    assert message in page
    assert 'value="7"' in page and 'value="9"' in page
    assert not DataValue.objects.exists()


def test_it_refuses_markup_in_the_narrative(client, world):
    client.force_login(world.agency_operator)

    response = client.post(URL, entry(narrative="<script>alert(1)</script>"))

    assert response.status_code == 422
    assert "Teks tidak boleh berisi tag HTML atau skrip." in response.content.decode()


def test_it_refuses_a_stale_save_and_shows_what_changed(client, world):
    client.force_login(world.agency_operator)
    client.post(URL, entry(**{cell("n", ALAK): "45", cell("d", ALAK): "50"}))

    response = client.post(URL, entry(version=1, **{cell("n", ALAK): "40", cell("d", ALAK): "50"}))

    page = response.content.decode()
    assert response.status_code == 409
    assert "sudah diubah orang lain" in page and "45/50" in page and "40/50" in page
    assert DataValue.objects.get(region_id=ALAK).numerator == Decimal(45)  # not overwritten
    assert 'name="version" value="2"' in page  # the next save goes over what was seen
    again = client.post(URL, entry(version=2, **{cell("n", ALAK): "40", cell("d", ALAK): "50"}))
    assert again.status_code == 302
    assert DataValue.objects.get(region_id=ALAK).numerator == Decimal(40)


def test_it_keeps_other_agencies_read_only(client, world):
    other = extra_user(world, "operator.dp3a", Role.AGENCY_OPERATOR, agency="DP3A")
    client.force_login(other)

    page = client.get(URL)
    response = client.post(URL, entry(**{cell("n", ALAK): "1", cell("d", ALAK): "2"}))

    assert page.status_code == 200 and "tidak mengubahnya" in page.content.decode()
    assert response.status_code == 403
    assert not DataValue.objects.exists()


def test_it_lets_a_supporting_agency_enter_data(client, world):
    item = submission(world)
    item.supporting_agencies.add(world.agency(KUPANG, "DP3A"))
    other = extra_user(world, "operator.dp3a", Role.AGENCY_OPERATOR, agency="DP3A")
    client.force_login(other)

    response = client.post(URL, entry(**{cell("n", ALAK): "1", cell("d", ALAK): "2"}))

    assert response.status_code == 302


def test_it_hides_another_regions_submission(client, world):
    client.force_login(world.jambi_secretariat)

    assert client.get(URL).status_code == 404


def test_it_makes_a_closed_period_read_only(client, world):
    actions.set_period_status(world.periods[KUPANG], actor=world.secretariat, status="closed")
    client.force_login(world.agency_operator)

    response = client.post(URL, entry(**{cell("n", ALAK): "1", cell("d", ALAK): "2"}))

    assert response.status_code == 403


def test_it_totals_what_is_typed_per_kecamatan_and_for_the_city(client, world):
    client.force_login(world.agency_operator)
    typed = {
        cell("n", ALAK): "5",
        cell("d", ALAK): "10",
        cell("n", MAULAFA): "3,5",
        cell("d", MAULAFA): "10",
    }

    response = client.post(URL + "total/", entry(**typed), HTTP_HX_REQUEST="true")

    page = response.content.decode()
    assert response.status_code == 200 and "<html" not in page  # a fragment for htmx
    assert "Alak" in page and "Maulafa" in page
    assert '<th class="num" data-testid="overall-percentage">42,5</th>' in page
    assert not DataValue.objects.exists()  # nothing saved while typing


def save_last_year(world, values: dict) -> None:
    """Kupang's period of the year before, with indicator 11's `values` saved."""
    previous = actions.open_period(
        actor=world.secretariat,
        local_government=world.kupang,
        year=PERIOD_YEAR - 1,
        input_deadline=date(PERIOD_YEAR - 1, 3, 31),
        review_deadline=date(PERIOD_YEAR - 1, 4, 30),
    )
    actions.save_values(
        previous.submissions.get(indicator__number=11),
        actor=world.secretariat,
        values=values,
        narrative="",
        expected_version=1,
    )


def test_it_shows_last_years_values_beside_the_cells(client, world):
    save_last_year(world, {(ALAK, "", ""): (Decimal(8), Decimal(10), None)})
    client.force_login(world.agency_operator)

    assert "thn lalu: 8/10" in client.get(URL).content.decode()


def test_last_years_values_and_the_rows_kept_beside_the_grid_follow_their_changes(
    client, world, tmp_path
):
    """Last year's values and the grid's regions are kept between visits: a correction of last
    year's data and a renamed kelurahan (an import of the region list) show on the next one."""
    save_last_year(world, {(ALAK, "", ""): (Decimal(8), Decimal(10), None)})
    client.force_login(world.agency_operator)
    assert "thn lalu: 8/10" in client.get(URL).content.decode()

    last_year = Submission.objects.get(period__year=PERIOD_YEAR - 1, indicator__number=11)
    actions.save_values(
        last_year,
        actor=world.secretariat,
        values={(ALAK, "", ""): (Decimal(9), Decimal(10), None)},
        narrative="",
        expected_version=last_year.version,
    )
    page = client.get(URL).content.decode()
    assert "thn lalu: 9/10" in page and "thn lalu: 8/10" not in page

    client.force_login(world.secretariat)
    url = f"/organisasi/{KUPANG}/periode/{PERIOD_YEAR}/indikator/15/"  # per kelurahan
    first = Region.objects.filter(code__startswith=KUPANG + ".", level="village").first()
    assert first.name in client.get(url).content.decode()
    rows = [
        [code, "Kelurahan Nama Baru" if code == first.code else name]
        for code, name in Region.objects.order_by("code").values_list("code", "name")
    ]
    path = tmp_path / "wilayah.csv"
    with path.open("w", newline="", encoding="utf-8") as out:
        csv.writer(out).writerows([["kode", "nama"], *rows])
    import_regions(path, population_path=None)
    assert "Kelurahan Nama Baru" in client.get(url).content.decode()


def test_it_reads_a_kelurahan_grid_in_the_same_queries_with_1_or_51_rows_filled(client, world):
    client.force_login(world.secretariat)
    url = f"/organisasi/{KUPANG}/periode/{PERIOD_YEAR}/indikator/15/"  # water: per kelurahan
    item = submission(world, 15)
    codes = list(
        Region.objects.filter(code__startswith=KUPANG + ".", level="village").values_list(
            "code", flat=True
        )
    )

    def fill(rows, version):
        actions.save_values(
            item,
            actor=world.secretariat,
            values={(code, "", ""): (Decimal(1), Decimal(2), None) for code in rows},
            narrative="",
            expected_version=version,
        )

    fill(codes[:1], 1)
    client.get(url)  # each change moves the caches' versions on: counted as read next
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    fill(codes, 2)
    client.get(url)
    with CaptureQueriesContext(connection) as all_rows:
        page = client.get(url).content.decode()

    assert len(codes) == 51 and page.count('value="1"') == 51
    assert len(all_rows) == len(one)
    # the indicator's evidence is read by its submission alone (sorted by the submission's id,
    # not joined to its period and indicator to be sorted by what is the same for every row)
    evidence = [
        q["sql"] for q in all_rows.captured_queries if 'FROM "collection_evidence"' in q["sql"]
    ]
    assert len(evidence) == 1 and "JOIN" not in evidence[0]


def test_it_asks_for_the_disaggregation_the_catalog_defines():
    assert columns([]) == [("", "")]
    assert columns(["sex"]) == [("L", ""), ("P", "")]
    assert len(columns(["sex", "age_group"])) == 6


cells = st.dictionaries(
    keys=st.tuples(
        st.sampled_from(["53.71.01.1001", "53.71.01.1002", "53.71.02.1001", "53.71.03"]),
        st.sampled_from(["", "L", "P"]),
        st.just(""),
    ),
    values=st.tuples(st.integers(0, 1000), st.integers(1, 1000)).map(
        lambda pair: (Decimal(min(pair)), Decimal(max(pair)), None)
    ),
)


@given(cells)
def test_it_rolls_up_by_code_prefix_with_nothing_lost(values):
    per_district, overall = totals(values, district_code, KUPANG)

    assert overall.numerator == sum(n for n, _d, _v in values.values())
    assert sum((t.denominator for t in per_district.values()), Decimal(0)) == overall.denominator
    assert all(code.count(".") == 2 for code in per_district)
    if overall.denominator:
        assert Decimal(0) <= overall.percentage <= Decimal(100)
    assert Total().percentage is None


def test_jambi_is_untouched(world):
    assert not world.periods[JAMBI].submissions.filter(version__gt=1).exists()


# --- a long grid, one kecamatan at a time -----------------------------------------------------

WATER = f"/organisasi/{KUPANG}/periode/{PERIOD_YEAR}/indikator/15/"  # per kelurahan


@pytest.fixture
def paged(monkeypatch):
    """Kota Kupang's 51 kelurahan behave as a kab/kota with hundreds (split above 10 rows)."""
    monkeypatch.setattr("sikla.collection.views.GRID_PAGE_ROWS", 10)


def villages_of(district: str) -> list[str]:
    return list(
        Region.objects.filter(code__startswith=district + ".", level="village")
        .order_by("code")
        .values_list("code", flat=True)
    )


def test_a_long_grid_shows_one_kecamatan_with_links_to_every_other(client, world, paged):
    client.force_login(world.secretariat)
    page = client.get(WATER).content.decode()
    assert 'data-testid="district-pages"' in page
    for code, name in Region.objects.filter(
        code__startswith=KUPANG + ".", level="district"
    ).values_list("code", "name"):
        assert f'href="?kecamatan={code}"' in page and name in page
    shown = [c for c in villages_of(KUPANG) if f"n__{c}__" in page]
    assert shown == villages_of(ALAK)  # the first kecamatan
    page = client.get(WATER + f"?kecamatan={MAULAFA}").content.decode()
    assert [c for c in villages_of(KUPANG) if f"n__{c}__" in page] == villages_of(MAULAFA)
    assert 'aria-current="page">' in page
    # An unknown kecamatan shows the first one rather than an empty grid.
    page = client.get(WATER + "?kecamatan=99.99.99").content.decode()
    assert [c for c in villages_of(KUPANG) if f"n__{c}__" in page] == villages_of(ALAK)


def test_saving_one_kecamatan_keeps_the_others_and_totals_them_all(client, world, paged):
    client.force_login(world.secretariat)
    alak, maulafa = villages_of(ALAK)[0], villages_of(MAULAFA)[0]
    response = client.post(
        WATER, entry(kecamatan=ALAK, **{cell("n", alak): "3", cell("d", alak): "4"})
    )
    assert response.status_code == 302 and response["Location"].endswith(f"?kecamatan={ALAK}")
    response = client.post(
        WATER,
        entry(version=2, kecamatan=MAULAFA, **{cell("n", maulafa): "1", cell("d", maulafa): "4"}),
    )
    assert response.status_code == 302
    stored = {v.region_id: (v.numerator, v.denominator) for v in submission(world, 15).values.all()}
    assert stored == {alak: (Decimal(3), Decimal(4)), maulafa: (Decimal(1), Decimal(4))}
    page = client.get(WATER + f"?kecamatan={MAULAFA}").content.decode()
    assert 'data-testid="overall-percentage">50<' in page  # 4 of 8, both kecamatan
    # Totals as one types count the kecamatan not shown as well.
    totals_url = WATER + "total/"
    typed = client.post(
        totals_url,
        entry(version=3, kecamatan=MAULAFA, **{cell("n", maulafa): "4", cell("d", maulafa): "4"}),
    ).content.decode()
    assert 'data-testid="overall-percentage">87,5<' in typed  # 7 of 8


def test_the_grid_escapes_what_it_shows_and_marks_invalid_cells(client, world, paged):
    client.force_login(world.secretariat)
    alak = villages_of(ALAK)[0]
    page = client.post(
        WATER,
        entry(kecamatan=ALAK, **{cell("n", alak): '"><script>x</script>', cell("d", alak): "4"}),
    ).content.decode()
    assert "<script>x</script>" not in page and "&lt;script&gt;" in page
    assert f'name="n__{alak}____" id="id_n__{alak}____" value="&quot;&gt;&lt;script&gt;' in page
    assert 'aria-invalid="true"' in page


def test_a_read_only_grid_writes_numbers_as_everywhere_else(client, world):
    item = submission(world)
    actions.save_values(
        item,
        actor=world.secretariat,
        values={(ALAK, "", ""): (Decimal(1652), Decimal(2076), None)},
        narrative="",
        expected_version=1,
    )
    client.force_login(world.viewer)
    page = client.get(URL).content.decode()
    assert "<span>1.652</span>" in page and "<span>2.076</span>" in page
