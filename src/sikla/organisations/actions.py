"""Every state change of local governments, agencies and task forces.

Keyword-only, the actor explicit; each checks permission, writes, and audits in one transaction.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sikla.accounts.rules import Perm, require
from sikla.core.audit import apply_changes, record
from sikla.regions.models import Level, Region

from .models import Agency, LocalGovernment, MemberRole, TaskForce, TaskForceMember

LG_FIELDS = ("head_title", "head_name", "address", "phone", "email", "website", "logo", "time_zone")
AGENCY_FIELDS = (
    "kind",
    "name",
    "abbreviation",
    "head_name",
    "contact_person",
    "phone",
    "email",
    "address",
)
TASK_FORCE_FIELDS = (
    "decree_number",
    "decree_date",
    "chair_name",
    "chair_position",
    "secretariat_agency",
)


@transaction.atomic
def register_local_government(*, actor, region: Region, **values) -> LocalGovernment:
    require(actor, Perm.REGISTER_LOCAL_GOVERNMENT, region.code)
    if region.level != Level.REGENCY:
        raise ValidationError({"region": _("Pilih wilayah tingkat kabupaten/kota.")})
    if LocalGovernment.objects.filter(region=region).exists():
        raise ValidationError({"region": _("Pemerintah daerah ini sudah terdaftar.")})
    values.setdefault("head_title", _("Wali Kota") if region.is_city else _("Bupati"))
    lg = LocalGovernment.objects.create(region=region, **values)
    record(actor=actor, action="local_government.register", target=lg, region_code=lg.code)
    return lg


@transaction.atomic
def update_local_government(lg: LocalGovernment, *, actor, **values) -> dict:
    require(actor, Perm.MANAGE_ORGANISATIONS, lg.code)
    values = {k: v for k, v in values.items() if k in LG_FIELDS}
    return apply_changes(
        lg, values, actor=actor, action="local_government.update", region_code=lg.code
    )


def _check_abbreviation(lg: LocalGovernment, abbreviation: str, *, exclude_pk=None) -> None:
    clash = lg.agencies.filter(abbreviation__iexact=abbreviation).exclude(pk=exclude_pk)
    if clash.exists():
        raise ValidationError(
            {"abbreviation": _("Singkatan %(abbr)s sudah dipakai.") % {"abbr": abbreviation}}
        )


@transaction.atomic
def create_agency(*, actor, local_government: LocalGovernment, **values) -> Agency:
    require(actor, Perm.MANAGE_ORGANISATIONS, local_government.code)
    values = {k: v for k, v in values.items() if k in AGENCY_FIELDS}
    _check_abbreviation(local_government, values.get("abbreviation", ""))
    agency = Agency(local_government=local_government, **values)
    agency.full_clean()
    agency.save()
    record(
        actor=actor,
        action="agency.create",
        target=agency,
        region_code=local_government.code,
        changes={k: [None, str(v)] for k, v in values.items() if v},
    )
    return agency


@transaction.atomic
def update_agency(agency: Agency, *, actor, **values) -> dict:
    lg = agency.local_government
    require(actor, Perm.MANAGE_ORGANISATIONS, lg.code)
    values = {k: v for k, v in values.items() if k in AGENCY_FIELDS}
    if "abbreviation" in values:
        _check_abbreviation(lg, values["abbreviation"], exclude_pk=agency.pk)
    return apply_changes(agency, values, actor=actor, action="agency.update", region_code=lg.code)


@transaction.atomic
def set_agency_active(agency: Agency, *, actor, active: bool, note: str = "") -> dict:
    lg = agency.local_government
    require(actor, Perm.MANAGE_ORGANISATIONS, lg.code)
    if not active and agency.secretariat_of.filter(is_active=True).exists():
        raise ValidationError(
            _("Lembaga ini adalah sekretariat gugus tugas yang berlaku; ganti sekretariat dulu.")
        )
    action = "agency.activate" if active else "agency.deactivate"
    return apply_changes(
        agency, {"is_active": active}, actor=actor, action=action, region_code=lg.code, note=note
    )


def _check_own_agency(lg: LocalGovernment, agency: Agency, field: str) -> None:
    if agency.local_government_id != lg.code or not agency.is_active:
        raise ValidationError({field: _("Pilih lembaga aktif dari pemerintah daerah ini.")})


@transaction.atomic
def create_task_force(*, actor, local_government: LocalGovernment, **values) -> TaskForce:
    """A new decree replaces the task force in force; its members are carried over."""
    require(actor, Perm.MANAGE_ORGANISATIONS, local_government.code)
    values = {k: v for k, v in values.items() if k in TASK_FORCE_FIELDS}
    _check_own_agency(local_government, values["secretariat_agency"], "secretariat_agency")
    previous = local_government.task_forces.select_for_update().filter(is_active=True).first()
    if previous:
        apply_changes(
            previous,
            {"is_active": False},
            actor=actor,
            action="task_force.replace",
            region_code=local_government.code,
            note=_("Diganti SK %(number)s") % {"number": values["decree_number"]},
        )
    task_force = TaskForce.objects.create(local_government=local_government, **values)
    if previous:
        TaskForceMember.objects.bulk_create(
            TaskForceMember(
                task_force=task_force,
                agency_id=m.agency_id,
                role=m.role,
                cluster=m.cluster,
                person_name=m.person_name,
                position=m.position,
            )
            for m in previous.members.all()
        )
    record(
        actor=actor,
        action="task_force.create",
        target=task_force,
        region_code=local_government.code,
        changes={k: [None, str(v)] for k, v in values.items()},
    )
    return task_force


@transaction.atomic
def update_task_force(task_force: TaskForce, *, actor, **values) -> dict:
    lg = task_force.local_government
    require(actor, Perm.MANAGE_ORGANISATIONS, lg.code)
    values = {k: v for k, v in values.items() if k in TASK_FORCE_FIELDS}
    if "secretariat_agency" in values:
        _check_own_agency(lg, values["secretariat_agency"], "secretariat_agency")
    return apply_changes(
        task_force, values, actor=actor, action="task_force.update", region_code=lg.code
    )


@transaction.atomic
def add_task_force_member(
    task_force: TaskForce,
    *,
    actor,
    agency: Agency,
    role: str,
    cluster: int | None = None,
    person_name: str = "",
    position: str = "",
) -> TaskForceMember:
    lg = task_force.local_government
    require(actor, Perm.MANAGE_ORGANISATIONS, lg.code)
    _check_own_agency(lg, agency, "agency")
    if role == MemberRole.CLUSTER_COORDINATOR and cluster is None:
        raise ValidationError({"cluster": _("Koordinator klaster wajib memilih klaster.")})
    if role != MemberRole.CLUSTER_COORDINATOR:
        cluster = None
    if task_force.members.filter(agency=agency, role=role, cluster=cluster).exists():
        raise ValidationError(_("Lembaga ini sudah tercatat dengan kedudukan yang sama."))
    member = TaskForceMember.objects.create(
        task_force=task_force,
        agency=agency,
        role=role,
        cluster=cluster,
        person_name=person_name,
        position=position,
    )
    record(
        actor=actor,
        action="task_force.member_add",
        target=member,
        region_code=lg.code,
        changes={"role": [None, role], "cluster": [None, cluster], "agency": [None, str(agency)]},
    )
    return member


@transaction.atomic
def remove_task_force_member(member: TaskForceMember, *, actor) -> None:
    lg = member.task_force.local_government
    require(actor, Perm.MANAGE_ORGANISATIONS, lg.code)
    record(
        actor=actor,
        action="task_force.member_remove",
        target=member,
        region_code=lg.code,
        changes={"role": [member.role, None], "agency": [str(member.agency), None]},
    )
    member.delete()
