"""The code lists of the protection module, following SIMFONI-PPA (KLA-REFERENCE.md §4)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = [
    "Channel",
    "PublicStatus",
    "Urgency",
    "Risk",
    "DismissReason",
    "Place",
    "ReporterRelation",
    "ProtectionType",
    "TYPE_INDICATOR",
    "CaseStatus",
    "OPEN_STATUSES",
    "Outcome",
    "ResponsibleLevel",
    "Sex",
    "Relationship",
    "ServiceKind",
    "ReferralKind",
    "ReferralStatus",
    "GuardianRelation",
]


class Channel(models.TextChoices):
    WEB = "web", _("Pengaduan daring (masyarakat)")
    HOTLINE = "hotline", _("Telepon / hotline")
    WALK_IN = "walk_in", _("Datang langsung")
    SCHOOL = "school", _("Sekolah")
    POLICE = "police", _("Kepolisian")
    AGENCY = "agency", _("Instansi lain")
    CHILD_FORUM = "child_forum", _("Forum Anak")
    OUTREACH = "outreach", _("Temuan penjangkauan")


class PublicStatus(models.TextChoices):
    """All the public ever learns about a report."""

    RECEIVED = "received", _("Diterima")
    IN_HANDLING = "in_handling", _("Sedang ditangani")
    CLOSED = "closed", _("Selesai")


class Urgency(models.TextChoices):
    NORMAL = "normal", _("Biasa")
    URGENT = "urgent", _("Mendesak")
    EMERGENCY = "emergency", _("Darurat")


class Risk(models.TextChoices):
    LOW = "low", _("Rendah")
    MEDIUM = "medium", _("Sedang")
    HIGH = "high", _("Tinggi")


class DismissReason(models.TextChoices):
    SPAM = "spam", _("Bukan pengaduan (spam)")
    DUPLICATE = "duplicate", _("Duplikat pengaduan lain")
    NOT_A_CHILD = "not_a_child", _("Bukan perkara anak")
    OTHER_REGION = "other_region", _("Di luar wilayah, diteruskan")


class Place(models.TextChoices):
    """SIMFONI-PPA place categories."""

    HOUSEHOLD = "household", _("Rumah tangga")
    SCHOOL = "school", _("Sekolah")
    PUBLIC = "public", _("Fasilitas umum")
    WORKPLACE = "workplace", _("Tempat kerja")
    COURSE = "course", _("Lembaga pendidikan kilat")
    ONLINE = "online", _("Daring / media sosial")
    OTHER = "other", _("Lainnya")


class ReporterRelation(models.TextChoices):
    SELF = "self", _("Anak itu sendiri")
    PARENT = "parent", _("Orang tua / wali")
    FAMILY = "family", _("Keluarga lain")
    NEIGHBOUR = "neighbour", _("Tetangga / warga")
    TEACHER = "teacher", _("Guru / sekolah")
    FRIEND = "friend", _("Teman")
    OFFICIAL = "official", _("Petugas / instansi")
    OTHER = "other", _("Lainnya")


class ProtectionType(models.TextChoices):
    """Forms of violence (SIMFONI-PPA) and the other special-protection groups of cluster V
    (UU 35/2014 art. 59(2)). Bullying is its own tag for local reporting."""

    PHYSICAL = "physical", _("Kekerasan fisik")
    PSYCHOLOGICAL = "psychological", _("Kekerasan psikis")
    SEXUAL = "sexual", _("Kekerasan seksual")
    NEGLECT = "neglect", _("Penelantaran")
    BULLYING = "bullying", _("Perundungan")
    ECONOMIC_EXPLOITATION = "economic_exploitation", _("Eksploitasi ekonomi")
    SEXUAL_EXPLOITATION = "sexual_exploitation", _("Eksploitasi seksual")
    TRAFFICKING = "trafficking", _("Perdagangan orang")
    CHILD_LABOUR = "child_labour", _("Pekerja anak")
    CONFLICT_WITH_LAW = "conflict_with_law", _("Anak berhadapan dengan hukum")
    EMERGENCY = "emergency", _("Anak dalam situasi darurat (bencana, konflik)")
    MINORITY = "minority", _("Anak kelompok minoritas dan terisolasi")
    DRUGS = "drugs", _("Anak korban NAPZA")
    PORNOGRAPHY = "pornography", _("Anak korban pornografi")
    HIV = "hiv", _("Anak dengan HIV/AIDS")
    TERRORISM = "terrorism", _("Anak korban jaringan terorisme")
    DISABILITY = "disability", _("Anak penyandang disabilitas")
    STIGMA = "stigma", _("Anak korban stigmatisasi kondisi orang tua")
    OTHER = "other", _("Lainnya")


# Which cluster V indicator each type feeds (KLA-REFERENCE.md §2, indicators 21–24).
TYPE_INDICATOR: dict[str, int] = {
    **dict.fromkeys(
        [
            ProtectionType.PHYSICAL,
            ProtectionType.PSYCHOLOGICAL,
            ProtectionType.SEXUAL,
            ProtectionType.NEGLECT,
            ProtectionType.BULLYING,
            ProtectionType.ECONOMIC_EXPLOITATION,
            ProtectionType.SEXUAL_EXPLOITATION,
            ProtectionType.TRAFFICKING,
            ProtectionType.CHILD_LABOUR,
        ],
        21,
    ),
    **dict.fromkeys(
        [
            ProtectionType.PORNOGRAPHY,
            ProtectionType.DRUGS,
            ProtectionType.HIV,
            ProtectionType.EMERGENCY,
        ],
        22,
    ),
    **dict.fromkeys([ProtectionType.DISABILITY, ProtectionType.MINORITY], 23),
    **dict.fromkeys(
        [ProtectionType.CONFLICT_WITH_LAW, ProtectionType.TERRORISM, ProtectionType.STIGMA], 24
    ),
}


class CaseStatus(models.TextChoices):
    RECEIVED = "received", _("Diterima")
    ASSESSED = "assessed", _("Diasesmen")
    IN_SERVICE = "in_service", _("Dalam layanan")
    REFERRED = "referred", _("Dirujuk")
    CLOSED = "closed", _("Ditutup")


OPEN_STATUSES = [s for s in CaseStatus if s != CaseStatus.CLOSED]


class Outcome(models.TextChoices):
    RESOLVED = "resolved", _("Selesai ditangani")
    REINTEGRATED = "reintegrated", _("Reintegrasi / kembali ke keluarga")
    REFERRED = "referred", _("Selesai melalui rujukan")
    TRANSFERRED = "transferred", _("Dialihkan ke daerah lain")
    WITHDRAWN = "withdrawn", _("Dicabut oleh pelapor / keluarga")
    UNREACHABLE = "unreachable", _("Korban tidak dapat dijangkau")
    OTHER = "other", _("Lainnya")


class ResponsibleLevel(models.TextChoices):
    REGENCY = "regency", _("Kabupaten/kota")
    PROVINCE = "province", _("Provinsi")
    NATIONAL = "national", _("Pusat (lintas provinsi / negara)")


class Sex(models.TextChoices):
    # The codes of the data-collection module, so statistics feed indicator values directly.
    MALE = "L", _("Laki-laki")
    FEMALE = "P", _("Perempuan")


class Relationship(models.TextChoices):
    """SIMFONI-PPA relationship of the alleged perpetrator to the child."""

    PARENT = "parent", _("Orang tua")
    FAMILY = "family", _("Keluarga / saudara")
    SPOUSE = "spouse", _("Suami / istri")
    NEIGHBOUR = "neighbour", _("Tetangga")
    FRIEND = "friend", _("Pacar / teman")
    TEACHER = "teacher", _("Guru")
    EMPLOYER = "employer", _("Majikan")
    COWORKER = "coworker", _("Rekan kerja")
    OTHER = "other", _("Lainnya")
    UNKNOWN = "unknown", _("Tidak diketahui")


class ServiceKind(models.TextChoices):
    """The UPTD PPA services (PermenPPPA 2/2022) with the SIMFONI-PPA service codes."""

    COMPLAINT = "complaint", _("Penanganan pengaduan")
    OUTREACH = "outreach", _("Penjangkauan")
    CASE_MANAGEMENT = "case_management", _("Pengelolaan kasus")
    SHELTER = "shelter", _("Penampungan sementara")
    MEDIATION = "mediation", _("Mediasi")
    PSYCHOLOGICAL = "psychological", _("Pendampingan psikologis")
    LEGAL = "legal", _("Bantuan hukum")
    HEALTH = "health", _("Rujukan kesehatan")
    REHABILITATION = "rehabilitation", _("Rehabilitasi sosial")
    REINTEGRATION = "reintegration", _("Reintegrasi sosial")
    REPATRIATION = "repatriation", _("Pemulangan")
    RELIGIOUS = "religious", _("Bimbingan rohani")


class ReferralKind(models.TextChoices):
    REFERRAL = "referral", _("Rujukan ke lembaga lain")
    TRANSFER = "transfer", _("Pengalihan ke pemerintah daerah lain")


class ReferralStatus(models.TextChoices):
    SENT = "sent", _("Dikirim")
    ACCEPTED = "accepted", _("Diterima lembaga tujuan")
    DECLINED = "declined", _("Ditolak lembaga tujuan")
    COMPLETED = "completed", _("Selesai, ada umpan balik")


class GuardianRelation(models.TextChoices):
    PARENT = "parent", _("Orang tua")
    GUARDIAN = "guardian", _("Wali sah")
    FAMILY = "family", _("Keluarga")
    INSTITUTION = "institution", _("Lembaga pengasuhan")
