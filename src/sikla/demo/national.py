# ruff: noqa: S608  -- every statement here is built from our own constants and model metadata,
# never from input; the one value from outside (the time zone name) is checked before use.
"""`sikla generate-national`: national-size SYNTHETIC data for benchmarks, in minutes.

What it makes (scale 1): the 514 kab/kota with their agencies, ten evaluation years of periods and
submissions, data values at each indicator's own level and disaggregations, an evaluation per
period with its stages, answers, reviews and frozen stage results, and 1 M fictitious
child-protection cases skewed to one kab/kota (Kab. Aceh Utara 11.08: 50 000; seven other large
ones 30 000–45 000), with complaints, children, perpetrators, services, referrals, consents,
workers, the access log and the de-identified statistics facts. Plus the benchmark accounts.

Why it looks like this:

- The Kota Kupang demo writes through the actions: seconds for its 18 cases; a million cases
  that way would take days. Here every table is one or two set-based statements (`INSERT … SELECT` over
  `generate_series` and small staging tables) or a COPY, all in ONE transaction: a failure leaves
  the database as it was, and the refusal ("this database holds data") stays true.
- Randomness is a hash of the row's own key (`hashint8extended`), never `random()`: the same scale
  gives the same data on every run whatever plan PostgreSQL picks, and a child can be derived from
  its case without looking anything up.
- Ids are computed, not read back: a case's children are `case.id * 4 + j`, its services
  `case.id * 4 + j`, its linked complaint `case.id`, an evaluation the id of its period. Each table
  is then a single statement with no join back to find its parent; sequences are reset at the end.
- Django's foreign keys are deferred and checked row by row at commit: about 40 M checks here,
  3–4 minutes. When the database role may, the session runs as a replica
  (`session_replication_role`), which skips those per-row triggers, and every foreign key of the
  tables written is then checked once, set-based (an anti-join), before the commit.
- Identities are real Fernet tokens (pages decrypt them): a small pool of fictitious names and
  texts is encrypted once and reused; each child with a NIK gets its own (fictitious serial 9xxx,
  unique), hashed with `crypto.lookup_hash`; names get their blind-index rows (`ChildNameToken`).
- The statistics facts are written in SQL that follows `statistics.derive` line by line; the
  tests compare `counts` with `tabulate(extract(...))` on generated data. Indicators 21–24 take
  their values from those facts, as the cluster V feed would offer them.
- Evaluations are scored by the real engine (`evaluation.scoring`) in Python, from the generated
  answers and data, so every stored total equals what the pages recompute.

`--scale` multiplies the volumes (cases and all that hangs on them) and the years (ten at 1, never
fewer than two: a determined year and an open one); the kab/kota are always all of them. Not made:
evidence files, task forces, plans and meetings, case transitions and the audit trail of the rows
(the five accounts have theirs).
"""

from __future__ import annotations

import json
import os
import random
import re
import secrets
import threading
import time
import uuid
import zlib
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, models, transaction
from django.db.models.fields import AutoFieldMixin
from django.utils import timezone

from sikla.accounts.models import Role, User
from sikla.collection.grid import columns
from sikla.collection.models import DataValue, Period, Submission
from sikla.core import localtime, workdays
from sikla.evaluation import queries as evaluation_queries
from sikla.evaluation import scoring
from sikla.evaluation.models import Answer, Evaluation, Review, Stage, StageResult
from sikla.indicators.models import CatalogVersion, Question
from sikla.organisations.models import Agency, AgencyKind, LocalGovernment
from sikla.protection import crypto
from sikla.protection.actions import CODE_ALPHABET
from sikla.protection.models import (
    TYPE_BITS,
    TYPE_INDICATOR,
    AccessLog,
    Case,
    CaseFact,
    CaseItemFact,
    CaseType,
    Child,
    ChildNameToken,
    Complaint,
    GuardianConsent,
    Perpetrator,
    Referral,
    Service,
    VictimFact,
)
from sikla.regions.models import Region

# --- volumes at scale 1 ---------------------------------------------------------------------------

YEARS = 10
CASES = 1_000_000
TARGET = "11.08"  # Kab. Aceh Utara: the busiest unit, where the benchmark accounts work
TARGET_CASES = 50_000
LARGE_CASES = (45_000, 42_500, 40_000, 37_500, 35_000, 32_500, 30_000)
WORKER_SHARE = 0.4  # of the target's cases assigned to the benchmark case worker
CHILDREN = (("0", 0.08), ("1", 0.68), ("2", 0.16), ("3", 0.08))  # children per case: ≈1.24

# abbreviation, name, kind: every abbreviation the catalog names as a lead agency, and partners
AGENCIES = [
    ("DP3A", "Dinas Pemberdayaan Perempuan dan Perlindungan Anak", AgencyKind.LOCAL_AGENCY),
    ("Bappeda", "Badan Perencanaan Pembangunan Daerah", AgencyKind.LOCAL_AGENCY),
    ("Bagian Hukum", "Bagian Hukum Sekretariat Daerah", AgencyKind.LOCAL_AGENCY),
    ("Disdukcapil", "Dinas Kependudukan dan Pencatatan Sipil", AgencyKind.LOCAL_AGENCY),
    ("Dinkes", "Dinas Kesehatan", AgencyKind.LOCAL_AGENCY),
    ("Disdik", "Dinas Pendidikan", AgencyKind.LOCAL_AGENCY),
    ("Dinsos", "Dinas Sosial", AgencyKind.LOCAL_AGENCY),
    ("Disnaker", "Dinas Tenaga Kerja", AgencyKind.LOCAL_AGENCY),
    ("BPBD", "Badan Penanggulangan Bencana Daerah", AgencyKind.LOCAL_AGENCY),
    ("DLH", "Dinas Lingkungan Hidup", AgencyKind.LOCAL_AGENCY),
    ("PUPR", "Dinas Pekerjaan Umum dan Penataan Ruang", AgencyKind.LOCAL_AGENCY),
    ("Perkim", "Dinas Perumahan dan Kawasan Permukiman", AgencyKind.LOCAL_AGENCY),
    ("Kominfo", "Dinas Komunikasi dan Informatika", AgencyKind.LOCAL_AGENCY),
    ("Perpustakaan", "Dinas Perpustakaan dan Kearsipan", AgencyKind.LOCAL_AGENCY),
    ("Disparbud", "Dinas Pariwisata dan Kebudayaan", AgencyKind.LOCAL_AGENCY),
    ("Dispora", "Dinas Pemuda dan Olahraga", AgencyKind.LOCAL_AGENCY),
    ("Satpol PP", "Satuan Polisi Pamong Praja", AgencyKind.LOCAL_AGENCY),
    ("UPTD PPA", "UPTD Perlindungan Perempuan dan Anak", AgencyKind.LOCAL_AGENCY),
    ("Polres", "Kepolisian Resor", AgencyKind.VERTICAL_BODY),
    ("Kemenag", "Kantor Kementerian Agama", AgencyKind.VERTICAL_BODY),
    ("Bapas", "Balai Pemasyarakatan", AgencyKind.VERTICAL_BODY),
    ("PKK", "Tim Penggerak PKK", AgencyKind.COMMUNITY),
    ("Forum Anak", "Forum Anak Daerah", AgencyKind.CHILD_FORUM),
]

