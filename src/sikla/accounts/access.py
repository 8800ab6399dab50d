from django.http import Http404

from .models import User
from .queries import users_manageable_by


def get_managed_user(actor, uid) -> User:
    try:
        return users_manageable_by(actor).get(uid=uid)
    except (User.DoesNotExist, ValueError):
        raise Http404 from None
