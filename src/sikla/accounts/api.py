from datetime import datetime

from django.contrib.auth import authenticate
from django.core.exceptions import PermissionDenied
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from sikla.core.api_schemas import page_of, paged, responses
from sikla.core.validation import PageIn

from . import second_factor
from .actions import SecondFactorRefused, issue_api_token, revoke_api_token
from .lockout import LOCKED_MESSAGE

router = Router(tags=["autentikasi"])


class Credentials(Schema):
    username: str
    password: str
    otp: str = Field(
        "",
        max_length=20,
        description=(
            "Verifikasi dua langkah: kode 6 angka dari aplikasi autentikator, atau salah satu "
            "kode pemulihan (sekali pakai). Wajib untuk pendamping kasus, supervisor kasus, "
            "sekretariat dan admin nasional, yang lebih dulu mengaktifkannya saat masuk lewat "
            "peramban; tanpa kode: 422, kode salah: 401 (dihitung sebagai gagal masuk), belum "
            "diaktifkan: 403. Peran lain mengabaikannya."
        ),
    )


class TokenOut(Schema):
    token: str
    expires_at: str


@router.post(
    "/token",
    response=responses(TokenOut),
    auth=None,
    summary="Tukar nama pengguna, kata sandi (dan kode verifikasi dua langkah) dengan token bearer",
)
def token(request, credentials: Credentials):
    try:
        user = authenticate(request, username=credentials.username, password=credentials.password)
    except PermissionDenied as exc:  # django-axes lockout
        raise HttpError(429, LOCKED_MESSAGE) from exc
    if user is None or not user.is_active:
        if getattr(request, "axes_locked_out", False):
            raise HttpError(429, LOCKED_MESSAGE)
        raise HttpError(401, "Nama pengguna atau kata sandi salah.")
    try:
        row, raw = issue_api_token(user, otp=credentials.otp)
    except SecondFactorRefused as exc:
        if exc.counts and second_factor.count_failure(request, user):
            raise HttpError(429, LOCKED_MESSAGE) from exc
        raise HttpError(exc.status, exc.message) from exc
    return {"token": raw, "expires_at": row.expires_at.isoformat()}


class TokenInfoOut(Schema):
    prefix: str
    name: str
    created_at: datetime
    expires_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


@router.get(
    "/tokens",
    response=responses(page_of(TokenInfoOut)),
    url_name="auth_tokens",
    summary="Token API milik saya (tanpa token itu sendiri)",
)
def tokens(request, page: Query[PageIn]):
    return paged(request.user.api_tokens.order_by("-created_at"), page)


@router.delete(
    "/tokens/{prefix}",
    response={204: None, **responses(TokenInfoOut)},
    url_name="auth_token_revoke",
    summary="Cabut salah satu token API saya",
)
def revoke(request, prefix: str):
    token = request.user.api_tokens.filter(prefix=prefix, revoked_at__isnull=True).first()
    if token is None:
        raise HttpError(404, "Token tidak ditemukan atau sudah dicabut.")
    revoke_api_token(token, actor=request.user)
    return Status(204, None)
