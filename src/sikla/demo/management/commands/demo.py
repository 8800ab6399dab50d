"""`sikla demo`: Kota Kupang with its agencies, task force, an open evaluation period, one user
per role, two years of data and evaluations, and fictitious child-protection cases. Idempotent.

Everything is written through the real actions, acting as the demo national admin, so the demo
also leaves a realistic audit trail.
"""

import os
import secrets
from datetime import date

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from sikla.accounts.actions import create_user, set_password
from sikla.accounts.models import Role, User
from sikla.collection.actions import open_period
from sikla.collection.demo import load_demo_collection
from sikla.dashboards.demo_profile import load_demo_profile
from sikla.evaluation.demo import load_demo_evaluations
from sikla.indicators.models import CatalogVersion
from sikla.organisations import actions
from sikla.organisations.models import AgencyKind, LocalGovernment, MemberRole
from sikla.participation.demo import load_demo_participation
from sikla.planning.demo_meetings import load_demo_meetings
from sikla.planning.demo_plan import load_demo_plan
from sikla.protection.demo import load_demo_cases
from sikla.regions.models import Region
from sikla.villages.demo import load_demo_villages

KUPANG = "53.71"
DEMO_PERIOD = 2027  # evaluation year; its data year is 2026

AGENCIES = [
    # abbreviation, name, kind, cluster coordinated (or None)
    ("DP3A", "Dinas Pemberdayaan Perempuan dan Perlindungan Anak", AgencyKind.LOCAL_AGENCY, 2),
    ("Bappeda", "Badan Perencanaan Pembangunan Daerah", AgencyKind.LOCAL_AGENCY, 0),
    ("Disdukcapil", "Dinas Kependudukan dan Pencatatan Sipil", AgencyKind.LOCAL_AGENCY, 1),
    ("Dinkes", "Dinas Kesehatan", AgencyKind.LOCAL_AGENCY, 3),
    ("Disdik", "Dinas Pendidikan dan Kebudayaan", AgencyKind.LOCAL_AGENCY, 4),
    ("Dinsos", "Dinas Sosial", AgencyKind.LOCAL_AGENCY, 5),
    ("DLH", "Dinas Lingkungan Hidup dan Kebersihan", AgencyKind.LOCAL_AGENCY, None),
    ("PUPR", "Dinas Pekerjaan Umum dan Penataan Ruang", AgencyKind.LOCAL_AGENCY, None),
    ("Kominfo", "Dinas Komunikasi dan Informatika", AgencyKind.LOCAL_AGENCY, None),
    ("Satpol PP", "Satuan Polisi Pamong Praja", AgencyKind.LOCAL_AGENCY, None),
    ("UPTD PPA", "UPTD Perlindungan Perempuan dan Anak", AgencyKind.LOCAL_AGENCY, None),
    ("Polresta", "Kepolisian Resor Kota Kupang Kota", AgencyKind.VERTICAL_BODY, None),
    ("Kemenag", "Kantor Kementerian Agama Kota Kupang", AgencyKind.VERTICAL_BODY, None),
    ("PKK", "Tim Penggerak PKK Kota Kupang", AgencyKind.COMMUNITY, None),
    ("Forum Anak", "Forum Anak Kota Kupang", AgencyKind.CHILD_FORUM, None),
    ("Bank NTT", "PT Bank Pembangunan Daerah NTT (program CSR)", AgencyKind.BUSINESS, None),
    ("Pos Kupang", "Harian Pos Kupang", AgencyKind.MEDIA, None),
]

