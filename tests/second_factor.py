"""The second factor in tests (issue 13, point 3): real django-otp devices, real codes.

`client.force_login` stands for a finished login, so tests/conftest.py makes it pass the second
factor too (`mark_verified`) for the roles that need one. Tests asking the token API for a token
of such a role send `**otp_for(user)`: a fresh recovery code each time, so several tokens in the
same 30 seconds never meet the app code's one-use-per-step rule.
"""

import time

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from sikla.accounts.models import User
from sikla.accounts.rules import needs_second_factor


def authenticator_of(user) -> TOTPDevice:
    """The user's confirmed authenticator app, enrolled here if they have none."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="test", confirmed=True)


def app_code(device: TOTPDevice, at: float | None = None) -> str:
    """What the authenticator app shows at `at` (now by default)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() if at is None else at
    return f"{totp.token():0{device.digits}d}"


def app_code_from_secret(secret: str, at: float | None = None) -> str:
    """The code for a base32 secret as the enrolment page shows it (groups of four)."""
    from base64 import b32decode

    key = b32decode(secret.replace(" ", "").upper())
    totp = TOTP(key, 30, 0, 6, 0)
    totp.time = time.time() if at is None else at
    return f"{totp.token():06d}"


def recovery_code_for(user) -> str:
    """A fresh one-time recovery code of the user (enrolled first if needed)."""
    authenticator_of(user)
    device = StaticDevice.objects.filter(user=user, confirmed=True).first()
    device = device or StaticDevice.objects.create(user=user, name="test", confirmed=True)
    return device.token_set.create(token=StaticToken.random_token()).token


def otp_for(user_or_username) -> dict:
    """The `otp` field of a token request: {} for roles without a second factor."""
    user = user_or_username
    if isinstance(user, str):
        user = User.objects.filter(username=user).first()
    if user is None or not needs_second_factor(user):
        return {}
    return {"otp": recovery_code_for(user)}


def mark_verified(client, user) -> None:
    """The client's session has passed the second factor with the user's authenticator."""
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = authenticator_of(user).persistent_id
    session.save()
