"""Case search by a child's name through the blind index: whole words, any order, accents and case
ignored, one local government only, no names in clear in the index, a fixed number of queries."""

from django.db import connection
from django.urls import reverse

from sikla.accounts.models import Role
from sikla.protection import actions, crypto, queries
from sikla.protection.models import ChildNameToken
from tests.personas import KUPANG, extra_user, world_fixture  # noqa: F401

from .conftest import CHILD_NIK


def name_child(case, worker, name):
    return actions.save_child(case, actor=worker, name=name, sex="P", age=9)


def found(lg, terms):
    return [hit.case.number for hit in queries.search_cases(lg, terms)]


def test_a_name_is_found_by_its_whole_words_in_any_order(world, case):
    name_child(case, world.case_worker, "Maria Goreti Ndun")
    for terms in ("maria", "NDUN maria", "  goreti  ", "Maria Goreti Ndun"):
        assert found(world.kupang, terms) == [case.number], terms
    # A word of the name that is not there, or a piece of a word, finds nothing: the index
    # answers whole words only, so a search cannot spell a name out letter by letter.
    assert found(world.kupang, "maria salsabila") == []
    assert found(world.kupang, "gor") == []


def test_accents_and_capitals_do_not_matter(world, case):
    name_child(case, world.case_worker, "Ÿosé Ánggrék")
    assert found(world.kupang, "yose anggrek") == [case.number]
    assert found(world.kupang, "Yosé ÁNGGREK") == [case.number]


def test_a_changed_name_is_found_by_its_new_words_only(world, case):
    child = name_child(case, world.case_worker, "Kenanga Putri")
    actions.save_child(case, actor=world.case_worker, child=child, name="Mawar Putri", sex="P")
    assert found(world.kupang, "kenanga") == []
    assert found(world.kupang, "mawar putri") == [case.number]


def test_another_local_governments_children_are_never_found(world, case):
    name_child(case, world.case_worker, "Yohana Lete")
    assert found(world.jambi, "yohana lete") == []


def test_the_index_holds_keyed_hashes_never_the_name(world, case):
    child = name_child(case, world.case_worker, "Kristoforus Benu")
    rows = ChildNameToken.objects.filter(child=child)
    tokens = list(rows.values_list("token", flat=True))
    assert len(tokens) == 2 and len(set(tokens)) == 2
    # each row carries the case and the length of the whole name, which the search reads
    assert set(rows.values_list("case_id", "words")) == {(case.pk, 2)}
    with connection.cursor() as cursor:
        cursor.execute("SELECT token FROM protection_childnametoken")
        stored = " ".join(row[0] for row in cursor.fetchall()).casefold()
    assert "kristoforus" not in stored and "benu" not in stored
    assert set(tokens) == crypto.name_tokens("benu KRISTOFORUS")


def test_a_search_runs_a_fixed_number_of_queries(world, case, django_assert_num_queries):
    name_child(case, world.case_worker, "Anak Contoh Satu")
    with django_assert_num_queries(1):
        assert found(world.kupang, "contoh anak") == [case.number]
    with django_assert_num_queries(1):
        found(world.kupang, "5371044508150001")


# --- someone else's case ---------------------------------------------------------------------


def test_another_worker_learns_only_that_an_exact_match_exists(client, world, case):
    actions.save_child(
        case, actor=world.case_worker, name="Maria Goreti Ndun", nik=CHILD_NIK, sex="P"
    )
    other = extra_user(world, "pendamping2.uji", Role.CASE_WORKER)
    client.force_login(other)
    search = reverse("protection:case_search", args=[KUPANG])
    for terms in (CHILD_NIK, "maria goreti ndun", case.number):
        page = client.post(search, {"terms": terms}).content.decode()
        assert 'data-testid="result-elsewhere"' in page, terms
        assert case.number not in page.replace(f'value="{case.number}"', "")
        assert "Minta akses darurat" in page
        assert reverse("protection:break_glass", args=[KUPANG, case.uid]) in page
    # A word of the name, or part of a number, says nothing at all about another's case.
    for terms in ("maria", "goreti ndun", case.number[:4]):
        page = client.post(search, {"terms": terms}).content.decode()
        assert "result-elsewhere" not in page and case.number not in page, terms
    # The worker on the case sees it in full.
    client.force_login(world.case_worker)
    page = client.post(search, {"terms": "maria"}).content.decode()
    assert 'data-testid="result"' in page and case.number in page


def test_the_results_read_no_chronology_or_closing_note(world, case):
    """A hit shows the case's number, date, status and supervisor: its chronology and closing
    note, encrypted, are not read (decrypted) for a list of results."""
    from django.test.utils import CaptureQueriesContext

    name_child(case, world.case_worker, "Kenanga Tumpukan")
    with CaptureQueriesContext(connection) as ran:
        assert found(world.kupang, "kenanga tumpukan") == [case.number]
    read = " ".join(q["sql"] for q in ran)
    assert '."chronology"' not in read and '."closing_note"' not in read
