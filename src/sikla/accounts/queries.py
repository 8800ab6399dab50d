from django.db.models import OuterRef, Q, QuerySet, Subquery

from sikla.regions.models import Region

from .models import ApiToken, User, hash_token
from .rules import GRANTABLE_ROLES, scope_q


def users_manageable_by(user, *, search: str = "", role: str = "", active=None) -> QuerySet[User]:
    """The accounts `user` administers: in scope, with a role they may grant."""
    roles = GRANTABLE_ROLES.get(user.role, frozenset())
    qs = (
        User.objects.filter(scope_q(user, "scope"), role__in=roles)
        .select_related("agency")
        .annotate(  # people read "Kota Kupang", not "53.71"
            scope_name=Subquery(Region.objects.filter(code=OuterRef("scope")).values("name")[:1])
        )
    )
    if search:
        qs = qs.filter(
            Q(username__icontains=search)
            | Q(full_name__icontains=search)
            | Q(email__icontains=search)
        )
    if role:
        qs = qs.filter(role=role)
    if active is not None:
        qs = qs.filter(is_active=active)
    return qs.order_by("-is_active", "scope", "username")


def user_for_token(raw: str) -> User | None:
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=hash_token(raw), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.is_valid or not token.user.is_active:
        return None
    return token.user
