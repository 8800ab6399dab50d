"""Child protection's background jobs."""

from sikla.ops.tasks import background

from .retention import anonymise_due


@background(attempts=3, backoff_seconds=600)
def anonymise_expired(*, attempt: int = 1) -> int:
    """The nightly retention run (enqueued by `sikla worker`, see ops.schedule): erases the
    identities of closed cases whose retention has run out; returns how many."""
    return anonymise_due()
