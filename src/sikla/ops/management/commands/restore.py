from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from sikla.ops.backup import BackupError, restore


class Command(BaseCommand):
    help = "Pulihkan cadangan SIKLA ke basis data dan penyimpanan yang kosong."
    # Django's checks load every view and the API (2 s) for nothing a restore uses
    # (its own checks are of the backup's manifest and the target's emptiness).
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path)
        parser.add_argument(
            "--force", action="store_true", help="timpa basis data dan berkas yang sudah ada"
        )

    def handle(self, *args, folder: Path, force: bool = False, **options):
        try:
            done = restore(folder, force=force)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Dipulihkan: {done.rows} baris, {done.files} berkas (checksum cocok), "
            f"{done.identities} isian identitas terbuka dengan kunci yang terpasang."
        )
