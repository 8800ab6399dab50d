"""Validation shared by forms of every app."""

from django import forms
from django.utils.translation import gettext as _

from .validation import MARKUP_MESSAGE, has_markup


def clean_plain_text(cleaned: dict, fields: list[str]) -> dict:
    """Refuse markup in plain-text fields (names, titles, addresses) with a clear message.

    Output is escaped anyway; refusing keeps stored data clean for exports and letters.
    """
    for name in fields:
        if has_markup(cleaned.get(name)):
            raise forms.ValidationError({name: MARKUP_MESSAGE})
    return cleaned


def validate_image(upload):
    """A logo must really be a PNG or JPEG (checked from content) and small."""
    if not upload or not hasattr(upload, "content_type"):
        return upload
    limit = 2 * 1024 * 1024
    if upload.size > limit:
        raise forms.ValidationError(_("Ukuran logo maksimal 2 MB."))
    image = getattr(upload, "image", None)
    if image is None or image.format not in {"PNG", "JPEG"}:
        raise forms.ValidationError(_("Logo harus berupa gambar PNG atau JPEG."))
    return upload
