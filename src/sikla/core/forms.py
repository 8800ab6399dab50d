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


class HolidayForm(forms.Form):
    """A joint leave day or a regional holiday the national calendar does not know."""

    name = forms.CharField(label=_("Nama hari libur"), max_length=120)
    region_code = forms.CharField(
        label=_("Kode wilayah (kosongkan untuk seluruh Indonesia)"),
        max_length=13,
        required=False,
        help_text=_("Kode provinsi (mis. 53) atau kabupaten/kota (mis. 53.71)."),
    )

    def __init__(self, *args, **kwargs):
        from .validation import DateField

        super().__init__(*args, **kwargs)
        self.fields = {
            "date": DateField(label=_("Tanggal"), widget=forms.DateInput(attrs={"type": "date"})),
            **self.fields,
        }

    def clean_region_code(self) -> str:
        from sikla.regions.models import Level, Region

        code = self.cleaned_data["region_code"].strip()
        if (
            code
            and not Region.objects.filter(
                code=code, level__in=[Level.PROVINCE, Level.REGENCY]
            ).exists()
        ):
            raise forms.ValidationError(_("Bukan kode provinsi atau kabupaten/kota yang dikenal."))
        return code

    def clean(self):
        return clean_plain_text(super().clean(), ["name"])
