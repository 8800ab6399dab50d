"""What the staff pages of participation share: the form page, saving a record from it, the saved
message, the data year."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sikla.accounts.rules import Perm, can
from sikla.core.views_util import add_action_errors


def _url(name: str, *args) -> str:
    return reverse(name, args=args)


def _can_manage(request: HttpRequest, lg) -> bool:
    return can(request.user, Perm.MANAGE_PARTICIPATION, lg.code)


def _form_page(
    request: HttpRequest,
    lg,
    form,
    *,
    title: str,
    back: str,
    tab: str,
    multipart: bool = False,
) -> HttpResponse:
    return render(
        request,
        "participation/form.html",
        {
            "lg": lg,
            "form": form,
            "title": title,
            "back": back,
            "tab": tab,
            "multipart": multipart,
        },
    )


def _saved(request: HttpRequest, changes) -> None:
    messages.success(request, _("Perubahan disimpan.") if changes else _("Tidak ada perubahan."))


def _save(request: HttpRequest, form, existing, *, create, update, created: str, to):
    """The POST of a record's form page: a new record (`create(values)`, then the message
    `created`) or a change to `existing` (`update(existing, values)`, then what changed), and a
    redirect to `to(record)`. None when the form is not valid or the action refuses (its
    errors next to the fields they name): the page shows the form again with what was typed."""
    if not form.is_valid():
        return None
    try:
        if existing is None:
            record = create(form.cleaned_data)
            messages.success(request, created)
        else:
            record = existing
            _saved(request, update(existing, form.cleaned_data))
    except ValidationError as exc:
        add_action_errors(form, exc)
        return None
    return redirect(to(record))


def _data_year(request: HttpRequest) -> int:
    """?tahun=…, else this year: the data year being collected for next year's evaluation."""
    default = timezone.localdate().year
    try:
        year = int(request.GET.get("tahun", default))
    except ValueError:
        return default
    return year if 2000 <= year <= 2100 else default
