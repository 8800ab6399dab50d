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

from . import statistics as stats

router = Router(tags=["perlindungan: statistik"])

UNKNOWN_KEY = "unknown"
FROM = Query(
    None, alias="from", description="Awal rentang (YYYY-MM-DD); bawaan 1 Januari tahun ini"
)
TO = Query(None, description="Akhir rentang (YYYY-MM-DD); bawaan hari ini")


class StatisticsOut(Schema):
    local_government: str
    from_: date = Field(..., alias="from")
    to: date
    total_cases: int = Field(..., description="Kasus yang diterima pada rentang tanggal")
    total_victims: int = Field(
        ..., description="Anak korban; kasus tanpa data anak dihitung satu anak"
    )
    by_type: dict[str, int] = Field(
        ...,
        description='Anak korban per jenis kasus (satu anak dapat punya beberapa jenis); "unknown" '
        "= jenis belum dicatat",
    )
    by_month: dict[str, int] = Field(..., description='Anak korban per bulan "YYYY-MM"')
    by_sex: dict[str, int] = Field(..., description='"L", "P", "unknown"')
    by_age_group: dict[str, int] = Field(..., description='"0-5", "6-12", "13-17", "unknown"')
    served: int = Field(..., description="Anak korban yang mendapat setidaknya satu layanan")

    model_config = {"populate_by_name": True}


def _keyed(table: dict[str, int]) -> dict[str, int]:
    return {key or UNKNOWN_KEY: n for key, n in table.items()}


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
    from_: SaneDate | None = FROM,
    to: SaneDate | None = TO,
):
    lg = get_local_government_for_user(request.user, code, perm=Perm.VIEW_PROTECTION_STATS)
    default_start, default_end = stats.default_range(timezone.localdate())
    start, end = from_ or default_start, to or default_end
    if start > end:
        return Status(
            422,
            {
                "detail": _("Tanggal awal sesudah tanggal akhir."),
                "errors": {"from": [_("Harus sama dengan atau sebelum tanggal akhir.")]},
            },
        )
    data = stats.counts(lg, start, end)
    t = data.tables
    return {
        "local_government": lg.code,
        "from": start,
        "to": end,
        "total_cases": data.cases.total_cases,
        "total_victims": data.total_victims,
        "by_type": _keyed(t["by_type"]),
        "by_month": {m: t["by_month"].get(m, 0) for m in stats.months_between(start, end)},
        "by_sex": _keyed(t["by_sex"]),
        "by_age_group": _keyed(t["by_age_group"]),
        "served": t["served"]["served"],
    }
