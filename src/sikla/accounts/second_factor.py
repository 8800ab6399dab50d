"""The second factor at the door (issue 13, point 3): which session still owes it, the devices a
user holds, wrong codes counted toward the login lockout, the enrolment QR code.

Who needs it is `rules.needs_second_factor`; every change to a device is an action
(`actions.start_second_factor`, `confirm_second_factor`, `verify_second_factor`,
`reset_second_factor`). django-otp keeps the devices: one TOTP device per user (an authenticator
app) and one static device holding the one-time recovery codes. A session has passed the second
factor when django-otp's middleware finds the device that verified it in the session
(`request.user.is_verified()`).

Brute force meets three walls: each device doubles its wait after every wrong code and forgets
the count only on a right one (django-otp), so logging in with the password again does not reset
it; every wrong code is a failed login for django-axes (this username at this address) and for
the per-address throttle (`throttle.py`).
"""

from base64 import b32encode
from datetime import datetime

import qrcode
import qrcode.image.svg
from axes.handlers.proxy import AxesProxyHandler
from django.contrib.auth.signals import user_login_failed
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .rules import needs_second_factor
from .throttle import throttled


def authenticator(user) -> TOTPDevice | None:
    """The user's confirmed authenticator app, if they have enrolled one."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def enrolled(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def pending(request) -> bool:
    """Logged in with the password, but the second factor the role needs not yet passed."""
    user = getattr(request, "user", None)
    if not needs_second_factor(user):
        return False
    is_verified = getattr(user, "is_verified", None)  # set by django-otp's middleware
    return not (is_verified is not None and is_verified())


def normalise(code: str) -> str:
    """What people type: "123 456", "abcd-efgh", "ABCDEFGH" → "123456", "abcdefgh"."""
    return "".join(code.split()).replace("-", "").lower()


def looks_like_app_code(code: str) -> bool:
    """Six digits come from the authenticator app; anything else is tried as a recovery code."""
    return len(code) == 6 and code.isdigit()


# The wait doubles from one second; worth telling a person about from the third wrong code (4 s).
WAIT_WORTH_SAYING = 3


def retry_after(user) -> datetime | None:
    """While the authenticator refuses codes after repeated wrong ones: until when."""
    for device in TOTPDevice.objects.filter(user=user, confirmed=True):
        allowed, info = device.verify_is_allowed()
        if not allowed and info and info.get("failure_count", 0) >= WAIT_WORTH_SAYING:
            return info.get("locked_until")
    return None


def secret_text(device: TOTPDevice) -> str:
    """The secret as an authenticator app takes it by hand: base32, in groups of four."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_svg(device: TOTPDevice) -> str:
    """The otpauth:// address as an inline SVG QR code (no image request, no script)."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
    return image.to_string(encoding="unicode")


def locked_out(request, user) -> bool:
    """This client may not try a code now (django-axes for this username at this address, or
    the per-address throttle). Marks the request so AxesMiddleware answers with the lockout
    page, or JSON 429 under /api/."""
    if getattr(request, "axes_locked_out", False):
        return True
    credentials = {"username": user.get_username()}
    if throttled(request) or AxesProxyHandler.is_locked(request, credentials):
        request.axes_locked_out = True
        return True
    return False


def count_failure(request, user) -> bool:
    """A wrong code is a failed login: counted by django-axes and the per-address throttle.
    True when the client is now locked out."""
    user_login_failed.send(
        sender=__name__, credentials={"username": user.get_username()}, request=request
    )
    return locked_out(request, user)
