"""De-identified protection statistics API: counts only, for every role within its scope. The
same reads as the statistics page (`statistics.py`)."""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from sikla.accounts.rules import Perm
from sikla.core.api_schemas import responses
from sikla.core.validation import SaneDate
from sikla.organisations.access import get_local_government_for_user

from . import disclosure
from . import statistics as stats

router = Router(tags=["perlindungan: statistik"])

UNKNOWN_KEY = "unknown"
FROM = Query(
    None, alias="from", description="Awal rentang (YYYY-MM-DD); bawaan 1 Januari tahun ini"
)
TO = Query(None, description="Akhir rentang (YYYY-MM-DD); bawaan hari ini")


PERIOD = Query(
    None,
    description="Periode terbitan yang sudah berakhir: tahun (2025), triwulan (2025-T3) atau bulan "
    "(2025-07). Di luar UPTD PPA hanya periode; bawaan triwulan terakhir yang sudah berakhir.",
)
Count = int | None  # None: hidden (1–4, or a count that would reveal one)


class StatisticsOut(Schema):
    local_government: str
    period: str | None = Field(
        ..., description="Periode terbitan; null untuk rentang tanggal persis (UPTD PPA)"
    )
    controlled: bool = Field(
        ...,
        description="true: angka terbitan dengan penyamaran (null = disamarkan: 1–4 anak atau "
        "angka yang dapat dipakai menghitungnya); false: angka persis untuk UPTD PPA",
    )
    from_: date = Field(..., alias="from")
    to: date
    total_cases: Count = Field(..., description="Kasus yang diterima pada periode")
    total_victims: Count = Field(
        ..., description="Anak korban; kasus tanpa data anak dihitung satu anak"
    )
    by_type: dict[str, Count] = Field(
        ...,
        description='Anak korban per jenis kasus (satu anak dapat punya beberapa jenis); "unknown" '
        "= jenis belum dicatat",
    )
    by_month: dict[str, Count] = Field(..., description='Anak korban per bulan "YYYY-MM"')
    by_sex: dict[str, Count] = Field(..., description='"L", "P", "unknown"')
    by_age_group: dict[str, Count] = Field(..., description='"0-5", "6-12", "13-17", "unknown"')
    served: Count = Field(..., description="Anak korban yang mendapat setidaknya satu layanan")

    model_config = {"populate_by_name": True}


def _n(value) -> int | None:
    return value if isinstance(value, int) else None


def _keyed(table: dict) -> dict[str, int | None]:
    return {key or UNKNOWN_KEY: _n(n) for key, n in table.items()}


def _problem(detail: str, field: str, message: str):
    return Status(422, {"detail": detail, "errors": {field: [message]}})


@router.get(
    "/local-governments/{code}/protection/statistics",
    response=responses(StatisticsOut),
    url_name="protection_statistics",
    by_alias=True,
    summary="Statistik perlindungan anak tanpa identitas (jumlah saja)",
)
def statistics(
    request,
    code: str,
    period: str | None = PERIOD,
    from_: SaneDate | None = FROM,
    to: SaneDate | None = TO,
):
    lg = get_local_government_for_user(request.user, code, perm=Perm.VIEW_PROTECTION_STATS)
    today = timezone.localdate()
    exact = disclosure.sees_exact(request.user, lg)
    if (from_ or to) and (period or not exact):
        return _problem(
            _("Rentang tanggal hanya untuk UPTD PPA; gunakan periode yang sudah berakhir."),
            "from",
            _("Gunakan parameter period (2025, 2025-T3 atau 2025-07)."),
        )
    if exact and not period:
        default_start, default_end = stats.default_range(today)
        start, end = from_ or default_start, to or default_end
        if start > end:
            return _problem(
                _("Tanggal awal sesudah tanggal akhir."),
                "from",
                _("Harus sama dengan atau sebelum tanggal akhir."),
            )
        data, token = stats.counts(lg, start, end), None
        total_victims = data.total_victims
    else:
        chosen = (
            disclosure.Period.parse(period) if period else disclosure.latest_ended(today, "quarter")
        )
        problem = disclosure.period_problem(chosen, today)
        if problem:
            return _problem(problem, "period", problem)
        data = disclosure.published(lg, chosen, today)
        start, end, token = chosen.start, chosen.end, chosen.token
        total_victims = data.total_victims
    t = data.tables
    return {
        "local_government": lg.code,
        "period": token,
        "controlled": token is not None,
        "from": start,
        "to": end,
        "total_cases": _n(data.cases.total_cases),
        "total_victims": _n(total_victims),
        "by_type": _keyed(t["by_type"]),
        "by_month": {m: _n(t["by_month"].get(m, 0)) for m in stats.months_between(start, end)},
        "by_sex": _keyed(t["by_sex"]),
        "by_age_group": _keyed(t["by_age_group"]),
        "served": _n(t["served"]["served"]),
    }
