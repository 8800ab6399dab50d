from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sikla.collection import actions
from sikla.collection.models import PeriodStatus
from sikla.core.models import AuditEvent
from tests.personas import JAMBI, KUPANG, PERIOD_YEAR, world_fixture  # noqa: F401

NEXT = PERIOD_YEAR + 1


def open_form(year=NEXT, input_deadline="2027-03-31", review_deadline="2027-04-30") -> dict:
    return {"year": year, "input_deadline": input_deadline, "review_deadline": review_deadline}


def test_it_opens_a_period_with_every_indicator_assigned_from_the_catalog(client, world):
    client.force_login(world.secretariat)

    response = client.post(f"/organisasi/{KUPANG}/periode/", open_form())

    assert response.status_code == 302
    period = world.kupang.periods.get(year=NEXT)
    assert period.data_year == PERIOD_YEAR and period.status == PeriodStatus.OPEN
    rows = {s.indicator.number: s for s in period.submissions.select_related("lead_agency")}
    assert sorted(rows) == list(range(1, 25))
    assert rows[11].lead_agency.abbreviation == "Dinkes"  # births in health facilities
    assert rows[4].lead_agency is None  # Disdukcapil is not registered in this world
    assert AuditEvent.objects.filter(action="period.open", region_code=KUPANG).exists()


def test_it_explains_a_duplicate_year_and_impossible_deadlines_next_to_the_fields(client, world):
    client.force_login(world.secretariat)

    duplicate = client.post(f"/organisasi/{KUPANG}/periode/", open_form(year=PERIOD_YEAR))
    backwards = client.post(
        f"/organisasi/{KUPANG}/periode/", open_form(review_deadline="2027-01-01")
    )

    assert duplicate.status_code == 422
    assert f"Periode {PERIOD_YEAR} sudah ada." in duplicate.content.decode()
    assert backwards.status_code == 422
    assert "Batas reviu tidak boleh sebelum batas pengisian." in backwards.content.decode()
    assert 'value="2027-01-01"' in backwards.content.decode()  # nothing typed is lost
    assert not world.kupang.periods.filter(year=NEXT).exists()


@pytest.mark.parametrize("persona", ["agency_operator", "viewer", "task_force_chair"])
def test_it_lets_only_the_secretariat_open_a_period(client, world, persona):
    client.force_login(world.persona(persona))

    page = client.get(f"/organisasi/{KUPANG}/periode/")
    response = client.post(f"/organisasi/{KUPANG}/periode/", open_form())

    assert page.status_code == 200 and "Buka periode baru" not in page.content.decode()
    assert response.status_code == 403
    assert not world.kupang.periods.filter(year=NEXT).exists()


def test_it_hides_another_regions_periods(client, world):
    client.force_login(world.secretariat)

    assert client.get(f"/organisasi/{JAMBI}/periode/{PERIOD_YEAR}/").status_code == 404
    assert client.post(f"/organisasi/{JAMBI}/periode/", open_form()).status_code == 404


def test_it_walks_a_period_from_open_to_locked_and_no_further(client, world):
    client.force_login(world.secretariat)
    url = f"/organisasi/{KUPANG}/periode/{PERIOD_YEAR}/status/"
    period = world.periods[KUPANG]

    for status in ("closed", "open", "closed", "locked"):
        client.post(url, {"status": status})
        period.refresh_from_db()
        assert period.status == status
    response = client.post(url, {"status": "open"}, follow=True)

    period.refresh_from_db()
    assert period.status == PeriodStatus.LOCKED
    assert "tidak dapat diubah menjadi Dibuka" in response.content.decode()
    page = client.get(f"/organisasi/{KUPANG}/periode/{PERIOD_YEAR}/").content.decode()
    assert "hanya dapat dibaca" in page and "penugasan/" not in page


def test_it_refuses_to_skip_from_open_straight_to_locked(world):
    with pytest.raises(ValidationError):
        actions.set_period_status(
            world.periods[KUPANG], actor=world.secretariat, status=PeriodStatus.LOCKED
        )


