"""Demo participation data for Kota Kupang, written through the real actions.

Forum Anak at kota level and in some kecamatan and kelurahan, with activities (children as
pioneers and reporters, Musrenbang); two consultation records; two public consultations — one
open with an approved and a pending comment, one closed and turned into a record; three partners
with contributions. Dates are relative to today so that the open consultation is open whenever
the demo is loaded. Idempotent: each item is added only when it is missing.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from sikla.indicators.models import Indicator
from sikla.regions.models import Region

from . import actions
from .models import (
    ActivityKind,
    ContributionKind,
    ForumStatus,
    PartnerComponent,
    PolicyKind,
    ResponseStatus,
    SourceKind,
)

# region code, name, decree, (m 10-13, f 10-13, m 14-17, f 14-17), status, facilitators
FORUMS = [
    (
        "53.71",
        "Forum Anak Kota Kupang",
        "188.45/KEP/HK/2023/071",
        (8, 11, 14, 17),
        "active",
        "Maria Ndun (DP3A)\nYohanes Lay (pendamping)",
    ),
    (
        "53.71.04",
        "Forum Anak Kecamatan Oebobo",
        "045/KEC-OBB/2024",
        (6, 7, 5, 8),
        "active",
        "Ibu Selfina Tanone",
    ),
    ("53.71.02", "Forum Anak Kecamatan Maulafa", "045/KEC-MLF/2024", (5, 6, 6, 7), "active", ""),
    (
        "53.71.03",
        "Forum Anak Kecamatan Kelapa Lima",
        "045/KEC-KLM/2024",
        (4, 5, 6, 6),
        "active",
        "",
    ),
    ("53.71.01", "Forum Anak Kecamatan Alak", "", (3, 4, 4, 5), "active", ""),
    ("53.71.04.1001", "Forum Anak Kelurahan Oebobo", "12/KEL-OBB/2024", (3, 4, 3, 4), "active", ""),
    (
        "53.71.04.1009",
        "Forum Anak Kelurahan Oebufu",
        "07/KEL-OBF/2024",
        (4, 3, 3, 5),
        "active",
        "Bapak Daniel Fanggi",
    ),
    ("53.71.04.1010", "Forum Anak Kelurahan Liliba", "", (2, 3, 3, 3), "active", ""),
    ("53.71.02.1001", "Forum Anak Kelurahan Oepura", "09/KEL-OPR/2025", (3, 3, 2, 4), "active", ""),
    ("53.71.05.1004", "Forum Anak Kelurahan Naikoten Satu", "", (1, 2, 1, 1), "inactive", ""),
]

# forum region, days ago, kind, title, description, children taking part
ACTIVITIES = [
    (
        "53.71",
        250,
        ActivityKind.MUSRENBANG,
        "Musrenbang Kota Kupang: usulan anak",
        "Perwakilan Forum Anak menyampaikan 12 usulan anak, antara lain ruang bermain dan "
        "penerangan jalan menuju sekolah.",
        6,
    ),
    (
        "53.71",
        130,
        ActivityKind.CAMPAIGN,
        "Kampanye Hari Anak Nasional",
        "Kampanye hak anak di Taman Nostalgia bersama Dinas Kominfo.",
        45,
    ),
    (
        "53.71",
        90,
        ActivityKind.CONSULTATION,
        "Aspirasi anak untuk Ranperda Kota Layak Anak",
        "Diskusi terarah dengan Bagian Hukum dan DP3A.",
        20,
    ),
    (
        "53.71",
        60,
        ActivityKind.PIONEER,
        "Anak pelopor anti perundungan di sekolah",
        "Duta anti perundungan di 8 SMP; materi disusun oleh anggota forum.",
        24,
    ),
    (
        "53.71",
        40,
        ActivityKind.REPORTER,
        "Pelatihan anak pelapor bersama UPTD PPA",
        "Cara mengenali dan melaporkan kekerasan melalui SAPA 129 dan layanan daring.",
        30,
    ),
    ("53.71.04", 75, ActivityKind.MEETING, "Pertemuan rutin Forum Anak Kecamatan Oebobo", "", 18),
    (
        "53.71.04.1009",
        35,
        ActivityKind.PIONEER,
        "Pelopor kebersihan ruang bermain Oebufu",
        "Kerja bakti bersama pengelola Ruang Bermain Ramah Anak.",
        15,
    ),
]


def _indicator(number: int):
    return Indicator.objects.filter(version__is_active=True, number=number).first()


def _decree_date(decree: str) -> date | None:
    """23 July (National Children's Day) of the year written in the decree number."""
    found = re.search(r"/(20\d\d)(?:/|$)", decree)
    return date(int(found.group(1)), 7, 23) if found else None


def _at(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(10, 0)))


