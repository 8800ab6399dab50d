"""Forms of the meeting and follow-up pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from sikla.core import validation
from sikla.core.forms import clean_plain_text
from sikla.indicators.models import Indicator

from ..models import FollowUpStatus, MeetingKind

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
CLUSTERS = [("", "—")] + [(str(n), _("Klaster %(n)s") % {"n": n}) for n in range(6)]


def _agency_label(agency) -> str:
    return agency.abbreviation or agency.name


class MeetingForm(forms.Form):
    kind = forms.ChoiceField(label=_("Jenis rapat"), choices=MeetingKind.choices)
    cluster = forms.TypedChoiceField(
        label=_("Klaster (untuk rapat klaster)"),
        choices=CLUSTERS,
        coerce=int,
        empty_value=None,
        required=False,
    )
    title = forms.CharField(label=_("Judul"), max_length=200)
    agenda = forms.CharField(
        label=_("Agenda"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    starts_at = validation.DateTimeField(
        label=_("Mulai"), widget=DATETIME, input_formats=["%Y-%m-%dT%H:%M"]
    )
    ends_at = validation.DateTimeField(
        label=_("Berakhir"), widget=DATETIME, input_formats=["%Y-%m-%dT%H:%M"]
    )
    place = forms.CharField(label=_("Tempat"), max_length=200, required=False)
    video_link = forms.URLField(
        label=_("Tautan rapat daring"), required=False, assume_scheme="https", max_length=200
    )
    invited = forms.ModelMultipleChoiceField(
        label=_("Perangkat daerah yang diundang"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    partners = forms.CharField(
        label=_("Mitra lain yang diundang (Forum Anak, dunia usaha, media…)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, local_government, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["invited"].queryset = local_government.agencies.filter(is_active=True).order_by(
            "name"
        )
        self.fields["invited"].label_from_instance = _agency_label

    def clean(self):
        return clean_plain_text(super().clean(), ["title", "place", "partners"])


class RecordForm(forms.Form):
    """Attendance (one checkbox and representative per invited agency) and the minutes."""

    minutes = forms.CharField(
        label=_("Notulen"),
        max_length=20000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def __init__(self, *args, attendance, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        for row in attendance:
            present = f"present_{row.agency_id}"
            rep = f"rep_{row.agency_id}"
            self.fields[present] = forms.BooleanField(
                label=_agency_label(row.agency), required=False, initial=bool(row.present)
            )
            self.fields[rep] = forms.CharField(
                label=_("Perwakilan"),
                max_length=150,
                required=False,
                initial=row.representative,
                widget=forms.TextInput(
                    attrs={"aria-label": _("Perwakilan %(a)s") % {"a": _agency_label(row.agency)}}
                ),
            )
            self.rows.append((row, present, rep))

    def clean(self):
        return clean_plain_text(super().clean(), [rep for _row, _p, rep in self.rows])

    def bound_rows(self):
        """(attendance row, its "present" field, its representative field), for the table."""
        return [(row, self[present], self[rep]) for row, present, rep in self.rows]

    def attendance(self) -> tuple[dict[int, bool], dict[int, str]]:
        data = self.cleaned_data
        return (
            {row.agency_id: data[present] for row, present, _rep in self.rows},
            {row.agency_id: data[rep] for row, _present, rep in self.rows},
        )


class DecisionForm(forms.Form):
    text = forms.CharField(
        label=_("Keputusan"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )


class FollowUpRowForm(forms.Form):
    agency = forms.ModelChoiceField(label=_("Perangkat daerah"), queryset=None, required=False)
    title = forms.CharField(label=_("Tindak lanjut"), max_length=300, required=False)
    due_date = validation.DateField(label=_("Batas waktu"), widget=DATE, required=False)
    indicator = forms.ModelChoiceField(
        label=_("Indikator terkait"), queryset=Indicator.objects.none(), required=False
    )

    def __init__(self, *args, local_government, indicators, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = local_government.agencies.filter(is_active=True).order_by(
            "name"
        )
        self.fields["agency"].label_from_instance = _agency_label
        self.fields["indicator"].queryset = indicators
        self.fields["indicator"].label_from_instance = lambda i: f"{i.number}. {i.name}"[:90]

    def clean(self):
        cleaned = clean_plain_text(super().clean(), ["title"])
        filled = [cleaned.get(k) for k in ("agency", "title", "due_date")]
        if any(filled) and not all(filled):
            raise forms.ValidationError(
                _("Isi perangkat daerah, tindak lanjut, dan batas waktu — atau kosongkan barisnya.")
            )
        return cleaned

    @property
    def is_filled(self) -> bool:
        return bool(self.cleaned_data.get("title"))


class BaseFollowUpRows(forms.BaseFormSet):
    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), **self.form_kwargs}

    def follow_ups(self) -> list[dict]:
        return [
            {k: f.cleaned_data[k] for k in ("agency", "title", "due_date", "indicator")}
            for f in self.forms
            if f.is_filled
        ]


FollowUpRows = forms.formset_factory(FollowUpRowForm, formset=BaseFollowUpRows, extra=3, max_num=10)


class FollowUpForm(FollowUpRowForm):
    """A follow-up on its own (without a meeting)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("agency", "title", "due_date"):
            self.fields[name].required = True


class FollowUpUpdateForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(label=_("Status"), choices=FollowUpStatus.choices)
    note = forms.CharField(
        label=_("Catatan perkembangan"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    file = forms.FileField(label=_("Bukti (PDF, JPG/PNG, DOCX, XLSX)"), required=False)

    def __init__(self, *args, may_cancel: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not may_cancel:
            self.fields["status"].choices = [
                c for c in FollowUpStatus.choices if c[0] != FollowUpStatus.CANCELLED
            ]


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Judul dokumen"), max_length=200)
    file = forms.FileField(label=_("Berkas"))

    def clean(self):
        return clean_plain_text(super().clean(), ["title"])


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Alasan pembatalan"), max_length=500)
