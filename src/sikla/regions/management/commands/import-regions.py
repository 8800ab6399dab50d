import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from sikla.regions.importer import (
    DEFAULT_POPULATION_FILE,
    DEFAULT_REGIONS_FILE,
    RegionFileError,
    import_regions,
)
from sikla.regions.models import Level


class Command(BaseCommand):
    help = "Impor daftar wilayah Kemendagri (bawaan: Kepmendagri 300.2.2-2138/2025)."

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", type=Path, default=DEFAULT_REGIONS_FILE)
        parser.add_argument(
            "--population",
            type=Path,
            default=None,
            help="Berkas penduduk (kode,nama,laki_laki,perempuan,total). "
            "Bawaan: data penduduk yang dibundel, bila berkas wilayah bawaan dipakai.",
        )

    def handle(self, *args, file: Path, population: Path | None, **options):
        if population is None and file == DEFAULT_REGIONS_FILE:
            population = DEFAULT_POPULATION_FILE
        started = time.perf_counter()
        try:
            result = import_regions(file, population)
        except RegionFileError as exc:
            raise CommandError(str(exc)) from exc
        elapsed = time.perf_counter() - started
        levels = ", ".join(
            f"{Level(level).label}: {result.per_level.get(level, 0):,}".replace(",", ".")
            for level in Level.values
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Wilayah diimpor dalam {elapsed:.1f} detik — baru {result.created}, "
                f"berganti nama {result.renamed}, aktif kembali {result.reactivated}, "
                f"dinonaktifkan {result.deactivated}, tetap {result.unchanged}. ({levels})"
            )
        )
