from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sikla.core import validation
from sikla.core.forms import clean_plain_text
from sikla.indicators.models import Question
from sikla.organisations.models import Agency

from .models import EvidenceKind

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PeriodForm(forms.Form):
    year = forms.IntegerField(label=_("Tahun evaluasi"), min_value=2000, max_value=2100)
    input_deadline = validation.DateField(label=_("Batas pengisian perangkat daerah"), widget=DATE)
    review_deadline = validation.DateField(label=_("Batas reviu sekretariat"), widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year + 1
        self.fields["year"].help_text = _("Tahun data adalah tahun sebelumnya.")


class DeadlinesForm(forms.Form):
    input_deadline = validation.DateField(label=_("Batas pengisian perangkat daerah"), widget=DATE)
    review_deadline = validation.DateField(label=_("Batas reviu sekretariat"), widget=DATE)


class AssignmentForm(forms.Form):
    lead_agency = forms.ModelChoiceField(
        label=_("Perangkat daerah pengampu"), queryset=Agency.objects.none()
    )
    supporting_agencies = forms.ModelMultipleChoiceField(
        label=_("Perangkat daerah pendukung"),
        queryset=Agency.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, local_government, **kwargs):
        super().__init__(*args, **kwargs)
        agencies = local_government.agencies.filter(is_active=True).order_by("kind", "name")
        self.fields["lead_agency"].queryset = agencies
        self.fields["supporting_agencies"].queryset = agencies


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("Berkas (PDF, JPG/PNG, DOCX, XLSX)"))
    title = forms.CharField(label=_("Judul"), max_length=200)
    kind = forms.ChoiceField(label=_("Jenis"), choices=EvidenceKind.choices)
    document_date = validation.DateField(label=_("Tanggal dokumen"), required=False, widget=DATE)
    question = forms.ModelChoiceField(
        label=_("Untuk pertanyaan"),
        queryset=Question.objects.none(),
        required=False,
        empty_label=_("Indikator secara umum"),
        help_text=_("Bukti dukung yang terkait pertanyaan tertentu dihitung untuk pertanyaan itu."),
    )

    def __init__(self, *args, indicator=None, **kwargs):
        super().__init__(*args, **kwargs)
        if indicator is None:
            del self.fields["question"]
        else:
            self.fields["question"].queryset = indicator.questions.all()
            self.fields["question"].label_from_instance = lambda q: f"{q.code} {q.text[:70]}"

    def clean(self):
        return clean_plain_text(super().clean(), ["title"])