def _forums(lg, secretariat, today) -> dict:
    forums = {f.region_id: f for f in lg.child_forums.all()}
    for code, name, decree, members, status, facilitators in FORUMS:
        if code in forums:
            continue
        region = Region.objects.filter(code=code).first()
        if region is None:
            continue
        forum = actions.create_child_forum(
            actor=secretariat,
            local_government=lg,
            region=region,
            name=name,
            decree_number=decree,
            decree_date=_decree_date(decree),
            status=ForumStatus(status),
            male_10_13=members[0],
            female_10_13=members[1],
            male_14_17=members[2],
            female_14_17=members[3],
            facilitators=facilitators,
        )
        forums[code] = forum
        for where, days, kind, title, description, children in ACTIVITIES:
            if where == code:
                actions.add_activity(
                    forum,
                    actor=secretariat,
                    date=today - timedelta(days=days),
                    title=title,
                    kind=kind,
                    description=description,
                    participants=children,
                )
    return forums


def _records(lg, secretariat, today, forums) -> None:
    existing = set(lg.consultation_records.values_list("title", flat=True))
    kota_forum = forums.get("53.71")
    plans = [
        (
            "Rancangan Perda Kota Kupang tentang Penyelenggaraan Kota Layak Anak",
            PolicyKind.REGULATION,
            1,
            90,
            [
                (
                    SourceKind.CHILD_FORUM,
                    "",
                    kota_forum,
                    "Anak minta ada pasal tentang ruang bermain yang aman di setiap kelurahan dan "
                    "keterlibatan Forum Anak dalam Musrenbang.",
                    "Dimasukkan sebagai pasal 14 dan 22 rancangan.",
                    ResponseStatus.ACCEPTED,
                ),
                (
                    SourceKind.COMMUNITY,
                    "Tim Penggerak PKK Kota Kupang",
                    None,
                    "Perlu kewajiban layanan konseling keluarga (PUSPAGA) di tingkat kota.",
                    "Diatur umum; rinciannya dalam peraturan wali kota.",
                    ResponseStatus.PARTLY,
                ),
            ],
        ),
        (
            "RKPD Kota Kupang: Ruang Bermain Ramah Anak di setiap kecamatan",
            PolicyKind.PLAN,
            10,
            200,
            [
                (
                    SourceKind.CHILD_FORUM,
                    "",
                    kota_forum,
                    "Ruang bermain dekat permukiman padat di Alak dan Kota Lama diutamakan.",
                    "Alak masuk tahun ini, Kota Lama tahun depan.",
                    ResponseStatus.PARTLY,
                ),
                (
                    SourceKind.BUSINESS,
                    "PT Bank Pembangunan Daerah NTT",
                    None,
                    "Siap membiayai satu ruang bermain melalui program CSR.",
                    "Ditetapkan di Kelurahan Oebufu.",
                    ResponseStatus.ACCEPTED,
                ),
            ],
        ),
    ]
    for title, kind, number, days, inputs in plans:
        if title in existing:
            continue
        day = today - timedelta(days=days)
        entry = actions.create_record(
            actor=secretariat,
            local_government=lg,
            title=title,
            kind=kind,
            indicator=_indicator(number),
            date=day,
            description="",
        )
        for source, name, forum, text, response, status in inputs:
            actions.add_input(
                entry,
                actor=secretariat,
                source_kind=source,
                source_name=name,
                child_forum=forum,
                date=day,
                text=text,
                response_text=response,
                response_status=status,
            )


