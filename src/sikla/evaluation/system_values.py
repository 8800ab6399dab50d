"""Values SIKLA computes itself for questions that are answered by hand, shown beside them so
the answer can follow the system's own records (issue 6: the child-friendly village shares feed
indicator 2's questions). Each entry: question code → (value, what it is computed from, link)."""

from decimal import Decimal

from django.urls import reverse
from django.utils.translation import gettext as _

# question code → key of sikla.villages.queries.shares()
VILLAGE_SHARES = {
    "2.4": "pct_districts_declared",
    "2.5": "pct_villages_declared",
    "2.6": "pct_patbm",
}


def system_values(period, number: int) -> dict[str, tuple[Decimal, str, str]]:
    if number != 2:
        return {}
    from sikla.villages.queries import shares

    lg = period.local_government
    values = shares(lg, period.data_year)
    source = _("dihitung dari status desa/kelurahan dan kecamatan layak anak, tahun data %(y)s") % {
        "y": period.data_year
    }
    link = reverse("villages:overview", args=[lg.code]) + f"?tahun={period.data_year}"
    return {code: (values[key], source, link) for code, key in VILLAGE_SHARES.items()}
