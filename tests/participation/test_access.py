"""Who reaches which participation page: anonymous → login (public pages excepted), another
local government → 404, read-only and agency operators → 403 on every management page, the
secretariat → success. Kecamatan officers read their own area's Forum Anak only."""

import pytest
from django.urls import reverse

from sikla.participation.models import PublicComment
from tests.personas import JAMBI, KUPANG

from .conftest import make_forum
from .routes import KUPANG_OBJECTS, POST_ONLY, PUBLIC, READ, ROUTES

STAFF = sorted(set(ROUTES) - set(PUBLIC))
MANAGE = sorted(set(STAFF) - READ)


def url_for(name, world, code=KUPANG):
    return reverse(name, kwargs=ROUTES[name](world, code))


def get_or_post(client, name, url):
    return client.post(url) if name in POST_ONLY else client.get(url)


@pytest.mark.parametrize("name", STAFF)
def test_it_sends_anonymous_visitors_to_the_login_page(client, world, name):
    url = url_for(name, world)
    response = get_or_post(client, name, url)
    if name.startswith("api:"):
        assert response.status_code == 401
    else:
        assert response.status_code == 302
        assert response.url == f"{reverse('accounts:login')}?next={url}"


@pytest.mark.parametrize(("name", "status"), sorted(PUBLIC.items()))
def test_it_serves_the_public_routes_without_a_login(client, world, name, status):
    assert client.get(url_for(name, world)).status_code == status


@pytest.mark.parametrize(
    "name", sorted(n for n in STAFF if "code" in ROUTES[n].__code__.co_varnames)
)
def test_another_local_government_answers_404(client, world, name):
    client.force_login(world.secretariat)
    url = url_for(name, world, JAMBI)
    assert get_or_post(client, name, url).status_code == 404
    client.force_login(world.jambi_secretariat)
    status = get_or_post(client, name, url).status_code
    if name in KUPANG_OBJECTS:
        assert status == 404  # a Kupang object under a Jambi address
    else:
        assert status in {200, 302}


@pytest.mark.parametrize("persona", ["agency_operator", "viewer"])
@pytest.mark.parametrize("name", MANAGE)
def test_read_only_people_get_403_on_management_pages(client, world, persona, name):
    client.force_login(world.persona(persona))
    assert get_or_post(client, name, url_for(name, world)).status_code == 403


@pytest.mark.parametrize("persona", ["agency_operator", "viewer", "provincial_evaluator"])
@pytest.mark.parametrize("name", sorted(READ))
def test_everyone_in_scope_reads(client, world, persona, name):
    client.force_login(world.persona(persona))
    assert client.get(url_for(name, world)).status_code == 200


@pytest.mark.parametrize("name", sorted(set(STAFF) - POST_ONLY))
def test_the_secretariat_opens_every_page(client, world, name):
    client.force_login(world.secretariat)
    assert client.get(url_for(name, world)).status_code == 200


def test_a_read_only_persons_post_changes_nothing(client, world):
    url = url_for("participation:moderate", world)
    client.force_login(world.viewer)
    assert client.post(url, {"decision": "approve"}).status_code == 403
    assert PublicComment.objects.get().status == "pending"


def test_a_kecamatan_officer_reads_the_forums_of_their_own_area_only(client, world):
    kota = make_forum(world)
    oebobo = make_forum(world, "53.71.04.1001")
    maulafa = make_forum(world, "53.71.02")
    client.force_login(world.village_officer)
    page = client.get(reverse("participation:forums", args=[KUPANG])).content.decode()
    assert oebobo.name in page
    assert kota.name not in page.split('data-testid="forums"')[1]
    assert maulafa.name not in page
    assert client.get(reverse("participation:forum", args=[KUPANG, oebobo.uid])).status_code == 200
    assert client.get(reverse("participation:forum", args=[KUPANG, kota.uid])).status_code == 404
    assert client.get(reverse("participation:forum", args=[KUPANG, maulafa.uid])).status_code == 404
    assert client.get(reverse("participation:records", args=[KUPANG])).status_code == 403
    assert client.get(reverse("participation:forum_create", args=[KUPANG])).status_code == 403
    api = client.get(reverse("api:child_forums", kwargs={"code": KUPANG})).json()
    assert [f["name"] for f in api["items"]] == [oebobo.name]
