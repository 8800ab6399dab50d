"""Task-force meetings and follow-ups: scheduling, attendance, decisions with follow-ups, the
follow-up lifecycle with overdue logic and one-time reminders, who may report on what, the
coordination overview, the .ics invitation and the API."""

import json
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sikla.accounts.models import Role
from sikla.core.models import AuditEvent, Notification
from sikla.planning import actions, queries
from sikla.planning.models import FollowUp, FollowUpStatus, MeetingStatus
from sikla.planning.tasks import send_reminders
from tests.personas import JAMBI, KUPANG, extra_user, world_fixture  # noqa: F401

WIB = ZoneInfo("Asia/Jakarta")
MONDAY = datetime(2026, 3, 2, 9, 0, tzinfo=WIB)


def schedule(world, **extra):
    values = dict(
        kind="task_force",
        cluster=None,
        title="Rapat Koordinasi Gugus Tugas KLA 2026",
        agenda="1. Evaluasi KLA 2025\n2. Rencana aksi 2026",
        starts_at=MONDAY,
        ends_at=MONDAY + timedelta(hours=3),
        place="Aula Bappeda Kota Kupang",
        video_link="",
        partners="Forum Anak Kota Kupang",
    )
    values.update(extra)
    invited = [world.agency(KUPANG, a) for a in ("DP3A", "Dinkes", "Bappeda")]
    return actions.schedule_meeting(
        actor=world.secretariat, local_government=world.kupang, invited=invited, **values
    )


def held_meeting_with_follow_ups(world):
    with time_machine.travel(MONDAY - timedelta(days=7), tick=False):
        meeting = schedule(world)
    with time_machine.travel(MONDAY + timedelta(hours=4), tick=False):
        dinkes, bappeda = world.agency(KUPANG, "Dinkes"), world.agency(KUPANG, "Bappeda")
        actions.record_meeting(
            meeting,
            actor=world.secretariat,
            present={dinkes.pk: True, bappeda.pk: True},
            representatives={dinkes.pk: "Kabid Kesmas"},
            minutes="Disepakati dua tindak lanjut.",
        )
        decision = actions.add_decision(
            meeting,
            actor=world.secretariat,
            text="Percepatan data gizi dan profil anak.",
            follow_ups=[
                {
                    "agency": dinkes,
                    "title": "Kirim data stunting per kelurahan",
                    "due_date": date(2026, 3, 16),
                },
                {
                    "agency": bappeda,
                    "title": "Susun profil anak 2026",
                    "due_date": date(2026, 3, 20),
                },
            ],
        )
    return meeting, decision


