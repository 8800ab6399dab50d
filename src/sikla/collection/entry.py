"""The data-entry form of a submission, built from the indicator's grid."""

from decimal import Decimal

from django import forms
from django.utils import formats
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from sikla.core.forms import clean_plain_text
from sikla.core.templatetags.sikla import points
from sikla.indicators.models import MeasureType

from .grid import Cell, column_label, columns, field_name, plain

NUMBER = {"inputmode": "decimal", "autocomplete": "off", "class": "cell"}
YES_NO = [("", "—"), ("1", _("Ya")), ("0", _("Tidak"))]


def _cell_fields(measure_type: str) -> dict[str, forms.Field]:
    """The field of each kind of input of a cell (n and d of a percentage, else v)."""
    if measure_type == MeasureType.PERCENTAGE:
        return {
            kind: forms.DecimalField(
                label=label,
                required=False,
                min_value=0,
                max_digits=14,
                decimal_places=2,
                localize=True,
                widget=forms.TextInput(attrs=NUMBER),
            )
            for kind, label in (("n", _("pembilang")), ("d", _("penyebut")))
        }
    if measure_type == MeasureType.COUNT:
        return {
            "v": forms.IntegerField(
                label=_("jumlah"),
                required=False,
                min_value=0,
                max_value=10**12,
                widget=forms.TextInput(attrs={**NUMBER, "inputmode": "numeric"}),
            )
        }
    return {
        "v": forms.TypedChoiceField(
            label=_("tersedia"), choices=YES_NO, required=False, coerce=Decimal, empty_value=None
        )
    }


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
        # One field per kind of input, shared by every cell of the grid: a field holds no state
        # of its own input (its name, value and errors are the form's), and making 500 of them
        # (a widget deep-copied each) cost a grid page a tenth of its time.
        for kind, field in _cell_fields(indicator.measure_type).items():
            for cell in self.cells:
                self.fields[field_name(kind, cell)] = field

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


def _input_value(form, name: str) -> str:
    """What an input shows: what was typed (a bound form), else the stored value."""
    if form.is_bound:
        value = form.data.get(name, "")
    else:
        value = form.initial.get(name)
        if value is None:
            return ""
        if isinstance(value, Decimal):
            value = formats.localize_input(value)
    return str(value)


def _cell_html(form, name: str, label: str, editable: bool) -> str:
    field = form.fields[name]
    value = _input_value(form, name)
    errors = form.errors.get(name) if form.is_bound else None
    if not editable:
        if value == "":
            return "<span>–</span>"
        choices = dict((str(k), str(v)) for k, v in getattr(field, "choices", ()))
        if value in choices:
            return f"<span>{escape(choices[value])}</span>"
        try:  # read, a number is written as everywhere else: 1.652 / 2.076
            return f"<span>{points(Decimal(str(value).replace(',', '.')))}</span>"
        except ArithmeticError:
            return f"<span>{escape(value)}</span>"
    invalid = ' aria-invalid="true"' if errors else ""
    html = f'<label class="visually-hidden" for="id_{name}">{escape(label)}</label>'
    if isinstance(field, forms.TypedChoiceField):
        options = "".join(
            f'<option value="{k}"{" selected" if str(k) == value else ""}>{escape(v)}</option>'
            for k, v in YES_NO
        )
        html += f'<select name="{name}" id="id_{name}"{invalid}>{options}</select>'
    else:
        mode = field.widget.attrs.get("inputmode", "decimal")
        html += (
            f'<input type="text" name="{name}" id="id_{name}" value="{escape(value)}" '
            f'inputmode="{mode}" autocomplete="off" class="cell"{invalid}>'
        )
    if errors:
        html += (
            '<ul class="errorlist">' + "".join(f"<li>{escape(e)}</li>" for e in errors) + "</ul>"
        )
    return html


def _previous_html(previous) -> str:
    if not previous:
        return ""
    numerator, denominator, value = previous
    shown = points(value) if value is not None else f"{points(numerator)}/{points(denominator)}"
    return f' <small class="previous" title="{escape(_("Tahun lalu"))}">{escape(_("thn lalu"))}: {shown}</small>'


def grid_rows(form, rows, previous: dict, *, editable: bool) -> str:
    """The rows of the entry grid as HTML, built in one pass: a grid of 852 kelurahan × 6 cells
    × 2 inputs is 10,000 inputs, and Django's template widgets cost ~50 µs each. Every value
    that came from a person or the database is escaped; names and codes come from the catalog."""
    cols = columns(form.indicator.disaggregations)
    kinds = ["n", "d"] if form.indicator.measure_type == MeasureType.PERCENTAGE else ["v"]
    out = []
    for region in rows:
        name = escape(region.name)
        cells = []
        for sex, age in cols:
            cell = (region.code, sex, age)
            parts = [
                _cell_html(
                    form,
                    field_name(k, cell),
                    f"{region.name} {form.fields[field_name(k, cell)].label}",
                    editable,
                )
                for k in kinds
            ]
            cells.append(
                "<td>"
                + '<span aria-hidden="true"> / </span>'.join(parts)
                + _previous_html(previous.get(cell))
                + "</td>"
            )
        out.append(
            f'<tr><th scope="row">{name}<br><small>{region.code}</small></th>{"".join(cells)}</tr>'
        )
    return mark_safe("".join(out))  # noqa: S308 — built above from escaped parts
