"""Odd input gets a clear 4xx with an Indonesian message, never a 500, and the API refuses what
the forms refuse (issue 13, point 6): the cases a security probe found, each as it was sent."""

import pytest
from django.urls import reverse

from sikla.organisations.models import Agency
from sikla.planning.models import FollowUp, Meeting
from sikla.protection.models import Complaint
from tests.personas import KUPANG, PASSWORD, world_fixture  # noqa: F401
from tests.second_factor import otp_for

EXTREME_DATES = ["9999-12-31", "0001-01-01"]


def token(client, user) -> dict:
    response = client.post(
        "/api/v1/auth/token",
        {"username": user.username, "password": PASSWORD, **otp_for(user)},
        content_type="application/json",
    )
    return {"HTTP_AUTHORIZATION": f"Bearer {response.json()['token']}"}


def test_a_follow_up_list_with_an_agency_that_is_not_a_uid_shows_every_agency(client, world):
    client.force_login(world.secretariat)
    response = client.get(f"/organisasi/{KUPANG}/tindak-lanjut/?agency=x")
    assert response.status_code == 200


@pytest.mark.parametrize("bound", ["from", "to"])
@pytest.mark.parametrize("day", EXTREME_DATES)
def test_statistics_with_an_extreme_date_say_so(client, world, bound, day):
    client.force_login(world.case_worker)  # day ranges are the UPTD PPA's alone
    page = client.get(reverse("protection:statistics", args=[KUPANG]), {bound: day})
    assert page.status_code == 200
    assert "antara tahun 1900 dan 2100" in page.content.decode()
    download = client.get(reverse("protection:statistics_xlsx", args=[KUPANG]), {bound: day})
    assert download.status_code in (200, 400)
    api = client.get(f"/api/v1/local-governments/{KUPANG}/protection/statistics", {bound: day})
    assert api.status_code == 422
    assert "1900" in str(api.json())


@pytest.mark.parametrize("period", ["9999", "0001-T1", "2025-99", "9223372036854775808"])
def test_statistics_of_an_impossible_period_say_so(client, world, period):
    client.force_login(world.secretariat)
    page = client.get(reverse("protection:statistics", args=[KUPANG]), {"periode": period})
    assert page.status_code == 200
    assert 'data-testid="range-problem"' in page.content.decode()
    api = client.get(
        f"/api/v1/local-governments/{KUPANG}/protection/statistics", {"period": period}
    )
    assert api.status_code == 422
    assert "period" in api.json()["errors"]


@pytest.mark.parametrize("day", EXTREME_DATES)
def test_an_identified_export_with_an_extreme_date_is_refused(client, world, day):
    client.force_login(world.case_supervisor)
    response = client.post(
        reverse("protection:export_identified", args=[KUPANG]),
        {"start": day, "end": "2026-01-31", "reason": "Permintaan resmi pengadilan negeri."},
    )
    assert response.status_code in (200, 422)
    assert "antara tahun 1900 dan 2100" in response.content.decode()


def meeting_body(**extra) -> dict:
    return {
        "kind": "task_force",
        "title": "Rapat koordinasi",
        "agenda": "Membahas tindak lanjut.",
        "starts_at": "2026-06-01T09:00:00+08:00",
        "ends_at": "2026-06-01T11:00:00+08:00",
        "place": "Aula Bappeda",
        **extra,
    }


