"""Forum Anak: the children's forums of the kab/kota and below, and their activities."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sikla.accounts.rules import Perm, can
from sikla.core.views_util import add_action_errors, paginate

from .. import actions, queries
from ..access import (
    get_activity,
    get_forum,
    get_lg_for_forums,
)
from ..forms import (
    ActivityForm,
    ChildForumForm,
    ForumFilterForm,
)
from .common import _can_manage, _form_page, _save, _saved, _url

__all__ = [
    "forums",
    "forum_create",
    "forum",
    "forum_edit",
    "activity_edit",
    "activity_delete",
]


@require_GET
def forums(request: HttpRequest, code: str) -> HttpResponse:
    lg = get_lg_for_forums(request.user, code)
    form = ForumFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    rows = queries.forums_of(
        lg,
        request.user,
        level=filters.get("level", ""),
        status=filters.get("status", ""),
        search=filters.get("q", ""),
    )
    return render(
        request,
        "participation/forums.html",
        {
            "lg": lg,
            "tab": "forums",
            "form": form,
            "page": paginate(request, rows),
            "summary": queries.forum_summary(lg),
            "can_manage": _can_manage(request, lg),
        },
    )


@require_http_methods(["GET", "POST"])
def forum_create(request: HttpRequest, code: str) -> HttpResponse:
    lg = get_lg_for_forums(request.user, code, manage=True)
    form = ChildForumForm(request.POST or None, local_government=lg)
    if form.is_valid():
        values = dict(form.cleaned_data)
        region = values.pop("region")
        try:
            forum = actions.create_child_forum(
                actor=request.user, local_government=lg, region=region, **values
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, _("%(name)s dicatat.") % {"name": forum.name})
            return redirect("participation:forum", lg.code, forum.uid)
    return _form_page(
        request,
        lg,
        form,
        title=_("Catat Forum Anak"),
        back=_url("participation:forums", lg.code),
        tab="forums",
    )


@require_GET
def forum(request: HttpRequest, code: str, uid) -> HttpResponse:
    lg = get_lg_for_forums(request.user, code)
    item = get_forum(request.user, lg, uid)
    return render(
        request,
        "participation/forum.html",
        {
            "lg": lg,
            "tab": "forums",
            "forum": item,
            "page": paginate(request, queries.forum_activities(item)),
            "can_manage": _can_manage(request, lg),
            # the records live at kab/kota level: not for a kecamatan officer
            "inputs": item.inputs.select_related("record").order_by("-date")[:20]
            if can(request.user, Perm.VIEW_PLANNING, lg.code)
            else [],
        },
    )


@require_http_methods(["GET", "POST"])
def forum_edit(request: HttpRequest, code: str, uid) -> HttpResponse:
    lg = get_lg_for_forums(request.user, code, manage=True)
    item = get_forum(request.user, lg, uid, manage=True)
    form = ChildForumForm(request.POST or None, instance=item, local_government=lg)
    if form.is_valid():
        try:
            changes = actions.update_child_forum(item, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            _saved(request, changes)
            return redirect("participation:forum", lg.code, item.uid)
    return _form_page(
        request,
        lg,
        form,
        title=_("Ubah %(name)s") % {"name": item.name},
        back=_url("participation:forum", lg.code, item.uid),
        tab="forums",
    )


@require_http_methods(["GET", "POST"])
def activity_edit(request: HttpRequest, code: str, uid, item=None) -> HttpResponse:
    lg = get_lg_for_forums(request.user, code, manage=True)
    forum_ = get_forum(request.user, lg, uid, manage=True)
    activity = get_activity(forum_, item) if item else None
    form = ActivityForm(request.POST or None, instance=activity)
    if done := _save(
        request,
        form,
        activity,
        create=lambda values: actions.add_activity(forum_, actor=request.user, **values),
        update=lambda item, values: actions.update_activity(item, actor=request.user, **values),
        created=_("Kegiatan dicatat."),
        to=lambda _item: _url("participation:forum", lg.code, forum_.uid),
    ):
        return done
    return _form_page(
        request,
        lg,
        form,
        title=(_("Ubah kegiatan") if activity else _("Catat kegiatan")) + f" — {forum_.name}",
        back=_url("participation:forum", lg.code, forum_.uid),
        tab="forums",
    )


@require_POST
def activity_delete(request: HttpRequest, code: str, uid, item) -> HttpResponse:
    lg = get_lg_for_forums(request.user, code, manage=True)
    forum_ = get_forum(request.user, lg, uid, manage=True)
    actions.delete_activity(get_activity(forum_, item), actor=request.user)
    messages.success(request, _("Kegiatan dihapus."))
    return redirect("participation:forum", lg.code, forum_.uid)
