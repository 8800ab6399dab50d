"""Organisation pages: forms that keep what was typed, flat query counts, paging, the LG switcher."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from sikla.core.tenancy import SESSION_KEY
from sikla.organisations import actions
from sikla.organisations.models import Agency, AgencyKind
from tests.personas import JAMBI, KUPANG, world_fixture  # noqa: F401

AGENCIES_URL = f"/organisasi/{KUPANG}/perangkat-daerah/"


def add_agencies(world, count, start=0):
    for n in range(start, start + count):
        actions.create_agency(
            actor=world.secretariat,
            local_government=world.kupang,
            kind=AgencyKind.COMMUNITY,
            name=f"Lembaga Mitra {n:03}",
            abbreviation=f"LM{n:03}",
        )


def test_it_refuses_markup_in_an_agency_name_and_keeps_what_was_typed(client, world):
    client.force_login(world.secretariat)
    response = client.post(
        f"/organisasi/{KUPANG}/perangkat-daerah/tambah/",
        {
            "kind": "media",
            "name": "<script>alert(1)</script>",
            "abbreviation": "RRI",
            "head_name": "Budi Santoso",
            "email": "rri@example.org",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Teks tidak boleh berisi tag HTML atau skrip." in page
    assert "<script>alert(1)</script>" not in page
    assert 'value="&lt;script&gt;alert(1)&lt;/script&gt;"' in page  # kept, escaped
    assert 'value="RRI"' in page
    assert 'value="Budi Santoso"' in page
    assert 'value="rri@example.org"' in page
    assert '<option value="media" selected>' in page
    assert not Agency.objects.filter(abbreviation="RRI").exists()


def test_it_creates_an_agency_from_the_form(client, world):
    client.force_login(world.secretariat)
    response = client.post(
        f"/organisasi/{KUPANG}/perangkat-daerah/tambah/",
        {"kind": "local_agency", "name": "Dinas Sosial", "abbreviation": "Dinsos"},
        follow=True,
    )
    assert response.redirect_chain == [(AGENCIES_URL, 302)]
    assert "Dinas Sosial ditambahkan." in response.content.decode()


def test_it_shows_the_duplicate_abbreviation_next_to_the_field(client, world):
    client.force_login(world.secretariat)
    response = client.post(
        f"/organisasi/{KUPANG}/perangkat-daerah/tambah/",
        {"kind": "local_agency", "name": "Dinas Kesehatan Dua", "abbreviation": "dinkes"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["abbreviation"] == ["Singkatan dinkes sudah dipakai."]
    assert 'value="Dinas Kesehatan Dua"' in response.content.decode()


def count_queries(client, url):
    """The queries of the page as its next reader meets them: asked once first, so the menu,
    the bell's count and the local government's row come from the cache, as after any change."""
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_it_keeps_the_agencies_page_query_count_flat(client, world):
    client.force_login(world.secretariat)
    add_agencies(world, 2)
    few = count_queries(client, AGENCIES_URL)
    add_agencies(world, 35, start=2)
    assert world.kupang.agencies.count() == 40
    assert count_queries(client, AGENCIES_URL) == few


def test_it_keeps_the_task_force_page_query_count_flat(client, world):
    client.force_login(world.secretariat)
    url = f"/organisasi/{KUPANG}/gugus-tugas/"
    few = count_queries(client, url)
    add_agencies(world, 10)
    for agency in world.kupang.agencies.filter(kind=AgencyKind.COMMUNITY):
        actions.add_task_force_member(
            world.task_force, actor=world.secretariat, agency=agency, role="member"
        )
    assert count_queries(client, url) <= few


def test_it_pages_agencies_beyond_25(client, world):
    client.force_login(world.secretariat)
    add_agencies(world, 27)  # 30 with the three of the world
    first = client.get(AGENCIES_URL).content.decode()
    assert "Halaman 1 dari 2 (30 baris)" in first
    second = client.get(AGENCIES_URL, {"page": 2})
    assert "Halaman 2 dari 2 (30 baris)" in second.content.decode()
    assert len(second.context["page"].object_list) == 5


def test_it_lists_every_local_government_to_the_national_admin(client, world):
    client.force_login(world.national_admin)
    page = client.get("/organisasi/").content.decode()
    assert "Kota Kupang" in page
    assert "Kota Jambi" in page


def test_it_lists_only_its_own_local_government_to_a_local_user(client, world):
    client.force_login(world.secretariat)
    page = client.get("/organisasi/").content.decode()
    assert "Kota Kupang" in page
    assert "Kota Jambi" not in page


def test_it_switches_a_provincial_evaluator_to_a_local_government_in_the_province(client, world):
    client.force_login(world.provincial_evaluator)
    response = client.post("/pemda/ganti/", {"code": KUPANG})
    assert response.status_code == 302
    assert response.url == "/"
    assert client.session[SESSION_KEY] == KUPANG
    assert client.get("/").context["lg"] == world.kupang


def test_it_refuses_to_switch_to_a_local_government_outside_the_province(client, world):
    client.force_login(world.provincial_evaluator)
    assert client.post("/pemda/ganti/", {"code": JAMBI}).status_code == 404
    assert SESSION_KEY not in client.session


def test_it_switches_a_national_user_between_local_governments(client, world):
    client.force_login(world.national_evaluator)
    client.post("/pemda/ganti/", {"code": JAMBI})
    assert client.get("/").context["lg"] == world.jambi
    client.post("/pemda/ganti/", {"code": KUPANG})
    assert client.get("/").context["lg"] == world.kupang


def test_a_change_to_the_local_government_shows_on_the_next_page(client, world):
    """Each process keeps the kab/kota's row it read (`organisations.access`); an audited change
    moves its version on, so the next page reads the row again."""
    client.force_login(world.secretariat)
    url = f"/organisasi/{KUPANG}/"
    assert "Wali Kota Baru" not in client.get(url).content.decode()

    actions.update_local_government(
        world.kupang, actor=world.secretariat, head_name="Wali Kota Baru"
    )

    assert "Wali Kota Baru" in client.get(url).content.decode()


def test_an_unknown_or_malformed_code_is_not_found(client, world):
    client.force_login(world.national_admin)
    for code in ("99.99", "53.71.04", "x" * 40, "53-71"):
        assert client.get(f"/organisasi/{code}/").status_code == 404, code


def test_the_rule_for_one_code_is_the_rule_of_the_list(world):
    """`may_see_local_government` (each kab/kota page, without the database) keeps exactly the
    kab/kota `local_governments_visible_to` lists, for every persona and every kab/kota."""
    from sikla.organisations.models import LocalGovernment
    from sikla.organisations.queries import (
        local_governments_visible_to,
        may_see_local_government,
    )
    from tests.personas import PERSONAS

    codes = list(LocalGovernment.objects.values_list("pk", flat=True))
    assert len(codes) >= 2
    for name in PERSONAS:
        user = world.persona(name)
        listed = set(local_governments_visible_to(user).values_list("pk", flat=True))
        assert {c for c in codes if may_see_local_government(user, c)} == listed, name