def _consultations(lg, secretariat, today) -> None:
    existing = set(lg.public_consultations.values_list("title", flat=True))
    open_title = "Rancangan Peraturan Wali Kota tentang Kawasan Tanpa Rokok di sekitar sekolah"
    if open_title not in existing:
        consultation = actions.create_public_consultation(
            actor=secretariat,
            local_government=lg,
            title=open_title,
            kind=PolicyKind.REGULATION,
            indicator=_indicator(16),
            summary="Larangan merokok, iklan dan penjualan rokok dalam radius 100 meter dari "
            "sekolah, taman bermain dan tempat ibadah.",
            body="Pasal 1\nKawasan tanpa rokok meliputi satuan pendidikan, tempat bermain anak, "
            "fasilitas kesehatan dan tempat ibadah.\n\nPasal 2\nSetiap orang dilarang merokok, "
            "menjual, mengiklankan dan mempromosikan rokok di kawasan tanpa rokok.\n\nPasal 3\n"
            "Pengawasan dilakukan oleh Satuan Polisi Pamong Praja bersama perangkat daerah "
            "terkait.",
            opens_on=today - timedelta(days=7),
            closes_on=today + timedelta(days=21),
        )
        child = actions.submit_public_comment(
            consultation,
            text="Di depan sekolah kami masih ada kios yang jual rokok. Tolong radiusnya "
            "dihitung dari pagar sekolah.",
            name="Nadia",
            is_child=True,
            age_group="14_17",
        )
        actions.moderate_comment(child, actor=secretariat, decision=actions.APPROVE)
        actions.respond_to_comment(
            child,
            actor=secretariat,
            response_text="Terima kasih. Radius akan dihitung dari batas terluar pagar.",
            response_status=ResponseStatus.ACCEPTED,
        )
        actions.submit_public_comment(
            consultation,
            text="Bagaimana dengan warung milik warga yang sudah lama berjualan di sana?",
            age_group="30_59",
        )

    closed_title = "Rancangan Rencana Aksi Daerah KLA Kota Kupang 2027–2031"
    if closed_title not in existing:
        opens, closes = today - timedelta(days=75), today - timedelta(days=45)
        consultation = actions.create_public_consultation(
            actor=secretariat,
            local_government=lg,
            title=closed_title,
            kind=PolicyKind.PLAN,
            indicator=_indicator(2),
            summary="Program dan kegiatan lima klaster hak anak untuk lima tahun ke depan.",
            body="Bab I Pendahuluan\n\nBab II Kondisi pemenuhan hak anak\n\nBab III Program "
            "dan kegiatan per klaster\n\nBab IV Pemantauan dan evaluasi",
            opens_on=opens,
            closes_on=closes,
        )
        comments = [
            (
                "Kami ingin ada pojok baca di setiap kelurahan.",
                "",
                True,
                "10_13",
                "Dimasukkan dalam program Klaster IV.",
                ResponseStatus.ACCEPTED,
                True,
            ),
            (
                "Tambahkan kelas pengasuhan untuk ayah, tidak hanya ibu.",
                "Bapak Yosef",
                False,
                "30_59",
                "Dimasukkan sebagai kegiatan PUSPAGA, sebagian.",
                ResponseStatus.PARTLY,
                True,
            ),
            ("Beli obat murah di www.contoh-iklan.test", "", False, "", "", "", False),
        ]
        for i, (text, name, is_child, age, response, status, approve) in enumerate(comments):
            comment = actions.submit_public_comment(
                consultation,
                text=text,
                name=name,
                is_child=is_child,
                age_group=age,
                now=_at(opens + timedelta(days=3 + i)),
            )
            decision = actions.APPROVE if approve else actions.REJECT
            actions.moderate_comment(comment, actor=secretariat, decision=decision)
            if approve:
                actions.respond_to_comment(
                    comment, actor=secretariat, response_text=response, response_status=status
                )
        actions.convert_to_record(consultation, actor=secretariat, today=today)


PARTNERS = [
    # abbreviation of the agency, component, name, contributions (years ago, kind, text, Rp, no.)
    (
        "PKK",
        PartnerComponent.COMMUNITY,
        "Tim Penggerak PKK Kota Kupang",
        [
            (
                1,
                ContributionKind.INFORMATION,
                "Sosialisasi pengasuhan positif di 10 kelurahan.",
                None,
                8,
            ),
            (
                0,
                ContributionKind.ASSISTANCE,
                "Pendampingan keluarga dengan balita gizi kurang.",
                25_000_000,
                12,
            ),
        ],
    ),
    (
        "Bank NTT",
        PartnerComponent.BUSINESS,
        "PT Bank Pembangunan Daerah NTT (program CSR)",
        [
            (
                1,
                ContributionKind.MONEY,
                "Beasiswa bagi 100 anak dari keluarga prasejahtera.",
                150_000_000,
                18,
            ),
            (
                0,
                ContributionKind.FACILITIES,
                "Pembangunan Ruang Bermain Ramah Anak di Oebufu.",
                350_000_000,
                10,
            ),
        ],
    ),
    (
        "Pos Kupang",
        PartnerComponent.MEDIA,
        "Harian Pos Kupang",
        [
            (
                0,
                ContributionKind.INFORMATION,
                "Rubrik mingguan “Suara Anak” yang ditulis Forum Anak.",
                None,
                5,
            ),
        ],
    ),
]


def _partners(lg, secretariat, today) -> None:
    existing = set(lg.partners.values_list("name", flat=True))
    agencies = {a.abbreviation: a for a in lg.agencies.all()}
    for abbreviation, component, name, contributions in PARTNERS:
        if name in existing:
            continue
        agency = agencies.get(abbreviation)
        if agency is not None and lg.partners.filter(agency=agency).exists():
            continue
        partner = actions.create_partner(
            actor=secretariat,
            local_government=lg,
            component=component,
            name=name,
            agency=agency
            if agency is not None and agency.kind in actions.PARTNER_AGENCY_KINDS
            else None,
        )
        for years_ago, kind, text, value, number in contributions:
            actions.add_contribution(
                partner,
                actor=secretariat,
                year=today.year - years_ago,
                kind=kind,
                description=text,
                value=value,
                indicator=_indicator(number),
            )


def load_demo_participation(*, lg, admin, secretariat) -> None:
    """Kota Kupang's Forum Anak, consultations and partners. `admin` is accepted for symmetry
    with the other loaders; everything is done by the secretariat, as in real life."""
    today = timezone.localdate()
    forums = _forums(lg, secretariat, today)
    _records(lg, secretariat, today, forums)
    _consultations(lg, secretariat, today)
    _partners(lg, secretariat, today)
