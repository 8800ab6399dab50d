"""Demo population figures of Kota Kupang for the children's profile, entered through the real
action by the secretariat: data years 2025 and 2026, about 117,000 children (≈ 29 % of the
404,120 inhabitants in `regions/data/penduduk_wilayah.csv`) over the 6 kecamatan. Idempotent:
the action writes nothing when the figures are already there.
"""

from __future__ import annotations

from django.utils import timezone

from . import actions
from .models import AGE_GROUPS, SEXES
from .profile import districts_of

# Share of the city's children living in each kecamatan (plausible, from the kecamatan sizes).
DISTRICT_SHARES = {
    "53.71.01": 0.16,  # Alak
    "53.71.02": 0.22,  # Maulafa
    "53.71.03": 0.20,  # Kelapa Lima
    "53.71.04": 0.23,  # Oebobo
    "53.71.05": 0.12,  # Kota Raja
    "53.71.06": 0.07,  # Kota Lama
}
AGE_SHARES = {"0-5": 0.34, "6-12": 0.39, "13-17": 0.27}
MALE_SHARE = 0.51
CHILDREN = {2025: 116_780, 2026: 117_540}
SOURCES = {
    2025: "Disdukcapil Kota Kupang, data konsolidasi bersih (DKB) semester II 2025",
    2026: "Disdukcapil Kota Kupang, data konsolidasi bersih (DKB) semester I 2026",
}


def figures_for(lg, total: int) -> dict:
    districts = [code for code, _name in districts_of(lg)]
    weights = {code: DISTRICT_SHARES.get(code, 1 / max(len(districts), 1)) for code in districts}
    whole = sum(weights.values()) or 1
    figures = {}
    for code in districts:
        for sex in SEXES:
            sex_share = MALE_SHARE if sex == "L" else 1 - MALE_SHARE
            for age in AGE_GROUPS:
                n = total * weights[code] / whole * sex_share * AGE_SHARES[str(age)]
                figures[(code, str(sex), str(age))] = round(n)
    return figures


def load_demo_profile(*, lg, secretariat) -> None:
    this_year = timezone.localdate().year
    for year, total in CHILDREN.items():
        if year > this_year:
            continue  # a data year cannot lie in the future
        actions.save_population(
            actor=secretariat,
            local_government=lg,
            year=year,
            source=SOURCES[year],
            figures=figures_for(lg, total),
        )
