from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .queries import catalog_version, clusters_of, indicator_of


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    version = catalog_version(request.GET.get("versi"))
    clusters = list(clusters_of(version))
    return render(
        request,
        "indicators/index.html",
        {
            "version": version,
            "clusters": clusters,
            "total_points": sum(c.total_points or 0 for c in clusters),
            "categories": version.categories.all(),
        },
    )


@require_GET
def cluster(request: HttpRequest, number: int) -> HttpResponse:
    version = catalog_version(request.GET.get("versi"))
    found = next((c for c in clusters_of(version) if c.number == number), None)
    if found is None:
        raise Http404
    return render(request, "indicators/cluster.html", {"version": version, "cluster": found})


@require_GET
def indicator(request: HttpRequest, number: int) -> HttpResponse:
    version = catalog_version(request.GET.get("versi"))
    item = indicator_of(version, number)
    return render(
        request,
        "indicators/indicator.html",
        {"version": version, "indicator": item, "cluster": item.cluster},
    )
