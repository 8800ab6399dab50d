"""Telling the next actor: an in-app notification, and an e-mail when the person has an address.

Called from actions; both are sent only after the action's transaction commits, and a failing
mail server never undoes the action.
"""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction

from .models import Notification

logger = logging.getLogger("sikla.notify")


def notify(recipients, *, text: str, link: str = "") -> None:
    people = [r for r in {r.pk: r for r in recipients if r.is_active}.values()]

    def deliver():
        Notification.objects.bulk_create(
            Notification(recipient=person, text=text[:255], link=link[:255]) for person in people
        )
        for person in people:
            if not person.email:
                continue
            try:
                send_mail(
                    subject=f"[SIKLA] {text}"[:150],
                    message=f"{text}\n\n{settings.SIKLA_BASE_URL.rstrip('/')}{link}\n",
                    from_email=None,
                    recipient_list=[person.email],
                )
            except Exception:  # the notification is in the app; mail is a courtesy
                logger.exception("Notification e-mail failed (user id %s)", person.pk)

    transaction.on_commit(deliver)
