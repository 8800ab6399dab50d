"""Creating and deactivating users, their second factor, issuing API tokens. `actor=None` means
the command line (an operator with shell access); every other caller passes the acting user."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from sikla.core.audit import apply_changes, record
from sikla.regions.models import Region

from .models import ApiToken, Role, User, hash_token
from .rules import (
    GRANTABLE_ROLES,
    SCOPE_LENGTHS,
    Perm,
    has_role_perm,
    in_scope,
    needs_second_factor,
)
from .second_factor import enrolled, looks_like_app_code, normalise

LOCAL_GOVERNMENT_ROLES = {role for role, lengths in SCOPE_LENGTHS.items() if lengths == {5}}


def _audit_region(scope: str) -> str:
    return scope[:5] if len(scope) >= 5 else scope


def check_grant(actor, role: str, scope: str) -> None:
    """May `actor` give `role` with `scope`? No actor: the command line.

    An actor who administers no accounts gets 403; an administrator asking for a role or a scope
    beyond their own gets a ValidationError naming the field, so the form can say what is wrong.
    """
    if actor is None:
        return
    if not has_role_perm(actor, Perm.MANAGE_USERS):
        raise PermissionDenied
    if role not in GRANTABLE_ROLES.get(actor.role, frozenset()):
        raise ValidationError({"role": _("Anda tidak dapat memberikan peran ini.")})
    if not in_scope(actor.scope, scope):
        raise ValidationError(
            {
                "scope": _("Cakupan %(scope)s berada di luar wilayah Anda (%(own)s).")
                % {"scope": scope or _("nasional"), "own": actor.scope or _("nasional")}
            }
        )


def validate_assignment(role: str, scope: str, agency) -> None:
    from sikla.organisations.models import LocalGovernment

    errors: dict[str, str] = {}
    if role not in Role.values:
        raise ValidationError({"role": _("Peran tidak dikenal.")})
    if len(scope) not in SCOPE_LENGTHS[role]:
        errors["scope"] = _("Cakupan wilayah tidak sesuai untuk peran ini.")
    elif scope and not Region.objects.filter(code=scope, is_active=True).exists():
        errors["scope"] = _("Kode wilayah %(code)s tidak dikenal.") % {"code": scope}
    elif (role in LOCAL_GOVERNMENT_ROLES or len(scope) > 5) and not (
        LocalGovernment.objects.filter(region_id=scope[:5], is_active=True).exists()
    ):
        errors["scope"] = _("Kabupaten/kota %(code)s belum terdaftar di SIKLA.") % {
            "code": scope[:5]
        }
    if role == Role.AGENCY_OPERATOR:
        if agency is None:
            errors["agency"] = _("Operator perangkat daerah wajib memilih perangkat daerahnya.")
        elif not in_scope(scope, agency.local_government_id) or not agency.is_active:
            errors["agency"] = _("Perangkat daerah harus aktif dan berada di cakupan wilayah.")
    elif agency is not None:
        errors["agency"] = _("Hanya operator perangkat daerah yang terikat pada perangkat daerah.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_user(
    *,
    actor,
    username: str,
    full_name: str,
    role: str,
    scope: str,
    password: str,
    email: str = "",
    phone: str = "",
    agency=None,
) -> User:
    check_grant(actor, role, scope)
    validate_assignment(role, scope, agency)
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("Nama pengguna sudah dipakai.")})
    user = User(
        username=username,
        full_name=full_name,
        email=email,
        phone=phone,
        role=role,
        scope=scope,
        agency=agency,
    )
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from exc
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    record(
        actor=actor,
        action="user.create",
        target=user,
        region_code=_audit_region(scope),
        changes={"role": [None, role], "scope": [None, scope]},
        note="" if actor else "command line",
    )
    return user


@transaction.atomic
def set_user_active(user: User, *, actor, active: bool, note: str = "") -> dict:
    check_grant(actor, user.role, user.scope)
    if actor is not None and actor.pk == user.pk:
        raise ValidationError(_("Anda tidak dapat menonaktifkan akun Anda sendiri."))
    changes = apply_changes(
        user,
        {"is_active": active},
        actor=actor,
        action="user.activate" if active else "user.deactivate",
        region_code=_audit_region(user.scope),
        note=note,
    )
    if not active:
        revoke_api_tokens(user, actor=actor, reason="deactivated")
    return changes


@transaction.atomic
def set_password(user: User, *, actor, password: str) -> None:
    """An administrator sets another user's password (never their own: that asks for the old
    one, `password_changed`). Every API token of the user dies with the old password."""
    if actor is not None and actor.pk == user.pk:
        raise ValidationError(_("Ganti kata sandi Anda sendiri lewat halaman Akun saya."))
    check_grant(actor, user.role, user.scope)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from exc
    user.set_password(password)
    user.save(update_fields=["password"])
    record(
        actor=actor, action="user.set_password", target=user, region_code=_audit_region(user.scope)
    )
    revoke_api_tokens(user, actor=actor, reason="password")


def password_changed(user: User) -> None:
    """A user changed their own password (Django's form checked the old one): audited, and
    every API token issued under the old password revoked."""
    record(
        actor=user,
        action="user.change_own_password",
        target=user,
        region_code=_audit_region(user.scope),
    )
    revoke_api_tokens(user, actor=user, reason="password")


def revoke_api_tokens(user: User, *, actor, reason: str) -> int:
    """Revoke every live token of a user (a password change or reset, an administrator's
    decision); returns how many."""
    count = user.api_tokens.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
    if count:
        record(
            actor=actor,
            action="api_token.revoke_all",
            target=user,
            region_code=_audit_region(user.scope),
            changes={"tokens": [count, 0]},
            note=reason,
        )
    return count


@transaction.atomic
def revoke_api_token(token: ApiToken, *, actor) -> None:
    """Revoke one token: its owner's, or an administrator's decision for a user they manage."""
    if actor.pk != token.user_id:
        check_grant(actor, token.user.role, token.user.scope)
    if token.revoked_at is not None:
        return
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    record(
        actor=actor,
        action="api_token.revoke",
        target=token,
        region_code=_audit_region(token.user.scope),
    )


def token_days(user: User) -> int:
    """How long a new token lives: shorter for the roles that can read children's cases."""
    if user.role in (Role.CASE_WORKER, Role.CASE_SUPERVISOR):
        return settings.API_TOKEN_DAYS_PROTECTION
    return settings.API_TOKEN_DAYS


class SecondFactorRefused(Exception):
    """No API token: the role needs a second factor that the request did not prove. `status` is
    the HTTP answer; `counts` says whether it was a wrong code (a failed login for the lockout)."""

    def __init__(self, message: str, *, status: int, counts: bool = False):
        super().__init__(message)
        self.message, self.status, self.counts = message, status, counts


def issue_api_token(user: User, *, name: str = "api", otp: str = "") -> tuple[ApiToken, str]:
    """Return the token row and the raw token, which is never stored and shown only once.

    A role that needs a second factor gets a token only with a code (`otp`) from the
    authenticator app it enrolled at its first login, or one of its recovery codes.
    """
    if needs_second_factor(user):
        if not enrolled(user):
            raise SecondFactorRefused(
                _(
                    "Aktifkan verifikasi dua langkah dengan masuk ke SIKLA lewat peramban "
                    "sebelum meminta token API."
                ),
                status=403,
            )
        if not normalise(otp):
            raise SecondFactorRefused(
                _("Kode verifikasi dua langkah (otp) wajib diisi untuk peran ini."), status=422
            )
        if verify_second_factor(user, code=otp) is None:
            raise SecondFactorRefused(
                _("Kode verifikasi dua langkah salah atau sudah dipakai."), status=401, counts=True
            )
    raw = secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user,
            name=name[:80],
            key_hash=hash_token(raw),
            prefix=raw[:8],
            expires_at=timezone.now() + timedelta(days=token_days(user)),
        )
        record(
            actor=user,
            action="api_token.issue",
            target=token,
            region_code=_audit_region(user.scope),
        )
    return token, raw


