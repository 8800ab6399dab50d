from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from sikla.indicators.catalog import DEFAULT_CATALOG, CatalogError, load_catalog


class Command(BaseCommand):
    help = "Muat (atau perbarui) katalog indikator KLA dari berkas data YAML."

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", type=Path, default=DEFAULT_CATALOG)
        parser.add_argument(
            "--no-activate", action="store_true", help="Muat tanpa menjadikannya versi aktif."
        )

    def handle(self, *args, file: Path, no_activate: bool, **options):
        try:
            result = load_catalog(file, activate=not no_activate)
        except CatalogError as exc:
            raise CommandError(str(exc)) from exc
        state = "baru dimuat" if result.created else ("diperbarui" if result.changed else "tetap")
        self.stdout.write(
            self.style.SUCCESS(
                f"Katalog {result.version} {state}: {result.clusters} klaster, "
                f"{result.indicators} indikator, {result.questions} pertanyaan."
            )
        )
