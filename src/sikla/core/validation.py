"""One validation for the forms and the API: what a text, a date or a page may be.

The actions call `refuse_markup` and `refuse_odd_dates` themselves, so a value that reaches them
from a form, the API or an import meets the same rule and the same Indonesian message; the form
fields and API types below apply the same bounds at the door, so an absurd value (the year 9999,
an offset past 2^63) is a 400/422 with a message, never a 500 deeper down.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated
from uuid import UUID

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Field, Schema
from pydantic import AfterValidator, model_validator

TAG_RE = re.compile(r"<\s*/?\s*[a-zA-Z!][^>]*>")
EARLIEST = date(1900, 1, 1)
LATEST = date(2100, 12, 31)
MAX_OFFSET = 1_000_000
DATE_MESSAGE = gettext_lazy("Tanggal harus antara tahun 1900 dan 2100.")
MARKUP_MESSAGE = gettext_lazy("Teks tidak boleh berisi tag HTML atau skrip.")


def has_markup(value) -> bool:
    return isinstance(value, str) and bool(TAG_RE.search(value))


def refuse_markup(**values) -> None:
    """Refuse markup in plain-text fields (names, titles, addresses). Output is escaped anyway;
    refusing keeps stored data clean for exports, letters and other systems."""
    errors = {name: [str(MARKUP_MESSAGE)] for name, value in values.items() if has_markup(value)}
    if errors:
        raise ValidationError(errors)


def _day(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


def sane_date(value) -> bool:
    return value is None or EARLIEST <= _day(value) <= LATEST


def refuse_odd_dates(**values) -> None:
    """Refuse dates outside 1900–2100 (a typo like 0202 or 20226, or a probe)."""
    errors = {name: [str(DATE_MESSAGE)] for name, value in values.items() if not sane_date(value)}
    if errors:
        raise ValidationError(errors)


def parse_uuid(text) -> UUID | None:
    """A uid from a query string, or None for anything that is not one (never an error)."""
    try:
        return UUID(str(text)) if text else None
    except ValueError:
        return None


# --- form fields --------------------------------------------------------------------------------


class DateField(forms.DateField):
    """A date between 1900 and 2100."""

    def validate(self, value):
        super().validate(value)
        if not sane_date(value):
            raise ValidationError(DATE_MESSAGE, code="date_range")


class DateTimeField(forms.DateTimeField):
    """A moment between 1900 and 2100."""

    def validate(self, value):
        super().validate(value)
        if not sane_date(value):
            raise ValidationError(DATE_MESSAGE, code="date_range")


# --- API types ----------------------------------------------------------------------------------


def _checked(value):
    if not sane_date(value):
        raise ValueError(_("Tanggal harus antara tahun 1900 dan 2100."))
    return value


SaneDate = Annotated[date, AfterValidator(_checked)]
SaneDateTime = Annotated[datetime, AfterValidator(_checked)]


class ObjectIn(Schema):
    """A request body that must be a JSON object: a list, a string or a number is a 422, not
    taken as an empty object."""

    @model_validator(mode="wrap")
    @classmethod
    def _an_object(cls, value, handler):
        data = getattr(value, "_obj", value)  # ninja hands the parsed body in a wrapper
        if not isinstance(data, dict):
            raise ValueError(_("Isi permintaan harus berupa objek JSON."))
        return handler(value)


MAX_LIMIT = 500


class PageIn(Schema):
    """`limit` and `offset` of every list route, bounded: at most MAX_LIMIT items a page (a
    larger limit is a 422, never silently cut), and no offset reaches the database as a number
    it cannot hold."""

    limit: int = Field(100, ge=1, le=MAX_LIMIT, description=f"1–{MAX_LIMIT}; 100 bila kosong")
    offset: int = Field(0, ge=0, le=MAX_OFFSET)