# -- the second factor (issue 13, point 3; the rule is rules.needs_second_factor) ----------------


def start_second_factor(user: User) -> TOTPDevice:
    """The authenticator app a user is enrolling: a secret shown as a QR code, unconfirmed (and
    worth nothing) until the app's first code proves it holds the secret. The same draft until
    then, so reloading the page keeps the QR code the app may already have scanned."""
    if not needs_second_factor(user):
        raise PermissionDenied
    if enrolled(user):
        raise ValidationError(_("Verifikasi dua langkah Anda sudah aktif."))
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)


def confirm_second_factor(device: TOTPDevice, *, code: str) -> list[str]:
    """The app's first right code makes the draft the user's second factor. Returns the
    one-time recovery codes, which are shown this once."""
    if device.confirmed:
        raise ValidationError(_("Verifikasi dua langkah Anda sudah aktif."))
    code = normalise(code)
    # Checked in a transaction of its own that always commits: a wrong code stays counted
    # (the device's wait doubles), and two tabs cannot confirm with one code.
    with transaction.atomic():
        draft = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        accepted = looks_like_app_code(code) and draft.verify_token(code)
    if not accepted:
        raise ValidationError(
            {
                "code": _(
                    "Kode salah. Masukkan 6 angka yang sedang tampil di aplikasi autentikator "
                    "(pastikan jam ponsel Anda tepat)."
                )
            }
        )
    user = draft.user
    codes = [StaticToken.random_token() for _i in range(settings.SECOND_FACTOR_RECOVERY_CODES)]
    with transaction.atomic():
        draft.confirmed = True
        draft.save(update_fields=["confirmed"])
        StaticDevice.objects.filter(user=user).delete()
        recovery = StaticDevice.objects.create(user=user, name="recovery", confirmed=True)
        StaticToken.objects.bulk_create(StaticToken(device=recovery, token=c) for c in codes)
        record(
            actor=user,
            action="user.enrol_second_factor",
            target=user,
            region_code=_audit_region(user.scope),
            changes={"recovery_codes": [0, len(codes)]},
        )
    return codes


