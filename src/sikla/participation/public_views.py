"""Public consultation: no login, no JavaScript, light pages for a cheap phone.

A comment is guarded as the public complaint form is (sikla.protection.spam): a rate limit per
client shared with the API, a honeypot field, a signed timestamp and a cap on links. It is stored
as pending and shown only after the secretariat approves it, always escaped.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods

from sikla.core.views_util import add_action_errors, paginate
from sikla.organisations.models import LocalGovernment
from sikla.protection import spam

from . import actions, queries
from .access import can_see_unpublished, get_published_consultation
from .forms import CommentForm, PublicFilterForm
from .models import PublicConsultation

COMMENT_SCOPE = "consultation-comment"  # the form and the API share one count per client
DEFAULT_COMMENTS_PER_HOUR = 10


def comments_per_hour() -> int:
    return getattr(settings, "PUBLIC_COMMENT_RATE_LIMIT", DEFAULT_COMMENTS_PER_HOUR)


def comment_allowed(request: HttpRequest) -> bool:
    return spam.take(request, COMMENT_SCOPE, comments_per_hour())


def _readable_body(view: Callable) -> Callable:
    """Parse a POST body before the CSRF check, so that one too large gets a clear Indonesian
    page (413) instead of Django's bare 400; CSRF is then checked as usual."""
    protected = csrf_protect(view)

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method == "POST":
            try:
                request.POST  # noqa: B018 - parsing is the point
            except (RequestDataTooBig, TooManyFieldsSent):
                return render(request, "participation/public/refused.html", status=413)
        return protected(request, *args, **kwargs)

    return csrf_exempt(wrapper)


def _too_many(request: HttpRequest) -> HttpResponse:
    response = render(request, "participation/public/too_many.html", status=429)
    response["Retry-After"] = str(spam.WINDOW_SECONDS)
    return response


@login_not_required
@require_GET
def public_list(request: HttpRequest) -> HttpResponse:
    local_governments = LocalGovernment.objects.filter(is_active=True).select_related("region")
    form = PublicFilterForm(request.GET or None, local_governments=local_governments)
    code = form.cleaned_data.get("pemda", "") if form.is_valid() else ""
    today = timezone.localdate()
    return render(
        request,
        "participation/public/list.html",
        {
            "form": form,
            "code": code,
            "page": paginate(request, queries.open_consultations(code=code, today=today)),
            "closed": list(queries.closed_consultations(code=code, today=today)[:10]),
            "today": today,
        },
    )


@login_not_required
@_readable_body
@never_cache
@require_http_methods(["GET", "POST"])
def public_detail(request: HttpRequest, uid) -> HttpResponse:
    consultation = get_published_consultation(uid)
    here = reverse("participation:public_detail", args=[consultation.uid])
    if request.method == "POST":
        if not comment_allowed(request):
            return _too_many(request)
        if request.POST.get(spam.HONEYPOT):
            # Answer exactly as a stored comment would; store nothing.
            messages.success(
                request, _("Terima kasih. Komentar Anda akan tampil setelah diperiksa.")
            )
            return redirect(here + "#komentar")
        form = CommentForm(request.POST)
        valid = form.is_valid()
        if problem := spam.form_token_problem(request.POST.get(spam.STARTED_FIELD, "")):
            form.add_error(None, problem)
        elif valid:
            try:
                actions.submit_public_comment(consultation, **form.comment_fields())
            except ValidationError as exc:
                add_action_errors(form, exc)
            else:
                messages.success(
                    request, _("Terima kasih. Komentar Anda akan tampil setelah diperiksa.")
                )
                return redirect(here + "#komentar")
        spam.give_back(request, COMMENT_SCOPE)
    else:
        form = CommentForm()
    today = timezone.localdate()
    return render(
        request,
        "participation/public/detail.html",
        {
            "consultation": consultation,
            "lg": consultation.local_government,
            "page": paginate(request, queries.approved_comments(consultation)),
            "form": form,
            "token": spam.form_token(),
            "token_name": spam.STARTED_FIELD,
            "honeypot": spam.HONEYPOT,
            "is_open": consultation.is_open(today),
            "is_closed": consultation.is_closed(today),
        },
    )


@login_not_required
@require_GET
def public_document(request: HttpRequest, uid) -> HttpResponse:
    """The draft's PDF: public once the consultation is published; before that only for the
    local government's own users (checked like every staff page)."""
    try:
        consultation = PublicConsultation.objects.select_related("local_government").get(uid=uid)
    except (PublicConsultation.DoesNotExist, ValueError):
        raise Http404 from None
    published = consultation.is_published() and consultation.local_government.is_active
    if not published and not can_see_unpublished(request.user, consultation):
        raise Http404
    if not consultation.document:
        raise Http404
    response = FileResponse(
        consultation.document.open("rb"),
        content_type="application/pdf",
        as_attachment=False,
        filename=f"konsultasi-{consultation.uid}.pdf",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
