"""The public complaint channel (no login). Being written: see the issue-5 commits."""

from django.contrib.auth.decorators import login_not_required
from django.http import Http404


@login_not_required
def report_start(request):
    raise Http404


@login_not_required
def report_sent(request):
    raise Http404


@login_not_required
def report_status(request):
    raise Http404


@login_not_required
def report(request, code):
    raise Http404
