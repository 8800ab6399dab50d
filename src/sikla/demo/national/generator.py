# ruff: noqa: S608  -- every statement here is built from our own constants and model metadata,
# never from input; the one value from outside (the time zone name) is checked before use.
"""The run: its refusal and plan, the generator's own steps (calendar, local governments, users,
the foreign-key check), its report, and the accounts' password."""

from __future__ import annotations

import os
import re
import secrets
import time
import uuid
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, models, transaction
from django.db.models.fields import AutoFieldMixin
from django.utils import timezone

from sikla.accounts.models import Role, User
from sikla.collection.models import DataValue, Period
from sikla.core import workdays
from sikla.evaluation.models import Evaluation
from sikla.organisations.models import Agency, LocalGovernment
from sikla.protection.models import (
    Case,
    Complaint,
)
from sikla.regions.models import Region

from .collection import CollectionSteps
from .evaluations import EvaluationSteps
from .protection import ProtectionSteps
from .sql import literal, stable_share, zone_sql
from .volumes import AGENCIES, CASES, LARGE_CASES, TARGET, TARGET_CASES, YEARS


class Refused(Exception):
    """The database is not one this generator may fill; the message says why (Indonesian)."""


# --- the run --------------------------------------------------------------------------------------


@dataclass
class Report:
    rows: Counter = field(default_factory=Counter)  # model label → rows written
    seconds: dict[str, float] = field(default_factory=dict)  # step → seconds
    target: str = ""
    target_name: str = ""
    users: list[str] = field(default_factory=list)
    fast_path: bool = False


def refusal() -> str | None:
    """Why this database may not be filled, or None. It must be PostgreSQL and hold no real
    data: synthetic rows mixed into real ones could never be told apart again."""
    if connection.vendor != "postgresql":
        return (
            f"generate-national memerlukan PostgreSQL; basis data ini {connection.vendor}. "
            "Atur DATABASE_URL ke basis data PostgreSQL yang baru dimigrasi."
        )
    found = [
        f"{n:,} {label}".replace(",", ".")
        for label, n in (
            ("kasus", Case.objects.count()),
            ("pengaduan", Complaint.objects.count()),
            ("nilai data", DataValue.objects.count()),
            ("evaluasi", Evaluation.objects.count()),
            ("pengguna", User.objects.count()),
            ("pemerintah daerah", LocalGovernment.objects.count()),
            ("periode", Period.objects.count()),
        )
        if n
    ]
    if found:
        return (
            f"Basis data ini sudah berisi data: {', '.join(found)}. generate-national hanya "
            "mengisi basis data baru (hasil migrate, berisi wilayah dan katalog saja), agar data "
            "sintetis tidak pernah bercampur dengan data nyata. Buat basis data baru untuk uji beban."
        )
    return None


def plan(scale: float) -> str:
    """What a run at this scale would make, in Indonesian (shown without --yes)."""
    years = _years(scale)
    first, last = _evaluation_years(timezone.localdate(), years)
    fmt = _fmt
    return (
        f"generate-national akan mengisi basis data '{connection.settings_dict['NAME']}' dengan "
        f"data SINTETIS skala nasional (skala {scale:g}):\n"
        f"  - semua kabupaten/kota aktif (514 pada daftar wilayah lengkap), masing-masing "
        f"{len(AGENCIES)} perangkat daerah/mitra\n"
        f"  - periode evaluasi {years} tahun ({first}–{last}) dengan nilai data per tingkat "
        "indikator dan evaluasi beserta tahapannya\n"
        f"  - ±{fmt(round(CASES * scale))} kasus (Kab. Aceh Utara 11.08: "
        f"{fmt(round(TARGET_CASES * scale))}), ±{fmt(round(CASES * scale * 1.24))} anak, layanan, "
        "rujukan, pengaduan, log akses, dan fakta statistik\n"
        "  - akun uji: sekretariat.1108, pendamping.1108, supervisor.1108, evaluator.nasional, "
        "evaluator.prov11\n"
        "Semua nama dan teks fiktif. Jalankan lagi dengan --yes untuk mulai."
    )


