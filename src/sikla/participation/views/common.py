"""What the staff pages of participation share: the form page, the saved message, the data year."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sikla.accounts.rules import Perm, can


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


def _data_year(request: HttpRequest) -> int:
    """?tahun=…, else this year: the data year being collected for next year's evaluation."""
    default = timezone.localdate().year
    try:
        year = int(request.GET.get("tahun", default))
    except ValueError:
        return default
    return year if 2000 <= year <= 2100 else default
