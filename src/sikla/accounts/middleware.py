"""Two doors every request passes after the login (issue 13, point 3).

`IdleSignOutMiddleware`: case workers and supervisors are signed out after
PROTECTION_IDLE_MINUTES without a request. `SecondFactorMiddleware`: a user whose role needs a
second factor and who has given only the password reaches nothing but the second-factor pages,
the language switch and the logout.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from . import second_factor
from .rules import signs_out_when_idle

LAST_ACTIVITY = "last_activity"
# The stamp is written at most this often: a page's HTMX requests do not each write the session.
STAMP_EVERY_SECONDS = 60

# What a user still owing the second factor may open (besides public static files).
OPEN_BEFORE_SECOND_FACTOR = frozenset(
    {
        "accounts:login",
        "accounts:logout",
        "accounts:second_factor_enrol",
        "accounts:second_factor_verify",
        "set_language",
        "api:token",  # it asks for the code itself
    }
)


def _redirect(request, url: str) -> HttpResponse:
    if request.headers.get("HX-Request") == "true":  # an HTMX swap: the whole page goes
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


def _with_next(request, url: str) -> str:
    if request.method != "GET":
        return url
    return f"{url}?{urlencode({'next': request.get_full_path()})}"


@receiver(user_logged_in)
def _stamp_at_login(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session") and signs_out_when_idle(user):
        request.session[LAST_ACTIVITY] = int(timezone.now().timestamp())


class IdleSignOutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if signs_out_when_idle(request.user):
            now = int(timezone.now().timestamp())
            last = request.session.get(LAST_ACTIVITY)
            minutes = settings.PROTECTION_IDLE_MINUTES
            if last is not None and now - last > minutes * 60:
                return self._signed_out(request, minutes)
            if last is None or now - last >= STAMP_EVERY_SECONDS:
                request.session[LAST_ACTIVITY] = now
        return self.get_response(request)

    @staticmethod
    def _signed_out(request, minutes: int) -> HttpResponse:
        logout(request)
        text = _("Sesi berakhir karena tidak ada aktivitas selama %(minutes)s menit.") % {
            "minutes": minutes
        }
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": text}, status=401)
        messages.info(request, text)
        return _redirect(request, _with_next(request, reverse(settings.LOGIN_URL)))


class SecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not second_factor.pending(request):
            return None
        match = request.resolver_match
        if match is not None and match.view_name in OPEN_BEFORE_SECOND_FACTOR:
            return None
        if request.path.startswith("/api/"):
            return JsonResponse(
                {
                    "detail": _(
                        "Verifikasi dua langkah belum selesai: masukkan kode dari aplikasi "
                        "autentikator di halaman SIKLA."
                    )
                },
                status=403,
            )
        page = (
            "accounts:second_factor_verify"
            if second_factor.enrolled(request.user)
            else "accounts:second_factor_enrol"
        )
        return _redirect(request, _with_next(request, reverse(page)))
