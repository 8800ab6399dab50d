from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice

from sikla.accounts.rules import Perm, has_role_perm, needs_second_factor
from sikla.core.views_util import add_action_errors, paginate
from sikla.organisations.models import Agency
from sikla.organisations.queries import local_governments_visible_to

from . import actions, second_factor
from .access import get_managed_user
from .forms import LoginForm, SecondFactorForm, SetPasswordForm, UserCreateForm, UserFilterForm
from .lockout import lockout_response
from .queries import users_manageable_by


class PasswordChangeView(auth_views.PasswordChangeView):
    """A user changes their own password (Django's view and validators, our template)."""

    template_name = "accounts/password_change.html"

    def form_valid(self, form):
        response = super().form_valid(form)
        actions.password_changed(self.request.user)
        return response

    def get_success_url(self):
        messages.success(self.request, _("Kata sandi Anda telah diganti."))
        return reverse("accounts:me")


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


def _next_url(request) -> str:
    """Where the login was going (`next`, this site only), else the home page."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _second_factor_passed(request, device) -> None:
    request.session.cycle_key()  # a stronger login deserves a session id of its own
    otp_login(request, device)


@never_cache  # the secret and the recovery codes stay out of every cache
@require_http_methods(["GET", "POST"])
def second_factor_enrol(request: HttpRequest) -> HttpResponse:
    """First login of a role that needs a second factor: scan the QR code (or type the secret),
    prove it with the app's code, keep the recovery codes shown once."""
    next_url = _next_url(request)
    if not second_factor.pending(request):
        return redirect(next_url)
    if second_factor.enrolled(request.user):
        verify = reverse("accounts:second_factor_verify")
        return redirect(f"{verify}?{urlencode({'next': next_url})}")
    device = actions.start_second_factor(request.user)
    form = SecondFactorForm(request.POST or None, enrolling=True)
    if form.is_valid():
        try:
            codes = actions.confirm_second_factor(device, code=form.cleaned_data["code"])
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            _second_factor_passed(request, device)
            return render(
                request, "accounts/second_factor_codes.html", {"codes": codes, "next": next_url}
            )
    return render(
        request,
        "accounts/second_factor_enrol.html",
        {
            "form": form,
            "next": next_url,
            "secret": second_factor.secret_text(device),
            # drawn by the qrcode library from our own otpauth:// address: no user markup
            "qr": second_factor.qr_svg(device),
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def second_factor_verify(request: HttpRequest) -> HttpResponse:
    """Every later login: a code from the app, or one recovery code."""
    next_url = _next_url(request)
    if not second_factor.pending(request):
        return redirect(next_url)
    user = request.user
    if not second_factor.enrolled(user):
        enrol = reverse("accounts:second_factor_enrol")
        return redirect(f"{enrol}?{urlencode({'next': next_url})}")
    form = SecondFactorForm(request.POST or None)
    if request.method == "POST" and second_factor.locked_out(request, user):
        logout(request)
        return lockout_response(request)
    if form.is_valid():
        device = actions.verify_second_factor(user, code=form.cleaned_data["code"])
        if device is not None:
            _second_factor_passed(request, device)
            if isinstance(device, StaticDevice):
                messages.warning(
                    request,
                    _(
                        "Anda masuk dengan kode pemulihan; tersisa %(n)s. Bila ponsel Anda "
                        "hilang, minta admin mengatur ulang verifikasi dua langkah Anda."
                    )
                    % {"n": device.token_set.count()},
                )
            return redirect(next_url)
        if second_factor.count_failure(request, user):
            logout(request)
            return lockout_response(request)
        until = second_factor.retry_after(user)
        form.add_error(
            "code",
            _("Terlalu banyak kode salah. Coba lagi setelah pukul %(time)s.")
            % {"time": time_format(timezone.localtime(until), "H:i:s")}
            if until
            else _(
                "Kode salah atau sudah dipakai. Masukkan kode terbaru dari aplikasi "
                "autentikator, atau salah satu kode pemulihan."
            ),
        )
    return render(request, "accounts/second_factor_verify.html", {"form": form, "next": next_url})


def _require_user_admin(request) -> None:
    if not has_role_perm(request.user, Perm.MANAGE_USERS):
        raise Http404


@require_GET
def users(request: HttpRequest) -> HttpResponse:
    _require_user_admin(request)
    form = UserFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    active = {"active": True, "inactive": False}.get(filters.get("status", ""))
    rows = users_manageable_by(
        request.user, search=filters.get("q", ""), role=filters.get("role", ""), active=active
    )
    return render(request, "accounts/users.html", {"form": form, "page": paginate(request, rows)})


@require_http_methods(["GET", "POST"])
def user_create(request: HttpRequest) -> HttpResponse:
    _require_user_admin(request)
    agencies = Agency.objects.filter(
        is_active=True,
        local_government__in=local_governments_visible_to(request.user),
    ).select_related("local_government__region")
    form = UserCreateForm(request.POST or None, actor=request.user, agencies=agencies)
    if form.is_valid():
        try:
            user = actions.create_user(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, _("Pengguna %(name)s dibuat.") % {"name": user.display_name})
            return redirect("accounts:user_detail", user.uid)
    return render(request, "accounts/user_form.html", {"form": form})


def _user_page(request, account, password_form=None, status=200) -> HttpResponse:
    return render(
        request,
        "accounts/user_detail.html",
        {
            "account": account,
            "password_form": password_form or SetPasswordForm(),
            "live_tokens": account.api_tokens.filter(
                revoked_at__isnull=True, expires_at__gt=timezone.now()
            ).count(),
            "second_factor_required": needs_second_factor(account),
            "second_factor_enrolled": second_factor.enrolled(account),
        },
        status=status,
    )


@require_GET
def user_detail(request: HttpRequest, uid) -> HttpResponse:
    _require_user_admin(request)
    return _user_page(request, get_managed_user(request.user, uid))


@require_POST
def user_set_password(request: HttpRequest, uid) -> HttpResponse:
    _require_user_admin(request)
    account = get_managed_user(request.user, uid)
    form = SetPasswordForm(request.POST)
    if form.is_valid():
        try:
            actions.set_password(
                account, actor=request.user, password=form.cleaned_data["password"]
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(
                request, _("Kata sandi %(name)s diganti.") % {"name": account.display_name}
            )
            return redirect("accounts:user_detail", account.uid)
    return _user_page(request, account, form, status=422)


@require_POST
def user_revoke_tokens(request: HttpRequest, uid) -> HttpResponse:
    _require_user_admin(request)
    account = get_managed_user(request.user, uid)
    count = actions.revoke_api_tokens(account, actor=request.user, reason="admin")
    messages.success(request, _("%(n)s token API dicabut.") % {"n": count})
    return redirect("accounts:user_detail", account.uid)


@require_POST
def user_reset_second_factor(request: HttpRequest, uid) -> HttpResponse:
    _require_user_admin(request)
    account = get_managed_user(request.user, uid)
    try:
        actions.reset_second_factor(account, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _(
                "Verifikasi dua langkah %(name)s diatur ulang: ia mengaktifkannya lagi saat "
                "masuk berikutnya."
            )
            % {"name": account.display_name},
        )
    return redirect("accounts:user_detail", account.uid)


@require_POST
def revoke_own_token(request: HttpRequest, pk: int) -> HttpResponse:
    token = request.user.api_tokens.filter(pk=pk).first()
    if token is None:
        raise Http404
    actions.revoke_api_token(token, actor=request.user)
    messages.success(request, _("Token %(p)s… dicabut.") % {"p": token.prefix})
    return redirect("accounts:me")


@require_POST
def user_toggle(request: HttpRequest, uid) -> HttpResponse:
    _require_user_admin(request)
    account = get_managed_user(request.user, uid)
    try:
        actions.set_user_active(account, actor=request.user, active=not account.is_active)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        state = _("diaktifkan") if account.is_active else _("dinonaktifkan")
        messages.success(request, f"{account.display_name} {state}.")
    return redirect("accounts:user_detail", account.uid)


@require_GET
def me(request: HttpRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "accounts/me.html",
        {
            "tokens": user.api_tokens.order_by("-created_at")[:20],
            "now": timezone.now(),
            "lg_count": local_governments_visible_to(user).count(),
            "second_factor_required": needs_second_factor(user),
            "recovery_codes_left": second_factor.recovery_codes_left(user),
        },
    )