# username, full name, role, scope, agency abbreviation
USERS = [
    ("admin", "Admin Nasional SIKLA", Role.NATIONAL_ADMIN, "", None),
    ("evaluator.nasional", "Evaluator KemenPPPA", Role.NATIONAL_EVALUATOR, "", None),
    ("evaluator.ntt", "Evaluator Provinsi NTT", Role.PROVINCIAL_EVALUATOR, "53", None),
    ("sekretariat.kupang", "Sekretariat Gugus Tugas Kota Kupang", Role.SECRETARIAT, KUPANG, None),
    ("ketua.kupang", "Ketua Gugus Tugas Kota Kupang", Role.TASK_FORCE_CHAIR, KUPANG, None),
    ("operator.dinkes", "Operator Dinas Kesehatan", Role.AGENCY_OPERATOR, KUPANG, "Dinkes"),
    ("pendamping.kupang", "Pendamping Kasus UPTD PPA", Role.CASE_WORKER, KUPANG, None),
    ("pendamping2.kupang", "Pendamping Kasus UPTD PPA (2)", Role.CASE_WORKER, KUPANG, None),
    ("supervisor.kupang", "Supervisor UPTD PPA", Role.CASE_SUPERVISOR, KUPANG, None),
    ("kecamatan.oebobo", "Petugas Kecamatan Oebobo", Role.VILLAGE_OFFICER, "53.71.04", None),
    ("pemantau.kupang", "Pemantau Kota Kupang", Role.VIEWER, KUPANG, None),
]


