"""De-identified statistics pages. Being written: see the issue-5 commits."""

from django.http import Http404


def statistics(request, code):
    raise Http404


def statistics_xlsx(request, code):
    raise Http404
