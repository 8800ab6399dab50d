"""The participation API: the staff reads under the same access as the pages, the public list of
open consultations, and the public comment door (202, pending, same guards as the form)."""

import json
from datetime import date

from django.urls import reverse

from sikla.participation import actions
from sikla.participation.models import ModerationStatus, PublicComment, SourceKind
from sikla.participation.public_views import COMMENT_SCOPE
from tests.personas import JAMBI, KUPANG

from .conftest import make_consultation, make_forum, make_partner, make_record


def api(name, **kwargs):
    return reverse(f"api:{name}", kwargs=kwargs)


def post_comment(client, consultation, **body):
    payload = {"text": "Komentar lewat API.", **body}
    return client.post(
        api("public_consultation_comment", uid=consultation.uid),
        json.dumps(payload),
        content_type="application/json",
    )


def test_child_forums_with_the_summary(client, world):
    make_forum(world)
    make_forum(world, "53.71.04")
    make_forum(world, "53.71.04.1001")
    url = api("child_forums", code=KUPANG)
    assert client.get(url).status_code == 401
    client.force_login(world.agency_operator)
    body = client.get(url).json()
    assert body["count"] == 3
    assert body["summary"]["districts_with_forum"] == 1
    assert body["summary"]["villages_total"] == 51
    assert body["summary"]["members"]["total"] == 54
    kota = body["items"][0]
    assert kota["level"] == "regency" and kota["members"]["female_14_17"] == 6
    assert "names" not in json.dumps(kota)
    client.force_login(world.secretariat)
    assert client.get(api("child_forums", code=JAMBI)).status_code == 404


def test_consultation_records_with_their_inputs(client, world, django_assert_max_num_queries):
    make_record(world, day=date(2026, 3, 1), sources=[SourceKind.CHILD_FORUM, SourceKind.MEDIA])
    make_record(world, day=date(2025, 3, 1))
    client.force_login(world.viewer)
    url = api("consultations", code=KUPANG)
    with django_assert_max_num_queries(8) as captured:
        body = client.get(url).json()
    before = len(captured)  # read now: the next request clears the query log
    assert body["count"] == 2
    newest = body["items"][0]
    assert newest["date"] == "2026-03-01"
    assert [i["source_kind"] for i in newest["inputs"]] == ["child_forum", "media"]
    assert client.get(url, {"year": 2025}).json()["count"] == 1
    for n in range(5):
        make_record(world, day=date(2026, 4, 1 + n), sources=[SourceKind.CHILD] * 3)
    with django_assert_max_num_queries(before):
        assert client.get(url).json()["count"] == 7
    assert client.get(url, {"year": 1900}).status_code == 422


def test_partners_with_contributions(client, world):
    partner = make_partner(world, year=2025)
    actions.add_contribution(
        partner, actor=world.secretariat, year=2026, kind="goods", description="Buku", value=7
    )
    client.force_login(world.viewer)
    body = client.get(api("partners", code=KUPANG)).json()
    assert body["items"][0]["name"] == "LSM Sahabat Anak"
    assert len(body["items"][0]["contributions"]) == 2
    only = client.get(api("partners", code=KUPANG), {"year": 2026}).json()
    assert [c["value"] for c in only["items"][0]["contributions"]] == [7]


def test_the_public_list_holds_open_consultations_only(client, world):
    open_ = make_consultation(world)
    make_consultation(world, opens=-10, closes=-1, title="Ditutup")
    make_consultation(world, opens=2, closes=9, title="Belum")
    jambi = make_consultation(world, lg=world.jambi, title="Jambi")
    body = client.get(api("public_consultations")).json()
    assert {c["title"] for c in body["items"]} == {open_.title, jambi.title}
    only = client.get(api("public_consultations"), {"local_government": KUPANG}).json()
    assert [c["uid"] for c in only["items"]] == [str(open_.uid)]
    assert only["items"][0]["url"].endswith(f"/konsultasi-publik/{open_.uid}/")
    assert only["items"][0]["document_url"] is None


def test_a_comment_through_the_api_waits_for_moderation(
    client, world, consultation, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post_comment(client, consultation, is_child=True, name="Rani")
    assert response.status_code == 202
    assert response.json() == {
        "detail": "Komentar diterima dan menunggu moderasi.",
        "status": "pending",
    }
    comment = PublicComment.objects.get()
    assert comment.status == ModerationStatus.PENDING and comment.is_child
    assert world.secretariat.notifications.count() == 1
    listed = client.get(api("public_consultations")).json()["items"][0]
    assert listed["approved_comments"] == 0


def test_the_api_refuses_what_the_form_refuses(client, world, consultation):
    too_long = post_comment(client, consultation, text="x" * 2001)
    assert too_long.status_code == 422
    assert "2000 karakter" in too_long.json()["errors"]["text"][0]
    adult = post_comment(client, consultation, is_child=True, age_group="30_59")
    assert adult.status_code == 422 and "age_group" in adult.json()["errors"]
    tagged = post_comment(client, consultation, name="<i>x</i>")
    assert tagged.status_code == 422 and "name" in tagged.json()["errors"]
    links = post_comment(client, consultation, text=" ".join(f"www.a{n}.test" for n in range(5)))
    assert links.status_code == 422
    bad_age = post_comment(client, consultation, age_group="99")
    assert bad_age.status_code == 422
    closed = make_consultation(world, opens=-9, closes=-1, title="Ditutup")
    refused = post_comment(client, closed)
    assert refused.status_code == 422 and "sudah ditutup" in refused.json()["detail"]
    later = make_consultation(world, opens=1, closes=9, title="Belum")
    assert post_comment(client, later).status_code == 404
    assert PublicComment.objects.count() == 0


def test_the_api_honeypot_and_rate_limit(client, world, consultation, settings):
    settings.PUBLIC_COMMENT_RATE_LIMIT = 2
    robot = post_comment(client, consultation, website="http://spam.test")
    assert robot.status_code == 202
    assert PublicComment.objects.count() == 0
    assert post_comment(client, consultation).status_code == 202
    blocked = post_comment(client, consultation)
    assert blocked.status_code == 429 and blocked["Retry-After"] == "3600"
    assert PublicComment.objects.count() == 1
    # the page shares the count
    from sikla.protection import spam

    page = client.post(
        reverse("participation:public_detail", args=[consultation.uid]),
        {"text": "Lewat halaman", spam.STARTED_FIELD: spam.form_token()},
    )
    assert page.status_code == 429
    assert COMMENT_SCOPE == "consultation-comment"
