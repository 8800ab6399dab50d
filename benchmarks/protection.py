"""Child protection at the scale of a busy unit: how the case page, the search (a name is found by
decrypting the unit's children in memory), the statistics and their export grow with the number
of cases, and what encryption costs per identity.

Builds its own synthetic cases (fictitious) in a scratch SQLite database under a temporary
SIKLA_DATA_DIR, so it never touches real data. Reports medians and ratios, never a pass/fail.

    .venv/bin/python benchmarks/protection.py [--sizes 100 1000 5000] [--runs 5]
"""

import argparse
import os
import tempfile

from timing import median_ms


def setup_django() -> None:
    os.environ.setdefault("SIKLA_DATA_DIR", tempfile.mkdtemp(prefix="sikla-bench-protection-"))
    os.environ["ALLOWED_HOSTS"] = "testserver"  # the test client's host
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sikla.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    with open(os.devnull, "w") as quiet:
        call_command("demo", password="bench-sandi-panjang", stdout=quiet)  # noqa: S106


def grow(lg, worker, target: int) -> None:
    """Add fictitious cases (bulk, with encrypted identities) until the unit has `target`."""
    import random
    from datetime import timedelta

    from django.utils import timezone

    from sikla.protection import crypto
    from sikla.protection.actions import case_number
    from sikla.protection.models import Case, CaseType, Child, ProtectionType, Service
    from sikla.regions.models import Region

    have = Case.objects.filter(local_government=lg).count()
    if have >= target:
        return
    rng = random.Random(target)  # noqa: S311
    villages = list(Region.objects.filter(code__startswith="53.71.", level="village"))
    types = [t.value for t in ProtectionType]
    start = Case.objects.filter(local_government=lg, year=2026).count() + 1000
    now = timezone.now()
    cases = []
    for i in range(target - have):
        received = now - timedelta(days=rng.randint(0, 330), hours=rng.randint(0, 23))
        cases.append(
            Case(
                local_government=lg,
                year=2026,
                sequence=start + i,
                number=case_number(lg, 2026, start + i),
                channel="hotline",
                status=rng.choice(["received", "assessed", "in_service", "closed"]),
                received_at=received,
                response_due_at=received + timedelta(days=3),
                first_response_at=received + timedelta(hours=rng.randint(1, 100)),
                incident_region=rng.choice(villages),
                chronology=f"Kronologi sintetis {i}",
            )
        )
    Case.objects.bulk_create(cases, batch_size=500)
    made = list(Case.objects.filter(local_government=lg, sequence__gte=start))
    CaseType.objects.bulk_create(
        [CaseType(case=c, type=rng.choice(types)) for c in made], batch_size=1000
    )
    children = [
        Child(
            case=c,
            name=f"Anak Sintetis {c.sequence}",
            nik="",
            nik_hash=crypto.lookup_hash(""),
            age=rng.randint(0, 17),
            sex=rng.choice("LP"),
            address_region=c.incident_region,
        )
        for c in made
    ]
    Child.objects.bulk_create(children, batch_size=1000)
    Service.objects.bulk_create(
        [
            Service(case=c, kind="outreach", date=c.received_at.date(), provider="UPTD")
            for c in made
            if rng.random() < 0.8
        ],
        batch_size=1000,
    )
    worker.assigned_cases.add(*made[:50])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 5000])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    setup_django()
    from datetime import date

    from django.db import connection
    from django.test import Client

    from sikla.accounts.models import User
    from sikla.organisations.models import LocalGovernment
    from sikla.protection import crypto, queries, statistics
    from sikla.protection.models import Case

    lg = LocalGovernment.objects.get(region_id="53.71")
    worker = User.objects.get(username="pendamping.kupang")
    supervisor = User.objects.get(username="supervisor.kupang")
    client = Client()
    client.force_login(supervisor)
    start, end = date(2025, 12, 1), date(2026, 12, 31)

    one = median_ms(lambda: crypto.decrypt(crypto.encrypt("Anak Sintetis 1")), 200)
    print(f"encrypt + decrypt one name: {one * 1000:.0f} µs (median of 200)\n")
    header = f"{'cases':>6} {'case page':>10} {'list':>8} {'search name':>12} "
    header += (
        f"{'search NIK':>11} {'statistics':>11} {'xlsx':>8}   (median ms, {connection.vendor})"
    )
    print(header)
    base = {}
    for size in sorted(args.sizes):
        grow(lg, worker, size)
        case = Case.objects.filter(local_government=lg).order_by("pk").first()
        url = f"/perlindungan/53.71/kasus/{case.uid}/"
        assert client.get(url).status_code == 200
        row = {
            "case page": median_ms(lambda url=url: client.get(url), args.runs),
            "list": median_ms(lambda: client.get("/perlindungan/53.71/kasus/?status="), args.runs),
            "search name": median_ms(lambda: queries.search_cases(lg, "sintetis"), args.runs),
            "search NIK": median_ms(
                lambda: queries.search_cases(lg, "5371044508150001"), args.runs
            ),
            "statistics": median_ms(lambda: statistics.report(lg, start, end), args.runs),
            "xlsx": median_ms(
                lambda: statistics.build_xlsx(statistics.report(lg, start, end)), args.runs
            ),
        }
        base = base or row
        print(
            f"{Case.objects.filter(local_government=lg).count():>6} {row['case page']:>10.1f} "
            f"{row['list']:>8.1f} {row['search name']:>12.1f} "
            f"{row['search NIK']:>11.1f} {row['statistics']:>11.1f} {row['xlsx']:>8.1f}"
        )
    print("\nratio largest / smallest: " + ", ".join(f"{k} ×{row[k] / base[k]:.1f}" for k in row))


if __name__ == "__main__":
    main()
