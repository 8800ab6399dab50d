"""Reference data for tests: a slice of the real region list and the real catalog.

The slice keeps every province and kab/kota plus the full subtrees of Kota Kupang (53.71) and
Kota Jambi (15.71): enough for scoping tests, fast to load on every database.
"""

import csv
import functools
import io
from pathlib import Path

from sikla.indicators.catalog import load_catalog
from sikla.regions.importer import DEFAULT_REGIONS_FILE, import_regions

SUBTREES = ("53.71", "15.71")


@functools.cache
def _region_slice() -> str:
    """The slice as CSV text, read from the 91,599-line list once per test process (each
    committing test that empties the database loads it again)."""
    out = io.StringIO(newline="")
    with DEFAULT_REGIONS_FILE.open(encoding="utf-8") as src:
        reader, writer = csv.reader(src), csv.writer(out)
        writer.writerow(next(reader))
        prefixes = tuple(s + "." for s in SUBTREES)
        for code, name in reader:
            if len(code) <= 5 or code.startswith(prefixes):
                writer.writerow([code, name])
    return out.getvalue()


def write_region_slice(target: Path) -> Path:
    target.write_text(_region_slice(), encoding="utf-8", newline="")
    return target


def load_reference_data(tmp_dir: Path) -> None:
    import_regions(write_region_slice(tmp_dir / "regions-slice.csv"), population_path=None)
    load_catalog()
