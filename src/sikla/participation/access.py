"""Fetch-and-check helpers. A local government outside the user's scope, or an object that is not
its own, answers 404; a role without the right answers 403.

Reading is `Perm.VIEW_PLANNING` (everyone in scope), changing is `Perm.MANAGE_PARTICIPATION`
(the secretariat). A kecamatan/kelurahan officer reads the Forum Anak of their own area only.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from sikla.accounts.rules import Perm, can, has_role_perm, in_scope, require
from sikla.organisations.access import get_local_government_for_user
from sikla.organisations.models import LocalGovernment

from .models import (
    ChildForum,
    ChildForumActivity,
    ConsultationInput,
    ConsultationRecord,
    Contribution,
    Partner,
    PublicComment,
    PublicConsultation,
)


def get_lg(user, code: str, *, manage: bool = False) -> LocalGovernment:
    lg = get_local_government_for_user(user, code)
    require(user, Perm.MANAGE_PARTICIPATION if manage else Perm.VIEW_PLANNING, lg.code)
    return lg


def get_lg_for_forums(user, code: str, *, manage: bool = False) -> LocalGovernment:
    """As get_lg; for reading, an officer of a kecamatan or kelurahan of `code` passes too (the
    lists then hold their area's forums only, see queries.forums_of)."""
    if manage:
        return get_lg(user, code, manage=True)
    lg = get_local_government_for_user(user, code)
    if can(user, Perm.VIEW_PLANNING, lg.code):
        return lg
    if has_role_perm(user, Perm.VIEW_PLANNING) and in_scope(lg.code, user.scope):
        return lg
    raise PermissionDenied


def _one(qs, **lookup):
    try:
        return qs.get(**lookup)
    except (qs.model.DoesNotExist, ValueError):
        raise Http404 from None


def get_forum(user, lg: LocalGovernment, uid, *, manage: bool = False) -> ChildForum:
    forum = _one(lg.child_forums.select_related("region", "local_government__region"), uid=uid)
    if not can(user, Perm.VIEW_PLANNING, forum.region_id):
        raise Http404  # a kecamatan officer never learns of another area's forum
    if manage:
        require(user, Perm.MANAGE_PARTICIPATION, lg.code)
    return forum


def get_activity(forum: ChildForum, uid) -> ChildForumActivity:
    return _one(forum.activities.select_related("forum"), uid=uid)


def get_record(user, lg: LocalGovernment, uid, *, manage: bool = False) -> ConsultationRecord:
    entry = _one(lg.consultation_records.select_related("indicator"), uid=uid)
    require(user, Perm.MANAGE_PARTICIPATION if manage else Perm.VIEW_PLANNING, lg.code)
    return entry


def get_input(entry: ConsultationRecord, uid) -> ConsultationInput:
    return _one(entry.inputs.select_related("record", "child_forum"), uid=uid)


def get_consultation(user, lg: LocalGovernment, uid, *, manage: bool = False) -> PublicConsultation:
    consultation = _one(lg.public_consultations.select_related("record", "indicator"), uid=uid)
    require(user, Perm.MANAGE_PARTICIPATION if manage else Perm.VIEW_PLANNING, lg.code)
    return consultation


def get_comment(consultation: PublicConsultation, uid) -> PublicComment:
    return _one(consultation.comments.select_related("consultation"), uid=uid)


def get_published_consultation(uid) -> PublicConsultation:
    """What the public may open: a consultation whose opening date has come, of an active
    local government. Drafts not yet opened answer 404."""
    return _one(
        PublicConsultation.objects.select_related("local_government__region", "record").filter(
            opens_on__lte=timezone.localdate(), local_government__is_active=True
        ),
        uid=uid,
    )


def can_see_unpublished(user, consultation: PublicConsultation) -> bool:
    return can(user, Perm.VIEW_PLANNING, consultation.local_government_id)


def get_partner(user, lg: LocalGovernment, uid, *, manage: bool = False) -> Partner:
    partner = _one(lg.partners.select_related("agency"), uid=uid)
    require(user, Perm.MANAGE_PARTICIPATION if manage else Perm.VIEW_PLANNING, lg.code)
    return partner


def get_contribution(partner: Partner, uid) -> Contribution:
    return _one(partner.contributions.select_related("partner", "indicator"), uid=uid)
