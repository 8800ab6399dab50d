"""`sikla send-reminders`: remind agencies of overdue follow-ups, once each. Run it daily (cron,
systemd timer); running it twice in a day sends nothing new."""

from django.core.management.base import BaseCommand

from sikla.planning.actions import send_overdue_reminders


class Command(BaseCommand):
    help = "Kirim pengingat tindak lanjut yang melewati batas waktu (sekali per tindak lanjut)."

    def handle(self, *args, **options):
        sent = send_overdue_reminders()
        self.stdout.write(f"Pengingat terkirim: {sent} tindak lanjut.")
