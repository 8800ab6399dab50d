"""State changes of the shared calendar: the holidays a national admin adds beside the national
calendar library (`core.workdays`). Each writes its audit row."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from sikla.accounts.rules import Perm, has_role_perm

from .audit import record
from .models import Holiday


def _require(actor) -> None:
    if not has_role_perm(actor, Perm.MANAGE_CALENDAR):
        raise PermissionDenied


@transaction.atomic
def add_holiday(*, actor, day: date, name: str, region_code: str = "") -> Holiday:
    """A joint leave day or a regional holiday (`region_code`: a province or kab/kota; "" for the
    whole country)."""
    _require(actor)
    try:
        with transaction.atomic():
            holiday = Holiday.objects.create(date=day, name=name, region_code=region_code)
    except IntegrityError:
        raise ValidationError(
            {"date": _("Tanggal ini sudah tercatat sebagai hari libur untuk wilayah yang sama.")}
        ) from None
    record(
        actor=actor,
        action="holiday.add",
        target=holiday,
        region_code=region_code,
        changes={"date": [None, day.isoformat()], "name": [None, name]},
    )
    return holiday


@transaction.atomic
def remove_holiday(holiday: Holiday, *, actor) -> None:
    _require(actor)
    record(
        actor=actor,
        action="holiday.remove",
        target=holiday,
        region_code=holiday.region_code,
        changes={"date": [holiday.date.isoformat(), None], "name": [holiday.name, None]},
    )
    holiday.delete()
