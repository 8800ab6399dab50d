from django import forms
from django.utils.translation import gettext_lazy as _

from sikla.core import validation
from sikla.core.forms import clean_plain_text

from .models import ChecklistItem, Status

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Status.choices)
    declared_on = validation.DateField(
        label=_("Tanggal deklarasi"),
        required=False,
        widget=DATE,
        help_text=_("Wajib bila dideklarasikan atau dievaluasi."),
    )
    decree_number = forms.CharField(
        label=_("Nomor SK deklarasi"),
        required=False,
        max_length=120,
        help_text=_("Keputusan kepala desa/lurah, camat, atau wali kota/bupati."),
    )
    task_force_decree = forms.CharField(
        label=_("Nomor SK gugus tugas"), required=False, max_length=120
    )
    task_force_chair = forms.CharField(
        label=_("Nama ketua gugus tugas"), required=False, max_length=150
    )
    task_force_members = forms.IntegerField(
        label=_("Jumlah anggota gugus tugas"), required=False, min_value=0, max_value=999
    )
    note = forms.CharField(
        label=_("Catatan perubahan"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Wajib bila status deklarasi dicabut atau diturunkan."),
    )

    def clean(self):
        return clean_plain_text(
            super().clean(), ["decree_number", "task_force_decree", "task_force_chair", "note"]
        )


class ChecklistForm(forms.Form):
    """Three fields per item: `<item>` (yes/no), `<item>_note`, `<item>_file`."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for item, label in ChecklistItem.choices:
            self.fields[item] = forms.BooleanField(label=label, required=False)
            self.fields[f"{item}_note"] = forms.CharField(
                label=_("Catatan"), required=False, max_length=500
            )
            self.fields[f"{item}_file"] = forms.FileField(
                label=_("Bukti dukung (PDF, JPG/PNG, DOCX, XLSX)"), required=False
            )

    def clean(self):
        return clean_plain_text(super().clean(), [f"{item}_note" for item in ChecklistItem.values])

    def rows(self):
        """(label, yes/no field, note field, file field) per item, for the template."""
        return [
            (label, self[item], self[f"{item}_note"], self[f"{item}_file"])
            for item, label in ChecklistItem.choices
        ]

    def answers(self) -> dict:
        data = self.cleaned_data
        return {item: (data[item], data[f"{item}_note"]) for item in ChecklistItem.values}

    def files_in(self) -> dict:
        data = self.cleaned_data
        return {item: data[f"{item}_file"] for item in ChecklistItem.values if data[f"{item}_file"]}


def checklist_initial(checklist) -> dict:
    if checklist is None:
        return {}
    initial = {}
    for answer in checklist.answers.all():
        initial[answer.item] = answer.done
        initial[f"{answer.item}_note"] = answer.note
    return initial


class FilterForm(forms.Form):
    """The overview's filters (GET). Unknown values are ignored, never an error page."""

    kecamatan = forms.ChoiceField(label=_("Kecamatan"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Semua status")), *Status.choices]
    )
    butir = forms.ChoiceField(
        label=_("Memenuhi butir"),
        required=False,
        choices=[("", _("Semua")), *ChecklistItem.choices],
    )

    def __init__(self, *args, districts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kecamatan"].choices = [("", _("Semua kecamatan")), *districts]