# fmt: off
FIRST_NAMES = [
    "Adi", "Agus", "Ayu", "Bima", "Bunga", "Cahya", "Citra", "Dewi", "Dian", "Dimas", "Eka",
    "Fajar", "Farhan", "Galih", "Gita", "Hana", "Hendra", "Ilham", "Indra", "Intan", "Joko",
    "Kartika", "Kirana", "Laras", "Lestari", "Mawar", "Melati", "Nanda", "Nur", "Omar", "Puspita",
    "Putri", "Rahma", "Rizki", "Sari", "Surya", "Teguh", "Wulan", "Yusuf", "Zahra",
]
FAMILY_NAMES = [
    "Anggraini", "Budiman", "Cahyono", "Darmawan", "Daulay", "Efendi", "Firmansyah", "Gunawan",
    "Harahap", "Hidayat", "Irawan", "Jayadi", "Keumala", "Kusuma", "Lubis", "Manurung", "Maulana",
    "Nasution", "Oktaviani", "Pohan", "Rahayu", "Ramadhan", "Saputra", "Setiawan", "Simanjuntak",
    "Siregar", "Sitompul", "Tanjung", "Utami", "Wibowo", "Wijaya", "Yulianti", "Zulkarnain",
    "Hasibuan", "Purba", "Sinaga", "Panjaitan", "Ginting", "Tarigan", "Nainggolan",
]
# fmt: on
# The last word of every name says it is made up; each is in a tenth of the names, as common as
# a frequent real name, so a search for the commonest word measures a realistic worst case.
MARKERS = [
    "Contoh",
    "Fiktif",
    "Rekaan",
    "Samaran",
    "Khayalan",
    "Sintetis",
    "Tiruan",
    "Karangan",
    "Anonim",
    "Ujicoba",
]  # fmt: skip

# Free texts, encrypted once each and reused: all plainly fictitious.
TEXTS = {
    "description": [
        f"Laporan sintetis {i} (fiktif): {what}"
        for i, what in enumerate(
            [
                "anak diduga dipukul oleh orang dewasa di rumahnya.",
                "anak sering tidak pulang dan terlihat ketakutan.",
                "anak diduga menjadi korban perundungan di sekolah.",
                "anak diduga dipekerjakan di warung hingga larut malam.",
                "anak diduga ditelantarkan orang tuanya.",
                "anak menerima pesan bernada ancaman di media sosial.",
                "anak diduga mengalami kekerasan seksual oleh orang yang dikenalnya.",
                "anak terlibat perkelahian dan kini berhadapan dengan hukum.",
            ]
        )
    ],
    "chronology": [f"Kronologi sintetis {i} (fiktif) disusun dari asesmen awal." for i in range(8)],
    "note": [f"Catatan layanan sintetis {i} (fiktif)." for i in range(6)],
    "closing": [f"Catatan penutupan sintetis {i} (fiktif)." for i in range(4)],
    "reason": [f"Alasan rujukan sintetis {i} (fiktif): perlu layanan lanjutan." for i in range(5)],
    "feedback": [f"Umpan balik lembaga tujuan sintetis {i} (fiktif)." for i in range(4)],
    "address": [f"Jl. Contoh Fiktif No. {i}" for i in range(1, 13)],
    "school": [f"Sekolah Contoh Fiktif {i}" for i in range(1, 9)],
    "reporter": [f"Pelapor Fiktif {i}" for i in range(1, 13)],
    "contact": [f"0812-0000-{i:04d} (fiktif)" for i in range(1, 13)],
    "perpetrator": [f"Terduga Fiktif {i}" for i in range(1, 9)],
    "unobtainable": ["Wali tidak dapat dihubungi (fiktif)."],
}

# Distributions: (value, weight). Shaped after SIMFONI-PPA's national picture, not measured.
# fmt: off
INSTITUTIONS = ["RSUD (visum dan pemulihan)", "Dinas Sosial (rehabilitasi sosial)",
                "Unit PPA Kepolisian Resor", "Lembaga Bantuan Hukum", "UPTD PPA Provinsi",
                "Puskesmas"]
CHANNELS = [("web", 0.15), ("hotline", 0.25), ("walk_in", 0.2), ("school", 0.1),
            ("police", 0.15), ("agency", 0.1), ("child_forum", 0.02), ("outreach", 0.03)]
RISKS = [("", 0.2), ("low", 0.35), ("medium", 0.3), ("high", 0.15)]
PLACES = [("household", 0.45), ("school", 0.15), ("public", 0.15), ("online", 0.1),
          ("workplace", 0.05), ("other", 0.1)]
RELATIONS = [("parent", 0.35), ("family", 0.15), ("neighbour", 0.15), ("teacher", 0.15),
             ("self", 0.05), ("official", 0.15)]
PERPETRATORS = [("parent", 0.25), ("family", 0.2), ("neighbour", 0.15), ("friend", 0.15),
                ("teacher", 0.05), ("employer", 0.03), ("other", 0.07), ("unknown", 0.1)]
GUARDIANS = [("parent", 0.8), ("family", 0.12), ("guardian", 0.05), ("institution", 0.03)]
DISMISSALS = [("spam", 0.3), ("duplicate", 0.3), ("not_a_child", 0.2), ("other_region", 0.2)]
OUTCOMES = [("resolved", 0.45), ("reintegrated", 0.2), ("referred", 0.12), ("withdrawn", 0.08),
            ("transferred", 0.05), ("unreachable", 0.05), ("other", 0.05)]
TYPES = [("physical", 0.24), ("sexual", 0.22), ("psychological", 0.16), ("neglect", 0.10),
         ("bullying", 0.06), ("conflict_with_law", 0.05), ("economic_exploitation", 0.03),
         ("child_labour", 0.03), ("trafficking", 0.02), ("sexual_exploitation", 0.02),
         ("pornography", 0.02), ("drugs", 0.01), ("emergency", 0.01), ("disability", 0.01),
         ("hiv", 0.005), ("minority", 0.005), ("stigma", 0.005), ("terrorism", 0.0025),
         ("other", 0.0025)]
SECOND_TYPES = [("psychological", 0.5), ("physical", 0.2), ("bullying", 0.15), ("neglect", 0.15)]
FIRST_SERVICES = [("complaint", 0.4), ("outreach", 0.3), ("case_management", 0.3)]
LATER_SERVICES = [("psychological", 0.3), ("legal", 0.15), ("health", 0.15),
                  ("case_management", 0.1), ("mediation", 0.08), ("rehabilitation", 0.07),
                  ("shelter", 0.05), ("reintegration", 0.05), ("religious", 0.03),
                  ("repatriation", 0.02)]
# fmt: on
INSTITUTION_ARRAY = "{" + ",".join(f'"{i}"' for i in INSTITUTIONS) + "}"
# which cluster V indicators take their values from the facts, with their type mask
FED_MASKS = {
    number: sum(1 << TYPE_BITS.index(t) for t, n in TYPE_INDICATOR.items() if n == number)
    for number in sorted(set(TYPE_INDICATOR.values()))
}
STAGES = [s.value for s in Stage]
VERIFYING = ["administrative", "recheck", "field", "final"]


# --- SQL helpers -----------------------------------------------------------------------------------


def zone_sql(lg: str) -> str:
    """The time zone of the local government whose code is in column `lg`, as
    `core.localtime.province_zone` gives it (the generated ones choose no other)."""
    wita = ", ".join(f"'{p}'" for p in sorted(localtime.WITA_PROVINCES))
    wit = ", ".join(f"'{p}'" for p in sorted(localtime.WIT_PROVINCES))
    return (
        f"(CASE WHEN left({lg}, 2) IN ({wita}) THEN '{localtime.WITA}' "
        f"WHEN left({lg}, 2) IN ({wit}) THEN '{localtime.WIT}' ELSE '{localtime.WIB}' END)"
    )


def u(key: str, salt: int) -> str:
    """A uniform number in [0, 1) from a row's key: the same row gets it on every run."""
    return (
        f"((hashint8extended(({key})::bigint, {salt}) & 2147483647)::float8 / 2147483648::float8)"
    )


def pick(key: str, salt: int, choices) -> str:
    """One of `choices` [(value, weight)] by the row's key, as an SQL CASE."""
    total = sum(w for _v, w in choices)
    x, acc, whens = u(key, salt), 0.0, []
    for value, weight in choices[:-1]:
        acc += weight / total
        whens.append(f"WHEN {x} < {acc:.6f} THEN '{value}'")
    return f"(CASE {' '.join(whens)} ELSE '{choices[-1][0]}' END)"


def literal(moment: datetime) -> str:
    return f"'{moment.astimezone(UTC).isoformat()}'::timestamptz"


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


