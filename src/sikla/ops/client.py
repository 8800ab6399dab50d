"""Who is asking: the client's address, read the same way for rate limits, lockouts and logs.

Without a proxy it is REMOTE_ADDR. Behind `SIKLA_TRUSTED_PROXIES` proxies (nginx adds the address
it saw to X-Forwarded-For), the client is the address the outermost trusted proxy added: counted
from the right, never the leftmost entry, which anybody can write."""

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXIES
    if not proxies:
        return remote
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [a for a in forwarded if a]
    if not forwarded:
        return remote
    # With n proxies the list ends with the n addresses they saw; the client is the nth from
    # the right. A shorter list (a request that skipped a proxy) yields its leftmost entry.
    return forwarded[-min(proxies, len(forwarded))]
