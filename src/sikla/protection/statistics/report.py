"""The report the statistics page and the workbook show: titled tables with the small counts
hidden as `disclosure/` says, the charts, the period's words."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import dateformat
from django.utils.formats import get_format, number_format
from django.utils.translation import gettext as _

from sikla.core import public_cache
from sikla.core.choice_labels import labels_of
from sikla.regions.models import Region

from ..models import (
    Outcome,
    ProtectionType,
    ReferralKind,
    ReferralStatus,
    ServiceKind,
    Sex,
)
from .counting import (
    AGE_GROUPS,
    NOTE_EXACT,
    NOTE_PUBLISHED,
    SEXES,
    UNKNOWN,
    CaseTallies,
    area_codes,
    counts,
    months_between,
)

__all__ = [
    "Table",
    "display",
    "long_date",
    "month_label",
    "Report",
    "exact_report",
    "published_report",
]


@dataclass
class Table:
    """A titled table: the first column labels the row, the rest are counts (or "x", hidden)."""

    key: str
    title: str
    columns: list[str]
    rows: list[list]
    labels: int = 1  # how many leading columns are labels, not counts
    chart: str = ""  # the id of its chart's data in `Report.charts`, if any

    def display_rows(self) -> list[tuple[list, list[str]]]:
        """Each row as (its labels, its counts written as Indonesians write them: 1.234, 12,5,
        "x", "–"): the template tells a label from a count by the part it is in, not by a test
        for each cell (a kab/kota's 852 kelurahan)."""
        n = self.labels
        return [(row[:n], [display(v) for v in row[n:]]) for row in self.rows]

    def headings(self) -> tuple[list[str], list[str]]:
        """The columns' headings: those of the labels, those of the counts."""
        return self.columns[: self.labels], self.columns[self.labels :]


def display(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, bool):
        return _("ya") if value else _("tidak")
    if isinstance(value, int):
        # Django's number_format, written by Python's own grouping (both languages group by
        # three): a kelurahan table has a count on each of its 852 rows
        return f"{value:,}".replace(",", get_format("THOUSAND_SEPARATOR"))
    if isinstance(value, float):
        return number_format(round(value, 1), 1, use_l10n=True, force_grouping=True)
    return str(value)


def long_date(day: date) -> str:
    """22 November 2026, in the active language."""
    return dateformat.format(day, "j F Y")


def month_label(month: str) -> str:
    year, number = month.split("-")
    return dateformat.format(date(int(year), int(number), 1), "F Y")


@dataclass
class Report:
    local_government: str
    code: str
    start: date
    end: date
    period_label: str
    controlled: bool  # the published counts of a period (`disclosure`), not the exact ones
    period_token: str  # "" for an exact range
    total_cases: int | str
    total_victims: int | str
    served: int | str
    cases: CaseTallies
    tables: list[Table]
    charts: dict[str, dict]

    @property
    def note(self) -> str:
        return str(NOTE_PUBLISHED if self.controlled else NOTE_EXACT)

    @property
    def served_share(self) -> float | None:
        if isinstance(self.served, int) and isinstance(self.total_victims, int):
            return self.served * 100 / self.total_victims if self.total_victims else None
        return None

    @property
    def shown(self) -> dict[str, str]:
        return {
            "total_cases": display(self.total_cases),
            "total_victims": display(self.total_victims),
            "served": display(self.served),
        }

    @property
    def empty(self) -> bool:
        return self.total_cases == 0


def _chart(label: str, labels: list[str], data: list) -> dict:
    numbers = [n if isinstance(n, int) else None for n in data]  # a hidden count: no bar
    return {"labels": labels, "datasets": [{"label": label, "data": numbers}]}


def exact_report(local_government, start: date, end: date) -> Report:
    """The UPTD PPA's own view: the exact counts of the cases received in [start, end]."""
    return _report(
        local_government,
        counts(local_government, start, end),
        start,
        end,
        label=f"{long_date(start)} – {long_date(end)}",
        token="",
    )


def published_report(local_government, period, today: date) -> Report:
    """What anyone outside the UPTD PPA sees: the published counts of an ended period."""
    from .. import disclosure

    def build() -> Report:
        data = disclosure.published(local_government, period, today)
        return _report(
            local_government, data, period.start, period.end, label=period.label, token=period.token
        )

    # The same for every reader outside the unit: kept until a protection action of the
    # kab/kota moves its version on (`core.public_cache`).
    return public_cache.get_or_build(
        f"protection-published-report:{period.token}", local_government.pk, build
    )


def _report(local_government, data, start: date, end: date, *, label: str, token: str) -> Report:
    """Everything the statistics page and workbook show, from exact `Counts` or from
    `disclosure.Published` (the same shapes; hidden counts are "x")."""
    from .. import disclosure

    t = data.tables
    unknown = _("Tidak dicatat")
    areas = disclosure.areas_of(local_government, t["by_kecamatan"], t["by_kelurahan"])
    # the names of the kab/kota's regions: a range of the code's index, rather than a list of
    # its 880 codes to look up one by one (Aceh Utara: 15 → 1 ms)
    code = getattr(local_government, "pk", local_government)
    names = (
        dict(Region.objects.filter(code__startswith=f"{code}.").values_list("code", "name"))
        if areas.kecamatan or areas.kelurahan
        else {}
    )

    def place(code: str) -> str:
        return f"{names.get(code, code)} ({code})" if code else unknown

    kecamatan = {code: t["by_kecamatan"].get(code, 0) for code in (*areas.kecamatan, "")}
    kelurahan = {code: t["by_kelurahan"].get(code, 0) for code in (*areas.kelurahan, "")}
    if not kecamatan[""]:
        kecamatan.pop("")
    if not kelurahan[""]:
        kelurahan.pop("")
    by_month = {m: t["by_month"].get(m, 0) for m in months_between(start, end)}
    type_labels = {**labels_of(ProtectionType), UNKNOWN: _("Jenis belum dicatat")}
    by_type = {k: n for k, n in t["by_type"].items() if k or n}
    sex_labels = {**labels_of(Sex), UNKNOWN: unknown}
    age_labels = {
        "0-5": _("0–5 tahun"),
        "6-12": _("6–12 tahun"),
        "13-17": _("13–17 tahun"),
        UNKNOWN: _("Umur tidak dicatat"),
    }
    c = data.cases
    status_labels = labels_of(ReferralStatus)
    tables = [
        Table(
            "month",
            _("Anak korban per bulan"),
            [_("Bulan"), _("Jumlah anak")],
            [[month_label(m), n] for m, n in by_month.items()],
            chart="chart-month",
        ),
        Table(
            "type",
            _("Anak korban per jenis kasus"),
            [_("Jenis"), _("Jumlah anak")],
            [[type_labels.get(k, k), n] for k, n in by_type.items()],
            chart="chart-type",
        ),
        Table(
            "sex_age",
            _("Per jenis kelamin dan kelompok umur"),
            [_("Jenis kelamin"), *(age_labels[a] for a in AGE_GROUPS), _("Jumlah")],
            [
                [sex_labels[s], *(t["by_sex_age"][s][a] for a in AGE_GROUPS), t["by_sex"][s]]
                for s in SEXES
            ]
            + [[_("Jumlah"), *(t["by_age_group"][a] for a in AGE_GROUPS), data.total_victims]],
        ),
        Table(
            "kecamatan",
            _("Per kecamatan"),
            [_("Kecamatan"), _("Jumlah anak")],
            [[place(code), n] for code, n in kecamatan.items()],
        ),
        Table(
            "kelurahan",
            _("Per kelurahan/desa"),
            [_("Kelurahan/desa"), _("Kecamatan"), _("Jumlah anak")],
            [
                [place(code), place(area_codes(code)[0]) if code else "", n]
                for code, n in kelurahan.items()
            ],
            labels=2,
        ),
        Table(
            "served",
            _("Anak yang terlayani dan dirujuk"),
            [_("Keadaan"), _("Jumlah anak")],
            [
                [_("Terlayani (ada layanan)"), t["served"]["served"]],
                [_("Belum terlayani"), t["served"]["not_served"]],
                [_("Kasusnya dirujuk/dialihkan"), t["referred"]["referred"]],
                [_("Kasusnya tidak dirujuk"), t["referred"]["not_referred"]],
            ],
        ),
        Table(
            "service",
            _("Layanan yang diberikan"),
            [_("Layanan"), _("Jumlah layanan")],
            [[label, c.services_by_kind.get(k, 0)] for k, label in labels_of(ServiceKind).items()],
        ),
        Table(
            "referral",
            _("Rujukan dan pengalihan"),
            [_("Jenis"), *status_labels.values(), _("Jumlah")],
            [
                [
                    label,
                    *(c.referrals.get((kind, s), 0) for s in status_labels),
                    c.referral_total(kind),
                ]
                for kind, label in labels_of(ReferralKind).items()
            ],
        ),
        Table(
            "outcome",
            _("Hasil penanganan kasus"),
            [_("Hasil"), _("Jumlah kasus")],
            [[label, c.outcomes.get(k, 0)] for k, label in labels_of(Outcome).items()]
            + [[_("Masih ditangani (belum ditutup)"), c.open_cases]],
        ),
        Table(
            "response",
            _("Waktu sampai respons pertama"),
            [_("Ukuran"), _("Nilai")],
            [
                [_("Kasus yang sudah direspons"), c.responded],
                [_("Median waktu respons (jam)"), c.median_hours],
                [_("Direspons dalam batas waktu"), c.within_target],
                [_("Direspons melewati batas waktu"), c.late],
                [_("Persentase dalam batas waktu (%)"), c.share_within_target],
                [_("Menunggu respons"), c.awaiting_response],
            ],
        ),
    ]
    charts = {
        "chart-month": _chart(
            _("Anak korban"), [month_label(m) for m in by_month], list(by_month.values())
        ),
        "chart-type": _chart(
            _("Anak korban"),
            [type_labels.get(k, k) for k in by_type],
            list(by_type.values()),
        ),
    }
    return Report(
        local_government=local_government.region.name,
        code=local_government.pk,
        start=start,
        end=end,
        period_label=label,
        controlled=token != "",
        period_token=token,
        total_cases=c.total_cases,
        total_victims=data.total_victims,
        served=t["served"]["served"],
        cases=c,
        tables=tables,
        charts=charts,
    )
