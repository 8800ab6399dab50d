"""Guards of the public complaint channel, with no third-party service.

- A rate limit per client, counted in the Django cache for one hour. The client is known only by
  an HMAC of its address: the address itself is never stored, not even in the cache. The form and
  the API share one count, so switching door does not buy more reports.
- A honeypot field (`website`) that people never see and simple bots fill in.
- A signed timestamp in the form: a report sent faster than a person can type, from a form more
  than two hours old, or with a token that was tampered with is sent back to be submitted again.
- A description carrying more than three links is taken for advertising.
"""

import contextlib
import hashlib
import hmac
import re
import secrets
import time

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.translation import gettext as _

from sikla.ops.client import client_address

from .actions import CODE_ALPHABET

WINDOW_SECONDS = 3600
REPORT = "report"  # scope of the report count (settings.COMPLAINT_RATE_LIMIT per hour)
STATUS = "status"  # scope of the status look-ups: enough for people, too few to guess codes
STATUS_LOOKUPS_PER_HOUR = 30

HONEYPOT = "website"
STARTED_FIELD = "started"  # the signed time the form was opened
TOKEN_MAX_AGE = 2 * 3600
_SIGNING_SALT = "sikla.protection.report-form"

MAX_LINKS = 3
_LINK_RE = re.compile(r"(?:\bhttps?://|\bwww\.)\S+", re.IGNORECASE)


# -- rate limit ------------------------------------------------------------------------------


def client_key(request: HttpRequest) -> str:
    return hmac.new(
        settings.SECRET_KEY.encode(), client_address(request).encode(), hashlib.sha256
    ).hexdigest()


def _counter(request: HttpRequest, scope: str) -> str:
    return f"sikla:public-limit:{scope}:{client_key(request)}"


def take(request: HttpRequest, scope: str, limit: int) -> bool:
    """Count one use by this client; False once it goes over `limit` within the window.

    Counting first and checking the result keeps two simultaneous requests from both slipping
    under the limit."""
    key = _counter(request, scope)
    cache.add(key, 0, WINDOW_SECONDS)  # the window starts with the first use
    try:
        used = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, WINDOW_SECONDS)
        used = 1
    return used <= limit


def give_back(request: HttpRequest, scope: str) -> None:
    """Return a use: a report sent back for correction must not cost the person a report."""
    with contextlib.suppress(ValueError):  # the window has ended meanwhile
        cache.decr(_counter(request, scope))


def report_allowed(request: HttpRequest) -> bool:
    return take(request, REPORT, settings.COMPLAINT_RATE_LIMIT)


def status_lookup_allowed(request: HttpRequest) -> bool:
    return take(request, STATUS, STATUS_LOOKUPS_PER_HOUR)


# -- the form's signed timestamp ---------------------------------------------------------------


def _signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=_SIGNING_SALT)


def form_token() -> str:
    return _signer().sign("lapor")


def form_token_problem(token: str) -> str:
    """Why this form cannot be accepted as sent ("" when it can)."""
    token = token or ""
    try:
        _signer().unsign(token, max_age=TOKEN_MAX_AGE)
    except signing.SignatureExpired:
        return _(
            "Formulir ini sudah dibuka terlalu lama. Isian Anda masih ada; periksa lalu tekan "
            "Kirim sekali lagi."
        )
    except signing.BadSignature:
        return _(
            "Formulir tidak dapat diproses. Isian Anda masih ada; periksa lalu tekan Kirim "
            "sekali lagi."
        )
    signed_at = signing.b62_decode(token.rsplit(":", 2)[1])
    if time.time() - signed_at < settings.COMPLAINT_MIN_SECONDS:
        return _(
            "Formulir terkirim terlalu cepat. Isian Anda masih ada; periksa lalu tekan Kirim "
            "sekali lagi."
        )
    return ""


# -- content -----------------------------------------------------------------------------------


def count_links(text: str) -> int:
    return len(_LINK_RE.findall(text or ""))


def links_problem(text: str) -> str:
    """Why this description looks like advertising ("" when it does not)."""
    if count_links(text) <= MAX_LINKS:
        return ""
    return _(
        "Laporan ini memuat lebih dari %(n)s tautan (link) sehingga ditolak sebagai kemungkinan "
        "iklan/spam. Hapus tautan yang tidak perlu lalu kirim lagi."
    ) % {"n": MAX_LINKS}


def decoy_tracking_code() -> str:
    """What a bot that filled the honeypot in the API is told: well-formed, never stored."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _i in range(8))
    return f"{raw[:4]}-{raw[4:]}"