def _h(text: str) -> float:
    """A stable number in [0, 1) for a text (Python's hash() changes per process)."""
    return zlib.crc32(text.encode()) / 2**32


class Generator:
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
            (r for r in regencies if r[0] != self.target), key=lambda r: (-(r[2] or 0), _h(r[0]))
        )
        for (code, _n, _p), n in zip(others, LARGE_CASES, strict=False):
            counts[code] = round(n * self.scale)
        rest = others[len(LARGE_CASES) :]
        remainder = max(0, round(CASES * self.scale) - sum(counts.values()))
        weights = [((p or 400_000) ** 0.6) * (0.5 + _h(code)) for code, _n, p in rest]
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

    def _periods(self) -> None:
        self.catalog = CatalogVersion.objects.get(is_active=True)
        self.indicators = list(self.catalog.indicators.order_by("number"))
        k = len(self.indicators)
        years = range(self.first_year, self.last_year + 1)
        self.temp_table(
            "gen_year",
            "(y int, yi int, status text, determined bool, t timestamptz)",
            (
                (y, yi, "locked", True, datetime(y, 4, 20, 10, tzinfo=self.tz))
                if self._determined(y)
                else (y, yi, "open", False, self.now)
                for yi, y in enumerate(years)
            ),
        )
        self.insert(
            Period,
            {
                "id": f"l.i * {self.years} + g.yi + 1",
                "local_government_id": "l.lg",
                "year": "g.y",
                "catalog_id": str(self.catalog.pk),
                "status": "g.status",
                "input_deadline": "make_date(g.y, 3, 31)",
                "review_deadline": "make_date(g.y, 4, 30)",
            },
            "FROM gen_lg l CROSS JOIN gen_year g",
        )
        # Lead agency: the catalog's first listed agency the local government has (as
        # collection.actions.default_assignment); the others support.
        self.temp_table(
            "gen_lead",
            "(indicator_id int, pos int, abbr text)",
            (
                (ind.pk, pos, abbr.lower())
                for ind in self.indicators
                for pos, abbr in enumerate(ind.lead_agencies)
            ),
        )
        self.temp_table(
            "gen_assign",
            "AS SELECT a.local_government_id AS lg, d.indicator_id, a.id AS agency_id, "
            "rank() OVER (PARTITION BY a.local_government_id, d.indicator_id ORDER BY d.pos) AS r "
            "FROM gen_lead d JOIN organisations_agency a ON lower(a.abbreviation) = d.abbr",
        )
        self.temp_table(
            "gen_ind",
            "(indicator_id int, ord int, number int)",
            ((ind.pk, i, ind.number) for i, ind in enumerate(self.indicators)),
        )
        # Submission states: every one approved in a closed year; in the open year a mix, with
        # every state present (the target's secretariat sees each of them).
        x = u("s.id", 11)
        self.temp_table(
            "gen_sub",
            f"AS SELECT s.*, CASE WHEN s.determined THEN 'approved' "
            f"WHEN {x} < 0.35 THEN 'approved' WHEN {x} < 0.55 THEN 'submitted' "
            f"WHEN {x} < 0.62 THEN 'returned' ELSE 'draft' END AS status, "
            f"(s.determined OR {x} < 0.62 OR {u('s.id', 12)} < 0.5) AS filled "
            f"FROM (SELECT (p.id - 1) * {k} + i.ord + 1 AS id, p.id AS period_id, "
            f"p.local_government_id AS lg, p.year, g.yi, g.determined, g.t, i.indicator_id, "
            f"i.number FROM collection_period p JOIN gen_year g ON g.y = p.year "
            f"CROSS JOIN gen_ind i) s",
        )
        self.insert(
            Submission,
            {
                "id": "s.id",
                "period_id": "s.period_id",
                "local_government_id": "s.lg",
                "indicator_id": "s.indicator_id",
                "lead_agency_id": "a.agency_id",
                "assignment_confirmed_at": "s.t - interval '60 days'",
                "status": "s.status",
                "narrative": "CASE WHEN s.filled THEN 'Data dihimpun dari register perangkat "
                "daerah (sintetis).' ELSE '' END",
                "version": "CASE WHEN s.filled THEN 2 ELSE 1 END",
                "submitted_at": "CASE WHEN s.status <> 'draft' THEN s.t - interval '20 days' END",
                "reviewed_at": "CASE WHEN s.status IN ('approved', 'returned') "
                "THEN s.t - interval '10 days' END",
                "review_comment": "CASE WHEN s.status = 'returned' THEN 'Angka kecamatan belum "
                "sesuai register; mohon dicek ulang (sintetis).' ELSE '' END",
            },
            "FROM gen_sub s LEFT JOIN gen_assign a "
            "ON a.lg = s.lg AND a.indicator_id = s.indicator_id AND a.r = 1",
        )
        self.insert(
            Submission.supporting_agencies.through,
            {"submission_id": "s.id", "agency_id": "a.agency_id"},
            "FROM gen_sub s JOIN gen_assign a "
            "ON a.lg = s.lg AND a.indicator_id = s.indicator_id AND a.r > 1",
        )

    def _determined(self, year: int) -> bool:
        """A year's category is announced around 23 July (National Children's Day)."""
        return date(year, 7, 23) < self.today - timedelta(days=7)

    def _values(self) -> None:
        """One row per cell of the entry grid (collection.grid): every region at the indicator's
        level × its sex/age columns. Coverage 78–98 % rising over the years; child marriage
        2–7 % and stunting 12–26 % falling; counts 2–14; availability mostly yes."""
        fed = self._fed_numbers()
        self.temp_table(
            "gen_cell",
            "(indicator_id int, number int, measure text, level text, k int, sex text, age text)",
            (
                (ind.pk, ind.number, ind.measure_type, ind.data_level, k, sex, age)
                for ind in self.indicators
                if ind.number not in fed
                for k, (sex, age) in enumerate(columns(ind.disaggregations))
            ),
        )
        self.temp_table(
            "gen_region",
            "AS SELECT region_id AS lg, 'regency'::text AS level, region_id AS code "
            "FROM organisations_localgovernment UNION ALL "
            "SELECT left(code, 5), level, code FROM regions_region "
            "WHERE level IN ('district', 'village') AND is_active",
        )
        key = "s.id * 1000003 + hashtext(r.code)::bigint * 8 + c.k"
        rate = (
            f"CASE c.number WHEN 7 THEN 0.07 - 0.05 * {u(key, 21)} - 0.002 * s.yi "
            f"WHEN 12 THEN 0.26 - 0.14 * {u(key, 21)} - 0.006 * s.yi "
            f"ELSE least(0.995, 0.78 + 0.20 * {u(key, 21)} + 0.004 * s.yi) END"
        )
        size = (
            f"CASE r.level WHEN 'village' THEN 120 + 2280 * {u(key, 22)} "
            f"WHEN 'district' THEN 800 + 11200 * {u(key, 22)} "
            f"ELSE 4000 + 26000 * {u(key, 22)} END"
        )
        self.temp_table("gen_cellcount", "AS SELECT number, count(*) AS n FROM gen_cell GROUP BY 1")
        pct = "c.measure = 'percentage'"
        self.insert(
            DataValue,
            {
                "submission_id": "s.id",
                "region_id": "r.code",
                "sex": "c.sex",
                "age_group": "c.age",
                "numerator": f"CASE WHEN {pct} THEN round(d.den * greatest(0.0, {rate})) END",
                "denominator": f"CASE WHEN {pct} THEN d.den END",
                "value": f"CASE c.measure WHEN 'count' THEN floor(2 + 13 * {u(key, 23)}) "
                f"WHEN 'availability' THEN CASE WHEN {u(key, 23)} < 0.85 THEN 1 ELSE 0 END END",
            },
            "FROM gen_sub s JOIN gen_cell c ON c.indicator_id = s.indicator_id "
            "JOIN gen_region r ON r.lg = s.lg AND r.level = c.level "
            "JOIN gen_cellcount n ON n.number = c.number "
            f"CROSS JOIN LATERAL (SELECT greatest(1, round(({size}) / n.n)) AS den) d "
            "WHERE s.filled",
        )

    def _fed_numbers(self) -> set[int]:
        """Indicators 21–24 whose grid is the kab/kota by sex × age group: their values come
        from the facts, as the cluster V feed offers them (protection.feeds)."""
        full = {(s, a) for s in ("L", "P") for a in ("0-5", "6-12", "13-17")}
        return {
            ind.number
            for ind in self.indicators
            if ind.number in FED_MASKS
            and ind.data_level == "regency"
            and set(columns(ind.disaggregations)) == full
        }

    # -- protection --------------------------------------------------------------------------

    def _pools(self) -> None:
        self.pool_size = {kind: len(texts) for kind, texts in TEXTS.items()}
        self.temp_table(
            "gen_pool",
            "(kind text, tokens text[])",
            ((kind, [crypto.encrypt(t) for t in texts]) for kind, texts in TEXTS.items()),
        )
        names = [f"{a} {b} {c}" for a in FIRST_NAMES for b in FAMILY_NAMES for c in MARKERS]
        self.names = len(names)
        self.temp_table(
            "gen_name", "(i int, token text)", ((i, crypto.encrypt(n)) for i, n in enumerate(names))
        )
        self.temp_table(
            "gen_name_token",
            "(i int, token text, words int)",
            (
                (i, t, len(tokens))
                for i, n in enumerate(names)
                for tokens in [sorted(crypto.name_tokens(n))]
                for t in tokens
            ),
        )

    def pool(self, kind: str, key: str, salt: int) -> str:
        """An encrypted text of the pool, by the row's key."""
        n = self.pool_size[kind]
        return (
            f"(SELECT tokens FROM gen_pool WHERE kind = '{kind}')"
            f"[1 + floor({u(key, salt)} * {n})::int]"
        )

    def _blocks(self) -> list[tuple]:
        """(lg, year, first case id, cases, from, to): each unit's cases spread over the years,
        growing (more reporting every year), the current year up to an hour ago."""
        self.sql("SELECT lg, cases FROM gen_lg ORDER BY i")
        units = self.cursor.fetchall()
        first = self.first_year - 1
        years = list(range(first, self.today.year + 1))
        starts = {y: datetime(y, 1, 1, tzinfo=self.tz) for y in [*years, years[-1] + 1]}
        end = self.now - timedelta(hours=1)
        weights = []
        for i, y in enumerate(years):
            span = (min(starts[y + 1], end) - starts[y]) / (starts[y + 1] - starts[y])
            weights.append((i + 1) * max(0.0, span))
        total = sum(weights)
        blocks, next_id = [], 1
        for lg, n in units:
            done, cumulative = 0, 0.0
            for y, w in zip(years, weights, strict=True):
                cumulative += w
                upto = round(n * cumulative / total)
                count, done = upto - done, upto
                if count > 0:
                    blocks.append((lg, y, next_id, count, starts[y], min(starts[y + 1], end)))
                    next_id += count
        return blocks

    def _cases(self) -> None:
        self._pools()
        self.temp_table(
            "gen_village",
            "AS SELECT left(code, 5) AS lg, (row_number() OVER (PARTITION BY left(code, 5) "
            "ORDER BY code) - 1)::int AS k, code FROM regions_region "
            "WHERE level = 'village' AND is_active",
        )
        self.blocks = self._blocks()
        self._calendar()
        self.max_case = sum(b[3] for b in self.blocks)
        self.temp_table(
            "gen_block",
            "(lg text, year int, first_id bigint, n int, t0 timestamptz, t1 timestamptz)",
            self.blocks,
        )
        now = literal(self.now)
        age = f"extract(epoch FROM {now} - received_at) / 86400"
        us = u("id", 2)
        status = (
            f"CASE WHEN {age} > 180 THEN CASE WHEN {us} < 0.93 THEN 'closed' "
            f"WHEN {us} < 0.98 THEN 'in_service' ELSE 'referred' END "
            f"WHEN {age} > 30 THEN CASE WHEN {us} < 0.5 THEN 'closed' WHEN {us} < 0.8 "
            f"THEN 'in_service' WHEN {us} < 0.9 THEN 'referred' ELSE 'assessed' END "
            f"ELSE CASE WHEN {us} < 0.15 THEN 'received' WHEN {us} < 0.45 THEN 'assessed' "
            f"WHEN {us} < 0.8 THEN 'in_service' WHEN {us} < 0.85 THEN 'referred' "
            f"ELSE 'closed' END END"
        )
        urgency = pick(
            "b.first_id + k - 1", 3, [("emergency", 0.05), ("urgent", 0.15), ("normal", 0.8)]
        )
        outcome = pick("id", 4, OUTCOMES)
        hours = (
            f"CASE urgency WHEN 'emergency' THEN 0.5 + 30 * {u('id', 5)} "
            f"WHEN 'urgent' THEN 1 + 36 * {u('id', 5)} ELSE 2 + 140 * {u('id', 5)} ^ 2 END"
        )
        zone = zone_sql("lg")
        local = f"(received_at AT TIME ZONE {zone})"
        working = "CASE urgency WHEN 'urgent' THEN 1 ELSE 3 END"
        # standards.response_due: 24 hours for an emergency; else 1 or 3 working days
        # (`core.workdays`) in the local government's zone, a start on a day off counting from
        # the next working day.
        due = (
            f"CASE urgency WHEN 'emergency' THEN received_at + interval '24 hours' ELSE "
            f"({local} + make_interval(days => (SELECT w.d FROM gen_work w WHERE w.n = "
            f"(SELECT c.next_n FROM gen_cal c WHERE c.d = {local}::date) + {working}) "
            f"- {local}::date)) AT TIME ZONE {zone} END"
        )
        children = pick("b.first_id + k - 1", 9, CHILDREN)
        # the case's moments and state, from its key and its age
        timeline = f"""SELECT z.*, v.code AS incident_region,
                CASE WHEN status = 'received' THEN NULL ELSE least({now},
                    received_at + make_interval(secs => round(hours * 3600))) END AS first_response_at
            FROM (SELECT y.*, {status} AS status, {due} AS response_due_at, {hours} AS hours,
                    CASE WHEN nvill > 0 AND {u("id", 7)} < 0.92
                        THEN floor({u("id", 8)} * nvill)::int END AS vill_k
                FROM (SELECT b.first_id + k - 1 AS id, b.lg, b.year, k AS seq, l.nvill, l.name,
                        l.next_lg, l.worker_id, l.worker2_id, l.supervisor_id,
                        date_trunc('second', b.t0 + (b.t1 - b.t0)
                            * ((k - 1 + {u("b.first_id + k - 1", 1)}) / b.n)) AS received_at,
                        {urgency} AS urgency, {children}::int AS nchild
                    FROM gen_block b JOIN gen_lg l ON l.lg = b.lg
                    CROSS JOIN LATERAL generate_series(1, b.n) k) y) z
            LEFT JOIN gen_village v ON v.lg = z.lg AND v.k = z.vill_k"""
        closing = f"""SELECT c.*, CASE WHEN status = 'closed' THEN {outcome} ELSE '' END AS outcome,
                CASE WHEN status = 'closed' THEN least({now}, first_response_at
                    + make_interval(days => 3 + floor(90 * {u("id", 10)})::int)) END AS closed_at
            FROM ({timeline}) c"""
        # what hangs on it: how many children, services and referrals, its types, its complaint
        case_u = {
            "nserv": (
                f"CASE WHEN status = 'received' THEN 0 WHEN status = 'assessed' "
                f"THEN (CASE WHEN {u('id', 30)} < 0.4 THEN 1 ELSE 0 END) "
                f"WHEN outcome IN ('withdrawn', 'unreachable') AND {u('id', 30)} < 0.5 THEN 0 "
                f"ELSE {pick('id', 31, [('1', 0.7), ('2', 0.22), ('3', 0.08)])}::int END"
            ),
            "nref": (
                f"CASE WHEN status = 'referred' THEN (CASE WHEN {u('id', 32)} < 0.1 THEN 2 ELSE 1 END) "
                f"WHEN outcome IN ('referred', 'transferred') THEN 1 "
                f"WHEN status IN ('in_service', 'closed') AND {u('id', 32)} < 0.06 THEN 1 ELSE 0 END"
            ),
            "type1": (
                f"CASE WHEN status = 'received' AND {u('id', 20)} < 0.3 THEN NULL "
                f"ELSE {pick('id', 21, TYPES)} END"
            ),
            "type2": f"CASE WHEN {u('id', 22)} < 0.3 THEN {pick('id', 23, SECOND_TYPES)} END",
            "has_complaint": f"{u('id', 24)} < 0.85",
            "channel": pick("id", 25, CHANNELS),
            "risk": pick("id", 26, RISKS),
            "place": pick("id", 28, PLACES),
        }
        self.temp_table(
            "gen_c",
            f"AS SELECT c.*, {', '.join(f'{v} AS {k}' for k, v in case_u.items())} "
            f"FROM ({closing}) c",
        )
        self._child_plan()
        self._complaints()
        self.insert(
            Case,
            {
                "id": "id",
                "local_government_id": "lg",
                "year": "year",
                "sequence": "seq",
                "number": "lpad(seq::text, greatest(4, length(seq::text)), '0') || '/PPA/' "
                "|| replace(lg, '.', '') || '/' || year",
                "complaint_id": "CASE WHEN has_complaint THEN id END",
                "channel": "channel",
                "status": "status",
                "urgency": "urgency",
                "risk": "risk",
                "received_at": "received_at",
                "response_due_at": "response_due_at",
                "first_response_at": "first_response_at",
                "incident_date": f"{self.local_day('received_at')} - floor(14 * {u('id', 27)})::int",
                "incident_place": "place",
                "incident_region_id": "incident_region",
                "chronology": self.pool("chronology", "id", 29),
                "supervisor_id": "supervisor_id",
                "outcome": "outcome",
                "closing_note": f"CASE WHEN status = 'closed' THEN {self.pool('closing', 'id', 33)} "
                "ELSE '' END",
                "closed_at": "closed_at",
            },
            "FROM gen_c",
        )
        self.insert(
            CaseType,
            {"id": "id * 2 + t.j", "case_id": "id", "type": "t.type"},
            "FROM gen_c CROSS JOIN LATERAL (VALUES (0, type1), (1, type2)) t(j, type) "
            "WHERE t.type IS NOT NULL AND NOT (t.j = 1 AND (type1 IS NULL OR t.type = type1))",
        )
        self.insert(
            Perpetrator,
            {
                "case_id": "id",
                "name": f"CASE WHEN {u('id', 40)} < 0.3 THEN {self.pool('perpetrator', 'id', 41)} "
                "ELSE '' END",
                "relationship": pick("id", 42, PERPETRATORS),
                "age": f"CASE WHEN {u('id', 43)} < 0.8 THEN 15 + floor(50 * {u('id', 44)}) END",
                "sex": pick("id", 45, [("L", 0.85), ("P", 0.12), ("", 0.03)]),
            },
            f"FROM gen_c WHERE {u('id', 46)} < 0.75",
        )
        self.insert(
            Case.workers.through,
            {
                "case_id": "id",
                "user_id": f"CASE WHEN worker2_id IS NULL THEN worker_id "
                f"WHEN {u('id', 47)} < {WORKER_SHARE} THEN {self.users[Role.CASE_WORKER].pk} "
                "ELSE worker2_id END",
            },
            "FROM gen_c",
        )

    def _complaints(self) -> None:
        """A complaint for 85 % of the cases (it came first and was taken: same channel, urgency,
        place and region), plus reports closed without a case (≈8 %) and a few recent ones
        nobody has taken yet."""
        # Tracking codes: the id scrambled by a bijection (times a prime, modulo the number of
        # codes) onto the codes of CODE_ALPHABET, so they are unique and look random.
        base = len(CODE_ALPHABET)
        scrambled = f"mod(c.cid * 1000000007, {base**8})"
        digits = [
            f"substr('{CODE_ALPHABET}', mod({scrambled} / {base**i}, {base})::int + 1, 1)"
            for i in range(8)
        ]
        now = literal(self.now)
        m = self.max_case
        # kind: (complaint id, received, public status, which cases)
        sources = {
            "taken": ("id", "received_at",
                      "CASE WHEN status = 'closed' THEN 'closed' ELSE 'in_handling' END",
                      "has_complaint"),
            "dismissed": (f"id + {m}", f"least({now}, received_at + interval '3 hours')",
                          "'closed'", f"{u('id', 50)} < 0.08"),
            "pending": (f"id + {2 * m}", f"greatest(received_at, {now} - interval '2 days')",
                        "'received'",
                        f"received_at > {now} - interval '10 days' AND {u('id', 51)} < 0.3"),
        }  # fmt: skip
        for kind, (cid, received, status, where) in sources.items():
            taken = kind == "taken"
            self.insert(
                Complaint,
                {
                    "id": "c.cid",
                    "local_government_id": "c.lg",
                    "tracking_code": " || ".join(digits[:4])
                    + " || '-' || "
                    + " || ".join(digits[4:]),
                    "channel": "c.channel" if taken else pick("c.cid", 52, CHANNELS[:3]),
                    "status": "c.public_status",
                    "received_at": "c.received",
                    "description": self.pool("description", "c.cid", 53),
                    "child_wording": f"c.channel = 'web' AND {u('c.cid', 54)} < 0.3",
                    "incident_date": f"{self.local_day('c.received')} - floor(7 * {u('c.cid', 55)})::int",
                    "incident_region_id": "c.incident_region",
                    "place": "c.place",
                    "child_name": "coalesce(nm.token, '')",
                    "child_age": f"floor(18 * sqrt({u('c.cid', 59)}))",
                    "child_sex": pick("c.cid", 60, [("P", 0.55), ("L", 0.4), ("", 0.05)]),
                    "reporter_relation": pick("c.cid", 61, RELATIONS),
                    "reporter_anonymous": "c.anonymous",
                    "reporter_name": "CASE WHEN c.anonymous THEN '' ELSE "
                    f"{self.pool('reporter', 'c.cid', 62)} END",
                    "reporter_contact": "CASE WHEN c.anonymous THEN '' ELSE "
                    f"{self.pool('contact', 'c.cid', 63)} END",
                    "recorded_by_id": "CASE WHEN c.channel <> 'web' THEN c.worker END",
                    "urgency": "c.urgency",
                    "risk": "c.risk" if taken else "''",
                    "triaged_at": "CASE WHEN c.public_status <> 'received' "
                    "THEN c.received + interval '1 hour' END",
                    "triaged_by_id": "CASE WHEN c.public_status <> 'received' THEN c.worker END",
                    "dismissed_reason": pick("c.cid", 65, DISMISSALS)
                    if kind == "dismissed"
                    else "''",
                },
                f"FROM (SELECT {cid} AS cid, {received} AS received, {status} AS public_status, "
                f"{u('id', 66)} < 0.2 AS anonymous, coalesce(worker2_id, worker_id) AS worker, "
                f"lg, channel, place, urgency, risk, incident_region FROM gen_c WHERE {where}) c "
                f"LEFT JOIN gen_name nm ON {u('c.cid', 57)} < 0.6 "
                f"AND nm.i = floor({u('c.cid', 58)} * {self.names})::int",
            )

    def _child_plan(self) -> None:
        """The children of the cases (staged), and their NIK tokens computed in a thread while
        PostgreSQL writes the cases: the encryption is the only CPU work on this side."""
        key = "c.id * 4 + j"
        self.temp_table(
            "gen_child",
            f"""AS SELECT x.*, CASE WHEN nik_ok THEN
                    ({self.local_day("received_at")} - make_interval(years => age)
                     - make_interval(days => floor(360 * {u("cid", 72)})::int))::date END AS birth,
                    replace(coalesce(left(address_region, 8), lg || '.01'), '.', '') AS kec
            FROM (SELECT {key} AS cid, c.id AS case_id, c.lg, c.received_at, c.nvill,
                    {pick(key, 70, [("P", 0.56), ("L", 0.42), ("", 0.02)])} AS sex,
                    CASE WHEN {u(key, 71)} < 0.96 THEN floor(18 * sqrt({u(key, 73)}))::int END AS age,
                    CASE WHEN c.nvill = 0 OR {u(key, 74)} < 0.05 THEN NULL
                        WHEN c.incident_region IS NOT NULL AND {u(key, 75)} < 0.75
                        THEN c.incident_region ELSE v.code END AS address_region,
                    floor({u(key, 76)} * {self.names})::int AS name_i,
                    {u(key, 77)} < 0.7 AS nik_wanted
                FROM gen_c c CROSS JOIN LATERAL generate_series(0, c.nchild - 1) j
                LEFT JOIN gen_village v ON v.lg = c.lg
                    AND v.k = floor({u(key, 78)} * greatest(c.nvill, 1))::int) x
            CROSS JOIN LATERAL (SELECT nik_wanted AND age IS NOT NULL AND sex <> '' AS nik_ok) n""",
        )
        self.sql("SELECT cid, kec, sex, birth FROM gen_child WHERE birth IS NOT NULL ORDER BY cid")
        wanted = self.cursor.fetchall()
        self.niks: list[tuple] = []
        self.nik_error: BaseException | None = None

        def work():
            try:
                self.niks.extend(_niks(wanted))
            except BaseException as exc:  # handed to the main thread at join
                self.nik_error = exc

        self.nik_thread = threading.Thread(target=work, daemon=True)
        self.nik_thread.start()

    def _children(self) -> None:
        """Children with their identity columns as real tokens: a pooled name (and its
        blind-index rows), and for most a NIK of their own (kecamatan of residence, date of
        birth, fictitious serial 9xxx) with its lookup hash, and their date of birth."""
        self.nik_thread.join()
        if self.nik_error is not None:
            raise self.nik_error
        self.temp_table("gen_nik", "(cid bigint, nik text, nik_hash text, birth text)", self.niks)
        self.niks.clear()
        self.insert(
            Child,
            {
                "id": "c.cid",
                "case_id": "c.case_id",
                "name": "m.token",
                "nik": "coalesce(k.nik, '')",
                "nik_hash": "coalesce(k.nik_hash, '')",
                "birth_date": "coalesce(k.birth, '')",
                "age": "c.age",
                "sex": "c.sex",
                "has_disability": f"{u('c.cid', 79)} < 0.04",
                "school": f"CASE WHEN c.age >= 6 AND {u('c.cid', 80)} < 0.7 "
                f"THEN {self.pool('school', 'c.cid', 81)} ELSE '' END",
                "address_region_id": "c.address_region",
                "address": f"CASE WHEN {u('c.cid', 82)} < 0.6 THEN {self.pool('address', 'c.cid', 83)} "
                "ELSE '' END",
            },
            "FROM gen_child c JOIN gen_name m ON m.i = c.name_i LEFT JOIN gen_nik k ON k.cid = c.cid",
        )
        self.insert(
            ChildNameToken,
            {
                "child_id": "c.cid",
                "case_id": "c.case_id",
                "local_government_id": "c.lg",
                "words": "t.words",
                "token": "t.token",
            },
            "FROM gen_child c JOIN gen_name_token t ON t.i = c.name_i",
        )

    def _services(self) -> None:
        """Services from the first response on (most for one child, some for the whole case),
        referrals with the guardian's consent before them (or, for one in twenty, its documented
        absence and the override), and the access log of who opened what."""
        key = "c.id * 4 + j"
        start = f"({self.local_day('coalesce(c.first_response_at, c.received_at)')})"
        self.insert(
            Service,
            {
                "id": key,
                "case_id": "c.id",
                "child_id": f"CASE WHEN c.nchild > 0 AND {u(key, 90)} < 0.7 "
                "THEN c.id * 4 + mod(j, c.nchild) END",
                "kind": f"CASE WHEN j = 0 THEN {pick(key, 91, FIRST_SERVICES)} "
                f"ELSE {pick(key, 92, LATER_SERVICES)} END",
                "date": f"least({start} + j * 7 + floor(5 * {u(key, 93)})::int, "
                f"'{self.today.isoformat()}'::date)",
                "provider": "'UPTD PPA ' || c.name",
                "notes": f"CASE WHEN {u(key, 94)} < 0.5 THEN {self.pool('note', key, 95)} ELSE '' END",
                "created_by_id": "coalesce(c.worker2_id, c.worker_id)",
            },
            "FROM gen_c c CROSS JOIN LATERAL generate_series(0, c.nserv - 1) j",
        )
        key = "c.id * 2 + j"
        self.insert(
            Referral,
            {
                "id": key,
                "case_id": "c.id",
                "kind": f"CASE WHEN c.outcome = 'transferred' OR {u(key, 100)} < 0.05 "
                "THEN 'transfer' ELSE 'referral' END",
                "institution": f"CASE WHEN c.outcome = 'transferred' OR {u(key, 100)} < 0.05 "
                f"THEN 'UPTD PPA ' || n.name ELSE "
                f"('{INSTITUTION_ARRAY}'::text[])[1 + floor({u(key, 101)} * {len(INSTITUTIONS)})::int] END",
                "target_local_government_id": f"CASE WHEN c.outcome = 'transferred' "
                f"OR {u(key, 100)} < 0.05 THEN c.next_lg END",
                "reason": self.pool("reason", key, 102),
                "status": f"CASE WHEN c.status = 'referred' THEN "
                f"{pick(key, 103, [('sent', 0.4), ('accepted', 0.6)])} "
                f"WHEN c.status = 'closed' THEN "
                f"{pick(key, 104, [('completed', 0.7), ('accepted', 0.15), ('declined', 0.15)])} "
                f"ELSE {pick(key, 105, [('sent', 0.4), ('accepted', 0.4), ('declined', 0.2)])} END",
                "feedback": f"CASE WHEN c.status = 'closed' THEN {self.pool('feedback', key, 106)} "
                "ELSE '' END",
                "consent_overridden": f"{u('c.id', 110)} >= 0.95",
                "override_reason": f"CASE WHEN {u('c.id', 110)} >= 0.95 "
                f"THEN {self.pool('unobtainable', 'c.id', 112)} ELSE '' END",
                "sent_on": f"least({start} + 2 + j * 10, '{self.today.isoformat()}'::date)",
                "created_by_id": "coalesce(c.worker2_id, c.worker_id)",
            },
            "FROM gen_c c JOIN gen_lg n ON n.lg = c.next_lg "
            "CROSS JOIN LATERAL generate_series(0, c.nref - 1) j",
        )
        self.insert(
            GuardianConsent,
            {
                "id": "c.id",
                "case_id": "c.id",
                "obtained": f"{u('c.id', 110)} < 0.95",
                "guardian_relation": pick("c.id", 111, GUARDIANS),
                "given_on": f"least({start} + 1, '{self.today.isoformat()}'::date)",
                "reason_unobtainable": f"CASE WHEN {u('c.id', 110)} < 0.95 THEN '' "
                f"ELSE {self.pool('unobtainable', 'c.id', 112)} END",
                "recorded_by_id": "coalesce(c.worker2_id, c.worker_id)",
            },
            "FROM gen_c c WHERE c.nref > 0",
        )
        # Who opened which case: once when responding, a second reading, search or export for
        # some; every fifth complaint opened as well.
        now = literal(self.now)
        key = "c.id * 2 + j"
        self.insert(
            AccessLog,
            {
                "id": key,
                "at": f"least({now}, coalesce(c.first_response_at, c.received_at) "
                f"+ make_interval(hours => 1 + j * 24 * floor(1 + 30 * {u(key, 120)})::int))",
                "user_id": f"CASE WHEN c.worker2_id IS NULL THEN c.worker_id "
                f"WHEN {u(key, 121)} < 0.5 THEN {self.users[Role.CASE_WORKER].pk} "
                f"ELSE c.supervisor_id END",
                "local_government_id": "c.lg",
                "kind": f"CASE WHEN j = 0 THEN 'open_case' ELSE "
                f"{pick(key, 122, [('open_case', 0.75), ('search', 0.15), ('export', 0.1)])} END",
                "case_id": "c.id",
            },
            f"FROM gen_c c CROSS JOIN LATERAL generate_series(0, "
            f"CASE WHEN {u('c.id', 123)} < 0.3 THEN 1 ELSE 0 END) j",
        )
        self.insert(
            AccessLog,
            {
                "id": f"{2 * self.max_case + 2} + m.id",
                "at": f"least({now}, m.received_at + interval '30 minutes')",
                "user_id": "coalesce(m.recorded_by_id, l.worker_id, l.worker2_id)",
                "local_government_id": "m.local_government_id",
                "kind": "'open_complaint'",
                "complaint_id": "m.id",
            },
            f"FROM protection_complaint m JOIN gen_lg l ON l.lg = m.local_government_id "
            f"WHERE {u('m.id', 124)} < 0.2",
        )

    # -- statistics facts --------------------------------------------------------------------

    def _facts(self) -> None:
        """VictimFact, CaseFact and CaseItemFact exactly as `statistics.derive` defines them."""
        self.temp_table(
            "gen_typebit", "(type text, bit int)", ((t, 1 << i) for i, t in enumerate(TYPE_BITS))
        )
        day = self.local_day("c.received_at", lg="c.local_government_id")
        area = "coalesce(ch.address_region_id, c.incident_region_id, '')"
        parts = f"array_length(string_to_array({area}, '.'), 1)"
        self.insert(
            VictimFact,
            {
                "local_government_id": "c.local_government_id",
                "case_id": "c.id",
                "received_on": day,
                "sex": "coalesce(ch.sex, '')",
                "age_group": "CASE WHEN ch.age BETWEEN 0 AND 5 THEN '0-5' WHEN ch.age BETWEEN 6 "
                "AND 12 THEN '6-12' WHEN ch.age BETWEEN 13 AND 17 THEN '13-17' ELSE '' END",
                "kecamatan": f"CASE WHEN {parts} >= 3 THEN split_part({area}, '.', 1) || '.' || "
                f"split_part({area}, '.', 2) || '.' || split_part({area}, '.', 3) ELSE '' END",
                "kelurahan": f"CASE WHEN {parts} = 4 THEN {area} ELSE '' END",
                "type_bits": "coalesce(t.bits, 0)",
                "served": "(sc.child_id IS NOT NULL OR cw.case_id IS NOT NULL)",
                "referred": "r.case_id IS NOT NULL",
            },
            """FROM protection_case c
            LEFT JOIN protection_child ch ON ch.case_id = c.id
            LEFT JOIN (SELECT ct.case_id, bit_or(b.bit) AS bits FROM protection_casetype ct
                JOIN gen_typebit b ON b.type = ct.type GROUP BY ct.case_id) t ON t.case_id = c.id
            LEFT JOIN (SELECT DISTINCT case_id FROM protection_service WHERE child_id IS NULL) cw
                ON cw.case_id = c.id
            LEFT JOIN (SELECT DISTINCT child_id FROM protection_service WHERE child_id IS NOT NULL)
                sc ON sc.child_id = ch.id
            LEFT JOIN (SELECT DISTINCT case_id FROM protection_referral WHERE status <> 'declined')
                r ON r.case_id = c.id
""",
        )
        self.insert(
            CaseFact,
            {
                "case_id": "c.id",
                "local_government_id": "c.local_government_id",
                "received_on": day,
                "outcome": "c.outcome",
                "closed": "c.status = 'closed'",
                # whole seconds, so float8 arithmetic gives Python's total_seconds() / 3600
                "hours_to_first_response": "extract(epoch FROM c.first_response_at - c.received_at)"
                "::float8 / 3600::float8",
                "within_target": "coalesce(c.first_response_at <= c.response_due_at, false)",
            },
            "FROM protection_case c",
        )
        for item, key, table in (
            (CaseItemFact.SERVICE, "x.kind", "protection_service"),
            (CaseItemFact.REFERRAL, "x.kind || ':' || x.status", "protection_referral"),
        ):
            self.insert(
                CaseItemFact,
                {
                    "case_id": "c.id",
                    "local_government_id": "c.local_government_id",
                    "received_on": day,
                    "item": f"'{item}'",
                    "key": "x.key",
                    "n": "x.n",
                },
                f"FROM (SELECT x.case_id, {key} AS key, count(*) AS n FROM {table} x "
                f"GROUP BY 1, 2) x JOIN protection_case c ON c.id = x.case_id",
            )

    def _fed_values(self) -> None:
        """Indicators 21–24: per sex × age group, the victims of the data year whose case has a
        type of the indicator (denominator) and how many were served (numerator); a cell without
        victims stays empty, as protection.feeds leaves it."""
        fed = self._fed_numbers()
        if not fed:
            return
        masks = " ".join(f"WHEN {n} THEN {FED_MASKS[n]}" for n in sorted(fed))
        self.insert(
            DataValue,
            {
                "submission_id": "s.id",
                "region_id": "s.lg",
                "sex": "v.sex",
                "age_group": "v.age_group",
                "numerator": "count(*) FILTER (WHERE v.served)",
                "denominator": "count(*)",
            },
            f"""FROM gen_sub s JOIN protection_victimfact v ON v.local_government_id = s.lg
                AND extract(year FROM v.received_on)::int = s.year - 1
            WHERE s.filled AND s.number IN ({", ".join(map(str, sorted(fed)))})
                AND v.type_bits & (CASE s.number {masks} END) <> 0
                AND v.sex IN ('L', 'P') AND v.age_group <> ''
            GROUP BY s.id, s.lg, v.sex, v.age_group""",
        )

    # -- evaluations -------------------------------------------------------------------------

    def _evaluations(self) -> None:
        """An evaluation per period, scored by the real engine: determined years went through
        every stage (the province and the ministry cutting a few unsupported points); the open
        year is spread over the stages, the target still in its self-assessment."""
        instrument = evaluation_queries.instrument_for(self.catalog)
        question_ids = dict(
            Question.objects.filter(indicator__version=self.catalog).values_list("code", "pk")
        )
        number_of = {q.code: q.indicator for q in instrument.questions}
        self.sql(
            "SELECT s.period_id, s.number, sum(v.numerator), sum(v.denominator) "
            "FROM collection_datavalue v JOIN gen_sub s ON s.id = v.submission_id "
            "WHERE v.numerator IS NOT NULL GROUP BY 1, 2"
        )
        data: dict[int, dict[int, Decimal | None]] = {}
        for period_id, number, n, d in self.cursor.fetchall():
            data.setdefault(period_id, {})[number] = scoring.cents(n / d * 100) if d else None
        self.sql("SELECT id, local_government_id, year FROM collection_period ORDER BY id")
        periods = self.cursor.fetchall()
        self.nation = self.users[Role.NATIONAL_EVALUATOR].pk
        self.province = self.users[Role.PROVINCIAL_EVALUATOR]
        rows = {"evaluation": [], "answer": [], "review": [], "stage": []}
        for period_id, lg, year in periods:
            by_number = data.get(period_id, {})
            values = {
                q.code: by_number.get(number_of[q.code])
                for q in instrument.questions
                if q.from_data
            }
            self._evaluation(instrument, question_ids, period_id, lg, year, values, rows)
        staging = {
            "evaluation": "id bigint, lg text, year int, stage text, field_mode text, "
            "total numeric, category text, final_score numeric, final_category text, "
            "final_name text, determined timestamptz, by_id bigint",
            "answer": "evaluation_id bigint, question_id bigint, value text, by_id bigint",
            "review": "evaluation_id bigint, stage text, question_id bigint, points numeric, "
            "by_id bigint",
            "stage": "evaluation_id bigint, stage text, total numeric, category text, name text, "
            "points text, indicators text, clusters text, at timestamptz, by_id bigint",
        }
        for name, definition in staging.items():
            self.temp_table(f"gen_{name}", f"({definition})", rows[name])
        self.insert(
            Evaluation,
            {
                "id": "e.id",
                "period_id": "e.id",
                "local_government_id": "e.lg",
                "year": "e.year",
                "stage": "e.stage",
                "version": "2",
                "field_mode": "e.field_mode",
                "current_total": "e.total",
                "current_category": "e.category",
                "final_score": "e.final_score",
                "final_category": "e.final_category",
                "final_category_name": "e.final_name",
                "decree_number": "CASE WHEN e.determined IS NOT NULL "
                "THEN 'KEP-SINTETIS/KLA/' || e.year ELSE '' END",
                "decree_date": "CASE WHEN e.determined IS NOT NULL THEN make_date(e.year, 7, 23) END",
                "determined_at": "e.determined",
                "determined_by_id": "e.by_id",
            },
            "FROM gen_evaluation e",
        )
        self.insert(
            Answer,
            {
                "evaluation_id": "a.evaluation_id",
                "question_id": "a.question_id",
                "value": "a.value",
                "answered_by_id": "a.by_id",
            },
            "FROM gen_answer a",
        )
        self.insert(
            Review,
            {
                "evaluation_id": "r.evaluation_id",
                "stage": "r.stage",
                "question_id": "r.question_id",
                "points": "r.points",
                "note": "'Bukti dukung belum memadai (sintetis).'",
                "reviewer_id": "r.by_id",
            },
            "FROM gen_review r",
        )
        self.insert(
            StageResult,
            {
                "evaluation_id": "s.evaluation_id",
                "stage": "s.stage",
                "total": "s.total",
                "category": "s.category",
                "category_name": "s.name",
                "points": "s.points::jsonb",
                "indicator_scores": "s.indicators::jsonb",
                "cluster_scores": "s.clusters::jsonb",
                "completed_at": "s.at",
                "completed_by_id": "s.by_id",
                "note": "'Tahap selesai (sintetis).'",
            },
            "FROM gen_stage s",
        )

    def _evaluation(self, instrument, question_ids, period_id, lg, year, data, rows) -> None:
        rng = random.Random(f"{lg}:{year}")  # noqa: S311 - synthetic figures, not security
        evaluation_id = period_id
        determined = self._determined(year)
        if determined:
            stage = "determined"
        elif lg == self.target:
            stage = "self"
        else:
            stage = rng.choices(["self", *VERIFYING], weights=[60, 15, 10, 10, 5])[0]
        strength = min(0.97, 0.35 + 0.4 * _h(lg) + 0.025 * (year - self.first_year))
        share = 1.0 if stage != "self" or determined else rng.uniform(0.6, 1.0)
        secretariat = self.users[Role.SECRETARIAT].pk if lg == self.target else None
        answers = {}
        for q in instrument.questions:
            if q.from_data or rng.random() > share:
                continue
            value = str(scoring.clean_value(q, _answer(q, strength, rng)))
            answers[q.code] = value
            rows["answer"].append((evaluation_id, question_ids[q.code], value, secretariat))
        result = scoring.score_answers(instrument, {**data, **answers})
        dates = self._stage_dates(year, determined)
        reached = STAGES.index(stage)
        points = dict(result.points)
        done = [("self", result)]
        live = None
        for name in VERIFYING:
            if STAGES.index(name) > reached:
                break
            reviewer = self._reviewer(lg, name)
            current = name == stage  # under way: some of its reviews so far
            scored = [code for code, p in points.items() if p > 0]
            for code in rng.sample(scored, min(len(scored), rng.randint(0, 2 if current else 4))):
                kept = scoring.cents(points[code] / 2) if rng.random() < 0.5 else Decimal(0)
                rows["review"].append((evaluation_id, name, question_ids[code], kept, reviewer))
                points[code] = kept
            stage_result = scoring.score_points(instrument, points)
            if current:
                live = stage_result
            else:
                done.append((name, stage_result))
        for name, r in done:
            rows["stage"].append(
                (
                    evaluation_id,
                    name,
                    r.total,
                    r.category_code,
                    r.category_name,
                    json.dumps({k: str(v) for k, v in r.points.items()}),
                    json.dumps({str(k): str(v.score) for k, v in r.indicators.items()}),
                    json.dumps({str(k): str(v.score) for k, v in r.clusters.items()}),
                    dates[name],
                    secretariat if name == "self" else self._reviewer(lg, name),
                )
            )
        final = done[-1][1] if determined else None
        current = final or live or result
        rows["evaluation"].append(
            (
                evaluation_id,
                lg,
                year,
                stage,
                rng.choice(["onsite", "hybrid", "online"])
                if reached > STAGES.index("field")
                else "",
                current.total,
                current.category_name,
                final.total if final else None,
                final.category_code if final else "",
                final.category_name if final else "",
                dates["final"] if final else None,
                self.nation if final else None,
            )
        )

    def _reviewer(self, lg: str, stage: str) -> int | None:
        if stage != "administrative":
            return self.nation
        return self.province.pk if lg.startswith(self.province.scope + ".") else None

    def _stage_dates(self, year: int, determined: bool) -> dict[str, datetime]:
        """When each stage closed: April–July of the year, the final one at the decree; for the
        year still under way, the last weeks."""
        if determined:
            days = [(4, 28), (5, 20), (6, 5), (6, 25), (7, 23)]
            return {
                name: datetime(year, m, d, 10, tzinfo=self.tz)
                for name, (m, d) in zip(["self", *VERIFYING], days, strict=True)
            }
        return {
            name: self.now - timedelta(days=40 - 8 * i)
            for i, name in enumerate(["self", *VERIFYING])
        }

    # -- the end -----------------------------------------------------------------------------

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