def verify_second_factor(user: User, *, code: str) -> Device | None:
    """A code from the user's authenticator app, or one of their recovery codes (used up, and
    audited). Returns the device that accepted it, None for a wrong code or while the devices
    make the user wait after wrong ones."""
    code = normalise(code)
    if not code:
        return None
    model = TOTPDevice if looks_like_app_code(code) else StaticDevice
    # One transaction that always commits: a wrong code stays counted, a used code stays used.
    with transaction.atomic():
        devices = model.objects.devices_for_user(user, confirmed=True).select_for_update()
        accepted = next((device for device in devices if device.verify_token(code)), None)
        if isinstance(accepted, StaticDevice):
            left = accepted.token_set.count()
            record(
                actor=user,
                action="user.use_recovery_code",
                target=user,
                region_code=_audit_region(user.scope),
                changes={"recovery_codes": [left + 1, left]},
            )
    return accepted


@transaction.atomic
def reset_second_factor(user: User, *, actor, note: str = "") -> int:
    """An administrator removes a user's authenticator and recovery codes (a lost phone): the
    user enrols again at the next login, and every API token of the user dies. Who may do it
    is who may manage the account (`check_grant`); never one's own. Returns the devices removed."""
    if actor is not None and actor.pk == user.pk:
        raise ValidationError(
            _("Anda tidak dapat mengatur ulang verifikasi dua langkah Anda sendiri.")
        )
    check_grant(actor, user.role, user.scope)
    count = 0
    for model in (TOTPDevice, StaticDevice):
        devices = model.objects.filter(user=user)
        count += devices.count()
        devices.delete()
    record(
        actor=actor,
        action="user.reset_second_factor",
        target=user,
        region_code=_audit_region(user.scope),
        changes={"devices": [count, 0]},
        note=note or ("" if actor else "command line"),
    )
    revoke_api_tokens(user, actor=actor, reason="second_factor")
    return count
