"""Evaluation: how long the self-assessment read, the PDF and the xlsx report take for one kab/kota,
and how the roll-up grows from 1 to N evaluated local governments.

Works on an existing database with the demo loaded (`bin/start` once, or `sikla demo`); reports
medians, never a pass/fail. Run:

    SIKLA_DATA_DIR=var .venv/bin/python benchmarks/evaluation.py [--runs 7]
"""

import argparse
import os

from timing import median_ms


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sikla.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from sikla.accounts.models import User
    from sikla.collection.models import Period
    from sikla.evaluation import queries, reports

    period = Period.objects.select_related("catalog", "local_government__region").get(
        local_government_id="53.71", year=2025
    )
    with CaptureQueriesContext(connection) as captured:
        queries.assessment(period)
    data = queries.report_data(period, base_url="http://127.0.0.1:8000/")
    nation = User.objects.get(username="evaluator.nasional")
    rows = {
        "assessment (24 indicators, 103 questions)": lambda: queries.assessment(period),
        "report data": lambda: queries.report_data(period, base_url="http://x/"),
        "PDF report": lambda: reports.build_pdf(data),
        "xlsx report": lambda: reports.build_xlsx(data),
        "roll-up, national scope, 2025": lambda: queries.rollup(nation, year=2025),
    }
    print(f"{'step':45} median ms  (runs={args.runs}, {connection.vendor})")
    for label, run in rows.items():
        print(f"{label:45} {median_ms(run, args.runs):9.1f}")
    print(f"queries per assessment: {len(captured)}")
    print(f"PDF size: {len(reports.build_pdf(data)) / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
