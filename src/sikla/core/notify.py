"""Telling the next actor: an in-app notification, and an e-mail when the person has an address.

Called from actions; both happen only after the action's transaction commits. The e-mail is a
job on the task queue (`send_notification_mail`), tried again when the mail server fails, and a
failing mail server never undoes the action.
"""

import logging

from django.conf import settings
from django.core.cache import cache
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from sikla.ops.tasks import background

from .models import Notification

logger = logging.getLogger("sikla.notify")
UNREAD_TTL = 15 * 60  # seconds; a safety net: every new notification and every reading forgets it


def _unread_key(user_id: int) -> str:
    return f"notifications:unread:{user_id}"


def unread_count(user) -> int:
    """The number on the bell of every page: kept in the cache until the person gets a
    notification or reads theirs (0.6 ms of every page as a query)."""
    key = _unread_key(user.pk)
    count = cache.get(key)
    if count is None:
        count = user.notifications.filter(read_at__isnull=True).count()
        cache.set(key, count, UNREAD_TTL)
    return count


def forget_unread(user_ids) -> None:
    cache.delete_many([_unread_key(pk) for pk in user_ids])


def mark_read(user, *, chosen=(), everything: bool = False) -> int:
    """The person's unread notifications marked read: the ticked ones or all of them."""
    unread = user.notifications.filter(read_at__isnull=True)
    if not everything:
        unread = unread.filter(pk__in=chosen)
    marked = unread.update(read_at=timezone.now())
    forget_unread([user.pk])
    return marked


def notify(recipients, *, text: str, link: str = "") -> None:
    people = [r for r in {r.pk: r for r in recipients if r.is_active}.values()]

    def deliver():
        Notification.objects.bulk_create(
            Notification(recipient=person, text=text[:255], link=link[:255]) for person in people
        )
        forget_unread(person.pk for person in people)
        for person in people:
            if person.email:
                try:
                    send_notification_mail.enqueue(person.pk, text=text, link=link)
                except Exception:  # the notification is in the app; mail is a courtesy
                    logger.exception("Notification e-mail not queued (user id %s)", person.pk)

    transaction.on_commit(deliver)


@background(attempts=4, backoff_seconds=120)
def send_notification_mail(user_id: int, *, text: str, link: str, attempt: int = 1) -> None:
    from sikla.accounts.models import User

    person = User.objects.filter(pk=user_id, is_active=True).exclude(email="").first()
    if person is None:
        return
    send_mail(
        subject=f"[SIKLA] {text}"[:150],
        message=f"{text}\n\n{settings.SIKLA_BASE_URL.rstrip('/')}{link}\n",
        from_email=None,
        recipient_list=[person.email],
    )
