"""The children's profile as numbers: the same `build_profile` the page and the PDF show.
Everyone in scope reads (access.py); no identities, no kelurahan counts of victims."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Router, Schema

from sikla.core.api_schemas import DecimalText, responses

from .access import get_profile_lg_for_user
from .models import AGE_GROUPS, SEXES
from .profile import build_profile

router = Router(tags=["profil anak"])


class DistrictPopulationOut(Schema):
    code: str
    name: str
    total: int
    by_sex_age: dict[str, dict[str, int]] = Field(..., description="jenis kelamin → umur → jumlah")


class PopulationOut(Schema):
    entered: bool
    source: str
    total: int
    by_sex: dict[str, int] = Field(..., description='"L", "P" → jumlah anak')
    by_age_group: dict[str, int] = Field(..., description='"0-5", "6-12", "13-17" → jumlah anak')
    districts: list[DistrictPopulationOut]


class ProfileIndicatorOut(Schema):
    number: int
    name: str
    available: bool
    value: DecimalText | None = Field(..., description="persentase kab/kota; null = belum tersedia")
    numerator: DecimalText | None
    denominator: DecimalText | None
    by_sex: dict[str, DecimalText | None]
    lower_is_better: bool
    status: str = Field(..., description="mengapa nilai belum tersedia; kosong bila tersedia")
    source: str


Hidden = int | None  # None: hidden (1–4, or a count that would reveal one)


def _hidden(value) -> int | None:
    return value if isinstance(value, int) else None


class CountOut(Schema):
    code: str
    label: str
    children: Hidden


class ProfileProtectionOut(Schema):
    published: bool = Field(..., description="false selama tahunnya belum berakhir")
    total_cases: Hidden
    total_victims: Hidden
    served: Hidden
    by_type: list[CountOut]
    by_sex: dict[str, Hidden] = Field(..., description='"L", "P", "" (tidak dicatat) → anak')
    by_age_group: dict[str, Hidden] = Field(..., description='"0-5" … "" (tidak dicatat) → anak')
    by_district: list[CountOut]
    source: str


class ProfileVillagesOut(Schema):
    declared_villages: int
    total_villages: int
    pct_villages: DecimalText
    villages_with_patbm: int
    declared_districts: int
    total_districts: int
    pct_districts: DecimalText
    source: str


class ForumOut(Schema):
    regency_forum: bool
    districts_with_forum: int
    districts_total: int
    villages_with_forum: int
    villages_total: int
    members: int
    source: str


class SourceOut(Schema):
    section: str
    source: str


class ChildrenProfileOut(Schema):
    local_government: str
    name: str
    year: int
    generated_at: datetime
    population: PopulationOut
    indicators: list[ProfileIndicatorOut]
    protection: ProfileProtectionOut
    villages: ProfileVillagesOut
    forums: ForumOut
    sources: list[SourceOut]


@router.get(
    "/local-governments/{code}/children-profile/{year}",
    response=responses(ChildrenProfileOut),
    url_name="children_profile",
    summary="Profil anak kabupaten/kota untuk satu tahun data, dengan sumber datanya",
)
def children_profile(request, code: str, year: int):
    lg = get_profile_lg_for_user(request.user, code, year)
    p = build_profile(lg, year)
    pop, pr = p.population, p.protection
    return {
        "local_government": p.code,
        "name": p.local_government,
        "year": p.year,
        "generated_at": p.generated_at,
        "population": {
            "entered": pop.entered,
            "source": pop.source,
            "total": pop.total,
            "by_sex": pop.by_sex,
            "by_age_group": pop.by_age,
            "districts": [
                {
                    "code": d.code,
                    "name": d.name,
                    "total": d.total,
                    "by_sex_age": {
                        str(s): {str(a): d.cells[(str(s), str(a))] for a in AGE_GROUPS}
                        for s in SEXES
                    },
                }
                for d in pop.districts
            ],
        },
        "indicators": [
            {
                "number": i.number,
                "name": i.name,
                "available": i.available,
                "value": i.value,
                "numerator": i.numerator,
                "denominator": i.denominator,
                "by_sex": i.by_sex,
                "lower_is_better": i.lower_is_better,
                "status": i.status,
                "source": i.source,
            }
            for i in p.indicators
        ],
        "protection": {
            "published": pr.published,
            "total_cases": _hidden(pr.total_cases),
            "total_victims": _hidden(pr.total_victims),
            "served": _hidden(pr.served),
            "by_type": [
                {"code": c, "label": lbl, "children": _hidden(n)} for c, lbl, n in pr.by_type
            ],
            "by_sex": {k: _hidden(n) for k, n in pr.by_sex.items()},
            "by_age_group": {k: _hidden(n) for k, n in pr.by_age.items()},
            "by_district": [
                {"code": c, "label": name, "children": _hidden(n)} for c, name, n in pr.by_district
            ],
            "source": pr.source,
        },
        "villages": vars(p.villages),
        "forums": vars(p.forums),
        "sources": [{"section": s, "source": t} for s, t in p.sources],
    }
