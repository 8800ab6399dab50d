"""Retention (issue 13, point 10): a closed case loses its identities ten years after its youngest
child turns 18 — by the nightly task, audited — and keeps its numbers and its place in the
statistics; an open case, or one still within its period, keeps everything."""

from datetime import date, datetime, timedelta

import time_machine
from django.db import connection
from django.utils import timezone

from sikla.core.models import AuditEvent
from sikla.protection import actions, retention
from sikla.protection.models import Case, CaseStatus, Child, ChildNameToken, Complaint
from sikla.protection.statistics import counts
from sikla.protection.tasks import anonymise_expired
from tests.personas import world_fixture  # noqa: F401


def closed_case_with_a_child(world, case, *, birth: date):
    actions.save_child(
        case,
        actor=world.case_worker,
        name="Yohana Retensi",
        nik=f"537104{birth.day + 40:02d}{birth.month:02d}{birth.year % 100:02d}0001",
        birth_date=birth,
        sex="P",
    )
    return actions.transition_case(
        case, actor=world.case_worker, to_status=CaseStatus.CLOSED, outcome="resolved"
    )


def names_of(case) -> list[str]:
    return [child.name for child in Child.objects.filter(case=case)]


def raw(table: str, column: str, where: str, value) -> list:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE {where} = %s", [value])  # noqa: S608
        return [row[0] for row in cursor.fetchall()]


def test_a_closed_case_keeps_its_identities_until_the_youngest_child_is_adult_ten_years(
    world, case
):
    case = closed_case_with_a_child(world, case, birth=date(2020, 1, 10))
    # Yohana turns 18 on 10 January 2038; retention ends on 10 January 2048. (The fixture's own
    # child, Melati, 9 when the case was received, is older: she does not set the date.)
    assert retention.erase_on(case) == date(2048, 1, 10)
    with time_machine.travel(datetime(2048, 1, 9, 12, tzinfo=timezone.get_current_timezone())):
        assert retention.due() == []
        assert anonymise_expired.call() == 0
    assert "Yohana Retensi" in names_of(case)


def test_the_nightly_task_erases_identities_and_keeps_the_numbers(world, case):
    case = closed_case_with_a_child(world, case, birth=date(2020, 1, 10))
    received = timezone.localdate(case.received_at)
    before = counts(world.kupang, received, received)
    complaint = case.complaint_id
    with time_machine.travel(datetime(2048, 1, 11, 2, tzinfo=timezone.get_current_timezone())):
        assert anonymise_expired.call() == 1
        assert anonymise_expired.call() == 0  # once
    case.refresh_from_db()
    assert case.anonymised_at is not None and case.chronology == ""
    children = list(Child.objects.filter(case=case))
    for child in children:
        assert (child.name, child.nik, child.nik_hash, child.birth_date) == ("", "", "", "")
    assert sorted(c.sex for c in children) == ["P", "P"]  # what the statistics count stays
    assert not ChildNameToken.objects.filter(child__case=case).exists()
    stored = " ".join(str(v) for v in raw("protection_child", "name", "case_id", case.pk))
    assert stored.strip() == ""
    c = Complaint.objects.get(pk=complaint)
    assert (c.description, c.child_name, c.reporter_name, c.reporter_contact) == ("", "", "", "")
    assert Case.objects.filter(pk=case.pk, number=case.number, status="closed").exists()
    after = counts(world.kupang, received, received)
    assert after.tables == before.tables and after.cases == before.cases
    event = AuditEvent.objects.get(action="case.anonymise", target_id=str(case.pk))
    assert event.actor is None and "retensi" in event.note


def test_an_open_case_is_never_erased(world, case):
    actions.save_child(case, actor=world.case_worker, name="Anak Terbuka", age=1, sex="L")
    with time_machine.travel(timezone.now() + timedelta(days=365 * 60)):
        assert retention.due() == []
    assert "Anak Terbuka" in names_of(case)
