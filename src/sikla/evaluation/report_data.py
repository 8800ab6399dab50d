"""What an evaluation report holds, as plain data: filled by `queries.report_data`, rendered by
`reports.build_pdf` / `reports.build_xlsx`. No database here, so the renderers test alone."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal


@dataclass
class ReportEvidence:
    title: str
    file_name: str  # as it downloads: "bukti-2025-4-1a2b3c4d.pdf"
    reference: str  # as SIKLA shows it beside the document: "B-1A2B3C4D"


@dataclass
class ReportQuestion:
    code: str
    text: str
    answer: str  # as shown to people: "Ya", "Perda telah ditetapkan…", "87,5%", "—"
    points: Decimal
    max_points: Decimal
    evidence: list[ReportEvidence] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)  # e.g. "Bukti dukung belum ada"


@dataclass
class ReportIndicator:
    number: int
    name: str
    cluster: int
    lead_agency: str
    score: Decimal
    max_points: Decimal
    last_year: Decimal | None
    questions: list[ReportQuestion] = field(default_factory=list)


@dataclass
class ReportCluster:
    number: int
    label: str  # "Kelembagaan", "Klaster I" …
    name: str
    score: Decimal
    max_points: Decimal


@dataclass
class ReportGap:
    number: int
    name: str
    lost: Decimal
    lead_agency: str


@dataclass
class ReportStage:
    label: str  # "Penilaian mandiri", "Verifikasi administrasi (provinsi)" …
    total: Decimal
    category: str


@dataclass
class ReportSignature:
    role: str  # "Ketua Gugus Tugas KLA"
    name: str
    position: str


@dataclass
class ReportData:
    local_government: str  # "Kota Kupang"
    code: str  # "53.71"
    province: str  # "Nusa Tenggara Timur"
    year: int
    data_year: int
    stage: str
    total: Decimal
    max_total: Decimal
    category: str  # "" when below the lowest category
    next_category: str  # "Untuk mencapai Madya diperlukan 37,50 poin lagi." or ""
    capped_by: list[str]
    generated_at: datetime
    letterhead: list[str]  # lines under the name: address, phone, e-mail, website
    logo: bytes | None
    clusters: list[ReportCluster]
    indicators: list[ReportIndicator]
    gaps: list[ReportGap]  # sorted, most points lost first
    missing_evidence: list[ReportQuestion]
    stages: list[ReportStage]
    signatures: list[ReportSignature]
