"""Fetch-and-check helpers. A local government outside the user's scope, or a region that is not
a kecamatan or kelurahan/desa of it, answers 404; reading needs `Perm.VIEW_PLANNING` (everyone),
changing needs `Perm.MANAGE_VILLAGES` on the region's own code (403 otherwise): the secretariat
for any area of its kab/kota, a village officer only inside their kecamatan or kelurahan."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from sikla.accounts.rules import Perm, can, has_role_perm, require
from sikla.organisations.access import get_local_government_for_user
from sikla.regions.models import Level, Region

from .models import ChecklistAnswer


def get_villages_lg_for_user(user, code: str):
    """The local government, for reading its village pages.

    A kecamatan or kelurahan officer belongs to the kab/kota above their scope and may read its
    overview (`local_governments_visible_to` looks up as well as down), so the read rule is the
    role's permission once the local government is visible.
    """
    lg = get_local_government_for_user(user, code)
    if not has_role_perm(user, Perm.VIEW_PLANNING):
        raise PermissionDenied
    return lg


def get_area_for_user(user, code: str, region_code: str, *, write: bool = False):
    """(local government, region) for a kecamatan or kelurahan/desa of it."""
    lg = get_villages_lg_for_user(user, code)
    try:
        region = Region.objects.select_related("parent").get(
            code=region_code,
            code__startswith=lg.code + ".",
            level__in=[Level.DISTRICT, Level.VILLAGE],
        )
    except Region.DoesNotExist:
        raise Http404 from None
    if write:
        require(user, Perm.MANAGE_VILLAGES, region.code)
    return lg, region


def can_manage(user, region_code: str) -> bool:
    return can(user, Perm.MANAGE_VILLAGES, region_code)


def get_evidence_for_user(user, code: str, region_code: str, uid) -> ChecklistAnswer:
    lg, region = get_area_for_user(user, code, region_code)
    try:
        answer = ChecklistAnswer.objects.select_related("checklist__village_status").get(
            uid=uid,
            checklist__village_status__local_government=lg,
            checklist__village_status__region=region,
        )
    except (ChecklistAnswer.DoesNotExist, ValueError):
        raise Http404 from None
    if not answer.evidence:
        raise Http404
    return answer
