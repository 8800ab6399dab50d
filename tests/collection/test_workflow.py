from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from sikla.accounts.models import Role
from sikla.collection import actions
from sikla.collection.models import SubmissionStatus
from sikla.core.models import AuditEvent, Notification
from tests.personas import KUPANG, PASSWORD, PERIOD_YEAR, extra_user, world_fixture  # noqa: F401

# Indicator 11: a percentage per kecamatan (6 in Kupang), led by Dinkes.
BASE = f"/organisasi/{KUPANG}/periode/{PERIOD_YEAR}/indikator/11/"
DISTRICTS = [f"53.71.0{i}" for i in range(1, 7)]


def fill(world, actor=None, rows=DISTRICTS):
    item = world.periods[KUPANG].submissions.get(indicator__number=11)
    actions.save_values(
        item,
        actor=actor or world.agency_operator,
        values={(code, "", ""): (Decimal(9), Decimal(10), None) for code in rows},
        narrative="",
        expected_version=item.version,
    )
    item.refresh_from_db()
    return item


def submitted(world):
    item = fill(world)
    actions.submit_submission(item, actor=world.agency_operator)
    item.refresh_from_db()
    return item


@pytest.fixture
def second_secretary(world):
    return extra_user(world, "sekretariat.dua", Role.SECRETARIAT, email="dua@kupang.example")


def test_it_refuses_to_submit_with_empty_cells(client, world):
    fill(world, rows=DISTRICTS[:4])
    client.force_login(world.agency_operator)

    response = client.post(BASE + "ajukan/", follow=True)

    assert "2 sel belum diisi" in response.content.decode()
    assert world.periods[KUPANG].submissions.get(indicator__number=11).status == "draft"


def test_it_submits_and_tells_the_secretariat(
    client, world, second_secretary, django_capture_on_commit_callbacks
):
    fill(world)
    client.force_login(world.agency_operator)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(BASE + "ajukan/")

    item = world.periods[KUPANG].submissions.get(indicator__number=11)
    assert item.status == SubmissionStatus.SUBMITTED and item.submitted_by == world.agency_operator
    assert Notification.objects.filter(recipient=second_secretary, link=BASE).exists()
    assert [m.to for m in mail.outbox] == [["dua@kupang.example"]]
    assert "diajukan Dinkes" in mail.outbox[0].subject


def test_it_locks_the_values_once_submitted(client, world):
    submitted(world)
    client.force_login(world.agency_operator)

    assert client.post(BASE, {"version": 3, "narrative": "x"}).status_code == 403


def test_it_returns_with_a_comment_the_agency_then_sees(client, world):
    submitted(world)
    client.force_login(world.secretariat)

    client.post(BASE + "kembalikan/", {"comment": "Data Alak belum sesuai register."})
    client.force_login(world.agency_operator)
    page = client.get(BASE).content.decode()

    assert "Data Alak belum sesuai register." in page
    item = world.periods[KUPANG].submissions.get(indicator__number=11)
    assert item.status == SubmissionStatus.RETURNED
    assert 'name="version"' in page  # editable again


def test_it_needs_a_comment_to_return(world):
    item = submitted(world)

    with pytest.raises(ValidationError):
        actions.return_submission(item, actor=world.secretariat, comment="   ")


def test_it_approves_and_locks(client, world):
    submitted(world)
    client.force_login(world.secretariat)

    client.post(BASE + "setujui/")

    item = world.periods[KUPANG].submissions.get(indicator__number=11)
    assert item.status == SubmissionStatus.APPROVED and item.reviewed_by == world.secretariat
    client.force_login(world.agency_operator)
    assert client.post(BASE, {"version": item.version, "narrative": "x"}).status_code == 403


def test_nobody_approves_their_own_submission(world):
    item = fill(world, actor=world.secretariat)
    actions.submit_submission(item, actor=world.secretariat)

    with pytest.raises(PermissionDenied):
        actions.approve_submission(item, actor=world.secretariat)


@pytest.mark.parametrize("persona", ["agency_operator", "viewer", "task_force_chair"])
def test_only_the_secretariat_reviews(client, world, persona):
    submitted(world)
    client.force_login(world.persona(persona))

    response = client.post(BASE + "setujui/")

    assert response.status_code == 403
    item = world.periods[KUPANG].submissions.get(indicator__number=11)
    assert item.status == SubmissionStatus.SUBMITTED


def test_it_reopens_approved_data_only_with_a_reason(client, world):
    item = submitted(world)
    actions.approve_submission(item, actor=world.secretariat)
    client.force_login(world.secretariat)

    refused = client.post(BASE + "buka-kembali/", {"comment": ""}, follow=True)
    client.post(BASE + "buka-kembali/", {"comment": "Revisi data BPS terbaru."})

    assert "Tuliskan alasan membuka kembali." in refused.content.decode()
    item.refresh_from_db()
    assert item.status == SubmissionStatus.RETURNED
    assert item.review_comment == "Revisi data BPS terbaru."


def test_it_shows_the_whole_story_as_a_timeline(client, world):
    item = submitted(world)
    actions.return_submission(item, actor=world.secretariat, comment="Cek Maulafa.")
    client.force_login(world.secretariat)

    page = client.get(BASE).content.decode()

    for verb in ("menyimpan data", "mengajukan", "mengembalikan"):
        assert verb in page
    assert "Cek Maulafa." in page
    assert list(
        AuditEvent.objects.filter(target_type="collection.submission", target_id=str(item.pk))
        .order_by("created_at", "id")
        .values_list("action", flat=True)
    ) == ["submission.save_values", "submission.submit", "submission.return"]


def test_it_answers_404_for_an_unknown_step(client, world):
    client.force_login(world.secretariat)

    assert client.post(BASE + "hapus/").status_code == 404


def test_it_lists_and_clears_notifications(client, world, django_capture_on_commit_callbacks):
    client.force_login(world.secretariat)
    assert "Notifikasi (" not in client.get("/notifikasi/").content.decode()  # the bell, kept
    with django_capture_on_commit_callbacks(execute=True):
        submitted(world)

    page = client.get("/notifikasi/").content.decode()
    client.post("/notifikasi/", {"scope": "all"})

    assert "Indikator 11" in page and "Notifikasi (1)" in page
    assert not world.secretariat.notifications.filter(read_at__isnull=True).exists()
    assert "Notifikasi (" not in client.get("/notifikasi/").content.decode()


def test_it_marks_the_chosen_notifications_read(client, world):
    from sikla.core.models import Notification

    made = Notification.objects.bulk_create(
        Notification(recipient=world.secretariat, text=f"Pemberitahuan {i}") for i in range(3)
    )
    client.force_login(world.secretariat)
    client.post("/notifikasi/", {"scope": "chosen", "n": [made[0].pk, made[2].pk]})
    unread = world.secretariat.notifications.filter(read_at__isnull=True)
    assert list(unread.values_list("pk", flat=True)) == [made[1].pk]
    # Someone else's notification is not theirs to mark.
    other = Notification.objects.create(recipient=world.viewer, text="Bukan milik sekretariat")
    client.post("/notifikasi/", {"scope": "chosen", "n": [other.pk]})
    other.refresh_from_db()
    assert other.read_at is None


def test_a_failing_mail_server_never_undoes_the_step(
    world, second_secretary, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    item = fill(world)

    with django_capture_on_commit_callbacks(execute=True):
        actions.submit_submission(item, actor=world.agency_operator)

    item.refresh_from_db()
    assert item.status == SubmissionStatus.SUBMITTED
    assert Notification.objects.filter(recipient=second_secretary).exists()
