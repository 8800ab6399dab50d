from sikla.regions.models import Region


def test_it_lists_the_provinces_at_the_top(viewer_client):
    page = viewer_client.get("/wilayah/").content.decode()

    assert "Nusa Tenggara Timur" in page and "Jambi" in page
    assert "Halaman 1 dari 1" not in page  # 38 provinces fit one page: no pager


def test_it_shows_a_regency_with_its_districts_and_breadcrumbs(viewer_client):
    page = viewer_client.get("/wilayah/53.71/").content.decode()

    assert "Kota Kota Kupang" not in page
    assert "Kota Kupang" in page
    for district in ("Alak", "Maulafa", "Kelapa Lima", "Oebobo", "Kota Raja", "Kota Lama"):
        assert district in page
    assert 'href="/wilayah/53/"' in page  # breadcrumb to the province


def test_it_finds_a_village_by_name(viewer_client):
    page = viewer_client.get("/wilayah/", {"q": "Oebobo"}).content.decode()

    assert "53.71.04" in page


def test_it_paginates_long_lists(viewer_client):
    page = viewer_client.get("/wilayah/", {"q": "53.71.0"}).content.decode()

    assert "Halaman 1 dari 2" in page  # 57 descendants, 50 a page


def test_it_marks_a_region_that_is_no_longer_valid(viewer_client):
    Region.objects.filter(code="53.71.06").update(is_active=False)

    page = viewer_client.get("/wilayah/53.71.06/").content.decode()

    assert "tidak berlaku" in page


def test_it_answers_404_for_an_unknown_code(viewer_client):
    assert viewer_client.get("/wilayah/99.99/").status_code == 404
