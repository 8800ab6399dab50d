from django import forms
from django.utils.translation import gettext_lazy as _

from sikla.collection.models import AgeGroup, Sex
from sikla.core.forms import clean_plain_text

from .actions import MAX_COUNT, SOURCE_LENGTH, cell_key, expected_cells
from .models import AGE_GROUPS, SEXES

COUNT_ERRORS = {
    "required": _("Wajib diisi."),
    "invalid": _("Isi dengan bilangan bulat."),
    "min_value": _("Jumlah tidak boleh negatif."),
    "max_value": _("Jumlah terlalu besar."),
}


class PopulationForm(forms.Form):
    """The population grid: one row per kecamatan, one whole-number field per sex × age group
    (`n__<kecamatan>__<sex>__<age>`), and the source of the figures."""

    source = forms.CharField(
        label=_("Sumber data"),
        max_length=SOURCE_LENGTH,
        help_text=_('Misalnya "Disdukcapil, data konsolidasi semester II 2025".'),
        error_messages={"required": _("Sumber data wajib diisi.")},
    )

    def __init__(self, *args, districts: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.districts = districts
        self.cells = expected_cells([code for code, _name in districts])
        for cell in self.cells:
            self.fields[self.field_name(cell)] = forms.IntegerField(
                label=f"{Sex(cell[1]).label} {AgeGroup(cell[2]).label}",
                min_value=0,
                max_value=MAX_COUNT,
                error_messages=COUNT_ERRORS,
                widget=forms.NumberInput(attrs={"min": 0, "step": 1, "inputmode": "numeric"}),
            )

    @staticmethod
    def field_name(cell) -> str:
        return "n__" + cell_key(cell)

    def clean(self):
        return clean_plain_text(super().clean(), ["source"])

    def figures(self) -> dict:
        return {cell: self.cleaned_data[self.field_name(cell)] for cell in self.cells}

    def add_action_error(self, key: str, errors) -> None:
        """An action error named by cell key (`53.71.04__L__0-5`) or field."""
        name = key if key in self.fields else "n__" + key
        self.add_error(name if name in self.fields else None, errors)

    def rows(self) -> list[tuple[str, str, list, int | None]]:
        """(code, name, bound fields in column order, row total or None) for the template.
        The total is of what the form holds (typed or saved) when every cell reads as a number."""
        rows = []
        for code, name in self.districts:
            fields = [
                self[self.field_name((code, str(s), str(a)))] for s in SEXES for a in AGE_GROUPS
            ]
            rows.append((code, name, fields, _total(fields)))
        return rows

    def column_totals(self) -> list[int | None]:
        columns = [[] for _ in range(len(SEXES) * len(AGE_GROUPS))]
        for _code, _name, fields, _row in self.rows():
            for i, field in enumerate(fields):
                columns[i].append(field)
        return [_total(c) for c in columns]

    def grand_total(self) -> int | None:
        totals = self.column_totals()
        return None if None in totals else sum(totals)


def _number(field) -> int | None:
    value = field.value()
    if value in (None, ""):
        return 0
    try:
        number = int(str(value).strip())
    except ValueError:
        return None
    return number if number >= 0 else None


def _total(fields) -> int | None:
    numbers = [_number(f) for f in fields]
    return None if None in numbers else sum(numbers)


def population_initial(section) -> dict:
    """Initial form values from a `profile.PopulationSection` (nothing when not entered)."""
    if not section.entered:
        return {}
    initial = {"source": section.source}
    for row in section.districts:
        for (sex, age), n in row.cells.items():
            initial[PopulationForm.field_name((row.code, sex, age))] = n
    return initial
