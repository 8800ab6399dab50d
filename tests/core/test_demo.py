"""`sikla demo`: Kota Kupang ready to explore, and idempotent."""

from io import StringIO

from django.core.management import call_command

from sikla.accounts.models import Role, User
from sikla.core.models import AuditEvent
from sikla.organisations.models import Agency, LocalGovernment, TaskForce, TaskForceMember
from sikla.protection import queries as protection_queries
from sikla.protection.models import Case, CaseStatus, CaseType, Child, Complaint, Urgency
from sikla.regions.models import Level, Region
from tests.once import built_once_per_module

PASSWORD = "demo-sandi-panjang-1"


def run_demo(**options):
    out = StringIO()
    call_command("demo", stdout=out, **options)
    return out.getvalue()


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (
            LocalGovernment,
            Agency,
            TaskForce,
            TaskForceMember,
            User,
            AuditEvent,
            Case,
            Complaint,
        )
    }


# The demo is built once for this module (about 7 s); each test works in a savepoint on top.
demo_output = built_once_per_module(lambda: run_demo(password=PASSWORD))
# ... in one of the suite's workers, not once in each (ONE_WORKER in tests/conftest.py).


def test_it_loads_kota_kupang_with_its_villages_agencies_and_task_force(demo_output, db):
    kupang = LocalGovernment.objects.get(region_id="53.71")
    villages = Region.objects.filter(code__startswith="53.71.", level=Level.VILLAGE)
    assert villages.count() == 51
    assert kupang.region.children.count() == 6
    assert kupang.agencies.count() == 17
    task_force = kupang.task_forces.get(is_active=True)
    assert task_force.secretariat_agency.abbreviation == "DP3A"
    coordinators = task_force.members.filter(role="cluster_coordinator")
    assert sorted(coordinators.values_list("cluster", flat=True)) == [0, 1, 2, 3, 4, 5]


def test_it_creates_one_user_per_role_who_can_log_in(client, demo_output, db):
    # one per role, and a second case worker (for break-the-glass and assignment)
    roles = sorted(User.objects.values_list("role", flat=True))
    assert roles == sorted([*Role.values, Role.CASE_WORKER])
    operator = User.objects.get(role=Role.AGENCY_OPERATOR)
    assert operator.agency.abbreviation == "Dinkes"
    response = client.post("/masuk/", {"username": operator.username, "password": PASSWORD})
    assert response.status_code == 302


def test_it_prints_every_demo_account(demo_output, db):
    for username in User.objects.values_list("username", flat=True):
        assert username in demo_output
    assert PASSWORD in demo_output


def test_it_creates_nothing_new_when_run_again(demo_output, db):
    before = counts()
    passwords = dict(User.objects.values_list("username", "password"))
    output = run_demo()
    assert counts() == before
    assert dict(User.objects.values_list("username", "password")) == passwords
    assert "(kata sandi tidak diubah)" in output
    assert PASSWORD not in output


def test_it_resets_every_password_when_given_one_again(demo_output, db):
    run_demo()
    run_demo(password="demo-sandi-lain-2")
    assert all(user.check_password("demo-sandi-lain-2") for user in User.objects.all())


def test_it_loads_a_verified_2024_and_a_2025_self_assessment_close_to_madya(demo_output, db):
    from sikla.collection.models import Period
    from sikla.evaluation import queries

    kupang = LocalGovernment.objects.get(region_id="53.71")

    determined = queries.category_history(kupang).get()
    stages = {r.stage: r.total for r in determined.stage_results.all()}
    assert (determined.year, determined.final_category_name) == (2024, "Pratama")
    assert stages["administrative"] < stages["self"]  # the province cut unsupported points
    assert determined.final_score == stages["final"]
    assert determined.period.is_locked

    current = queries.assessment(Period.objects.get(local_government=kupang, year=2025))
    assert current.stage == "self"
    assert current.result.category_name == "Pratama"
    assert current.result.next.name == "Madya"
    assert 0 < current.result.next.needed < 25
    flags = {f for row in current.rows for q in row.questions for f in q.flags}
    assert {"Bukti dukung belum ada", "Data belum disetujui sekretariat"} <= flags


