"""A choice field's label (`get_FOO_display`, core/choice_labels.py): the active language's
label, and the stored value when it is no choice."""

from django.utils import translation

from sikla.accounts.models import Role, User
from sikla.protection.models import Case, CaseStatus


def test_the_label_follows_the_active_language():
    case = Case(status=CaseStatus.CLOSED)

    with translation.override("id"):
        assert case.get_status_display() == "Ditutup"
    with translation.override("en"):
        assert case.get_status_display() == "Closed"
    with translation.override("id"):
        assert case.get_status_display() == "Ditutup"


def test_a_value_that_is_no_choice_shows_as_it_is_stored():
    assert Case(status="hilang").get_status_display() == "hilang"
    assert Case(status=None).get_status_display() is None


def test_every_label_equals_djangos_own():
    for role in Role:
        with translation.override("en"):
            assert User(role=role).get_role_display() == str(role.label)