def test_it_saves_an_assignment_with_supporting_agencies_and_audits_it(client, world):
    client.force_login(world.secretariat)
    dinkes, bappeda = world.agency(KUPANG, "Dinkes"), world.agency(KUPANG, "Bappeda")

    response = client.post(
        f"/organisasi/{KUPANG}/periode/{PERIOD_YEAR}/indikator/4/penugasan/",
        {"lead_agency": dinkes.pk, "supporting_agencies": [bappeda.pk]},
    )

    assert response.status_code == 302
    submission = world.periods[KUPANG].submissions.get(indicator__number=4)
    assert submission.lead_agency == dinkes and submission.is_assignment_confirmed
    assert list(submission.supporting_agencies.all()) == [bappeda]
    assert AuditEvent.objects.filter(
        action="submission.assign_supporting", target_id=str(submission.pk)
    ).exists()


def test_it_refuses_the_lead_agency_as_its_own_supporter(client, world):
    client.force_login(world.secretariat)
    dinkes = world.agency(KUPANG, "Dinkes")

    response = client.post(
        f"/organisasi/{KUPANG}/periode/{PERIOD_YEAR}/indikator/4/penugasan/",
        {"lead_agency": dinkes.pk, "supporting_agencies": [dinkes.pk]},
    )

    assert response.status_code == 422
    assert "Pengampu tidak perlu dipilih lagi sebagai pendukung." in response.content.decode()


def test_it_refuses_an_agency_of_another_local_government(world):
    submission = world.periods[KUPANG].submissions.get(indicator__number=4)

    with pytest.raises(ValidationError):
        actions.assign_submission(
            submission,
            actor=world.secretariat,
            lead_agency=world.agency(JAMBI, "Dinkes"),
            supporting_agencies=[],
        )


def test_it_confirms_every_proposed_assignment_that_has_a_lead_agency(client, world):
    client.force_login(world.secretariat)
    period = world.periods[KUPANG]
    with_lead = period.submissions.filter(lead_agency__isnull=False).count()

    client.post(f"/organisasi/{KUPANG}/periode/{PERIOD_YEAR}/konfirmasi/")

    assert period.submissions.filter(assignment_confirmed_at__isnull=False).count() == with_lead
    assert 0 < with_lead < 24


def test_it_refuses_assignments_in_a_locked_period(world):
    period = world.periods[KUPANG]
    for status in ("closed", "locked"):
        actions.set_period_status(period, actor=world.secretariat, status=status)
    period.refresh_from_db()

    with pytest.raises(ValidationError):
        actions.confirm_assignments(period, actor=world.secretariat)


def test_it_shows_an_agency_operator_the_indicators_of_their_agency(client, world):
    client.force_login(world.agency_operator)  # Dinkes

    page = client.get("/indikator-saya/").content.decode()

    for number in (11, 12, 13, 14):
        assert f'href="/organisasi/{KUPANG}/periode/{PERIOD_YEAR}/indikator/{number}/"' in page
    assert f"/periode/{PERIOD_YEAR}/indikator/4/" not in page
    assert "Data dan bukti dukung belum diajukan" in page


def test_it_leaves_closed_periods_out_of_my_indicators(client, world):
    actions.set_period_status(world.periods[KUPANG], actor=world.secretariat, status="closed")
    client.force_login(world.agency_operator)

    assert "Belum ada indikator" in client.get("/indikator-saya/").content.decode()


@pytest.mark.parametrize("persona", ["secretariat", "viewer"])
def test_it_has_my_indicators_only_for_agency_operators(client, world, persona):
    client.force_login(world.persona(persona))

    assert client.get("/indikator-saya/").status_code == 404


def test_it_reads_the_period_page_in_the_same_number_of_queries_however_assigned(client, world):
    client.force_login(world.secretariat)
    url = f"/organisasi/{KUPANG}/periode/{PERIOD_YEAR}/"
    client.get(url)  # the first page builds the person's menu, which the others reuse
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    bappeda = world.agency(KUPANG, "Bappeda")
    for submission in world.periods[KUPANG].submissions.all():
        submission.supporting_agencies.add(bappeda, world.agency(KUPANG, "DP3A"))

    with CaptureQueriesContext(connection) as after:
        page = client.get(url).content.decode()

    assert len(after) == len(before)
    assert page.count("Bappeda, DP3A") >= 20


def test_it_keeps_the_deadlines_editable_until_the_period_is_locked(client, world):
    client.force_login(world.secretariat)

    client.post(
        f"/organisasi/{KUPANG}/periode/{PERIOD_YEAR}/batas-waktu/",
        {"input_deadline": "2026-04-15", "review_deadline": "2026-05-15"},
    )

    world.periods[KUPANG].refresh_from_db()
    assert world.periods[KUPANG].input_deadline == date(2026, 4, 15)