def test_it_adds_fictitious_cases_in_every_state(demo_output, db):
    cases = Case.objects.filter(local_government_id="53.71")
    assert set(cases.values_list("status", flat=True)) == set(CaseStatus.values)
    assert CaseType.objects.values("type").distinct().count() >= 10
    assert all("fiktif" in child.name for child in Child.objects.all())
    assert protection_queries.overdue_q(cases).exists()
    waiting = Complaint.objects.filter(status="received", urgency=Urgency.EMERGENCY)
    assert waiting.count() == 1
    kinds = set(cases.values_list("children__sex", flat=True))
    assert kinds == {"L", "P"}


def test_it_adds_the_2024_coordination_meeting_with_follow_ups_in_every_state(demo_output, db):
    from sikla.planning import queries as planning_queries
    from sikla.planning.models import FollowUp, Meeting

    meeting = Meeting.objects.get(
        title__startswith="Rapat Koordinasi Gugus Tugas KLA Kota Kupang 2024"
    )
    assert meeting.status == "held" and meeting.decisions.count() == 1
    follow_ups = FollowUp.objects.filter(meeting=meeting)
    assert set(follow_ups.values_list("status", flat=True)) == {
        "open",
        "in_progress",
        "done",
        "cancelled",
    }
    assert planning_queries.overdue_q(follow_ups).exists()
    rows = planning_queries.coordination_overview(meeting.local_government)
    assert any(r.done_on_time for r in rows) and any(r.done_late for r in rows)
    assert Meeting.objects.filter(status="scheduled").exists()


# --- home: what waits for each person, on the demo ----------------------------------------------


def due_on_home(client, username: str) -> str:
    client.force_login(User.objects.get(username=username))
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_secretariats_home_lists_what_waits_for_it(client, demo_output, db):
    from sikla.collection.models import Period, Submission
    from sikla.planning.queries.meetings import follow_ups

    page = due_on_home(client, "sekretariat.kupang")
    kupang = LocalGovernment.objects.get(pk="53.71")
    period = Period.objects.filter(local_government=kupang, status="open").order_by("-year")[0]
    submitted = Submission.objects.filter(period=period, status="submitted").count()
    assert (
        submitted and f'<strong class="count">{submitted}</strong> Data indikator menunggu' in page
    )
    overdue = follow_ups(kupang, status="overdue").count()
    assert overdue and f'<strong class="count">{overdue}</strong> Tindak lanjut rapat lewat' in page
    assert "?status=overdue" in page
    assert "poin lagi untuk Madya" in page  # the 2025 self-assessment, about 15 points short


def test_the_units_home_lists_reports_and_late_cases(client, demo_output, db):
    kupang = LocalGovernment.objects.get(pk="53.71")
    worker = User.objects.get(username="pendamping.kupang")
    page = due_on_home(client, "pendamping.kupang")
    pending = protection_queries.pending_complaints(kupang).count()
    assert pending and f'<strong class="count">{pending}</strong> Pengaduan belum diambil' in page
    late = protection_queries.overdue_q(protection_queries.cases(kupang, worker)).count()
    assert late and f'<strong class="count">{late}</strong> Kasus melewati' in page
    assert "?overdue=1" in page


def test_an_agency_operators_home_lists_its_indicators(client, demo_output, db):
    from sikla.collection.queries import submissions_for_agency

    operator = User.objects.get(username="operator.dinkes")
    page = due_on_home(client, "operator.dinkes")
    to_fill = submissions_for_agency(operator.agency).filter(
        period__status="open", status__in=["draft", "returned"]
    )
    assert to_fill.count()
    assert f'<strong class="count">{to_fill.count()}</strong> Indikator yang harus Anda isi' in page


def test_an_evaluator_with_nothing_to_verify_sees_the_seasons_progress(client, demo_output, db):
    # the demo's 2024 evaluation is determined and 2025 is still a self-assessment
    page = due_on_home(client, "evaluator.ntt")
    assert "due-verify_" not in page
    assert "Evaluasi 2025: 0 dari 1 kab/kota telah mengajukan penilaian mandiri" in page
