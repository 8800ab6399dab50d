"""The public complaint channel: no login, no JavaScript, light pages for a cheap phone.

Order in each view: guard (rate limit, honeypot, timestamp) → form → action → redirect or render.
What a reporter gets back is only the tracking code and, later, the public status label: never a
description, a name or a case number.
"""

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import (
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
    ValidationError,
)
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from sikla.organisations.models import LocalGovernment

from . import actions, queries, spam
from .public_forms import ReportForm, StatusForm

SENT_KEY = "protection_report_sent"  # session: the code to show once on the "terkirim" page
SENT_HOW = "protection_report_sent_how"  # session: in the child's words? in danger now?
CHILD = "anak"  # ?bahasa=anak: the child-friendly wording


def _readable_body(view: Callable) -> Callable:
    """Read a POST body before the CSRF check, so that one too large or with too many parts gets
    a clear Indonesian page (413/400) instead of Django's bare 400; CSRF is then checked as usual.
    """
    protected = csrf_protect(view)

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method == "POST":
            try:
                request.POST  # noqa: B018 - parsing is the point
                request.FILES  # noqa: B018
            except RequestDataTooBig:
                return _refused(request, status=413)
            except (TooManyFieldsSent, TooManyFilesSent):
                return _refused(request, status=400)
        return protected(request, *args, **kwargs)

    return csrf_exempt(wrapper)


def _refused(request: HttpRequest, *, status: int) -> HttpResponse:
    return render(
        request,
        "protection/public/refused.html",
        {"too_big": status == 413, "max_mb": settings.COMPLAINT_MAX_UPLOAD_MB},
        status=status,
    )


def _too_many(request: HttpRequest, *, lookups: bool = False) -> HttpResponse:
    response = render(request, "protection/public/too_many.html", {"lookups": lookups}, status=429)
    response["Retry-After"] = str(spam.WINDOW_SECONDS)
    return response


def _active_local_governments():
    return LocalGovernment.objects.filter(is_active=True).select_related("region")


@login_not_required
def report_start(request: HttpRequest) -> HttpResponse:
    local_governments = list(_active_local_governments())
    child = request.GET.get("bahasa") == CHILD
    if len(local_governments) == 1:
        url = reverse("protection:report", args=[local_governments[0].code])
        return redirect(f"{url}?bahasa={CHILD}" if child else url)
    return render(
        request,
        "protection/public/start.html",
        {"local_governments": local_governments, "child": child},
    )


@login_not_required
@_readable_body
@never_cache
def report(request: HttpRequest, code: str) -> HttpResponse:
    local_government = get_object_or_404(_active_local_governments(), pk=code)
    child = request.GET.get("bahasa") == CHILD
    files_dropped = False
    if request.method == "POST":
        if not spam.report_allowed(request):
            return _too_many(request)
        if request.POST.get(spam.HONEYPOT):
            # Answer exactly as a stored report would, store nothing, show no code.
            request.session[SENT_KEY] = ""
            request.session[SENT_HOW] = {"child": child, "danger": False}
            return redirect("protection:report_sent")
        form = ReportForm(
            request.POST, request.FILES, local_government=local_government, child=child
        )
        valid = form.is_valid()
        if problem := spam.form_token_problem(request.POST.get(spam.STARTED_FIELD, "")):
            form.add_error(None, problem)
        elif valid:
            try:
                complaint = actions.submit_public_complaint(
                    local_government=local_government, **form.complaint_fields()
                )
            except ValidationError as exc:
                form.add_action_errors(exc)
            else:
                request.session[SENT_KEY] = complaint.tracking_code
                request.session[SENT_HOW] = {
                    "child": child,
                    "danger": form.cleaned_data["in_danger"] == "yes",
                }
                return redirect("protection:report_sent")
        spam.give_back(request, spam.REPORT)
        files_dropped = bool(request.FILES)
    else:
        form = ReportForm(local_government=local_government, child=child)
    return render(
        request,
        "protection/public/report.html",
        {
            "local_government": local_government,
            "form": form,
            "child": child,
            "token": spam.form_token(),
            "honeypot": spam.HONEYPOT,
            "token_name": spam.STARTED_FIELD,
            "files_dropped": files_dropped,
        },
    )


@login_not_required
@never_cache
def report_sent(request: HttpRequest) -> HttpResponse:
    code = request.session.pop(SENT_KEY, None)
    how = request.session.pop(SENT_HOW, None) or {}
    if code is None:  # shown once; a reload or a visit without a report goes to the start
        return redirect("protection:report_start")
    return render(
        request,
        "protection/public/sent.html",
        {"code": code, "child": how.get("child", False), "danger": how.get("danger", False)},
    )


@login_not_required
@_readable_body
@never_cache
def report_status(request: HttpRequest) -> HttpResponse:
    found, not_found, code = None, False, ""
    if request.method == "POST":
        if not spam.status_lookup_allowed(request):
            return _too_many(request, lookups=True)
        form = StatusForm(request.POST)
        if form.is_valid():
            code = actions.normalise_tracking_code(form.cleaned_data["code"])
            found = queries.public_status(code)
            not_found = found is None
    else:
        form = StatusForm()
    return render(
        request,
        "protection/public/status.html",
        {"form": form, "found": found, "not_found": not_found, "code": code},
    )
