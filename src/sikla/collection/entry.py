"""The data-entry form of a submission, built from the indicator's grid."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from sikla.core.forms import clean_plain_text
from sikla.indicators.models import MeasureType

from .grid import Cell, column_label, columns, field_name, plain

NUMBER = {"inputmode": "decimal", "autocomplete": "off", "class": "cell"}
YES_NO = [("", "—"), ("1", _("Ya")), ("0", _("Tidak"))]


def grid_cells(indicator, rows) -> list[Cell]:
    return [(r.code, sex, age) for r in rows for sex, age in columns(indicator.disaggregations)]


class ValuesForm(forms.Form):
    narrative = forms.CharField(
        label=_("Narasi: apa yang dilakukan tahun ini"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, indicator, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicator = indicator
        self.cells = grid_cells(indicator, rows)
        for cell in self.cells:
            if indicator.measure_type == MeasureType.PERCENTAGE:
                for kind, label in (("n", _("pembilang")), ("d", _("penyebut"))):
                    self.fields[field_name(kind, cell)] = forms.DecimalField(
                        label=label,
                        required=False,
                        min_value=0,
                        max_digits=14,
                        decimal_places=2,
                        localize=True,
                        widget=forms.TextInput(attrs=NUMBER),
                    )
            elif indicator.measure_type == MeasureType.COUNT:
                self.fields[field_name("v", cell)] = forms.IntegerField(
                    label=_("jumlah"),
                    required=False,
                    min_value=0,
                    max_value=10**12,
                    widget=forms.TextInput(attrs={**NUMBER, "inputmode": "numeric"}),
                )
            else:
                self.fields[field_name("v", cell)] = forms.TypedChoiceField(
                    label=_("tersedia"),
                    choices=YES_NO,
                    required=False,
                    coerce=Decimal,
                    empty_value=None,
                )

    def clean(self):
        cleaned = clean_plain_text(super().clean(), ["narrative"])
        if self.indicator.measure_type != MeasureType.PERCENTAGE:
            return cleaned
        for cell in self.cells:
            n_name, d_name = field_name("n", cell), field_name("d", cell)
            if n_name in self.errors or d_name in self.errors:
                continue
            numerator, denominator = cleaned.get(n_name), cleaned.get(d_name)
            if numerator is None and denominator is None:
                continue
            if denominator is None:
                self.add_error(d_name, _("Isi penyebut juga."))
            elif numerator is None:
                self.add_error(n_name, _("Isi pembilang juga."))
            elif denominator == 0:
                self.add_error(d_name, _("Penyebut harus lebih dari 0."))
            elif numerator > denominator:
                self.add_error(
                    n_name,
                    _("Pembilang (%(n)s) melebihi penyebut (%(d)s).")
                    % {"n": plain(numerator), "d": plain(denominator)},
                )
        return cleaned

    def values(self) -> dict[Cell, tuple]:
        """The filled cells as {cell: (numerator, denominator, value)}; empty cells left out."""
        data = self.cleaned_data
        result = {}
        for cell in self.cells:
            numerator = data.get(field_name("n", cell))
            denominator = data.get(field_name("d", cell))
            value = data.get(field_name("v", cell))
            if value is not None:
                value = Decimal(value)
            if numerator is not None or denominator is not None or value is not None:
                result[cell] = (numerator, denominator, value)
        return result

    def headers(self) -> list[str]:
        return [column_label(sex, age) for sex, age in columns(self.indicator.disaggregations)]


def initial_for(values: dict[Cell, tuple]) -> dict[str, object]:
    initial = {}
    for cell, (numerator, denominator, value) in values.items():
        initial[field_name("n", cell)] = None if numerator is None else plain(numerator)
        initial[field_name("d", cell)] = None if denominator is None else plain(denominator)
        initial[field_name("v", cell)] = None if value is None else str(int(value))
    return initial