class Command(BaseCommand):
    help = "Muat data contoh Kota Kupang (idempoten) dan cetak akun demo."

    def add_arguments(self, parser):
        parser.add_argument(
            "--password",
            help="Kata sandi semua akun demo (atau variabel SIKLA_DEMO_PASSWORD). "
            "Tanpa keduanya, akun baru mendapat kata sandi acak yang dicetak sekali.",
        )

    def handle(self, *args, password: str | None, **options):
        password = password or os.environ.get("SIKLA_DEMO_PASSWORD") or None
        if not Region.objects.filter(code=KUPANG).exists():
            call_command("import-regions", stdout=self.stdout)
        if not CatalogVersion.objects.filter(is_active=True).exists():
            call_command("load-catalog", stdout=self.stdout)
        generated = password or secrets.token_urlsafe(9)
        try:
            with transaction.atomic():
                report = self._load(password, generated)
        except Exception as exc:
            raise CommandError(f"Data demo gagal dimuat: {exc}") from exc
        self.stdout.write(self.style.SUCCESS("Data demo Kota Kupang siap."))
        self.stdout.write("\nAkun demo (peran — cakupan):")
        for username, role_label, scope, pw in report:
            shown = pw if pw else "(kata sandi tidak diubah)"
            self.stdout.write(f"  {username:<20} {shown:<16} {role_label} — {scope or 'nasional'}")
        if settings.SECOND_FACTOR_REQUIRED:
            self.stdout.write(
                "\nAdmin nasional, sekretariat, pendamping dan supervisor kasus mengaktifkan "
                "verifikasi dua langkah (aplikasi autentikator di ponsel) saat pertama kali masuk."
            )

    def _load(self, password: str | None, generated: str):
        admin = User.objects.filter(username="admin").first()
        report = []
        if admin is None:
            admin = create_user(
                actor=None,
                username="admin",
                full_name=USERS[0][1],
                role=Role.NATIONAL_ADMIN,
                scope="",
                password=generated,
            )
            report.append(("admin", admin.get_role_display(), "", generated))
        elif password:
            set_password(admin, actor=None, password=password)
            report.append(("admin", admin.get_role_display(), "", password))
        else:
            report.append(("admin", admin.get_role_display(), "", None))

        lg = LocalGovernment.objects.filter(region_id=KUPANG).first()
        if lg is None:
            lg = actions.register_local_government(
                actor=admin,
                region=Region.objects.get(code=KUPANG),
                head_title="Wali Kota",
                head_name="dr. Christian Widodo",
                address="Jl. S.K. Lerik, Kelapa Lima, Kota Kupang, Nusa Tenggara Timur",
                phone="(0380) 826 111",
            )
        agencies = {a.abbreviation: a for a in lg.agencies.all()}
        for abbreviation, name, kind, _cluster in AGENCIES:
            if abbreviation not in agencies:
                agencies[abbreviation] = actions.create_agency(
                    actor=admin,
                    local_government=lg,
                    kind=kind,
                    name=name,
                    abbreviation=abbreviation,
                )
        if not lg.task_forces.filter(is_active=True).exists():
            task_force = actions.create_task_force(
                actor=admin,
                local_government=lg,
                decree_number="188.45/KEP/DEMO/2025",
                decree_date=date(2025, 3, 3),
                chair_name="Kepala Bappeda Kota Kupang",
                chair_position="Kepala Badan Perencanaan Pembangunan Daerah",
                secretariat_agency=agencies["DP3A"],
            )
            actions.add_task_force_member(
                task_force, actor=admin, agency=agencies["Bappeda"], role=MemberRole.CHAIR
            )
            actions.add_task_force_member(
                task_force, actor=admin, agency=agencies["DP3A"], role=MemberRole.SECRETARY
            )
            for abbreviation, _name, _kind, cluster in AGENCIES:
                if cluster is not None:
                    actions.add_task_force_member(
                        task_force,
                        actor=admin,
                        agency=agencies[abbreviation],
                        role=MemberRole.CLUSTER_COORDINATOR,
                        cluster=cluster,
                    )
                actions.add_task_force_member(
                    task_force, actor=admin, agency=agencies[abbreviation], role=MemberRole.MEMBER
                )

        if not lg.periods.filter(year=DEMO_PERIOD).exists():
            open_period(
                actor=admin,
                local_government=lg,
                year=DEMO_PERIOD,
                input_deadline=date(DEMO_PERIOD, 3, 31),
                review_deadline=date(DEMO_PERIOD, 4, 30),
            )

        for username, full_name, role, scope, agency in USERS[1:]:
            user = User.objects.filter(username=username).first()
            if user is None:
                user = create_user(
                    actor=admin,
                    username=username,
                    full_name=full_name,
                    role=role,
                    scope=scope,
                    agency=agencies.get(agency) if agency else None,
                    password=generated,
                )
                shown = generated
            elif password:
                set_password(user, actor=admin, password=password)
                shown = password
            else:
                shown = None
            report.append((username, user.get_role_display(), scope, shown))

        load_demo_collection(
            lg=lg,
            admin=admin,
            secretariat=User.objects.get(username="sekretariat.kupang"),
            operators=list(User.objects.filter(role=Role.AGENCY_OPERATOR, scope=KUPANG)),
            years=(DEMO_PERIOD - 1, DEMO_PERIOD),
        )
        load_demo_evaluations(
            lg=lg,
            admin=admin,
            secretariat=User.objects.get(username="sekretariat.kupang"),
            province=User.objects.get(username="evaluator.ntt"),
            ministry=User.objects.get(username="evaluator.nasional"),
        )
        load_demo_plan(
            lg=lg,
            admin=admin,
            secretariat=User.objects.get(username="sekretariat.kupang"),
            operators=list(User.objects.filter(role=Role.AGENCY_OPERATOR, scope=KUPANG)),
        )
        load_demo_meetings(
            lg=lg,
            secretariat=User.objects.get(username="sekretariat.kupang"),
            operators=list(User.objects.filter(role=Role.AGENCY_OPERATOR, scope=KUPANG)),
        )
        load_demo_participation(
            lg=lg, admin=admin, secretariat=User.objects.get(username="sekretariat.kupang")
        )
        load_demo_villages(
            lg=lg, admin=admin, secretariat=User.objects.get(username="sekretariat.kupang")
        )
        load_demo_profile(lg=lg, secretariat=User.objects.get(username="sekretariat.kupang"))
        load_demo_cases(
            lg=lg,
            worker=User.objects.get(username="pendamping.kupang"),
            other_worker=User.objects.get(username="pendamping2.kupang"),
            supervisor=User.objects.get(username="supervisor.kupang"),
        )
        return report
