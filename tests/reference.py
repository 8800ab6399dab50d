"""Reference data for tests: a slice of the real region list and the real catalog.

The slice keeps every province and kab/kota plus the full subtrees of Kota Kupang (53.71) and
Kota Jambi (15.71): enough for scoping tests, fast to load on every database.
"""

import csv
from pathlib import Path

from sikla.indicators.catalog import load_catalog
from sikla.regions.importer import DEFAULT_REGIONS_FILE, import_regions

SUBTREES = ("53.71", "15.71")


def write_region_slice(target: Path) -> Path:
    with DEFAULT_REGIONS_FILE.open(encoding="utf-8") as src, target.open("w", newline="") as out:
        reader, writer = csv.reader(src), csv.writer(out)
        writer.writerow(next(reader))
        for code, name in reader:
            if len(code) <= 5 or any(code.startswith(s + ".") for s in SUBTREES):
                writer.writerow([code, name])
    return target


def load_reference_data(tmp_dir: Path) -> None:
    import_regions(write_region_slice(tmp_dir / "regions-slice.csv"), population_path=None)
    load_catalog()