def _answer(rule: scoring.QuestionRule, strength: float, rng: random.Random) -> str:
    """An answer that earns about `strength` of the question's points, with noise."""
    s = min(1.0, max(0.0, strength + rng.uniform(-0.25, 0.25)))
    rubric = rule.rubric
    if rule.answer_type == "yes_no":
        return "yes" if rng.random() < strength else "no"
    if rule.answer_type == "choice":
        options = sorted(rubric["options"], key=lambda o: Decimal(o["points"]))
        return options[round(s * (len(options) - 1))]["value"]
    if "bands" in rubric:
        bands = sorted(rubric["bands"], key=lambda b: Decimal(b["points"]))
        band = bands[round(s * (len(bands) - 1))]
        low = Decimal(band["min"])
        high = Decimal(band["max"]) if band["max"] is not None else low + 10
        return str(low + (high - low) * Decimal(rng.randint(0, 80)) / 100)
    target = Decimal(rubric["target"])
    return str(min(Decimal(100), target * Decimal(round(0.3 + 0.8 * s, 2))))


def _niks(rows):
    """(child id, NIK token, NIK hash, birth-date token) for each child, NIKs unique: six
    digits of the kecamatan, DDMMYY (+40 on the day for girls), a fictitious serial 9xxx."""
    seen: set[str] = set()
    for cid, kec, sex, birth in rows:
        stem = f"{kec[:6]:0<6}{birth.day + (40 if sex == 'P' else 0):02d}{birth:%m%y}"
        for attempt in range(1000):
            nik = f"{stem}{9000 + (cid + attempt) % 1000:04d}"
            if nik not in seen:
                break
        else:  # a thousand children of one kecamatan born the same day: leave this one without
            continue
        seen.add(nik)
        yield cid, crypto.encrypt(nik), crypto.lookup_hash(nik), crypto.encrypt(birth.isoformat())


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


__all__ = ["Refused", "Report", "check_password", "generate", "plan", "refusal", "write_password"]
