"""Forms of the action-plan pages. They check shape and say what is wrong next to the field, in
Indonesian; the rules (years within the plan, one report per quarter, who may report) live in
`actions/plan.py`. Rupiah is typed the Indonesian way: "1.250.000" or "1.250.000,50"."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from sikla.core import numbers, validation
from sikla.core.forms import clean_plain_text
from sikla.indicators.models import Indicator
from sikla.indicators.queries import active_catalog

from ..models.plan import FundingSource

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
GROUPED = re.compile(r"^\d{1,3}(\.\d{3})+(,\d+)?$")  # 1.250.000 or 1.250.000,50
COMMA = re.compile(r"^\d+(,\d+)?$")  # 1250000 or 1250000,5
POINT = re.compile(r"^\d+\.\d{1,2}$")  # 1250000.50 (as the API and spreadsheets write it)


def parse_amount(text: str) -> Decimal:
    """Indonesian-formatted number → Decimal; ValueError when it is not one."""
    value = re.sub(r"^rp\.?", "", text.strip().lower()).strip().replace(" ", "")
    if value.startswith("-"):
        raise ValueError("negative")
    if GROUPED.match(value):
        value = value.replace(".", "").replace(",", ".")
    elif COMMA.match(value):
        value = value.replace(",", ".")
    elif not POINT.match(value):
        raise ValueError(value)
    try:
        return Decimal(value)
    except InvalidOperation as exc:
        raise ValueError(value) from exc


class AmountField(forms.CharField):
    """A non-negative amount with at most two decimals, typed with Indonesian separators."""

    def __init__(self, *args, decimals: int = 2, **kwargs):
        self.decimals = decimals
        kwargs.setdefault("max_length", 30)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal"}))
        super().__init__(*args, **kwargs)

    def prepare_value(self, value):
        if isinstance(value, Decimal | int | float):
            value = Decimal(str(value))
            places = 0 if value == value.to_integral() else self.decimals
            # Always the Indonesian separators this field reads back, in any UI language.
            return numbers.grouped(value, places)
        return value

    def clean(self, value):
        text = super().clean(value)
        if text in (None, ""):
            return None
        if text.strip().startswith("-"):
            raise forms.ValidationError(_("Jumlah tidak boleh negatif."))
        try:
            amount = parse_amount(text)
        except ValueError:
            raise forms.ValidationError(
                _("Tulis angka, misalnya 1.250.000 atau 1.250.000,50.")
            ) from None
        if amount != amount.quantize(Decimal(1).scaleb(-self.decimals)):
            raise forms.ValidationError(_("Paling banyak dua angka di belakang koma."))
        return amount


def indicators_numbered(numbers) -> list[int]:
    """Primary keys of the active catalog's indicators with these numbers (form initials)."""
    return list(
        Indicator.objects.filter(version=active_catalog(), number__in=numbers).values_list(
            "pk", flat=True
        )
    )


def year_choices(plan) -> list[tuple[int, int]]:
    return [(y, y) for y in plan.years]


class PlanForm(forms.Form):
    title = forms.CharField(label=_("Judul"), max_length=200)
    start_year = forms.IntegerField(label=_("Tahun awal"), min_value=2000, max_value=2100)
    end_year = forms.IntegerField(label=_("Tahun akhir"), min_value=2000, max_value=2100)
    decree_number = forms.CharField(
        label=_("Nomor peraturan/keputusan"),
        max_length=120,
        required=False,
        help_text=_("Peraturan/Keputusan Wali Kota atau Bupati; boleh dikosongkan selama draf."),
    )
    decree_date = validation.DateField(label=_("Tanggal penetapan"), required=False, widget=DATE)

    def clean(self):
        return clean_plain_text(super().clean(), ["title", "decree_number"])


