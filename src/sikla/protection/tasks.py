"""Child protection's background jobs."""

from datetime import date

from django.utils import translation

from sikla.ops.tasks import background

from .retention import anonymise_due


@background(attempts=3, backoff_seconds=600)
def anonymise_expired(*, attempt: int = 1) -> int:
    """The nightly retention run (enqueued by `sikla worker`, see ops.schedule): erases the
    identities of closed cases whose retention has run out; returns how many."""
    return anonymise_due()


@background(attempts=2, backoff_seconds=60)
def refresh_statistics(
    code: str, period: str, day: str, language: str, *, attempt: int = 1
) -> None:
    """Rebuild a kab/kota's published counts of a period (the disclosure control,
    `disclosure.rebuild_published`) for the day and language of the request that found them
    out of date; that request, and those after it, are served the last ones meanwhile."""
    from . import disclosure

    with translation.override(language):
        disclosure.rebuild_published(code, period, date.fromisoformat(day))
