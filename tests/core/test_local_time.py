"""Local time and working days (issue 14, point 5): each local government's people read times in
their own zone (WIB, WITA, WIT) and response targets skip Indonesia's holidays."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone, translation
from hypothesis import given
from hypothesis import strategies as st

from sikla.core import actions as core_actions
from sikla.core import localtime, workdays
from sikla.core.models import AuditEvent, Holiday
from sikla.protection import actions
from sikla.protection.models import Channel, Urgency
from sikla.protection.standards import response_due
from tests.personas import JAMBI, KUPANG, world_fixture  # noqa: F401

WITA = ZoneInfo("Asia/Makassar")
WIT = ZoneInfo("Asia/Jayapura")


@pytest.mark.parametrize(
    ("code", "zone", "name"),
    [
        ("53.71", localtime.WITA, "WITA"),  # Kota Kupang, NTT
        ("15.71", localtime.WIB, "WIB"),  # Kota Jambi
        ("91.71", localtime.WIT, "WIT"),  # Kota Jayapura, Papua
        ("94.01", localtime.WIT, "WIT"),  # Papua Tengah
        ("64.72", localtime.WITA, "WITA"),  # Samarinda, Kalimantan Timur
        ("61.71", localtime.WIB, "WIB"),  # Pontianak, Kalimantan Barat
    ],
)
def test_each_local_government_takes_the_zone_of_its_province(db, code, zone, name):
    assert localtime.zone_key(code) == zone
    assert localtime.zone_name(code) == name


def report_at(world, moment: datetime):
    with time_machine.travel(moment, tick=False):
        return actions.record_complaint(
            actor=world.case_worker,
            local_government=world.kupang,
            channel=Channel.HOTLINE,
            description="Laporan lewat telepon tentang anak yang ditelantarkan.",
        )


def test_a_kupang_report_at_2231_wita_shows_2231_wita(client, world):
    complaint = report_at(world, datetime(2026, 11, 3, 14, 31, tzinfo=UTC))  # 22:31 WITA
    client.force_login(world.case_worker)

    html = client.get(reverse("protection:complaint", args=[KUPANG, complaint.uid])).content
    inbox = client.get(reverse("protection:complaints", args=[KUPANG])).content

    assert "3 November 2026 22:31 WITA" in html.decode()
    assert "21:31" not in html.decode()
    assert "22:31 WITA" in inbox.decode()


def test_a_zone_chosen_in_the_profile_wins_over_the_province(client, world):
    complaint = report_at(world, datetime(2026, 11, 3, 14, 31, tzinfo=UTC))
    world.kupang.time_zone = localtime.WIT
    world.kupang.save()
    client.force_login(world.case_worker)

    html = client.get(reverse("protection:complaint", args=[KUPANG, complaint.uid])).content

    assert "3 November 2026 23:31 WIT" in html.decode()


def test_a_deadline_across_idul_fitri_skips_the_holidays_and_joint_leave(db):
    """Tuesday 17 March 2026, 10:00 WITA: Nyepi (19) with its joint leave (18), Idul Fitri (21,
    22) with joint leave (20, 23, 24) and the weekend pass; three working days are 25, 26, 27."""
    received = datetime(2026, 3, 17, 10, 0, tzinfo=WITA)

    assert response_due(received, Urgency.NORMAL, KUPANG) == datetime(
        2026, 3, 27, 10, 0, tzinfo=WITA
    )
    assert response_due(received, Urgency.URGENT, KUPANG) == datetime(
        2026, 3, 25, 10, 0, tzinfo=WITA
    )
    assert response_due(received, Urgency.EMERGENCY, KUPANG) == datetime(
        2026, 3, 18, 10, 0, tzinfo=WITA
    )


def test_a_papua_unit_counts_its_working_days_in_wit(db):
    """Friday 23:30 WIT is still Friday in Jayapura (Friday 21:30 in Jakarta): the next three
    working days are Monday to Wednesday, and the deadline is 23:30 WIT."""
    received = datetime(2026, 11, 20, 23, 30, tzinfo=WIT)

    due = response_due(received, Urgency.NORMAL, "91.71")

    assert due == datetime(2026, 11, 25, 23, 30, tzinfo=WIT)
    assert due.tzinfo.key == localtime.WIT


def test_a_regional_holiday_added_by_the_national_admin_moves_only_its_region(world):
    monday = datetime(2026, 11, 23, 9, 0, tzinfo=WITA)
    before = response_due(monday, Urgency.URGENT, KUPANG)

    core_actions.add_holiday(
        actor=world.national_admin, day=date(2026, 11, 24), name="Hari jadi kota", region_code="53"
    )

    assert before == datetime(2026, 11, 24, 9, 0, tzinfo=WITA)
    assert response_due(monday, Urgency.URGENT, KUPANG) == datetime(2026, 11, 25, 9, 0, tzinfo=WITA)
    assert response_due(monday, Urgency.URGENT, JAMBI) == datetime(
        2026, 11, 24, 8, 0, tzinfo=ZoneInfo("Asia/Jakarta")
    )
    assert AuditEvent.objects.filter(action="holiday.add").count() == 1


def test_the_national_admin_keeps_the_holiday_list(client, world):
    client.force_login(world.national_admin)
    url = reverse("core:holidays")

    page = client.get(url, {"tahun": 2026}).content.decode()
    assert "Hari Raya Idul Fitri" in page and "Cuti Bersama" in page

    response = client.post(
        url, {"date": "2026-12-24", "name": "Cuti bersama Natal", "region_code": ""}
    )
    assert response.status_code == 302
    holiday = Holiday.objects.get()
    assert not workdays.is_working_day(date(2026, 12, 24))

    again = client.post(url, {"date": "2026-12-24", "name": "Dua kali", "region_code": ""})
    assert "sudah tercatat" in again.content.decode()
    odd = client.post(url, {"date": "2026-12-28", "name": "<b>x</b>", "region_code": "99.99"})
    assert "Bukan kode provinsi" in odd.content.decode()
    assert Holiday.objects.count() == 1

    client.post(url, {"remove": holiday.pk})
    assert not Holiday.objects.exists()
    assert AuditEvent.objects.filter(action="holiday.remove").count() == 1


@pytest.mark.parametrize("persona", ["secretariat", "case_supervisor", "national_evaluator"])
def test_only_the_national_admin_may_open_the_holiday_list(client, world, persona):
    client.force_login(world.persona(persona))

    assert client.get(reverse("core:holidays")).status_code == 403


@given(
    moment=st.datetimes(  # hypothesis takes naive bounds; every value it draws is in UTC
        min_value=datetime(2000, 1, 1),  # noqa: DTZ001
        max_value=datetime(2040, 12, 31),  # noqa: DTZ001
        timezones=st.just(UTC),
    ),
    zone=st.sampled_from([localtime.WIB, localtime.WITA, localtime.WIT]),
    language=st.sampled_from(["id", "en"]),
)
def test_a_time_put_together_in_python_reads_as_the_templates_filter_prints_it(
    moment, zone, language
):
    """Lists of cases build their rows in Python (`protection.views.case_rows`); each time in
    them is the text the template filter printed before, in the zone and language of the page."""
    template = Template(
        '{{ v|date:"j M Y H:i T" }}|{{ v|date:"j M H:i T" }}|{{ v|date:"j M Y H:i:s T" }}'
    )
    with timezone.override(ZoneInfo(zone)), translation.override(language):
        expected = template.render(Context({"v": moment}))
        got = "|".join(
            (
                localtime.datetime_text(moment),
                localtime.datetime_text(moment, year=False),
                localtime.datetime_text(moment, seconds=True),
            )
        )
    assert got == expected