class AdoptForm(forms.Form):
    decree_number = forms.CharField(label=_("Nomor peraturan/keputusan"), max_length=120)
    decree_date = validation.DateField(label=_("Tanggal penetapan"), widget=DATE)

    def clean(self):
        return clean_plain_text(super().clean(), ["decree_number"])


class LocalBudgetForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Tahun"), coerce=int)
    total_apbd = AmountField(
        label=_("Total belanja APBD (Rp)"),
        required=False,
        help_text=_("Kosongkan untuk menghapus angka tahun itu."),
    )

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = year_choices(plan)


class ProgrammeForm(forms.Form):
    code = forms.CharField(
        label=_("Kode program"),
        max_length=30,
        required=False,
        help_text=_("Kode nomenklatur anggaran, bila ada."),
    )
    name = forms.CharField(label=_("Nama program/kegiatan"), max_length=300)
    lead_agency = forms.ModelChoiceField(label=_("Perangkat daerah pengampu"), queryset=None)
    indicators = forms.ModelMultipleChoiceField(
        label=_("Indikator KLA yang ditangani"),
        queryset=Indicator.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    unit = forms.CharField(label=_("Satuan keluaran"), max_length=60, required=False)
    output_target = forms.CharField(
        label=_("Target keluaran (output)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    outcome_target = forms.CharField(
        label=_("Target hasil (outcome)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, local_government, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_agency"].queryset = local_government.agencies.filter(
            is_active=True
        ).order_by("name")
        catalog = active_catalog()
        self.fields["indicators"].queryset = (
            Indicator.objects.filter(version=catalog).order_by("number")
            if catalog
            else Indicator.objects.none()
        )
        self.fields["indicators"].label_from_instance = lambda i: f"{i.number}. {i.name}"

    def clean(self):
        return clean_plain_text(
            super().clean(), ["code", "name", "unit", "output_target", "outcome_target"]
        )


class TargetForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Tahun"), coerce=int)
    output_target = AmountField(label=_("Target keluaran (angka)"))
    unit = forms.CharField(label=_("Satuan"), max_length=60, required=False)
    outcome_target = forms.CharField(label=_("Target hasil"), max_length=300, required=False)

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = year_choices(plan)

    def clean(self):
        return clean_plain_text(super().clean(), ["unit", "outcome_target"])


class BudgetForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Tahun"), coerce=int)
    source = forms.ChoiceField(label=_("Sumber dana"), choices=FundingSource.choices)
    planned = AmountField(label=_("Pagu (Rp)"))
    realised = AmountField(
        label=_("Realisasi (Rp)"),
        required=False,
        help_text=_("Boleh melebihi pagu (misalnya pagu perubahan belum dicatat); akan ditandai."),
    )

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = year_choices(plan)


class ProgressForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Tahun"), coerce=int)
    quarter = forms.TypedChoiceField(
        label=_("Triwulan"), coerce=int, choices=[(q, f"TW {q}") for q in (1, 2, 3, 4)]
    )
    output_achieved = AmountField(
        label=_("Capaian keluaran s.d. triwulan ini"),
        help_text=_("Kumulatif sejak awal tahun, dalam satuan target."),
    )
    realisation = AmountField(
        label=_("Realisasi anggaran s.d. triwulan ini (Rp)"),
        help_text=_("Kumulatif sejak awal tahun, semua sumber dana."),
    )
    narrative = forms.CharField(
        label=_("Uraian capaian dan kendala"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    file = forms.FileField(label=_("Bukti dukung"), required=False)

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = year_choices(plan)
        self.fields["file"].help_text = _(
            "PDF, JPG/PNG, DOCX atau XLSX, paling besar %(mb)s MB."
        ) % {"mb": settings.MAX_UPLOAD_MB}

    def clean(self):
        return clean_plain_text(super().clean(), ["narrative"])


class AcceptForm(forms.Form):
    note = forms.CharField(label=_("Catatan"), max_length=500, required=False)

    def clean(self):
        return clean_plain_text(super().clean(), ["note"])
