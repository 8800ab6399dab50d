from functools import lru_cache

from django.db.models import Count, Prefetch, QuerySet, Sum
from django.http import Http404

from .models import CatalogVersion, CategoryBound, Cluster, Indicator, Question


def active_catalog() -> CatalogVersion | None:
    return CatalogVersion.objects.filter(is_active=True).first()


def catalog_indicators(catalog: CatalogVersion) -> tuple[Indicator, ...]:
    """The version's indicators in order, each with its cluster and its questions (in order):
    read once per process and kept until the catalog is re-loaded, which changes its checksum
    (as the scoring instrument is, `evaluation.queries.instrument_for`). Shared by every request
    of the process: read them, never change them."""
    return _catalog_indicators(catalog.pk, catalog.checksum)


@lru_cache(maxsize=8)
def _catalog_indicators(catalog_id: int, checksum: str) -> tuple[Indicator, ...]:
    return tuple(
        Indicator.objects.filter(version_id=catalog_id)
        .select_related("cluster")
        .prefetch_related(Prefetch("questions", queryset=Question.objects.order_by("order")))
        .order_by("number")
    )


def catalog_categories(catalog: CatalogVersion) -> tuple[CategoryBound, ...]:
    """The version's categories, lowest first; kept per process as `catalog_indicators` is."""
    return _catalog_categories(catalog.pk, catalog.checksum)


@lru_cache(maxsize=8)
def _catalog_categories(catalog_id: int, checksum: str) -> tuple[CategoryBound, ...]:
    return tuple(CategoryBound.objects.filter(version_id=catalog_id).order_by("order"))


def indicator_names(catalog: CatalogVersion | None = None) -> list[tuple[int, str]]:
    """(number, name) of the catalog's indicators (the active one's when not given), in order."""
    catalog = catalog or active_catalog()
    return [(i.number, i.name) for i in catalog_indicators(catalog)] if catalog else []


def catalog_version(code: str | None) -> CatalogVersion:
    """The named version, or the active one; 404 when neither exists."""
    qs = CatalogVersion.objects.all()
    version = qs.filter(code=code).first() if code else qs.filter(is_active=True).first()
    if version is None:
        raise Http404
    return version


def clusters_of(version: CatalogVersion) -> QuerySet[Cluster]:
    indicators = Indicator.objects.annotate(question_count=Count("questions")).order_by("number")
    return (
        version.clusters.annotate(total_points=Sum("indicators__max_points"))
        .prefetch_related(Prefetch("indicators", queryset=indicators))
        .order_by("number")
    )


def indicator_of(version: CatalogVersion, number: int) -> Indicator:
    try:
        return (
            version.indicators.select_related("cluster")
            .prefetch_related(Prefetch("questions", queryset=Question.objects.order_by("order")))
            .get(number=number)
        )
    except Indicator.DoesNotExist:
        raise Http404 from None
