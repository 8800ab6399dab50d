"""Case search by a child's name through the blind index: whole words, any order, accents and case
ignored, one local government only, no names in clear in the index, a fixed number of queries."""

from django.db import connection

from sikla.protection import actions, crypto, queries
from sikla.protection.models import ChildNameToken
from tests.personas import world_fixture  # noqa: F401


def name_child(case, worker, name):
    return actions.save_child(case, actor=worker, name=name, sex="P", age=9)


def found(lg, terms):
    return [c.number for c in queries.search_cases(lg, terms)]


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
    tokens = list(ChildNameToken.objects.filter(child=child).values_list("token", flat=True))
    assert len(tokens) == 2 and len(set(tokens)) == 2
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
