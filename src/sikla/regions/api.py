from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from sikla.core.api_schemas import responses

from .models import Region

router = Router(tags=["wilayah"])


class RegionRef(Schema):
    code: str
    name: str
    level: str


class RegionOut(RegionRef):
    parent: str | None
    is_active: bool
    population: int | None
    children: list[RegionRef]


@router.get(
    "/{code}", response=responses(RegionOut), auth=None, summary="Satu wilayah dan anak-anaknya"
)
def region_detail(request, code: str):
    region = get_object_or_404(Region, code=code)
    return {
        "code": region.code,
        "name": region.name,
        "level": region.level,
        "parent": region.parent_id,
        "is_active": region.is_active,
        "population": region.population,
        "children": list(
            region.children.filter(is_active=True).order_by("code").values("code", "name", "level")
        ),
    }
