from django import forms
from django.utils.translation import gettext_lazy as _

from sikla.core.forms import clean_plain_text, validate_image

from .actions import AGENCY_FIELDS, LG_FIELDS, TASK_FORCE_FIELDS
from .models import Agency, AgencyKind, LocalGovernment, MemberRole, TaskForce


class LocalGovernmentForm(forms.ModelForm):
    website = forms.URLField(label=_("situs web"), required=False, assume_scheme="https")

    class Meta:
        model = LocalGovernment
        fields = list(LG_FIELDS)
        widgets = {"address": forms.Textarea(attrs={"rows": 3})}

    def clean_logo(self):
        return validate_image(self.cleaned_data.get("logo"))

    def clean(self):
        return clean_plain_text(super().clean(), ["head_title", "head_name", "address", "phone"])


class AgencyForm(forms.ModelForm):
    class Meta:
        model = Agency
        fields = list(AGENCY_FIELDS)
        widgets = {"address": forms.Textarea(attrs={"rows": 2})}

    def clean(self):
        return clean_plain_text(
            super().clean(), ["name", "abbreviation", "head_name", "contact_person", "address"]
        )


class AgencyFilterForm(forms.Form):
    q = forms.CharField(label=_("Cari"), required=False, max_length=60)
    kind = forms.ChoiceField(
        label=_("Jenis"), required=False, choices=[("", _("Semua jenis")), *AgencyKind.choices]
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Aktif")), ("inactive", _("Nonaktif")), ("all", _("Semua"))],
    )


class TaskForceForm(forms.ModelForm):
    class Meta:
        model = TaskForce
        fields = list(TASK_FORCE_FIELDS)
        widgets = {"decree_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, local_government: LocalGovernment, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["secretariat_agency"].queryset = local_government.agencies.filter(
            is_active=True
        ).order_by("name")

    def clean(self):
        return clean_plain_text(super().clean(), ["decree_number", "chair_name", "chair_position"])


CLUSTER_CHOICES = [
    ("", "—"),
    (0, _("Kelembagaan")),
    (1, _("Klaster I")),
    (2, _("Klaster II")),
    (3, _("Klaster III")),
    (4, _("Klaster IV")),
    (5, _("Klaster V")),
]


class MemberForm(forms.Form):
    agency = forms.ModelChoiceField(label=_("Lembaga"), queryset=Agency.objects.none())
    role = forms.ChoiceField(label=_("Kedudukan"), choices=MemberRole.choices)
    cluster = forms.TypedChoiceField(
        label=_("Klaster"), choices=CLUSTER_CHOICES, coerce=int, empty_value=None, required=False
    )
    person_name = forms.CharField(label=_("Nama"), max_length=150, required=False)
    position = forms.CharField(label=_("Jabatan"), max_length=150, required=False)

    def __init__(self, *args, local_government: LocalGovernment, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = local_government.agencies.filter(is_active=True).order_by(
            "name"
        )

    def clean(self):
        return clean_plain_text(super().clean(), ["person_name", "position"])


class RegisterLocalGovernmentForm(forms.Form):
    code = forms.RegexField(
        label=_("Kode kabupaten/kota"),
        regex=r"^\d{2}\.\d{2}$",
        error_messages={"invalid": _("Masukkan kode kab/kota, mis. 53.71.")},
    )
    head_name = forms.CharField(label=_("Nama kepala daerah"), max_length=150, required=False)
