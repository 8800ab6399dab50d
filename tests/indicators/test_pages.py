import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sikla.accounts.actions import create_user
from sikla.accounts.models import Role


@pytest.fixture
def viewer(db):
    return create_user(
        actor=None,
        username="pemantau.nasional",
        full_name="Pemantau Nasional",
        role=Role.VIEWER,
        scope="",
        password="sandi-uji-yang-panjang",
    )


@pytest.fixture
def logged_in(client, viewer):
    client.force_login(viewer)
    return client


def test_it_lists_the_clusters_with_their_points_adding_up_to_1000(logged_in):
    page = logged_in.get("/indikator/").content.decode()

    assert "PermenPPPA-12-2022" in page
    assert "Klaster V" in page and "Kelembagaan" in page
    assert ">1.000<" in page  # Indonesian thousands separator
    assert "Pratama" in page and "Madya" in page


def test_it_shows_a_clusters_indicators_and_links_to_each(logged_in):
    page = logged_in.get("/indikator/klaster/5/").content.decode()

    for number in (21, 22, 23, 24):
        assert f'href="/indikator/{number}/"' in page
    assert 'href="/indikator/4/"' not in page


def test_it_shows_every_question_with_its_rubric_and_evidence(logged_in):
    page = logged_in.get("/indikator/12/").content.decode()

    assert "12. Prevalensi status gizi balita" in page
    assert page.count('class="rubric"') >= 5
    assert "Bukti dukung" in page
    assert "Makin rendah makin baik" in page


@pytest.mark.parametrize("url", ["/indikator/99/", "/indikator/klaster/9/", "/indikator/?versi=X"])
def test_it_answers_404_for_what_the_catalog_does_not_hold(logged_in, url):
    assert logged_in.get(url).status_code == 404


def test_it_needs_a_login(client):
    response = client.get("/indikator/")

    assert response.status_code == 302
    assert response["Location"].startswith("/masuk/")


@pytest.mark.parametrize("url", ["/indikator/", "/indikator/klaster/3/", "/indikator/2/"])
def test_it_reads_each_catalog_page_in_a_handful_of_queries(logged_in, url):
    # Indicators and questions come in prefetches, not one query per row.
    with CaptureQueriesContext(connection) as queries:
        assert logged_in.get(url).status_code == 200
    assert len(queries) <= 12, [q["sql"][:80] for q in queries]
