"""`sikla generate-national --yes`: national-size synthetic data for benchmarks (see
sikla.demo.national). Refuses a database that holds data; without --yes it only says what it
would do."""

import os
import secrets
import time

from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from sikla.demo import national
from sikla.indicators.models import CatalogVersion
from sikla.regions.models import Region


class Command(BaseCommand):
    help = (
        "Isi basis data PostgreSQL yang baru dimigrasi dengan data sintetis skala nasional "
        "untuk uji beban (514 kab/kota, 10 tahun, ±1 juta kasus)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--yes", action="store_true", help="Benar-benar mulai mengisi.")
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help="Pengali semua volume (bawaan 1.0; mis. 0.01 untuk percobaan cepat).",
        )
        parser.add_argument(
            "--password",
            help="Kata sandi akun uji (atau SIKLA_DEMO_PASSWORD); tanpa keduanya dibuat acak. "
            "Disimpan di <SIKLA_DATA_DIR>/national_password.",
        )

    def handle(self, *args, yes: bool, scale: float, password: str | None, **options):
        if not 0 < scale <= 10:
            raise CommandError("--scale harus lebih dari 0 dan paling banyak 10.")
        reason = national.refusal()
        if reason:
            raise CommandError(reason)
        if not yes:
            self.stdout.write(national.plan(scale))
            return
        password = password or os.environ.get("SIKLA_DEMO_PASSWORD") or secrets.token_urlsafe(12)
        try:
            national.check_password(password)
        except ValidationError as exc:
            raise CommandError("Kata sandi ditolak: " + " ".join(exc.messages)) from exc
        if not Region.objects.filter(level="regency").exists():
            call_command("import-regions", stdout=self.stdout)
        if not CatalogVersion.objects.filter(is_active=True).exists():
            call_command("load-catalog", stdout=self.stdout)
        # The accounts' audit rows bump the public pages' cache versions: its table must exist
        # (`sikla migrate` makes it too, but not on a database migrated before it did).
        call_command("createcachetable", verbosity=0)

        started = time.perf_counter()
        try:
            report = national.generate(
                scale=scale, password=password, progress=lambda m: self.stdout.write(f"  {m}")
            )
        except national.Refused as exc:
            raise CommandError(str(exc)) from exc
        path = national.write_password(password)
        self._report(report, time.perf_counter() - started, password, path)

    def _report(self, report, seconds: float, password: str, path) -> None:
        out = self.stdout.write
        out(self.style.SUCCESS(f"Data sintetis nasional siap dalam {seconds:.0f} detik."))
        out(f"Basis data: {connection.settings_dict['NAME']}")
        jalur = "cepat (pemicu kunci asing per baris dilewati, lalu diperiksa sekaligus)"
        out(f"Jalur: {jalur if report.fast_path else 'biasa (kunci asing diperiksa per baris)'}")
        out("\nLangkah (detik):")
        for step, took in report.seconds.items():
            out(f"  {took:8.1f}  {step}")
        out("\nBaris per tabel:")
        for label, n in sorted(report.rows.items(), key=lambda item: -item[1]):
            out(f"  {n:>12,}  {label}".replace(",", "."))
        out(f"  {sum(report.rows.values()):>12,}  jumlah".replace(",", "."))
        out(f"\nKab/kota tersibuk: {report.target} {report.target_name}")
        out(f"Akun uji (kata sandi sama, disimpan di {path}): {', '.join(report.users)}")
        out(f"Kata sandi: {password}")
