from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from sikla.accounts.actions import create_user
from sikla.accounts.models import Role
from sikla.organisations.models import Agency


class Command(BaseCommand):
    help = "Buat pengguna dengan peran dan cakupan wilayah (untuk operator dan skrip)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument(
            "--scope", required=True, help='Kode wilayah: "" nasional, 53 provinsi, 53.71 kab/kota'
        )
        parser.add_argument("--agency", help="Singkatan perangkat daerah (operator)")
        parser.add_argument("--password", required=True)
        parser.add_argument("--name", default="", help="Nama lengkap")
        parser.add_argument("--email", default="")

    def handle(self, *args, username, role, scope, agency, password, name, email, **options):
        agency_obj = None
        if agency:
            agency_obj = Agency.objects.filter(
                local_government_id=scope[:5], abbreviation__iexact=agency
            ).first()
            if agency_obj is None:
                raise CommandError(f"Perangkat daerah '{agency}' tidak ada di {scope[:5]}.")
        try:
            user = create_user(
                actor=None,
                username=username,
                full_name=name or username,
                email=email,
                role=role,
                scope=scope,
                agency=agency_obj,
                password=password,
            )
        except ValidationError as exc:
            messages = (
                "; ".join(f"{field}: {' '.join(errs)}" for field, errs in exc.message_dict.items())
                if hasattr(exc, "error_dict")
                else " ".join(exc.messages)
            )
            raise CommandError(messages) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Pengguna {user.username} dibuat: {user.get_role_display()}, "
                f"cakupan {user.scope or 'nasional'}."
            )
        )
