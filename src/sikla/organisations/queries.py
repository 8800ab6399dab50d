"""Named reads, each starting from what the user may see."""

from django.db.models import Count, Q, QuerySet

from sikla.accounts.rules import in_scope, scope_q
from sikla.core.models import PROTECTION_COMPARTMENT, AuditEvent

from .models import LocalGovernment, TaskForce, TaskForceMember


def local_governments_visible_to(user) -> QuerySet[LocalGovernment]:
    """Participating local governments whose region overlaps the user's scope.

    A village officer (scope 53.71.01) belongs to the local government 53.71, so the rule looks
    both down (a province sees its kab/kota) and up (a kecamatan sees its kab/kota).
    """
    q = scope_q(user, "region__code")
    if user.is_authenticated and len(user.scope) > 5:
        q |= Q(region_id=user.scope[:5])
    return LocalGovernment.objects.filter(q, is_active=True).select_related("region__parent")


def may_see_local_government(user, code: str) -> bool:
    """The same rule for one kab/kota code, without the database (its row being active is the
    caller's to check): in the user's scope, looking down and up as above."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return in_scope(user.scope, code) or (len(user.scope) > 5 and code == user.scope[:5])


def participating_names(limit: int = 50) -> list[tuple[str, str]]:
    """(code, name) of the first `limit` active local governments by name, for anyone (the front
    door). Sorted here, not in SQL: ordered by the region's name, SQLite walks all 91,599 regions
    by their name index (70 ms) instead of the few hundred local governments."""
    rows = LocalGovernment.objects.filter(is_active=True).values_list("pk", "region__name")
    return sorted(rows, key=lambda row: row[1])[:limit]


def local_government_list(user, *, search: str = "", province: str = "") -> QuerySet:
    qs = local_governments_visible_to(user).annotate(
        agency_count=Count("agencies", filter=Q(agencies__is_active=True), distinct=True)
    )
    if search:
        qs = qs.filter(Q(region__name__icontains=search) | Q(region__code__startswith=search))
    if province:
        qs = qs.filter(region__code__startswith=province + ".")
    return qs.order_by("region_id")


def agencies_of(lg: LocalGovernment, *, kind: str = "", search: str = "", active=True):
    qs = lg.agencies.all()
    if active is not None:
        qs = qs.filter(is_active=active)
    if kind:
        qs = qs.filter(kind=kind)
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(abbreviation__icontains=search))
    return qs.order_by("kind", "name")


def active_task_force(lg: LocalGovernment) -> TaskForce | None:
    return (
        lg.task_forces.filter(is_active=True)
        .select_related("secretariat_agency", "local_government__region")
        .first()
    )


def task_force_members(task_force: TaskForce) -> QuerySet[TaskForceMember]:
    return task_force.members.select_related("agency").order_by("role", "cluster", "agency__name")


def history_of(lg: LocalGovernment) -> QuerySet[AuditEvent]:
    """The general change history of a local government: everything but the child-protection
    compartment, whose events stay in each case's own history and the unit's access log."""
    return (
        AuditEvent.objects.filter(region_code=lg.code)
        .exclude(target_type__startswith=PROTECTION_COMPARTMENT)
        .select_related("actor")
    )
