"""Every change to the children's profile data: saving a data year's population figures.

The action checks `Perm.MANAGE_PLAN` on the kab/kota (the secretariat), validates the source
and every figure, writes, and leaves one audit row listing the changed cells, inside one
transaction. Nothing is written when nothing changed.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sikla.accounts.rules import Perm, require
from sikla.core.audit import diff, record
from sikla.core.validation import TAG_RE

from .access import FIRST_YEAR, year_allowed
from .models import AGE_GROUPS, SEXES, ChildPopulation, ChildPopulationFigure
from .profile import districts_of

Cell = tuple[str, str, str]  # (kecamatan code, sex, age group)
MAX_COUNT = 10_000_000
SOURCE_LENGTH = 255


def cell_key(cell: Cell) -> str:
    """The name of a cell in forms, audit rows and errors: `53.71.04__L__0-5`."""
    return "__".join(cell)


def expected_cells(district_codes: list[str]) -> list[Cell]:
    return [(d, str(s), str(a)) for d in district_codes for s in SEXES for a in AGE_GROUPS]


@transaction.atomic
def save_population(
    *, actor, local_government, year: int, source: str, figures: dict[Cell, int]
) -> ChildPopulation:
    """Replace the population figures of data year `year`: one non-negative whole number for
    every kecamatan × sex × age group of the kab/kota, and the source they come from."""
    lg = local_government
    require(actor, Perm.MANAGE_PLAN, lg.code)
    errors: dict[str, str] = {}
    if not year_allowed(year):
        raise ValidationError(
            {"year": _("Tahun data harus antara %(a)s dan tahun ini.") % {"a": FIRST_YEAR}}
        )
    source = (source or "").strip()
    if not source:
        errors["source"] = _("Sumber data wajib diisi.")
    elif len(source) > SOURCE_LENGTH:
        errors["source"] = _("Paling banyak %(n)s karakter.") % {"n": SOURCE_LENGTH}
    elif TAG_RE.search(source):
        errors["source"] = _("Teks tidak boleh berisi tag HTML atau skrip.")
    cells = expected_cells([code for code, _name in districts_of(lg)])
    unknown = set(figures) - set(cells)
    if unknown:
        raise ValidationError(
            _("Kecamatan atau kelompok tidak dikenal: %(cells)s.")
            % {"cells": ", ".join(sorted(cell_key(c) for c in unknown))}
        )
    wanted: dict[Cell, int] = {}
    for cell in cells:
        value = figures.get(cell)
        if value is None or value == "":
            errors[cell_key(cell)] = _("Wajib diisi.")
        elif isinstance(value, bool) or not isinstance(value, int):
            errors[cell_key(cell)] = _("Isi dengan bilangan bulat.")
        elif not 0 <= value <= MAX_COUNT:
            errors[cell_key(cell)] = _("Isi bilangan bulat dari 0 sampai %(n)s.") % {
                "n": f"{MAX_COUNT:,}".replace(",", ".")
            }
        else:
            wanted[cell] = value
    if errors:
        raise ValidationError(errors)

    population, created = ChildPopulation.objects.select_for_update().get_or_create(
        local_government=lg, year=year, defaults={"source": source, "saved_by": actor}
    )
    existing = {
        (f.region_id, f.sex, f.age_group): f
        for f in ChildPopulationFigure.objects.filter(population=population)
    }
    before = {cell_key(c): f.count for c, f in existing.items()}
    before["source"] = "" if created else population.source
    after = {cell_key(c): n for c, n in wanted.items()}
    after["source"] = source
    changes = diff(before, after)
    if not changes:
        return population
    new_rows, changed_rows = [], []
    for cell, count in wanted.items():
        row = existing.get(cell)
        if row is None:
            code, sex, age = cell
            new_rows.append(
                ChildPopulationFigure(
                    population=population, region_id=code, sex=sex, age_group=age, count=count
                )
            )
        elif row.count != count:
            row.count = count
            changed_rows.append(row)
    ChildPopulationFigure.objects.bulk_create(new_rows)
    ChildPopulationFigure.objects.bulk_update(changed_rows, ["count"])
    population.source = source
    population.saved_by = actor if getattr(actor, "pk", None) else None
    population.save(update_fields=["source", "saved_by", "updated_at"])
    record(
        actor=actor,
        action="profile.save_population",
        target=population,
        region_code=lg.code,
        changes=changes,
        note=_("%(n)s sel berubah") % {"n": len(changes) - ("source" in changes)},
    )
    return population
