"""Writing and diffing audit rows. Called only from actions, inside their transaction."""

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import models

from . import public_cache
from .models import AuditEvent


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.fields.files.FieldFile):
        return value.name or ""
    return value


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    return {name: _plain(getattr(obj, name)) for name in fields}


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """Changed fields only, as {field: [old, new]}."""
    return {
        key: [before.get(key), value] for key, value in after.items() if before.get(key) != value
    }


# Changes of accounts (people, passwords, second factors, API tokens) are on no public page: they
# leave the public cache alone, so a login token or a new operator does not make a kab/kota's
# published protection counts be rebuilt (seconds for a kab/kota of 850 villages).
PRIVATE_ACTIONS = ("user.", "api_token.")


def record(
    *,
    actor,
    action: str,
    target: models.Model,
    region_code: str = "",
    changes: dict[str, Any] | None = None,
    note: str = "",
) -> AuditEvent:
    if not action.startswith(PRIVATE_ACTIONS):
        public_cache.changed(region_code)
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        target_label=str(target)[:255],
        region_code=region_code,
        changes=changes or {},
        note=note,
    )


def apply_changes(
    obj: models.Model,
    values: dict[str, Any],
    *,
    actor,
    action: str,
    region_code: str,
    note: str = "",
) -> dict[str, list[Any]]:
    """Set `values` on `obj`, save only what changed, and audit the difference.

    The one update path for every action that edits plain fields. Returns the changes
    ({field: [old, new]}); nothing is saved or recorded when nothing changed.
    """
    before = snapshot(obj, values)
    for name, value in values.items():
        setattr(obj, name, value)
    changes = diff(before, snapshot(obj, values))
    if changes:
        obj.full_clean()
        obj.save(update_fields=[*changes, *_auto_now_fields(obj)])
        record(
            actor=actor,
            action=action,
            target=obj,
            region_code=region_code,
            changes=changes,
            note=note,
        )
    return changes


def _auto_now_fields(obj: models.Model) -> list[str]:
    return [f.name for f in obj._meta.concrete_fields if getattr(f, "auto_now", False)]
