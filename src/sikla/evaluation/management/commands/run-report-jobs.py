from django.core.management.base import BaseCommand

from sikla.evaluation import jobs


class Command(BaseCommand):
    help = "Buat laporan evaluasi yang masih antre (latar belakang)."

    def handle(self, *args, **options):
        done = jobs.run_queued()
        self.stdout.write(f"{done} laporan dibuat.")
