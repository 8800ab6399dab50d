"""Creating and deactivating users, issuing API tokens. `actor=None` means the command line
(an operator with shell access); every other caller passes the acting user."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sikla.core.audit import apply_changes, record
from sikla.regions.models import Region

from .models import ApiToken, Role, User, hash_token
from .rules import GRANTABLE_ROLES, SCOPE_LENGTHS, Perm, has_role_perm, in_scope

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


@transaction.atomic
def issue_api_token(user: User, *, name: str = "api") -> tuple[ApiToken, str]:
    """Return the token row and the raw token, which is never stored and shown only once."""
    raw = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name[:80],
        key_hash=hash_token(raw),
        prefix=raw[:8],
        expires_at=timezone.now() + timedelta(days=token_days(user)),
    )
    record(
        actor=user, action="api_token.issue", target=token, region_code=_audit_region(user.scope)
    )
    return token, raw
