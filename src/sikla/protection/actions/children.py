"""The children of a case (identities encrypted, names in the blind index) and the alleged
perpetrators."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from sikla.core.audit import record

from .. import crypto, facts
from ..models import (
    Case,
    Child,
    ChildNameToken,
    Perpetrator,
)
from ..nik import validate_nik
from .common import _check_region, _clean_text, _require_handler, _require_open

__all__ = [
    "age_on",
    "CHILD_DEFAULTS",
    "CHILD_FIELDS",
    "index_name",
    "index_missing_names",
    "save_child",
    "add_perpetrator",
    "remove_perpetrator",
]


def _child_values(case: Case, values: dict) -> dict:
    values = dict(values)
    values["name"] = _clean_text(values.get("name", ""), field="name", limit=150, required=True)
    for name, limit in (("school", 150), ("address", 300)):
        values[name] = _clean_text(values.get(name, ""), field=name, limit=limit)
    nik = (values.get("nik") or "").strip()
    if nik:
        validate_nik(nik, birth_date=values.get("birth_date"), sex=values.get("sex"))
    values["nik"], values["nik_hash"] = nik, crypto.lookup_hash(nik)
    birth = values.get("birth_date")
    if birth:
        if birth > timezone.localdate():
            raise ValidationError({"birth_date": _("Tanggal lahir tidak boleh di masa depan.")})
        values["age"] = age_on(birth, timezone.localtime(case.received_at).date())
        values["birth_date"] = birth.isoformat()
    else:
        values["birth_date"] = ""
    if values.get("age") is not None and values["age"] > 17:
        raise ValidationError({"age": _("Anak adalah seseorang yang belum berumur 18 tahun.")})
    _check_region(values.get("address_region"), case.local_government, "address_region")
    return values


def age_on(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


CHILD_DEFAULTS = {
    "nik": "",
    "birth_date": None,
    "age": None,
    "sex": "",
    "has_disability": False,
    "school": "",
    "address_region": None,
    "address": "",
}
CHILD_FIELDS = (
    "name",
    "nik",
    "birth_date",
    "age",
    "sex",
    "has_disability",
    "school",
    "address_region",
    "address",
)


@transaction.atomic
def index_name(child: Child) -> None:
    """Rewrite the blind index of a child's name (`ChildNameToken`)."""
    ChildNameToken.objects.filter(child=child).delete()
    tokens = sorted(crypto.name_tokens(child.name))
    ChildNameToken.objects.bulk_create(
        ChildNameToken(
            child=child,
            case_id=child.case_id,
            local_government_id=child.case.local_government_id,
            words=len(tokens),
            token=t,
        )
        for t in tokens
    )


def index_missing_names() -> int:
    """The blind index of every named child that has none yet; returns how many."""
    count = 0
    unindexed = Child.objects.filter(
        ~Exists(ChildNameToken.objects.filter(child_id=OuterRef("pk")))
    ).exclude(name="")  # an empty name is stored empty, not encrypted
    for child in unindexed.select_related("case").iterator(chunk_size=1000):
        if crypto.name_tokens(child.name):
            index_name(child)
            count += 1
    return count


def save_child(case: Case, *, actor, child: Child | None = None, **values) -> Child:
    """Add a child to the case, or change one. The audit names the fields, never their values."""
    _require_handler(actor, case)
    _require_open(case)
    unknown = set(values) - set(CHILD_FIELDS)
    if unknown:
        raise TypeError(f"not child fields: {unknown}")
    values = _child_values(case, {**CHILD_DEFAULTS, **values})
    if values["nik_hash"] and (
        Child.objects.filter(case=case, nik_hash=values["nik_hash"])
        .exclude(pk=getattr(child, "pk", None))
        .exists()
    ):
        raise ValidationError({"nik": _("Anak dengan NIK ini sudah tercatat pada kasus ini.")})
    if child is None:
        child = Child.objects.create(case=case, **values)
        changed = sorted(k for k, v in values.items() if v not in ("", None, False))
        action = "case.child_add"
    else:
        changed = sorted(k for k, v in values.items() if getattr(child, k) != v)
        for k, v in values.items():
            setattr(child, k, v)
        child.save()
        action = "case.child_update"
    index_name(child)
    facts.refresh(case)
    record(
        actor=actor,
        action=action,
        target=case,
        region_code=case.local_government_id,
        changes={"fields": [None, [f for f in changed if f != "nik_hash"]]},
    )
    return child


@transaction.atomic
def add_perpetrator(
    case: Case, *, actor, relationship: str, name: str = "", age=None, sex=""
) -> Perpetrator:
    _require_handler(actor, case)
    _require_open(case)
    name = _clean_text(name, field="name", limit=150)
    perpetrator = Perpetrator.objects.create(
        case=case, name=name, relationship=relationship, age=age, sex=sex
    )
    record(
        actor=actor,
        action="case.perpetrator_add",
        target=case,
        region_code=case.local_government_id,
        changes={"relationship": [None, relationship]},
    )
    return perpetrator


@transaction.atomic
def remove_perpetrator(perpetrator: Perpetrator, *, actor) -> None:
    case = perpetrator.case
    _require_handler(actor, case)
    _require_open(case)
    relationship = perpetrator.relationship
    perpetrator.delete()
    record(
        actor=actor,
        action="case.perpetrator_remove",
        target=case,
        region_code=case.local_government_id,
        changes={"relationship": [relationship, None]},
    )
