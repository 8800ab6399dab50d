"""Bulk, idempotent import of the Kemendagri region list.

A re-run updates names, adds new codes, reactivates codes that came back, and marks codes missing
from the file inactive (never deleted: tenant rows may point at them). The whole file is validated
before anything is written; one transaction.
"""

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connection, transaction

from sikla.core import public_cache

from .models import LEVEL_BY_LENGTH, Region, parent_code

DATA_DIR = Path(__file__).resolve().parent / "data"
DEFAULT_REGIONS_FILE = DATA_DIR / "wilayah_kepmendagri_2025.csv"
DEFAULT_POPULATION_FILE = DATA_DIR / "penduduk_wilayah.csv"

CODE_RE = re.compile(r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$")
BATCH = 2000
IN_CHUNK = 900  # below SQLite's bound-variable limit


class RegionFileError(ValueError):
    """The file is not a valid region list; nothing was written."""


@dataclass
class ImportResult:
    created: int = 0
    renamed: int = 0
    reactivated: int = 0
    deactivated: int = 0
    unchanged: int = 0
    population_updated: int = 0
    per_level: dict[str, int] = field(default_factory=dict)


def read_region_file(path: Path) -> dict[str, str]:
    """Return {code: name}, or raise RegionFileError naming the line."""
    rows: dict[str, str] = {}
    lines: dict[str, int] = {}
    try:
        handle = path.open(newline="", encoding="utf-8-sig")
    except OSError as exc:
        raise RegionFileError(f"Berkas tidak dapat dibuka: {path} ({exc.strerror})") from exc
    with handle:
        reader = csv.reader(handle)
        header = next(reader, None)
        if header is None or [h.strip().lower() for h in header[:2]] != ["kode", "nama"]:
            raise RegionFileError(f"{path}: baris 1 harus berisi kolom 'kode,nama'.")
        for line_no, row in enumerate(reader, start=2):
            if not row or all(not cell.strip() for cell in row):
                continue
            if len(row) < 2:
                raise RegionFileError(f"{path}: baris {line_no}: kolom 'nama' tidak ada.")
            code, name = row[0].strip(), row[1].strip()
            if not CODE_RE.match(code):
                raise RegionFileError(f"{path}: baris {line_no}: kode '{code}' tidak sah.")
            if not name:
                raise RegionFileError(f"{path}: baris {line_no}: nama wilayah {code} kosong.")
            if len(name) > 120:
                raise RegionFileError(f"{path}: baris {line_no}: nama terlalu panjang.")
            if code in rows:
                raise RegionFileError(f"{path}: baris {line_no}: kode {code} muncul dua kali.")
            rows[code] = name
            lines[code] = line_no
    for code in rows:
        parent = parent_code(code)
        if parent is not None and parent not in rows:
            raise RegionFileError(
                f"{path}: baris {lines[code]}: induk {parent} dari kode {code} tidak ada di berkas."
            )
    if not rows:
        raise RegionFileError(f"{path}: berkas tidak berisi wilayah.")
    return rows


def read_population_file(path: Path) -> dict[str, tuple[int, int, int]]:
    figures: dict[str, tuple[int, int, int]] = {}
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        for line_no, row in enumerate(reader, start=2):
            try:
                figures[row["kode"].strip()] = (
                    int(row["laki_laki"]),
                    int(row["perempuan"]),
                    int(row["total"]),
                )
            except (KeyError, TypeError, ValueError) as exc:
                raise RegionFileError(
                    f"{path}: baris {line_no}: angka penduduk tidak sah."
                ) from exc
    return figures


def _insert_new(values: list[tuple]) -> None:
    """Insert new regions with one prepared statement: the ORM's per-object work is what made
    the first import slow (91,599 model instances), and these rows need no model behaviour."""
    if not values:
        return
    quote = connection.ops.quote_name
    columns = ", ".join(quote(c) for c in ("code", "name", "level", "parent_id", "is_active"))
    # Identifiers come from the model, quoted; every value is a bound parameter.
    sql = f"INSERT INTO {quote(Region._meta.db_table)} ({columns}) VALUES (%s, %s, %s, %s, %s)"  # noqa: S608
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            table = quote(Region._meta.db_table)
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in values:
                    copy.write_row(row)
            return
        for chunk in _chunks(values, 10_000):
            cursor.executemany(sql, chunk)


def _chunks(items: list, size: int):
    for start in range(0, len(items), size):
        yield items[start : start + size]


@transaction.atomic
def import_regions(
    path: Path = DEFAULT_REGIONS_FILE, population_path: Path | None = DEFAULT_POPULATION_FILE
) -> ImportResult:
    rows = read_region_file(path)
    population = read_population_file(population_path) if population_path else {}
    result = ImportResult()

    existing = {
        code: (name, active)
        for code, name, active in Region.objects.values_list("code", "name", "is_active")
    }
    # Parents before children, so foreign keys hold on every backend.
    new_codes = sorted((c for c in rows if c not in existing), key=lambda c: (len(c), c))
    _insert_new(
        [
            (code, rows[code], LEVEL_BY_LENGTH[len(code)], parent_code(code), True)
            for code in new_codes
        ]
    )
    result.created = len(new_codes)

    changed: list[Region] = []
    for code, name in rows.items():
        if code not in existing:
            continue
        old_name, active = existing[code]
        if old_name != name or not active:
            result.renamed += old_name != name
            result.reactivated += not active
            changed.append(Region(code=code, name=name, is_active=True))
        else:
            result.unchanged += 1
    Region.objects.bulk_update(changed, ["name", "is_active"], batch_size=BATCH)

    vanished = [code for code, (_, active) in existing.items() if active and code not in rows]
    for chunk in _chunks(vanished, IN_CHUNK):
        result.deactivated += Region.objects.filter(code__in=chunk).update(is_active=False)

    if population:
        with_figures = [
            Region(code=code, population_male=m, population_female=f, population=t)
            for code, (m, f, t) in population.items()
            if code in rows
        ]
        Region.objects.bulk_update(
            with_figures, ["population_male", "population_female", "population"], batch_size=BATCH
        )
        result.population_updated = len(with_figures)

    for code in rows:
        level = LEVEL_BY_LENGTH[len(code)]
        result.per_level[level] = result.per_level.get(level, 0) + 1
    if result.created or result.renamed or result.reactivated or result.deactivated or population:
        # every page that shows or lists regions, kept in a cache or by a process, is out of date
        public_cache.changed("")
    return result