def test_a_meeting_in_the_year_9999_is_refused_by_the_api_and_the_form(client, world):
    headers = token(client, world.secretariat)
    url = f"/api/v1/local-governments/{KUPANG}/meetings"
    response = client.post(
        url,
        meeting_body(starts_at="9999-12-31T09:00:00+08:00", ends_at="9999-12-31T11:00:00+08:00"),
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 422 and "1900" in str(response.json())
    client.force_login(world.secretariat)
    form = client.post(
        f"/organisasi/{KUPANG}/rapat/baru/",
        {
            "kind": "task_force",
            "title": "Rapat",
            "agenda": "Agenda",
            "starts_at": "9999-12-31T09:00",
            "ends_at": "9999-12-31T11:00",
            "place": "Aula",
        },
    )
    assert form.status_code in (200, 422)
    assert "antara tahun 1900 dan 2100" in form.content.decode()
    assert not Meeting.objects.filter(starts_at__year=9999).exists()


def test_the_api_refuses_markup_in_titles_as_the_form_does(client, world):
    headers = token(client, world.secretariat)
    response = client.post(
        f"/api/v1/local-governments/{KUPANG}/meetings",
        meeting_body(title="<script>alert(1)</script>"),
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 422
    assert "tag HTML" in str(response.json())
    assert not Meeting.objects.filter(title__contains="<script>").exists()


def test_the_api_refuses_a_follow_up_with_markup_or_an_absurd_due_date(client, world):
    headers = token(client, world.secretariat)
    created = client.post(
        f"/api/v1/local-governments/{KUPANG}/meetings",
        meeting_body(),
        content_type="application/json",
        **headers,
    )
    assert created.status_code in (200, 201), created.content
    meeting = Meeting.objects.get(uid=created.json()["uid"])
    agency = Agency.objects.filter(local_government=world.kupang).first()
    url = f"/api/v1/meetings/{meeting.uid}/follow-ups"
    for body, word in (
        ({"title": "<b>x</b>", "due_date": "2026-07-01"}, "tag HTML"),
        ({"title": "Tindak lanjut", "due_date": "0001-01-01"}, "1900"),
        ({"title": "Tindak lanjut", "due_date": "9999-12-31"}, "1900"),
    ):
        response = client.post(
            url, {"agency": str(agency.uid), **body}, content_type="application/json", **headers
        )
        assert response.status_code == 422, (body, response.content)
        assert word in str(response.json())
    assert not FollowUp.objects.filter(meeting=meeting).exists()


def test_a_public_complaint_with_markup_in_a_name_is_refused(client, world):
    response = client.post(
        "/api/v1/complaints",
        {
            "local_government": KUPANG,
            "description": "Seorang anak dipukul.",
            "child_name": "<img src=x onerror=alert(1)>",
        },
        content_type="application/json",
    )
    assert response.status_code == 422
    assert not Complaint.objects.filter(child_name__isnull=False).exclude(child_name="").exists()


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/public-consultations?offset=9223372036854775808",
        "/api/v1/public-consultations?offset=-1",
        "/api/v1/public-consultations?limit=100000",
        f"/api/v1/local-governments/{KUPANG}/child-forums?offset=9223372036854775808",
        f"/api/v1/local-governments/{KUPANG}/consultations?offset=9223372036854775808",
        f"/api/v1/local-governments/{KUPANG}/partners?offset=9223372036854775808",
        f"/api/v1/local-governments/{KUPANG}/follow-ups?offset=9223372036854775808",
        f"/api/v1/local-governments/{KUPANG}/cases?offset=9223372036854775808",
    ],
)
def test_list_routes_answer_an_absurd_offset_with_a_422(client, world, url):
    headers = token(client, world.case_supervisor if "cases" in url else world.secretariat)
    response = client.get(url, **headers)
    assert response.status_code == 422, (url, response.status_code)
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["detail"]


def test_a_page_past_the_end_is_an_empty_page(client, world):
    headers = token(client, world.secretariat)
    response = client.get("/api/v1/local-governments?offset=1000000", **headers)
    assert response.status_code == 200 and response.json()["items"] == []
    assert response.json()["count"] == 1  # the secretariat's Kupang, whatever page is asked
    # An offset no database could hold is refused, not passed on.
    absurd = client.get("/api/v1/local-governments?offset=9223372036854775808", **headers)
    assert absurd.status_code == 422 and "offset" in absurd.json()["errors"]


def test_a_simulation_body_that_is_not_an_object_is_a_422(client, world):
    headers = token(client, world.secretariat)
    url = f"/api/v1/local-governments/{KUPANG}/periods/2026/evaluation/simulate"
    for body in ("[]", '"x"', "42"):
        response = client.post(url, body, content_type="application/json", **headers)
        assert response.status_code in (400, 422), (body, response.status_code)
        assert response.json()["detail"]


def test_an_oversized_public_upload_is_refused_before_it_is_read(client, world):
    """A 60 MB body declared to the public form: 413 from its length alone (reading it would
    fail: the test payload holds one byte)."""
    response = client.generic(
        "POST",
        f"/lapor/{KUPANG}/",
        data=b"x",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(60 * 1024 * 1024),
    )
    assert response.status_code == 413
    assert "terlalu besar" in response.content.decode()
