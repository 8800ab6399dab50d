from django import forms
from django.utils.translation import gettext_lazy as _

from sikla.collection.models import EvidenceKind
from sikla.core import validation
from sikla.core.forms import clean_plain_text

from .models import FieldMode, Season

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Catatan"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self):
        return clean_plain_text(super().clean(), ["note"])


class CompleteStageForm(NoteForm):
    field_mode = forms.ChoiceField(
        label=_("Cara verifikasi lapangan"),
        choices=[("", "—"), *FieldMode.choices],
        required=False,
    )


class DeterminationForm(NoteForm):
    decree_number = forms.CharField(label=_("Nomor keputusan menteri"), max_length=120)
    decree_date = validation.DateField(label=_("Tanggal keputusan"), widget=DATE)

    def clean(self):
        return clean_plain_text(super().clean(), ["decree_number"])


class ReviewForm(forms.Form):
    code = forms.CharField(widget=forms.HiddenInput, max_length=12)
    points = forms.DecimalField(
        label=_("Nilai terverifikasi"), min_value=0, max_digits=6, decimal_places=2
    )
    note = forms.CharField(
        label=_("Catatan verifikator"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self):
        return clean_plain_text(super().clean(), ["note"])


class CorrectionWindowForm(forms.Form):
    questions = forms.MultipleChoiceField(
        label=_("Pertanyaan yang kurang bukti dukungnya"), widget=forms.CheckboxSelectMultiple
    )
    note = forms.CharField(
        label=_("Bukti dukung yang diminta"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    hours = forms.IntegerField(
        label=_("Lama jendela perbaikan (jam)"), min_value=1, max_value=24 * 14, initial=48
    )

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["questions"].choices = choices

    def clean(self):
        return clean_plain_text(super().clean(), ["note"])


class CorrectionEvidenceForm(forms.Form):
    code = forms.ChoiceField(label=_("Untuk pertanyaan"))
    file = forms.FileField(label=_("Berkas (PDF, JPG/PNG, DOCX, XLSX)"))
    title = forms.CharField(label=_("Judul"), max_length=200)
    kind = forms.ChoiceField(label=_("Jenis"), choices=EvidenceKind.choices)
    document_date = validation.DateField(label=_("Tanggal dokumen"), required=False, widget=DATE)

    def __init__(self, *args, codes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].choices = [(c, c) for c in codes]

    def clean(self):
        return clean_plain_text(super().clean(), ["title"])


class ScenarioForm(forms.Form):
    name = forms.CharField(label=_("Nama skenario"), max_length=120)

    def clean(self):
        return clean_plain_text(super().clean(), ["name"])


def answer_field(question, *, required: bool = False) -> forms.Field:
    """The input for one question, shaped by its answer type."""
    label = f"{question.code} {question.text}"
    if question.answer_type == "yes_no":
        return forms.ChoiceField(
            label=label,
            choices=[("yes", _("Ya")), ("no", _("Tidak"))],
            widget=forms.RadioSelect,
            required=required,
        )
    if question.answer_type == "choice":
        return forms.ChoiceField(
            label=label,
            choices=[("", "—")] + [(o["value"], o["label"]) for o in question.rubric["options"]],
            required=required,
        )
    suffix = " (%)" if question.answer_type == "percentage" else ""
    return forms.CharField(
        label=label + suffix,
        required=required,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )


class AnswersForm(forms.Form):
    """One field per typed-in question (`a__4.3`) and, on the answer page, a note (`n__4.3`).
    The rubric check itself lives in `scoring.clean_value`, called by the action."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, questions, notes: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.codes = []
        for q in questions:
            if q.from_data:
                continue
            self.codes.append(q.code)
            self.fields[f"a__{q.code}"] = answer_field(q)
            if notes:
                self.fields[f"n__{q.code}"] = forms.CharField(
                    label=_("Keterangan"),
                    required=False,
                    max_length=2000,
                    widget=forms.Textarea(attrs={"rows": 1}),
                )

    def clean(self):
        return clean_plain_text(super().clean(), [f"n__{c}" for c in self.codes])

    def answers(self) -> dict[str, tuple[str, str]]:
        data = self.cleaned_data
        return {c: (data.get(f"a__{c}") or "", data.get(f"n__{c}") or "") for c in self.codes}

    def add_answer_errors(self, errors: dict) -> None:
        for code, messages in errors.items():
            name = f"a__{code}"
            self.add_error(name if name in self.fields else None, messages)


class SeasonForm(forms.Form):
    """The ministry's timetable of a year: by when each stage should be done."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("self_due", "administrative_due", "recheck_due", "field_due", "final_due"):
            label = str(Season._meta.get_field(name).verbose_name)
            self.fields[name] = validation.DateField(
                label=label[:1].upper() + label[1:],
                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            )
