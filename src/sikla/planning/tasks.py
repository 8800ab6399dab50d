"""Planning's background jobs."""

from sikla.ops.tasks import background

from .actions import send_overdue_reminders


@background(attempts=3, backoff_seconds=300)
def send_reminders(*, attempt: int = 1) -> int:
    """The daily overdue reminders (enqueued by `sikla worker` each morning, see ops.schedule)."""
    return send_overdue_reminders()