def _fmt(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def _years(scale: float) -> int:
    return max(2, min(YEARS, round(YEARS * scale)))


def _evaluation_years(today: date, years: int) -> tuple[int, int]:
    """The open evaluation year is next year's from July on (its data year is this one)."""
    last = today.year + 1 if today.month >= 7 else today.year
    return last - years + 1, last


class Generator(CollectionSteps, ProtectionSteps, EvaluationSteps):
    def __init__(self, *, scale: float, password: str, progress=None):
        self.scale = scale
        self.password = password
        self.progress = progress or (lambda message: None)
        self.report = Report()
        self.now = timezone.now().replace(microsecond=0)
        self.today = timezone.localdate(self.now)
        self.zone = settings.TIME_ZONE
        if not re.fullmatch(r"[A-Za-z0-9_+/-]+", self.zone):
            raise ImproperlyConfigured("TIME_ZONE is not a zone name")
        self.tz = ZoneInfo(self.zone)
        self.years = _years(scale)
        self.first_year, self.last_year = _evaluation_years(self.today, self.years)
        self.cursor = None
        self.temp: list[str] = []
        self.written: list[type[models.Model]] = []

    # -- plumbing -----------------------------------------------------------------------------

    @contextmanager
    def step(self, label: str):
        started = time.perf_counter()
        self.progress(f"{label} …")
        yield
        self.report.seconds[label] = time.perf_counter() - started

    def sql(self, statement: str, params=None) -> int:
        self.cursor.execute(statement, params)
        return self.cursor.rowcount

    def temp_table(self, name: str, definition: str, rows=None) -> None:
        """A staging table of this transaction (no WAL, no index): `AS SELECT …`, or columns
        "(a int, b text)" filled from `rows` by COPY; analysed for the planner."""
        self.sql(f"CREATE TEMP TABLE {name} {definition}")
        if rows is not None:
            cols = ", ".join(c.split()[0] for c in definition.strip("()").split(", "))
            with self.cursor.cursor.copy(f"COPY {name} ({cols}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        self.sql(f"ANALYZE {name}")
        self.temp.append(name)

    def insert(self, model, values: dict[str, str], source: str) -> int:
        """INSERT INTO the model's table SELECT `values` (field → SQL expression) `source`.

        Every other column gets what Django would give it: now() for auto_now(_add), a random
        UUID for `uid`, else the field's default. A field added to the model later therefore
        needs no change here, unless it has no default (then this says which)."""
        meta = model._meta
        known = {f.attname for f in meta.concrete_fields} | {f.name for f in meta.concrete_fields}
        unknown = set(values) - known
        if unknown:
            raise ImproperlyConfigured(f"{meta.label} has no field {sorted(unknown)}")
        cols, exprs, params = [], [], []
        for f in meta.concrete_fields:
            expr = values.get(f.attname, values.get(f.name))
            if expr is None:
                if isinstance(f, AutoFieldMixin):
                    continue
                if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                    expr = literal(self.now)
                elif f.default is uuid.uuid4:
                    expr = "gen_random_uuid()"
                else:
                    default = f.get_default()
                    if default is None:
                        if f.null:
                            continue
                        raise ImproperlyConfigured(f"{meta.label}.{f.name} needs a value")
                    expr = "%s"
                    params.append(f.get_db_prep_save(default, connection))
            cols.append(connection.ops.quote_name(f.column))
            exprs.append(expr)
        n = self.sql(
            f"INSERT INTO {meta.db_table} ({', '.join(cols)}) SELECT {', '.join(exprs)} {source}",
            params or None,
        )
        self.report.rows[meta.label] += n
        if model not in self.written:
            self.written.append(model)
        return n

    def local_day(self, column: str, lg: str | None = None) -> str:
        """The local date of a moment: in the zone of the local government in column `lg`
        (`core.localtime`), else the server's."""
        zone = zone_sql(lg) if lg else f"'{self.zone}'"
        return f"({column} AT TIME ZONE {zone})::date"

    def _calendar(self) -> None:
        """Working days as `core.workdays` counts them (weekends, national holidays and joint
        leave days), numbered: `gen_work` (n → day) and `gen_cal` (day → n of the first working
        day on or after it), so a due date is two index lookups per case."""
        first = min(b[4] for b in self.blocks).date() - timedelta(days=2)
        last = max(b[5] for b in self.blocks).date() + timedelta(days=60)
        known = {}
        for year in range(first.year, last.year + 1):
            known |= workdays.national(year)
        work, cal, day, n = [], [], last, 0
        days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
        numbered = {}
        for day in days:
            if day.weekday() < 5 and day not in known:
                n += 1
                numbered[day] = n
                work.append((n, day))
        following = None
        for day in reversed(days):
            following = numbered.get(day, following)
            if following is not None:
                cal.append((day, following))
        self.temp_table("gen_work", "(n int, d date)", work)
        self.temp_table("gen_cal", "(d date, next_n int)", cal)
        self.sql("CREATE UNIQUE INDEX ON gen_work (n)")
        self.sql("CREATE UNIQUE INDEX ON gen_cal (d)")

    # -- the whole run ------------------------------------------------------------------------

    def run(self) -> Report:
        with transaction.atomic(), connection.cursor() as cursor:
            self.cursor = cursor
            reason = refusal()
            if reason:
                raise Refused(reason)
            self.report.fast_path = self._session()
            with self.step("pemerintah daerah dan perangkat daerah"):
                self._local_governments()
            with self.step("pengguna"):
                self._users()
            with self.step("periode dan pengisian indikator"):
                self._periods()
            with self.step("nilai data"):
                self._values()
            with self.step("pengaduan dan kasus"):
                self._cases()
            with self.step("anak (identitas terenkripsi, NIK, indeks nama)"):
                self._children()
            with self.step("layanan, rujukan, persetujuan wali, log akses"):
                self._services()
            with self.step("fakta statistik"):
                self._facts()
            with self.step("nilai indikator 21–24 dari fakta"):
                self._fed_values()
            with self.step("evaluasi, jawaban, verifikasi"):
                self._evaluations()
            with self.step("pemeriksaan kunci asing dan urutan id"):
                self._finish()
        # Fresh statistics for the planner; outside a transaction also the visibility map and
        # hint bits (VACUUM), so the benchmark's first reads do not pay for them.
        analyze = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
        with self.step(f"statistik PostgreSQL ({analyze})"), connection.cursor() as cursor:
            for model in self.written:
                cursor.execute(f"{analyze} {model._meta.db_table}")
        return self.report

    def _session(self) -> bool:
        """Settings of this transaction only; True when the per-row FK triggers are skipped."""
        self.sql("SET LOCAL work_mem = '256MB'")
        self.sql("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        superuser = bool(self.cursor.fetchone()[0])
        if superuser:
            self.sql("SET LOCAL session_replication_role = replica")
        return superuser

    # -- local governments, agencies, users --------------------------------------------------

    def _local_governments(self) -> None:
        regencies = list(
            Region.objects.filter(level="regency", is_active=True)
            .order_by("code")
            .values_list("code", "name", "population")
        )
        codes = [c for c, _n, _p in regencies]
        self.target = TARGET if TARGET in codes else max(regencies, key=lambda r: r[2] or 0)[0]
        self.report.target = self.target
        self.report.target_name = next(n for c, n, _p in regencies if c == self.target)
        counts = self._case_counts(regencies)
        villages = Counter(
            code[:5]
            for code in Region.objects.filter(level="village", is_active=True).values_list(
                "code", flat=True
            )
        )
        self.temp_table(
            "gen_lg",
            "(lg text, i int, name text, nvill int, cases int, next_lg text, "
            "worker_id bigint, worker2_id bigint, supervisor_id bigint)",
            (
                (code, i, name, villages[code], counts[code], codes[(i + 1) % len(codes)])
                + (None, None, None)  # the workers, once they exist
                for i, (code, name, _p) in enumerate(regencies)
            ),
        )
        self.insert(
            LocalGovernment,
            {
                "region_id": "lg",
                "head_title": "CASE WHEN left(name, 5) = 'Kota ' THEN 'Wali Kota' ELSE 'Bupati' END",
                "address": "'Kantor ' || name || ' (alamat sintetis)'",
            },
            "FROM gen_lg",
        )
        self.temp_table(
            "gen_agency_def",
            "(pos int, abbr text, name text, kind text)",
            ((i, a, n, str(k)) for i, (a, n, k) in enumerate(AGENCIES)),
        )
        self.insert(
            Agency,
            {
                "local_government_id": "l.lg",
                "kind": "a.kind",
                "name": "a.name || ' ' || l.name",
                "abbreviation": "a.abbr",
            },
            "FROM gen_lg l CROSS JOIN gen_agency_def a",
        )

    def _case_counts(self, regencies) -> dict[str, int]:
        """50 000 for the target, 30–45 000 for the seven most populous others, the rest of the
        million shared by population (a square-root-ish weight, with noise)."""
        counts = {self.target: round(TARGET_CASES * self.scale)}
        others = sorted(
            (r for r in regencies if r[0] != self.target),
            key=lambda r: (-(r[2] or 0), stable_share(r[0])),
        )
        for (code, _n, _p), n in zip(others, LARGE_CASES, strict=False):
            counts[code] = round(n * self.scale)
        rest = others[len(LARGE_CASES) :]
        remainder = max(0, round(CASES * self.scale) - sum(counts.values()))
        weights = [((p or 400_000) ** 0.6) * (0.5 + stable_share(code)) for code, _n, p in rest]
        total = sum(weights) or 1
        exact = [remainder * w / total for w in weights]
        shares = [int(x) for x in exact]
        by_fraction = sorted(range(len(rest)), key=lambda i: shares[i] - exact[i])
        for i in by_fraction[: remainder - sum(shares)]:
            shares[i] += 1
        counts.update({code: n for (code, _n, _p), n in zip(rest, shares, strict=True)})
        return counts

    def _users(self) -> None:
        """The five benchmark accounts through the real action (validated, hashed, audited);
        one case worker per other unit (and a second one in the target's) with an unusable
        password, so that every case has its worker and every access-log row its reader."""
        from sikla.accounts.actions import create_user

        digits = self.target.replace(".", "")
        province = self.target[:2]
        accounts = [
            (f"sekretariat.{digits}", "Sekretariat Gugus Tugas (sintetis)", Role.SECRETARIAT, self.target),
            (f"pendamping.{digits}", "Pendamping Kasus (sintetis)", Role.CASE_WORKER, self.target),
            (f"supervisor.{digits}", "Supervisor UPTD PPA (sintetis)", Role.CASE_SUPERVISOR, self.target),
            ("evaluator.nasional", "Evaluator Nasional (sintetis)", Role.NATIONAL_EVALUATOR, ""),
            (f"evaluator.prov{province}", "Evaluator Provinsi (sintetis)", Role.PROVINCIAL_EVALUATOR, province),
        ]  # fmt: skip
        self.users = {}
        for username, full_name, role, scope in accounts:
            self.users[role] = create_user(
                actor=None,
                username=username,
                full_name=full_name,
                role=role,
                scope=scope,
                password=self.password,
            )
            self.report.users.append(username)
        self.report.rows[User._meta.label] += len(accounts)
        unusable = f"'!' || md5(l.lg || '{secrets.token_hex(8)}')"
        self.insert(
            User,
            {
                "username": "'pendamping.' || replace(l.lg, '.', '') || w.suffix",
                "full_name": "'Pendamping Kasus ' || l.name || ' (sintetis)'",
                "role": f"'{Role.CASE_WORKER}'",
                "scope": "l.lg",
                "password": unusable,
            },
            f"FROM gen_lg l CROSS JOIN (VALUES (''), ('2')) w(suffix) "
            f"WHERE (w.suffix = '' AND l.lg <> '{self.target}') "
            f"OR (w.suffix = '2' AND l.lg = '{self.target}')",
        )
        self.sql(
            "UPDATE gen_lg l SET worker_id = w.id FROM accounts_user w "
            "WHERE w.username = 'pendamping.' || replace(l.lg, '.', '')"
        )
        self.sql(
            "UPDATE gen_lg l SET worker2_id = w.id, supervisor_id = %s FROM accounts_user w "
            "WHERE l.lg = %s AND w.username = %s",
            [self.users[Role.CASE_SUPERVISOR].pk, self.target, f"pendamping.{digits}2"],
        )
        self.sql("ANALYZE gen_lg")

    # -- collection ------------------------------------------------------------------------------

    def _finish(self) -> None:
        if self.report.fast_path:
            self._check_foreign_keys()
            self.sql("SET LOCAL session_replication_role = origin")
        from django.core.management.color import no_style

        for statement in connection.ops.sequence_reset_sql(no_style(), self.written):
            self.sql(statement)
        for name in self.temp:
            self.sql(f"DROP TABLE IF EXISTS {name}")
        self.sql("SET LOCAL work_mem TO DEFAULT")

    def _check_foreign_keys(self) -> None:
        """What the skipped per-row triggers would have checked, once per key, set-based."""
        qn = connection.ops.quote_name
        broken = []
        for model in self.written:
            for f in model._meta.concrete_fields:
                if not f.is_relation or not f.db_constraint:
                    continue
                target = f.target_field
                self.sql(
                    f"SELECT count(*) FROM {qn(model._meta.db_table)} x "
                    f"WHERE x.{qn(f.column)} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "
                    f"{qn(target.model._meta.db_table)} y WHERE y.{qn(target.column)} = "
                    f"x.{qn(f.column)})"
                )
                missing = self.cursor.fetchone()[0]
                if missing:
                    broken.append(f"{model._meta.label}.{f.name}: {missing}")
        if broken:
            raise RuntimeError(f"foreign keys without their row: {broken}")


def password_file():
    return settings.DATA_DIR / "national_password"


def write_password(password: str):
    """Where the benchmark finds the accounts' password: readable by this user only."""
    path = password_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(password)
    return path


def check_password(password: str) -> None:
    """The accounts' password must pass the validators; checked before anything is written."""
    validate_password(password, User(username="sekretariat.1108"))


def generate(*, scale: float = 1.0, password: str, progress=None) -> Report:
    """Fill this (fresh, PostgreSQL) database; see the module docstring. Raises Refused."""
    return Generator(scale=scale, password=password, progress=progress).run()
