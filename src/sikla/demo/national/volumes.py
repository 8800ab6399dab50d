"""What the generator makes at scale 1, and the words and shares it draws from."""

from __future__ import annotations

from sikla.evaluation.models import Stage
from sikla.organisations.models import AgencyKind
from sikla.protection.models import (
    TYPE_BITS,
    TYPE_INDICATOR,
)

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