def test_it_schedules_a_meeting_and_invites_the_agencies(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        meeting = schedule(world)
    assert meeting.status == MeetingStatus.SCHEDULED
    assert meeting.attendance.count() == 3
    note = Notification.objects.get(recipient=world.agency_operator)  # Dinkes is invited
    assert "Undangan rapat" in note.text and str(meeting.uid) in note.link
    with pytest.raises(ValidationError, match="setelah waktu mulai"):
        schedule(world, ends_at=MONDAY - timedelta(hours=1))
    with pytest.raises(ValidationError, match="tempat"):
        schedule(world, place="", video_link="")
    with pytest.raises(ValidationError):  # another local government's agency
        actions.schedule_meeting(
            actor=world.secretariat,
            local_government=world.kupang,
            invited=[world.agency(JAMBI)],
            kind="task_force",
            title="x",
            agenda="x",
            starts_at=MONDAY,
            ends_at=MONDAY + timedelta(hours=1),
            place="x",
        )
    for persona in ("agency_operator", "task_force_chair", "jambi_secretariat", "case_worker"):
        with pytest.raises(PermissionDenied):
            actions.schedule_meeting(
                actor=world.persona(persona),
                local_government=world.kupang,
                kind="task_force",
                title="x",
                agenda="x",
                starts_at=MONDAY,
                ends_at=MONDAY + timedelta(hours=1),
                place="x",
            )


def test_attendance_is_recorded_only_once_the_meeting_has_started(world):
    with time_machine.travel(MONDAY - timedelta(days=1), tick=False):
        meeting = schedule(world)
        with pytest.raises(ValidationError, match="setelah rapat dimulai"):
            actions.record_meeting(meeting, actor=world.secretariat, present={})
    meeting, decision = held_meeting_with_follow_ups(world)
    assert meeting.status == MeetingStatus.HELD
    present = {
        a.agency.abbreviation: a.present for a in meeting.attendance.select_related("agency")
    }
    assert present == {"DP3A": False, "Dinkes": True, "Bappeda": True}
    assert decision.number == 1 and decision.follow_ups.count() == 2


def test_the_follow_up_lifecycle_and_its_overdue_logic(world):
    _meeting, decision = held_meeting_with_follow_ups(world)
    stunting = decision.follow_ups.get(agency__abbreviation="Dinkes")
    rows = FollowUp.objects.filter(pk=stunting.pk)
    with time_machine.travel(datetime(2026, 3, 16, 23, 0, tzinfo=WIB), tick=False):
        assert not queries.is_overdue(stunting) and not queries.overdue_q(rows).exists()
    with time_machine.travel(datetime(2026, 3, 17, 8, 0, tzinfo=WIB), tick=False):
        assert queries.is_overdue(stunting) and queries.overdue_q(rows).exists()
        with pytest.raises(ValidationError, match="catatan"):
            actions.update_follow_up(stunting, actor=world.agency_operator, status="in_progress")
        actions.update_follow_up(
            stunting, actor=world.agency_operator, status="in_progress", note="Data 40 dari 51 kel."
        )
        assert queries.is_overdue(stunting)  # in progress is still late
        pdf = SimpleUploadedFile("data.pdf", b"%PDF-1.4\n% data stunting\n")
        actions.update_follow_up(
            stunting, actor=world.agency_operator, status="done", note="", upload=pdf
        )
        stunting.refresh_from_db()
        assert stunting.status == FollowUpStatus.DONE and stunting.done_at is not None
        assert not queries.is_overdue(stunting)
    history = list(stunting.updates.values_list("from_status", "to_status"))
    assert history == [("open", "in_progress"), ("in_progress", "done")]
    assert stunting.updates.last().kind_ext == "pdf"
    assert (
        AuditEvent.objects.filter(action="follow_up.update", target_id=str(stunting.pk)).count()
        == 2
    )


def test_an_agency_reports_only_on_its_own_follow_ups(client, world):
    _meeting, decision = held_meeting_with_follow_ups(world)
    profile = decision.follow_ups.get(agency__abbreviation="Bappeda")
    with pytest.raises(PermissionDenied):
        actions.update_follow_up(profile, actor=world.agency_operator, status="done", note="x")
    with pytest.raises(ValidationError, match="sekretariat"):
        own = decision.follow_ups.get(agency__abbreviation="Dinkes")
        actions.update_follow_up(own, actor=world.agency_operator, status="cancelled", note="x")
    for persona in ("viewer", "task_force_chair", "jambi_secretariat", "case_worker"):
        with pytest.raises(PermissionDenied):
            actions.update_follow_up(profile, actor=world.persona(persona), status="done", note="x")
    actions.update_follow_up(profile, actor=world.secretariat, status="cancelled", note="Digabung.")
    # the page: no form for another agency's follow-up, a POST is refused
    client.force_login(world.agency_operator)
    url = reverse("planning:follow_up", args=[KUPANG, profile.uid])
    page = client.get(url)
    assert page.status_code == 200 and 'data-testid="report-progress"' not in page.content.decode()
    assert client.post(url, {"status": "done", "note": "x", "version": 1}).status_code == 403
    client.force_login(world.jambi_secretariat)
    assert client.get(url).status_code == 404


def test_a_follow_up_page_shows_progress_whose_author_is_gone(client, world):
    """An update keeps its place when its author's account is removed (actor set to NULL);
    the page once answered 500 on `actor.full_name|default:actor.username`."""
    _meeting, decision = held_meeting_with_follow_ups(world)
    own = decision.follow_ups.get(agency__abbreviation="Dinkes")
    actions.update_follow_up(own, actor=world.agency_operator, status="in_progress", note="Mulai.")
    own.updates.update(actor=None)

    client.force_login(world.secretariat)
    page = client.get(reverse("planning:follow_up", args=[KUPANG, own.uid]))

    assert page.status_code == 200
    assert "— —: " in page.content.decode()  # the time, then a dash where the author was


def test_overdue_reminders_are_sent_once(world, django_capture_on_commit_callbacks, mailoutbox):
    _meeting, _decision = held_meeting_with_follow_ups(world)
    world.agency_operator.email = "dinkes@kupangkota.go.id"
    world.agency_operator.save()
    with time_machine.travel(datetime(2026, 3, 18, 7, 0, tzinfo=WIB), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            assert actions.send_overdue_reminders() == 1  # Dinkes' (16 March); Bappeda's is due 20
        with django_capture_on_commit_callbacks(execute=True):
            assert actions.send_overdue_reminders() == 0
    reminders = Notification.objects.filter(
        recipient=world.agency_operator, text__contains="melewati batas"
    )
    assert reminders.count() == 1
    assert [m.to for m in mailoutbox if "melewati batas" in m.subject] == [
        ["dinkes@kupangkota.go.id"]
    ]
    assert Notification.objects.filter(
        recipient=world.secretariat, text__contains="1 tindak"
    ).exists()
    with (
        time_machine.travel(datetime(2026, 3, 23, 7, 0, tzinfo=WIB), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        result = send_reminders.enqueue()  # the daily job the worker enqueues
    assert result.return_value == 1
    assert FollowUp.objects.filter(reminded_at__isnull=False).count() == 2


def test_the_coordination_overview_counts_per_agency(client, world, django_assert_max_num_queries):
    _meeting, decision = held_meeting_with_follow_ups(world)
    dinkes = decision.follow_ups.get(agency__abbreviation="Dinkes")
    with time_machine.travel(datetime(2026, 3, 10, 9, 0, tzinfo=WIB), tick=False):
        actions.update_follow_up(
            dinkes, actor=world.agency_operator, status="done", note="Terkirim."
        )
    with time_machine.travel(datetime(2026, 3, 25, 9, 0, tzinfo=WIB), tick=False):
        rows = {r.agency.abbreviation: r for r in queries.coordination_overview(world.kupang)}
        assert (rows["Dinkes"].done_on_time, rows["Dinkes"].overdue) == (1, 0)
        assert (rows["Bappeda"].open, rows["Bappeda"].overdue) == (1, 1)
        assert (rows["DP3A"].invited, rows["DP3A"].present, rows["DP3A"].attendance_rate) == (
            1,
            0,
            0,
        )
        assert rows["Dinkes"].attendance_rate == 100
        client.force_login(world.viewer)
        with django_assert_max_num_queries(14):
            page = client.get(reverse("planning:coordination", args=[KUPANG])).content.decode()
        assert 'data-col="overdue"><span class="badge inactive">1</span>' in page


def test_the_ics_invitation_is_valid(client, world):
    meeting = schedule(world, agenda="Agenda; dengan koma, titik koma\ndan baris baru " + "x" * 120)
    client.force_login(world.viewer)
    response = client.get(reverse("planning:meeting_ics", args=[KUPANG, meeting.uid]))
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content
    assert all(len(line) <= 75 for line in body.split(b"\r\n"))
    calendar = icalendar.Calendar.from_ical(body)
    event = next(iter(calendar.walk("VEVENT")))
    assert str(event["SUMMARY"]) == meeting.title
    assert event["DTSTART"].dt == MONDAY
    assert event["DTEND"].dt == MONDAY + timedelta(hours=3)
    assert str(event["LOCATION"]) == "Aula Bappeda Kota Kupang"
    assert "titik koma\ndan baris baru" in str(event["DESCRIPTION"])
    assert str(event["UID"]) == f"{meeting.uid}@sikla"


def test_the_meeting_page_records_a_decision_with_follow_ups(client, world):
    with time_machine.travel(MONDAY - timedelta(days=1), tick=False):
        meeting = schedule(world)
    client.force_login(world.secretariat)
    url = reverse("planning:meeting_decision", args=[KUPANG, meeting.uid])
    dinkes = world.agency(KUPANG, "Dinkes")
    form = {
        "text": "Percepatan data gizi.",
        "form-TOTAL_FORMS": "3",
        "form-INITIAL_FORMS": "0",
        "form-0-agency": dinkes.pk,
        "form-0-title": "Kirim data stunting",
        "form-0-due_date": "2026-03-16",
        "form-1-agency": dinkes.pk,  # half a row: refused, nothing saved
    }
    response = client.post(url, form)
    assert response.status_code == 200
    assert "kosongkan barisnya" in response.content.decode()
    assert not meeting.decisions.exists()
    form.pop("form-1-agency")
    response = client.post(url, form)
    assert response.status_code == 302
    assert meeting.decisions.get().follow_ups.get().agency == dinkes
    client.force_login(world.agency_operator)
    assert client.post(url, form).status_code == 403


def test_the_meeting_pages_stay_within_a_query_bound(client, world, django_assert_max_num_queries):
    meeting, _decision = held_meeting_with_follow_ups(world)
    for i in range(5):
        actions.add_decision(
            meeting,
            actor=world.secretariat,
            text=f"Keputusan tambahan {i}",
            follow_ups=[
                {
                    "agency": world.agency(KUPANG, "DP3A"),
                    "title": f"Tugas {i}",
                    "due_date": date(2026, 4, 1),
                }
            ],
        )
    client.force_login(world.secretariat)
    for name, args in [
        ("planning:meeting", [KUPANG, meeting.uid]),
        ("planning:meetings", [KUPANG]),
        ("planning:follow_ups", [KUPANG]),
    ]:
        with django_assert_max_num_queries(20):
            assert client.get(reverse(name, args=args)).status_code == 200


def test_my_follow_ups_lists_the_agencys_own(client, world):
    held_meeting_with_follow_ups(world)
    client.force_login(world.agency_operator)
    page = client.get(reverse("planning:my_follow_ups")).content.decode()
    assert "Kirim data stunting" in page and "Susun profil anak" not in page
    client.force_login(world.secretariat)
    assert client.get(reverse("planning:my_follow_ups")).status_code == 404


def test_the_api_schedules_assigns_reports_and_lists_overdue(client, world):
    client.force_login(world.secretariat)
    dinkes = world.agency(KUPANG, "Dinkes")
    created = client.post(
        reverse("api:meeting_create", kwargs={"code": KUPANG}),
        json.dumps(
            {
                "kind": "cluster",
                "cluster": 3,
                "title": "Rapat Klaster III",
                "agenda": "Gizi",
                "starts_at": "2026-03-02T09:00:00+07:00",
                "ends_at": "2026-03-02T11:00:00+07:00",
                "video_link": "https://meet.example.org/klaster3",
                "invited": [str(dinkes.uid)],
            }
        ),
        content_type="application/json",
    )
    assert created.status_code == 201 and created.json()["invited"] == ["Dinkes"]
    meeting_uid = created.json()["uid"]
    follow_up = client.post(
        reverse("api:meeting_follow_ups", kwargs={"uid": meeting_uid}),
        json.dumps(
            {
                "agency": str(dinkes.uid),
                "title": "Data gizi",
                "due_date": "2026-03-09",
                "indicator": 12,
            }
        ),
        content_type="application/json",
    )
    assert follow_up.status_code == 201 and follow_up.json()["indicator"] == 12
    uid = follow_up.json()["uid"]
    with time_machine.travel(datetime(2026, 3, 12, 9, 0, tzinfo=WIB), tick=False):
        overdue = client.get(reverse("api:follow_ups", kwargs={"code": KUPANG}) + "?status=overdue")
        assert [f["uid"] for f in overdue.json()["items"]] == [uid]
    client.force_login(world.agency_operator)
    patch = reverse("api:follow_up_update", kwargs={"uid": uid})
    done = client.patch(
        patch,
        json.dumps({"status": "done", "note": "Terkirim", "version": 1}),
        content_type="application/json",
    )
    assert done.status_code == 200 and done.json()["status"] == "done"
    stale = client.patch(
        patch,
        json.dumps({"status": "in_progress", "note": "x", "version": 1}),
        content_type="application/json",
    )
    assert stale.status_code == 409
    client.force_login(world.jambi_secretariat)
    assert (
        client.patch(
            patch, json.dumps({"status": "done", "note": "x"}), content_type="application/json"
        ).status_code
        == 404
    )
    other = extra_user(world, "operator.bappeda", Role.AGENCY_OPERATOR, agency="Bappeda")
    client.force_login(other)
    assert (
        client.patch(
            patch, json.dumps({"status": "open", "note": "x"}), content_type="application/json"
        ).status_code
        == 403
    )


def test_the_gap_analysis_lists_open_follow_ups_of_an_indicator(client, world):
    from sikla.indicators.models import Indicator

    indicator = Indicator.objects.get(cluster__version__is_active=True, number=12)
    actions.add_follow_up(
        actor=world.secretariat,
        local_government=world.kupang,
        agency=world.agency(KUPANG, "Dinkes"),
        title="Kirim data stunting per kelurahan",
        due_date=date(2026, 1, 15),
        indicator=indicator,
    )
    client.force_login(world.viewer)
    url = reverse("evaluation:gaps", args=[KUPANG, 2026])
    page = client.get(url).content.decode()
    cell = page.split('data-testid="gap-follow-ups-12"')[1].split("</td>")[0]
    assert "Kirim data stunting per kelurahan" in cell and "Dinkes" in cell


def test_the_meeting_list_api_reads_a_bounded_number_of_queries(
    client, world, django_assert_max_num_queries
):
    for i in range(6):
        schedule(world, title=f"Rapat {i}")
    client.force_login(world.viewer)
    with django_assert_max_num_queries(12):
        rows = client.get(reverse("api:meetings", kwargs={"code": KUPANG})).json()["items"]
    assert len(rows) == 6 and sorted(rows[0]["invited"]) == ["Bappeda", "DP3A", "Dinkes"]
