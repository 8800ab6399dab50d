from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .models import Region
from .queries import children_of, search_regions

PAGE_SIZE = 50


@require_GET
def browse(request: HttpRequest, code: str | None = None) -> HttpResponse:
    region = None
    if code:
        region = Region.objects.select_related("parent").filter(code=code).first()
        if region is None:
            raise Http404
    term = request.GET.get("q", "").strip()[:60]
    rows = search_regions(term) if term else children_of(code)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    ancestors = Region.objects.filter(code__in=region.ancestor_codes()) if region else []
    return render(
        request,
        "regions/browse.html",
        {"region": region, "ancestors": ancestors, "page": page, "q": term},
    )
