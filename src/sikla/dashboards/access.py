"""Fetch-and-check helpers of the children's profile. A local government outside the user's
scope answers 404; reading the profile needs `Perm.VIEW_PLANNING` (everyone in scope, kecamatan
and kelurahan officers included: the profile is the kab/kota's published document); entering
the population figures needs `Perm.MANAGE_PLAN` on the kab/kota (the secretariat), 403 otherwise.
A data year outside [FIRST_YEAR, this year] answers 404."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from sikla.accounts.rules import Perm, can, has_role_perm, require
from sikla.organisations.access import get_local_government_for_user

FIRST_YEAR = 2000


def year_allowed(year: int) -> bool:
    return FIRST_YEAR <= year <= timezone.localdate().year


def get_profile_lg_for_user(user, code: str, year: int | None = None):
    """The local government whose profile the user reads (and checks the year)."""
    lg = get_local_government_for_user(user, code)
    if not has_role_perm(user, Perm.VIEW_PLANNING):
        raise PermissionDenied
    if year is not None and not year_allowed(year):
        raise Http404
    return lg


def get_population_lg_for_user(user, code: str, year: int):
    """The local government whose population figures the user enters."""
    lg = get_profile_lg_for_user(user, code, year)
    require(user, Perm.MANAGE_PLAN, lg.code)
    return lg


def can_enter_population(user, lg) -> bool:
    return can(user, Perm.MANAGE_PLAN, lg.code)
