"""Validation shared by forms of every app."""

import html

from django import forms
from django.forms.utils import flatatt
from django.utils.choices import BaseChoiceIterator
from django.utils.html import format_html
from django.utils.safestring import mark_safe
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


class QuickSelect(forms.Select):
    """A select of hundreds of options (the 514 kab/kota, 850 kelurahan) written straight from
    its choices: no option dictionaries as Django's `get_context` builds them for the renderer,
    and the stdlib's escape (Django's `escape`, without its lazy-string wrapper)."""

    def render(self, name, value, attrs=None, renderer=None):
        chosen = {str(v) for v in self.format_value(value)}
        if isinstance(self.choices, KeptChoices) and chosen <= {""}:
            # the usual empty form: its options written once
            options = self.choices.options.get(frozenset(chosen))
            if options is None:
                options = self.choices.options[frozenset(chosen)] = _options(self.choices, chosen)
        else:
            options = _options(self.choices, chosen)
        return format_html(
            '<select name="{}"{}>{}</select>',
            name,
            flatatt(self.build_attrs(self.attrs, attrs)),
            mark_safe(options),  # noqa: S308 - every value and label escaped by _options
        )


def _options(choices, chosen: set[str]) -> str:
    escape = html.escape

    def options(choices) -> str:
        return "".join(
            f'<option value="{escape(str(v))}"{" selected" if str(v) in chosen else ""}>'
            f"{escape(str(label))}</option>"
            for v, label in choices
        )

    return "".join(
        f'<optgroup label="{escape(str(v))}">{options(label)}</optgroup>'
        if isinstance(label, list | tuple)
        else options([(v, label)])
        for v, label in choices
    )


class KeptChoices(BaseChoiceIterator):
    """Choices a process keeps between requests (`public_cache.Kept`). A widget takes them as
    they are, where a list is normalised anew on each assignment (515 pairs for the kab/kota),
    and `QuickSelect` writes their options once, for every empty form that shows them."""

    def __init__(self, choices: list[tuple[str, str]]) -> None:
        self.choices = choices
        self.options: dict[frozenset[str], str] = {}  # by the values selected: none or ""

    def __iter__(self):
        return iter(self.choices)

    def __len__(self) -> int:
        return len(self.choices)


def local_government_choices() -> KeptChoices:
    """Every active kab/kota as (code, name), read as two columns (not 514 model instances) and
    kept by the process until anything changes: the choices shown by a select of local
    governments; its field's queryset still validates."""
    from sikla.organisations.models import LocalGovernment

    from . import public_cache

    return public_cache.kept_in_process(
        "local-government-choices",
        "",
        lambda: KeptChoices(
            [("", "---------")]
            + list(
                LocalGovernment.objects.filter(is_active=True)
                .order_by("region_id")
                .values_list("region_id", "region__name")
            )
        ),
    )
