"""Actions on agencies and task forces: audit rows, validation, the decree that replaces."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sikla.core.models import AuditEvent
from sikla.organisations import actions
from sikla.organisations.models import AgencyKind, MemberRole, TaskForce
from tests.personas import KUPANG, world_fixture  # noqa: F401


def last_event(action):
    return AuditEvent.objects.filter(action=action).order_by("-id").first()


def test_it_audits_a_new_agency_with_its_values(world):
    agency = actions.create_agency(
        actor=world.secretariat,
        local_government=world.kupang,
        kind=AgencyKind.LOCAL_AGENCY,
        name="Dinas Sosial",
        abbreviation="Dinsos",
    )
    event = last_event("agency.create")
    assert (event.actor, event.region_code, event.target_id) == (
        world.secretariat,
        KUPANG,
        str(agency.pk),
    )
    assert event.changes == {
        "kind": [None, "local_agency"],
        "name": [None, "Dinas Sosial"],
        "abbreviation": [None, "Dinsos"],
    }


def test_it_audits_only_the_changed_fields_of_an_agency(world):
    dinkes = world.agency(KUPANG, "Dinkes")
    changes = actions.update_agency(
        dinkes,
        actor=world.secretariat,
        name="Dinas Kesehatan Kota Kupang",
        abbreviation="Dinkes",
        phone="0380 123",
    )
    expected = {
        "name": ["Dinas Kesehatan", "Dinas Kesehatan Kota Kupang"],
        "phone": ["", "0380 123"],
    }
    assert changes == expected
    event = last_event("agency.update")
    assert (event.changes, event.region_code, event.actor) == (
        expected,
        KUPANG,
        world.secretariat,
    )
    dinkes.refresh_from_db()
    assert dinkes.name == "Dinas Kesehatan Kota Kupang"


def test_it_records_nothing_when_nothing_changed(world):
    before = AuditEvent.objects.count()
    assert (
        actions.update_agency(
            world.agency(KUPANG), actor=world.secretariat, name=world.agency(KUPANG).name
        )
        == {}
    )
    assert AuditEvent.objects.count() == before


@pytest.mark.parametrize("abbreviation", ["DINKES", "dinkes", "Dinkes"])
def test_it_refuses_a_duplicate_abbreviation_in_any_case(world, abbreviation):
    with pytest.raises(ValidationError) as error:
        actions.create_agency(
            actor=world.secretariat,
            local_government=world.kupang,
            kind=AgencyKind.LOCAL_AGENCY,
            name="Dinas Kesehatan Lagi",
            abbreviation=abbreviation,
        )
    assert "abbreviation" in error.value.message_dict


def test_it_refuses_renaming_an_agency_to_another_ones_abbreviation(world):
    with pytest.raises(ValidationError) as error:
        actions.update_agency(
            world.agency(KUPANG, "Bappeda"), actor=world.secretariat, abbreviation="dp3a"
        )
    assert "abbreviation" in error.value.message_dict


def test_it_allows_the_same_abbreviation_in_another_local_government(world):
    for actor, lg in ((world.jambi_secretariat, world.jambi), (world.secretariat, world.kupang)):
        actions.create_agency(
            actor=actor,
            local_government=lg,
            kind=AgencyKind.LOCAL_AGENCY,
            name="Dinas Sosial",
            abbreviation="Dinsos",
        )
    assert world.kupang.agencies.filter(abbreviation="Dinsos").count() == 1
    assert world.jambi.agencies.filter(abbreviation="Dinsos").count() == 1


def test_it_refuses_to_deactivate_the_secretariat_of_the_task_force_in_force(world):
    dp3a = world.agency(KUPANG, "DP3A")
    with pytest.raises(ValidationError):
        actions.set_agency_active(dp3a, actor=world.secretariat, active=False)
    dp3a.refresh_from_db()
    assert dp3a.is_active


def test_it_deactivates_an_ordinary_agency_with_an_audit_row(world):
    dinkes = world.agency(KUPANG, "Dinkes")
    actions.set_agency_active(dinkes, actor=world.secretariat, active=False, note="digabung")
    dinkes.refresh_from_db()
    assert not dinkes.is_active
    event = last_event("agency.deactivate")
    assert (event.changes, event.note) == ({"is_active": [True, False]}, "digabung")


def test_it_refuses_agency_changes_by_a_role_without_the_right(world):
    with pytest.raises(PermissionDenied):
        actions.update_agency(world.agency(KUPANG), actor=world.viewer, name="Diubah")
    with pytest.raises(PermissionDenied):
        actions.update_agency(world.agency(KUPANG), actor=world.jambi_secretariat, name="Diubah")


def new_decree(world, number="188.45/KEP/UJI/2026", secretariat="DP3A"):
    return actions.create_task_force(
        actor=world.secretariat,
        local_government=world.kupang,
        decree_number=number,
        decree_date=date(2026, 1, 5),
        chair_name="Kepala Bappeda Baru",
        chair_position="Kepala Bappeda",
        secretariat_agency=world.agency(KUPANG, secretariat),
    )


def test_it_replaces_the_task_force_with_a_new_decree_and_keeps_its_members(world):
    actions.add_task_force_member(
        world.task_force,
        actor=world.secretariat,
        agency=world.agency(KUPANG, "Dinkes"),
        role=MemberRole.CLUSTER_COORDINATOR,
        cluster=3,
        person_name="dr. Maria",
    )
    new = new_decree(world)
    world.task_force.refresh_from_db()
    assert not world.task_force.is_active
    assert list(TaskForce.objects.filter(local_government=world.kupang, is_active=True)) == [new]
    copied = {(m.agency.abbreviation, m.role, m.cluster, m.person_name) for m in new.members.all()}
    assert copied == {
        ("Bappeda", "chair", None, ""),
        ("Dinkes", "cluster_coordinator", 3, "dr. Maria"),
    }
    assert world.task_force.members.count() == 2  # the old decree keeps its own list
    assert last_event("task_force.replace").note == "Diganti SK 188.45/KEP/UJI/2026"


def test_it_refuses_a_secretariat_from_another_local_government(world):
    with pytest.raises(ValidationError) as error:
        actions.create_task_force(
            actor=world.national_admin,
            local_government=world.kupang,
            decree_number="1/2026",
            decree_date=date(2026, 1, 5),
            chair_name="Ketua",
            secretariat_agency=world.agency("15.71"),
        )
    assert "secretariat_agency" in error.value.message_dict
    world.task_force.refresh_from_db()
    assert world.task_force.is_active


def test_it_refuses_a_cluster_coordinator_without_a_cluster(world):
    with pytest.raises(ValidationError) as error:
        actions.add_task_force_member(
            world.task_force,
            actor=world.secretariat,
            agency=world.agency(KUPANG, "Dinkes"),
            role=MemberRole.CLUSTER_COORDINATOR,
        )
    assert "cluster" in error.value.message_dict
    assert world.task_force.members.count() == 1


def test_it_refuses_the_same_member_twice(world):
    with pytest.raises(ValidationError):
        actions.add_task_force_member(
            world.task_force,
            actor=world.secretariat,
            agency=world.agency(KUPANG, "Bappeda"),
            role=MemberRole.CHAIR,
        )


def test_it_lists_the_events_on_the_history_page(client, world):
    actions.update_agency(world.agency(KUPANG, "Dinkes"), actor=world.secretariat, phone="0380 9")
    client.force_login(world.task_force_chair)
    response = client.get(f"/organisasi/{KUPANG}/riwayat/")
    assert response.status_code == 200
    page = response.content.decode()
    for action in (  # as people read them, not the codes (issue 14, point 9)
        "mendaftarkan pemerintah daerah",
        "menambah perangkat daerah",
        "membentuk gugus tugas",
        "memperbarui perangkat daerah",
    ):
        assert action in page
    assert "agency.update" not in page
    assert "Telepon: – → 0380 9" in page  # the field's name, not "phone"
    assert "Secretariat" in page  # the actor's name
    # Jambi's history is not Kupang's
    assert {e.region_code for e in response.context["page"].object_list} == {KUPANG}


def test_the_heads_office_is_written_as_people_write_it(world):
    assert world.kupang.head_office == "Wali Kota Kupang"  # not "Wali Kota Kota Kupang"
    world.kupang.head_title = "Bupati"
    world.kupang.region.name = "Kabupaten Aceh Utara"
    assert world.kupang.head_office == "Bupati Aceh Utara"


def test_the_report_is_signed_by_the_office_by_its_name(world):
    from sikla.evaluation.queries import report_data

    data = report_data(world.periods[KUPANG])
    assert "Mengetahui, Wali Kota Kupang" in [s.role for s in data.signatures]


def test_the_history_reads_changes_in_indonesian(client, world):
    """Issue 14, point 9: "status: not_started → initiated" and "child_profile: – → True" were
    the code's names and values; the history now says the field's name and the choice's label."""
    from sikla.core.history import change_lines

    assert change_lines("villages.villagestatus", {"status": ["not_started", "initiated"]}) == [
        "Status: Belum dimulai → Inisiasi"
    ]
    assert change_lines("villages.checklist", {"patbm": [None, True]}) == ["PATBM: – → ya"]
    assert change_lines("villages.checklist", {"patbm_file": [None, "x.pdf"]}) == [
        "PATBM: bukti dukung diunggah"
    ]
    assert change_lines("collection.submission", {"53.71.04": [None, 12]}) == ["53.71.04: – → 12"]
