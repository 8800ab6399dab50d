from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sikla.organisations.models import Agency

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PeriodForm(forms.Form):
    year = forms.IntegerField(label=_("Tahun evaluasi"), min_value=2000, max_value=2100)
    input_deadline = forms.DateField(label=_("Batas pengisian perangkat daerah"), widget=DATE)
    review_deadline = forms.DateField(label=_("Batas reviu sekretariat"), widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year + 1
        self.fields["year"].help_text = _("Tahun data adalah tahun sebelumnya.")


class DeadlinesForm(forms.Form):
    input_deadline = forms.DateField(label=_("Batas pengisian perangkat daerah"), widget=DATE)
    review_deadline = forms.DateField(label=_("Batas reviu sekretariat"), widget=DATE)


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
