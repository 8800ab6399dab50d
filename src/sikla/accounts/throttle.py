"""Failed logins counted per client address, over every account (issue 13, point 5).

django-axes locks a *username at an address* after AXES_FAILURE_LIMIT failures: a stranger
cannot lock the real user out from elsewhere. What it does not stop is one address trying a
few passwords on many accounts. This backend, first in AUTHENTICATION_BACKENDS, refuses any
login from an address with LOGIN_FAILURES_PER_ADDRESS failures in the last
LOGIN_FAILURE_WINDOW minutes, and — when the whole system sees LOGIN_FAILURES_OVERALL failures in
that window (an attack spread over many addresses) — from any address that has failed at all.
The refusal is the same lockout page or JSON 429 as axes's. Counts live in the cache.
"""

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.signals import user_login_failed
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.dispatch import receiver

from sikla.ops.client import client_address

OVERALL = "login-failures:*"


def _address_key(request) -> str:
    return "login-failures:" + client_address(request)


def _window() -> int:
    return settings.LOGIN_FAILURE_WINDOW * 60


def _count(key: str) -> int:
    return cache.get(key, 0)


def _add(key: str) -> None:
    if not cache.add(key, 1, _window()):
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, _window())


def throttled(request) -> bool:
    mine = _count(_address_key(request))
    if mine >= settings.LOGIN_FAILURES_PER_ADDRESS:
        return True
    return mine > 0 and _count(OVERALL) >= settings.LOGIN_FAILURES_OVERALL


class AddressThrottleBackend(ModelBackend):
    """Refuses every login from a throttled address, and authenticates nobody itself (the next
    backends do); it reads a session's user as the model backend does, being first in the list
    that `login()` and `force_login` take a default from."""

    def authenticate(self, request, **credentials):
        if request is not None and throttled(request):
            request.axes_locked_out = True  # AxesMiddleware answers with the lockout response
            raise PermissionDenied("too many failed logins from this address")
        return None


@receiver(user_login_failed)
def _count_failure(sender, credentials, request=None, **kwargs):
    if request is None:
        return
    _add(_address_key(request))
    _add(OVERALL)
