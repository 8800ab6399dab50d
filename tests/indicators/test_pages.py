import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext


def test_it_lists_the_clusters_with_their_points_adding_up_to_1000(viewer_client):
    page = viewer_client.get("/indikator/").content.decode()

    assert "PermenPPPA-12-2022" in page
    assert "Klaster V" in page and "Kelembagaan" in page
    assert ">1.000<" in page  # Indonesian thousands separator
    assert "Pratama" in page and "Madya" in page


def test_it_shows_a_clusters_indicators_and_links_to_each(viewer_client):
    page = viewer_client.get("/indikator/klaster/5/").content.decode()

    for number in (21, 22, 23, 24):
        assert f'href="/indikator/{number}/"' in page
    assert 'href="/indikator/4/"' not in page


def test_it_shows_every_question_with_its_rubric_and_evidence(viewer_client):
    page = viewer_client.get("/indikator/12/").content.decode()

    assert "12. Prevalensi status gizi balita" in page
    assert page.count('class="rubric"') >= 5
    assert "Bukti dukung" in page
    assert "Makin rendah makin baik" in page


@pytest.mark.parametrize("url", ["/indikator/99/", "/indikator/klaster/9/", "/indikator/?versi=X"])
def test_it_answers_404_for_what_the_catalog_does_not_hold(viewer_client, url):
    assert viewer_client.get(url).status_code == 404


def test_it_needs_a_login(client):
    response = client.get("/indikator/")

    assert response.status_code == 302
    assert response["Location"].startswith("/masuk/")


@pytest.mark.parametrize("url", ["/indikator/", "/indikator/klaster/3/", "/indikator/2/"])
def test_it_reads_each_catalog_page_in_a_handful_of_queries(viewer_client, url):
    # Indicators and questions come in prefetches, not one query per row.
    with CaptureQueriesContext(connection) as queries:
        assert viewer_client.get(url).status_code == 200
    assert len(queries) <= 12, [q["sql"][:80] for q in queries]
