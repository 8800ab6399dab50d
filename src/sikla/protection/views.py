"""Placeholder while the staff pages are written."""

from django.http import Http404


def home(request, code, **kwargs):
    raise Http404


def complaints(request, code, **kwargs):
    raise Http404


def complaint_create(request, code, **kwargs):
    raise Http404


def complaint(request, code, **kwargs):
    raise Http404


def complaint_triage(request, code, **kwargs):
    raise Http404


def complaint_take(request, code, **kwargs):
    raise Http404


def complaint_dismiss(request, code, **kwargs):
    raise Http404


def cases(request, code, **kwargs):
    raise Http404


def case_search(request, code, **kwargs):
    raise Http404


def case(request, code, **kwargs):
    raise Http404


def case_edit(request, code, **kwargs):
    raise Http404


def child_edit(request, code, **kwargs):
    raise Http404


def perpetrator_add(request, code, **kwargs):
    raise Http404


def perpetrator_remove(request, code, **kwargs):
    raise Http404


def case_transition(request, code, **kwargs):
    raise Http404


def case_assign(request, code, **kwargs):
    raise Http404


def service_add(request, code, **kwargs):
    raise Http404


def consent_add(request, code, **kwargs):
    raise Http404


def referral_add(request, code, **kwargs):
    raise Http404


def referral_update(request, code, **kwargs):
    raise Http404


def break_glass(request, code, **kwargs):
    raise Http404


def document(request, code, **kwargs):
    raise Http404


def export_identified(request, code, **kwargs):
    raise Http404


def access_log(request, code, **kwargs):
    raise Http404
