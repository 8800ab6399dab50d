"""Region import: first load of the full 2025 list vs an idempotent re-run.

Reports medians over fresh databases; never a pass/fail. Run:

    .venv/bin/python benchmarks/region_import.py [--runs 3]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sikla_bench .venv/bin/python benchmarks/region_import.py
"""

import argparse
import os
import statistics
import sys
import tempfile
import time


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    os.environ.setdefault("SIKLA_DATA_DIR", tempfile.mkdtemp(prefix="sikla-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sikla.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_databases, teardown_databases

    from sikla.regions.importer import import_regions
    from sikla.regions.models import Region

    first, again = [], []
    for _ in range(args.runs):
        config = setup_databases(verbosity=0, interactive=False)
        try:
            started = time.perf_counter()
            import_regions()
            first.append(time.perf_counter() - started)
            started = time.perf_counter()
            import_regions()
            again.append(time.perf_counter() - started)
            rows = Region.objects.count()
        finally:
            teardown_databases(config, verbosity=0)
    print(f"database: {connection.vendor}; rows: {rows:,}; runs: {args.runs}")
    print(
        f"first import   median {statistics.median(first):6.2f} s  ({rows / statistics.median(first):,.0f} rows/s)"
    )
    print(f"re-import      median {statistics.median(again):6.2f} s")
    print(f"ratio re-import / first: {statistics.median(again) / statistics.median(first):.2f}")


if __name__ == "__main__":
    sys.exit(main())
