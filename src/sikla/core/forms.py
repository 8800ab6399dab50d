"""Validation shared by forms of every app."""

import re

from django import forms
from django.utils.translation import gettext as _

TAG_RE = re.compile(r"<\s*/?\s*[a-zA-Z!][^>]*>")


def clean_plain_text(cleaned: dict, fields: list[str]) -> dict:
    """Refuse markup in plain-text fields (names, titles, addresses) with a clear message.

    Output is escaped anyway; refusing keeps stored data clean for exports and letters.
    """
    for name in fields:
        value = cleaned.get(name)
        if isinstance(value, str) and TAG_RE.search(value):
            raise forms.ValidationError({name: _("Teks tidak boleh berisi tag HTML atau skrip.")})
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
