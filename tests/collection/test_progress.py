from datetime import date
from decimal import Decimal

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sikla.collection import actions
from sikla.core import public_cache
from sikla.indicators.models import CatalogVersion, Cluster, Indicator
from tests.personas import KUPANG, PERIOD_YEAR, world_fixture  # noqa: F401

URL = f"/organisasi/{KUPANG}/periode/{PERIOD_YEAR}/kemajuan/"
DISTRICTS = [f"53.71.0{i}" for i in range(1, 7)]


def fill_and_submit(world, number=11):
    item = world.periods[KUPANG].submissions.get(indicator__number=number)
    actions.save_values(
        item,
        actor=world.agency_operator,
        values={(code, "", ""): (Decimal(9), Decimal(10), None) for code in DISTRICTS},
        narrative="",
        expected_version=1,
    )
    actions.upload_evidence(
        item,
        actor=world.agency_operator,
        upload=SimpleUploadedFile("a.pdf", b"%PDF-1.4 kemajuan"),
        title="Rekap persalinan",
        kind="data",
    )
    actions.submit_submission(item, actor=world.agency_operator)
    return item


def test_it_counts_each_status_and_links_every_indicator(client, world):
    fill_and_submit(world)
    client.force_login(world.task_force_chair)

    page = client.get(URL).content.decode()

    assert 'data-testid="count-submitted">1<' in page
    assert 'data-testid="count-draft">23<' in page
    assert f"/periode/{PERIOD_YEAR}/indikator/11/" in page
    assert "6 / 6" in page  # all six kecamatan cells of indicator 11 filled


def test_it_shows_a_submission_on_the_next_visit_and_what_is_overdue_on_the_next_day(client, world):
    """The page is kept until the kab/kota changes anything, and for the day only."""
    client.force_login(world.secretariat)
    with time_machine.travel(date(PERIOD_YEAR, 3, 31)):  # the last day of input
        assert 'data-testid="count-draft">24<' in client.get(URL).content.decode()
        fill_and_submit(world)
        page = client.get(URL).content.decode()
    assert 'data-testid="count-submitted">1<' in page and 'data-testid="count-draft">23<' in page
    assert 'data-testid="overdue"' not in page

    with time_machine.travel(date(PERIOD_YEAR, 4, 1)):  # nothing changed but the day
        overdue = client.get(URL).content.decode().split('data-testid="overdue"')[1]
    assert overdue.split("</ul>")[0].count("<li>") == 23


def test_it_shows_evidence_completeness(client, world):
    fill_and_submit(world)
    client.force_login(world.secretariat)

    page = client.get(URL).content.decode()

    # indicator 4 carries the world's decree, 11 the new upload: 2 of 24
    assert 'data-testid="evidence-percent">8%<' in page


def test_it_lists_overdue_indicators_after_the_deadline(client, world):
    fill_and_submit(world)
    client.force_login(world.secretariat)

    with time_machine.travel(date(PERIOD_YEAR, 4, 10)):  # after input, before review deadline
        page = client.get(URL).content.decode()

    overdue = page.split('data-testid="overdue"')[1].split("</ul>")[0]
    assert overdue.count("<li>") == 23  # every draft; the submitted one is still in time
    assert "/indikator/11/" not in overdue


def test_it_shows_completion_per_lead_agency(client, world):
    item = fill_and_submit(world)
    actions.approve_submission(item, actor=world.secretariat)
    client.force_login(world.secretariat)

    page = client.get(URL).content.decode()
    table = page.split('data-testid="agencies"')[1]

    assert "Dinkes" in table
    assert "(belum ada pengampu)" in table


def make_period_with(world, count: int, year: int):
    """A period over a test catalog of `count` indicators (the real one has 24)."""
    version = CatalogVersion.objects.create(
        code=f"Uji-{count}", name="Uji", instrument="uji", source="uji", checksum="x"
    )
    cluster = Cluster.objects.create(version=version, number=0, name="Uji", name_en="Test")
    Indicator.objects.bulk_create(
        Indicator(
            version=version,
            cluster=cluster,
            number=n,
            name=f"Indikator uji {n}",
            name_en="Test",
            definition="Uji.",
            measure_type="percentage",
            direction="higher_is_better",
            data_level="district",
            max_points=Decimal(1),
            lead_agencies=["Dinkes"],
        )
        for n in range(1, count + 1)
    )
    CatalogVersion.objects.filter(is_active=True).update(is_active=False)
    version.is_active = True
    version.save()
    return actions.open_period(
        actor=world.secretariat,
        local_government=world.kupang,
        year=year,
        input_deadline=date(year, 3, 31),
        review_deadline=date(year, 4, 30),
    )


def test_it_reads_the_overview_in_the_same_queries_for_10_or_500_submissions(client, world):
    small, large = make_period_with(world, 10, 2030), make_period_with(world, 500, 2031)
    assert (small.submissions.count(), large.submissions.count()) == (10, 500)
    client.force_login(world.secretariat)
    client.get("/")  # the first page builds the person's menu, which the others reuse
    client.get(f"/organisasi/{KUPANG}/periode/2030/kemajuan/")  # and the kab/kota's row

    # each read as after a change of the kab/kota, when the kept page is built again
    public_cache.changed(KUPANG)
    with CaptureQueriesContext(connection) as ten:
        client.get(f"/organisasi/{KUPANG}/periode/2030/kemajuan/")
    public_cache.changed(KUPANG)
    with CaptureQueriesContext(connection) as five_hundred:
        page = client.get(f"/organisasi/{KUPANG}/periode/2031/kemajuan/").content.decode()

    assert "Indikator uji 500" in page
    assert len(five_hundred) == len(ten)
