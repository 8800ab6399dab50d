"""The actions: setting a status (with its history), the yearly checklist (with its history),
evidence, who may do what, and the rules the database holds."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from sikla.core.models import AuditEvent
from sikla.villages import actions
from sikla.villages.models import (
    Checklist,
    ChecklistAnswer,
    ChecklistItem,
    Status,
    StatusChange,
    VillageStatus,
)
from tests.personas import JAMBI, KUPANG, extra_user

from .conftest import (
    ALAK_KELURAHAN,
    JAMBI_KELURAHAN,
    OEBOBO,
    OEBOBO_KELURAHAN,
    YEAR,
    checklist,
    declare,
    pdf,
    region,
)


def set_status(world, code, actor, **values):
    return actions.set_status(
        actor=actor, local_government=world.kupang, region=region(code), **values
    )


# --- status -------------------------------------------------------------------------------------


def test_it_declares_a_kelurahan_and_keeps_the_history(world):
    row = set_status(
        world,
        OEBOBO_KELURAHAN,
        world.secretariat,
        status=Status.INITIATED,
        task_force_chair="Lurah Oebobo",
        task_force_members=15,
    )
    row = declare(world, OEBOBO_KELURAHAN, task_force_chair="Lurah Oebobo", task_force_members=15)

    row.refresh_from_db()
    assert row.status == Status.DECLARED
    assert row.declared_on == date(2025, 7, 23)
    assert row.decree_number == f"SK/{OEBOBO_KELURAHAN}"
    changes = list(StatusChange.objects.filter(village_status=row).order_by("changed_at", "id"))
    assert [(c.from_status, c.to_status) for c in changes] == [
        (Status.NOT_STARTED, Status.INITIATED),
        (Status.INITIATED, Status.DECLARED),
    ]
    assert changes[1].decree_number == f"SK/{OEBOBO_KELURAHAN}"
    assert changes[1].actor == world.secretariat
    audit = AuditEvent.objects.filter(action="village.set_status", region_code=KUPANG)
    assert audit.count() == 2
    assert audit.first().changes["status"] == [Status.INITIATED, Status.DECLARED]


def test_it_writes_nothing_when_nothing_changed(world):
    declare(world, OEBOBO_KELURAHAN)
    declare(world, OEBOBO_KELURAHAN)

    assert StatusChange.objects.count() == 1
    assert AuditEvent.objects.filter(action="village.set_status").count() == 1


def test_it_declares_a_kecamatan_kelana(world):
    row = declare(world, OEBOBO)

    assert row.is_district and row.is_declared


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"status": Status.DECLARED, "decree_number": "SK/1"}, "declared_on"),
        ({"status": Status.DECLARED, "declared_on": date(2025, 1, 1)}, "decree_number"),
        (
            {"status": Status.DECLARED, "declared_on": date(2026, 7, 1), "decree_number": "SK"},
            "declared_on",
        ),
        ({"status": "revoked"}, "status"),
        ({"status": Status.INITIATED, "task_force_members": 1000}, "task_force_members"),
        ({"status": Status.INITIATED, "task_force_chair": "<b>Lurah</b>"}, "task_force_chair"),
    ],
)
def test_it_refuses_an_incomplete_or_wrong_status(world, values, field):
    with pytest.raises(ValidationError) as caught:
        set_status(world, OEBOBO_KELURAHAN, world.secretariat, **values)

    assert field in caught.value.message_dict
    assert not VillageStatus.objects.exists()


def test_it_needs_a_reason_to_revoke_and_clears_the_decree(world):
    declare(world, OEBOBO_KELURAHAN)

    with pytest.raises(ValidationError) as caught:
        set_status(world, OEBOBO_KELURAHAN, world.secretariat, status=Status.INITIATED)
    assert "note" in caught.value.message_dict

    row = set_status(
        world,
        OEBOBO_KELURAHAN,
        world.secretariat,
        status=Status.INITIATED,
        declared_on=date(2025, 7, 23),
        decree_number="SK lama",
        note="SK dibatalkan oleh lurah baru",
    )
    assert (row.declared_on, row.decree_number) == (None, "")
    last = StatusChange.objects.filter(village_status=row).first()
    assert (last.from_status, last.to_status, last.note) == (
        Status.DECLARED,
        Status.INITIATED,
        "SK dibatalkan oleh lurah baru",
    )


# --- who may ------------------------------------------------------------------------------------


def test_a_village_officer_manages_only_inside_their_kecamatan(world):
    officer = world.village_officer  # scope 53.71.04

    declare(world, OEBOBO_KELURAHAN, actor=officer)
    declare(world, OEBOBO, actor=officer)
    with pytest.raises(PermissionDenied):
        declare(world, ALAK_KELURAHAN, actor=officer)
    with pytest.raises(PermissionDenied):
        checklist(world, ALAK_KELURAHAN, actor=officer)


@pytest.mark.parametrize(
    "persona",
    ["agency_operator", "viewer", "task_force_chair", "provincial_evaluator", "jambi_secretariat"],
)
def test_others_may_not_change_anything(world, persona):
    with pytest.raises(PermissionDenied):
        declare(world, OEBOBO_KELURAHAN, actor=world.persona(persona))
    with pytest.raises(PermissionDenied):
        checklist(world, OEBOBO_KELURAHAN, actor=world.persona(persona))


def test_a_second_secretary_may(world):
    other = extra_user(world, "sekretariat.dua", "secretariat")

    assert declare(world, ALAK_KELURAHAN, actor=other).is_declared


def test_it_refuses_a_region_of_another_local_government(world):
    # A national admin passes the permission check anywhere: the region rule still holds.
    with pytest.raises(ValidationError):
        declare(world, JAMBI_KELURAHAN, actor=world.national_admin)
    with pytest.raises(ValidationError):
        declare(world, KUPANG, actor=world.national_admin)  # the kab/kota itself


def test_the_database_holds_the_rules(world):
    lg = world.kupang
    cases = [
        {"region": region(JAMBI_KELURAHAN), "status": Status.INITIATED},  # outside Kupang
        {"region": region(KUPANG), "status": Status.INITIATED},  # not a kecamatan/kelurahan
        {"region": region(OEBOBO_KELURAHAN), "status": Status.DECLARED},  # no decree
        {
            "region": region(ALAK_KELURAHAN),
            "status": Status.INITIATED,
            "declared_on": date(2025, 1, 1),
            "decree_number": "SK",
        },
    ]
    for values in cases:
        with pytest.raises(IntegrityError), transaction.atomic():
            VillageStatus.objects.create(local_government=lg, **values)
    assert world.jambi.code == JAMBI


# --- checklist ----------------------------------------------------------------------------------


def test_it_saves_a_checklist_per_year_with_its_history(world):
    first = checklist(world, OEBOBO_KELURAHAN, 2025, done={ChecklistItem.CHILD_PROFILE})
    checklist(world, OEBOBO_KELURAHAN, YEAR, done={ChecklistItem.CHILD_PROFILE})
    actions.save_checklist(
        actor=world.village_officer,
        local_government=world.kupang,
        region=region(OEBOBO_KELURAHAN),
        year=YEAR,
        answers={
            ChecklistItem.CHILD_PROFILE: True,
            ChecklistItem.PATBM: (True, "PATBM dibentuk Maret"),
        },
    )

    row = VillageStatus.objects.get(region_id=OEBOBO_KELURAHAN)
    assert row.status == Status.NOT_STARTED  # a checklist does not declare anything
    assert sorted(Checklist.objects.filter(village_status=row).values_list("year", flat=True)) == [
        2025,
        YEAR,
    ]
    this_year = Checklist.objects.get(village_status=row, year=YEAR)
    answers = {a.item: a for a in this_year.answers.all()}
    assert len(answers) == len(ChecklistItem.values)
    assert answers[ChecklistItem.PATBM].done is True
    assert answers[ChecklistItem.PATBM].note == "PATBM dibentuk Maret"
    assert answers[ChecklistItem.PLAYGROUND].done is False
    assert this_year.saved_by == world.village_officer
    # The earlier year is untouched.
    assert not first.answers.get(item=ChecklistItem.PATBM).done
    history = list(
        AuditEvent.objects.filter(
            action="village.save_checklist", target_id=str(this_year.pk)
        ).order_by("id")
    )
    assert len(history) == 2
    assert history[1].actor == world.village_officer
    assert history[1].changes == {
        "patbm": [False, True],
        "patbm_note": ["", "PATBM dibentuk Maret"],
    }


def test_saving_the_same_checklist_twice_writes_one_audit_row(world):
    checklist(world, OEBOBO_KELURAHAN, done={ChecklistItem.PATBM})
    checklist(world, OEBOBO_KELURAHAN, done={ChecklistItem.PATBM})

    assert AuditEvent.objects.filter(action="village.save_checklist").count() == 1


@pytest.mark.parametrize("year", [1999, YEAR + 1])
def test_it_refuses_a_year_out_of_range(world, year):
    with pytest.raises(ValidationError) as caught:
        checklist(world, OEBOBO_KELURAHAN, year)
    assert "year" in caught.value.message_dict


def test_it_refuses_unknown_items_and_markup(world):
    with pytest.raises(ValidationError):
        actions.save_checklist(
            actor=world.secretariat,
            local_government=world.kupang,
            region=region(OEBOBO_KELURAHAN),
            year=YEAR,
            answers={"swimming_pool": True},
        )
    with pytest.raises(ValidationError) as caught:
        actions.save_checklist(
            actor=world.secretariat,
            local_government=world.kupang,
            region=region(OEBOBO_KELURAHAN),
            year=YEAR,
            answers={ChecklistItem.PATBM: (True, "<script>x</script>")},
        )
    assert "patbm_note" in caught.value.message_dict


# --- evidence -----------------------------------------------------------------------------------


def test_it_stores_checked_evidence_and_replaces_it(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = actions.upload_evidence(
            actor=world.village_officer,
            local_government=world.kupang,
            region=region(OEBOBO_KELURAHAN),
            year=YEAR,
            item=ChecklistItem.PATBM,
            upload=pdf(),
        )
    assert first.evidence_ext == "pdf" and first.evidence_mime == "application/pdf"
    assert first.evidence.name.startswith(f"villages/{KUPANG}/")
    assert "bukti" not in first.evidence.name  # never the uploader's file name
    old_name = first.evidence.name
    storage = first.evidence.storage

    with django_capture_on_commit_callbacks(execute=True):
        second = actions.upload_evidence(
            actor=world.village_officer,
            local_government=world.kupang,
            region=region(OEBOBO_KELURAHAN),
            year=YEAR,
            item=ChecklistItem.PATBM,
            upload=pdf(body=PDF_2),
        )

    assert second.pk == first.pk
    assert second.evidence.name != old_name
    assert not storage.exists(old_name)
    assert storage.exists(second.evidence.name)
    assert ChecklistAnswer.objects.filter(evidence__gt="").count() == 1
    assert AuditEvent.objects.filter(action="village.upload_evidence").count() == 2


PDF_2 = b"%PDF-1.4\n% kedua\n"


def test_it_refuses_a_file_that_is_not_what_it_says(world):
    with pytest.raises(ValidationError) as caught:
        actions.upload_evidence(
            actor=world.secretariat,
            local_government=world.kupang,
            region=region(OEBOBO_KELURAHAN),
            year=YEAR,
            item=ChecklistItem.PATBM,
            upload=pdf("bukti.pdf", b"<html>bukan pdf</html>"),
        )
    assert "patbm_file" in caught.value.message_dict
    assert not ChecklistAnswer.objects.exists()


def test_a_checklist_save_carries_its_files(world):
    checklist(
        world,
        OEBOBO_KELURAHAN,
        done={ChecklistItem.READING_CORNER},
        files={ChecklistItem.READING_CORNER: pdf()},
    )

    answer = ChecklistAnswer.objects.get(item=ChecklistItem.READING_CORNER)
    assert answer.done and answer.has_evidence
