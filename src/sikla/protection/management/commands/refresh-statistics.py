import time

from django.core.management.base import BaseCommand, CommandError

from sikla.organisations.models import LocalGovernment
from sikla.protection.facts import rebuild


class Command(BaseCommand):
    help = (
        "Tulis ulang fakta statistik perlindungan anak (tanpa identitas) dari data kasus: "
        "satu kabupaten/kota, atau semuanya."
    )

    def add_arguments(self, parser):
        parser.add_argument("code", nargs="?", help="kode kabupaten/kota, mis. 53.71")

    def handle(self, *args, code: str | None = None, **options):
        if code and not LocalGovernment.objects.filter(pk=code).exists():
            raise CommandError(f"Kabupaten/kota {code} tidak terdaftar.")
        began = time.monotonic()
        cases = rebuild(code)
        self.stdout.write(
            f"Fakta statistik {code or 'semua kabupaten/kota'}: {cases} kasus, "
            f"{time.monotonic() - began:.1f} detik."
        )
