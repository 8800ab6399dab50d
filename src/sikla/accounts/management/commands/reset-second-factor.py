from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from sikla.accounts.actions import reset_second_factor
from sikla.accounts.models import User


class Command(BaseCommand):
    help = (
        "Atur ulang verifikasi dua langkah seorang pengguna (ponsel hilang; mis. admin nasional "
        "satu-satunya): ia mengaktifkannya lagi saat masuk berikutnya."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--note", default="", help="Alasan, untuk riwayat perubahan")

    def handle(self, *args, username, note, **options):
        user = User.objects.filter(username__iexact=username).first()
        if user is None:
            raise CommandError(f"Pengguna '{username}' tidak ada.")
        try:
            count = reset_second_factor(user, actor=None, note=note)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Verifikasi dua langkah {user.username} diatur ulang ({count} perangkat dihapus)."
            )
        )
