from django.db.models import Q, QuerySet

from .models import Region


def descendants(code: str) -> QuerySet[Region]:
    """Every region below `code` — a prefix match served by the code's pattern index."""
    return Region.objects.filter(code__startswith=code + ".")


def children_of(code: str | None, *, include_inactive: bool = False) -> QuerySet[Region]:
    qs = Region.objects.filter(parent_id=code) if code else Region.objects.filter(level="province")
    return qs if include_inactive else qs.filter(is_active=True)


def search_regions(term: str) -> QuerySet[Region]:
    term = term.strip()
    return Region.objects.filter(Q(code__startswith=term) | Q(name__icontains=term)).order_by(
        "code"
    )
