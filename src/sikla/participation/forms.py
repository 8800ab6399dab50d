"""Forms of the participation pages. They validate what a person typed and say what is wrong,
in Indonesian, next to the field; the rules that need the database live in actions.py."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from sikla.core.forms import QuickSelect, clean_plain_text
from sikla.indicators.models import Indicator
from sikla.organisations.models import LocalGovernment
from sikla.regions.models import Region

from . import queries
from .actions import (
    ACTIVITY_FIELDS,
    APPROVE,
    CONSULTATION_FIELDS,
    CONTRIBUTION_FIELDS,
    FORUM_FIELDS,
    INPUT_FIELDS,
    PARTNER_AGENCY_KINDS,
    PARTNER_FIELDS,
    RECORD_FIELDS,
    REJECT,
)
from .models import (
    COMMENT_MAX,
    AgeGroup,
    ChildForum,
    ChildForumActivity,
    ConsultationInput,
    ConsultationRecord,
    Contribution,
    ContributionKind,
    ForumLevel,
    ForumStatus,
    ModerationStatus,
    Partner,
    PartnerComponent,
    PolicyKind,
    PublicConsultation,
    ResponseStatus,
    SourceKind,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATE_ERRORS = {"invalid": _("Tanggal tidak dikenali. Contoh: 25-12-2026.")}


class ActionModelForm(forms.ModelForm):
    """A ModelForm that only validates what was typed: the action sets the values on the object
    (and audits them), so the form never writes into the instance it was given."""

    def _post_clean(self):
        pass


class IndicatorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.number}. {obj.name}"


def indicator_field() -> IndicatorChoiceField:
    return IndicatorChoiceField(
        label=_("Indikator terkait"),
        required=False,
        queryset=Indicator.objects.filter(version__is_active=True).order_by("number"),
        empty_label=_("— tidak ada —"),
    )


# -- Forum Anak ----------------------------------------------------------------------------------


class ChildForumForm(ActionModelForm):
    region = forms.ChoiceField(
        label=_("Wilayah"),
        help_text=_("Kab/kota ini, salah satu kecamatan, atau salah satu desa/kelurahan."),
        error_messages={"invalid_choice": _("Pilih wilayah dari daftar.")},
        widget=QuickSelect,  # every kecamatan and kelurahan of the kab/kota
    )

    class Meta:
        model = ChildForum
        fields = ["region", *FORUM_FIELDS]
        widgets = {"decree_date": DATE, "facilitators": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"name": _("Kosongkan untuk memakai “Forum Anak <wilayah>”.")}

    def __init__(self, *args, local_government: LocalGovernment, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["region"]  # a forum stays with its region
        else:
            self.fields["region"].choices = queries.region_choices(local_government)
        self.fields["name"].required = False
        self.fields["decree_date"].error_messages.update(DATE_ERRORS)
        for name in ("male_10_13", "female_10_13", "male_14_17", "female_14_17"):
            self.fields[name].min_value = 0
            self.fields[name].error_messages["min_value"] = _("Jumlah tidak boleh negatif.")

    def clean_region(self) -> Region:
        return Region.objects.get(code=self.cleaned_data["region"])

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decree_date") and not cleaned.get("decree_number"):
            self.add_error("decree_number", _("Isi nomor SK bila tanggalnya diisi."))
        return clean_plain_text(cleaned, ["name", "decree_number", "facilitators"])


class ForumFilterForm(forms.Form):
    q = forms.CharField(label=_("Cari"), required=False, max_length=60)
    level = forms.ChoiceField(
        label=_("Tingkat"), required=False, choices=[("", _("Semua tingkat")), *ForumLevel.choices]
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Semua status")), *ForumStatus.choices]
    )


class ActivityForm(ActionModelForm):
    class Meta:
        model = ChildForumActivity
        fields = list(ACTIVITY_FIELDS)
        widgets = {"date": DATE, "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].error_messages.update(DATE_ERRORS)

    def clean(self):
        return clean_plain_text(super().clean(), ["title"])


# -- consultation records ------------------------------------------------------------------------


class RecordForm(ActionModelForm):
    indicator = indicator_field()

    class Meta:
        model = ConsultationRecord
        fields = list(RECORD_FIELDS)
        widgets = {"date": DATE, "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].error_messages.update(DATE_ERRORS)

    def clean(self):
        return clean_plain_text(super().clean(), ["title"])


class RecordFilterForm(forms.Form):
    q = forms.CharField(label=_("Cari"), required=False, max_length=60)
    kind = forms.ChoiceField(
        label=_("Jenis"), required=False, choices=[("", _("Semua jenis")), *PolicyKind.choices]
    )
    source = forms.ChoiceField(
        label=_("Sumber masukan"),
        required=False,
        choices=[("", _("Semua sumber")), *SourceKind.choices],
    )
    tahun = forms.IntegerField(label=_("Tahun"), required=False, min_value=2000, max_value=2100)


class InputForm(ActionModelForm):
    class Meta:
        model = ConsultationInput
        fields = list(INPUT_FIELDS)
        widgets = {
            "date": DATE,
            "text": forms.Textarea(attrs={"rows": 4}),
            "response_text": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, local_government: LocalGovernment, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["child_forum"].queryset = local_government.child_forums.order_by("region_id")
        self.fields["date"].error_messages.update(DATE_ERRORS)
        self.fields["source_name"].help_text = _(
            "Nama lembaga atau kelompok. Untuk anak perorangan, jangan tulis nama lengkap anak."
        )

    def clean(self):
        return clean_plain_text(super().clean(), ["source_name"])


# -- public consultation -------------------------------------------------------------------------


class PublicConsultationForm(ActionModelForm):
    indicator = indicator_field()
    upload = forms.FileField(
        label=_("Dokumen rancangan (PDF, opsional)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )
    remove_document = forms.BooleanField(label=_("Hapus dokumen PDF yang ada"), required=False)

    class Meta:
        model = PublicConsultation
        fields = list(CONSULTATION_FIELDS)
        widgets = {
            "opens_on": DATE,
            "closes_on": DATE,
            "summary": forms.Textarea(attrs={"rows": 3}),
            "body": forms.Textarea(attrs={"rows": 12}),
        }
        help_texts = {
            "opens_on": _("Sejak tanggal ini rancangan tampil di halaman publik."),
            "closes_on": _("Komentar diterima sampai akhir tanggal ini."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("opens_on", "closes_on"):
            self.fields[name].error_messages.update(DATE_ERRORS)
        if not (self.instance.pk and self.instance.document):
            del self.fields["remove_document"]

    def clean(self):
        cleaned = clean_plain_text(super().clean(), ["title"])
        opens, closes = cleaned.get("opens_on"), cleaned.get("closes_on")
        if opens and closes and closes < opens:
            self.add_error("closes_on", _("Tanggal tutup tidak boleh sebelum tanggal dibuka."))
        return cleaned


class ModerationForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[(APPROVE, _("Tampilkan")), (REJECT, _("Tolak"))],
        error_messages={"required": _("Pilih tampilkan atau tolak.")},
    )
    note = forms.CharField(label=_("Catatan (internal)"), required=False, max_length=255)


class ResponseForm(forms.Form):
    response_text = forms.CharField(
        label=_("Tanggapan"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    response_status = forms.ChoiceField(label=_("Status"), choices=ResponseStatus.choices)


class ModerationFilterForm(forms.Form):
    status = forms.ChoiceField(
        required=False,
        choices=[*ModerationStatus.choices, ("all", _("Semua"))],
    )


class CommentForm(forms.Form):
    """The public comment. The honeypot and the signed timestamp are not fields: the view reads
    them (sikla.protection.spam), so a re-rendered form always carries a fresh timestamp."""

    text = forms.CharField(
        label=_("Komentar Anda"),
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Paling banyak 2.000 karakter. Komentar tampil setelah diperiksa petugas."),
        error_messages={
            "required": _("Tulis komentar Anda."),
            "max_length": _(
                "Komentar terlalu panjang: paling banyak %(limit_value)s karakter, "
                "Anda menulis %(show_value)s."
            ),
        },
    )
    name = forms.CharField(
        label=_("Nama (boleh dikosongkan)"),
        required=False,
        max_length=100,
        error_messages={"max_length": _("Nama paling banyak %(limit_value)s karakter.")},
    )
    is_child = forms.BooleanField(label=_("Saya anak (berumur di bawah 18 tahun)"), required=False)
    age_group = forms.ChoiceField(
        label=_("Kelompok umur (boleh dikosongkan)"),
        required=False,
        choices=[("", "—"), *AgeGroup.choices],
        error_messages={"invalid_choice": _("Pilih kelompok umur dari daftar.")},
    )

    def clean(self):
        return clean_plain_text(super().clean(), ["name"])

    def comment_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "text": data["text"],
            "name": data["name"],
            "is_child": data["is_child"],
            "age_group": data["age_group"],
        }


class PublicFilterForm(forms.Form):
    pemda = forms.ChoiceField(label=_("Pemerintah daerah"), required=False)

    def __init__(self, *args, local_governments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pemda"].choices = [
            ("", _("Semua daerah")),
            *[(lg.code, lg.region.name) for lg in local_governments],
        ]


# -- partners ----------------------------------------------------------------------------------


class PartnerForm(ActionModelForm):
    class Meta:
        model = Partner
        fields = list(PARTNER_FIELDS)
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, local_government: LocalGovernment, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = local_government.agencies.filter(
            kind__in=PARTNER_AGENCY_KINDS, is_active=True
        ).order_by("name")
        self.fields["agency"].help_text = _(
            "Bila mitra sudah terdaftar di Perangkat daerah & mitra; nama boleh dikosongkan."
        )
        self.fields["name"].required = False

    def clean(self):
        cleaned = clean_plain_text(super().clean(), ["name", "contact_person", "phone"])
        if not cleaned.get("name") and not cleaned.get("agency"):
            self.add_error("name", _("Isi nama mitra atau pilih lembaga yang terdaftar."))
        return cleaned


class PartnerFilterForm(forms.Form):
    q = forms.CharField(label=_("Cari"), required=False, max_length=60)
    component = forms.ChoiceField(
        label=_("Unsur"),
        required=False,
        choices=[("", _("Semua unsur")), *PartnerComponent.choices],
    )
    tahun = forms.IntegerField(label=_("Tahun"), required=False, min_value=2000, max_value=2100)


class ContributionForm(ActionModelForm):
    indicator = indicator_field()
    year = forms.IntegerField(
        label=_("Tahun"),
        min_value=2000,
        max_value=2100,
        error_messages={
            "min_value": _("Tahun paling awal 2000."),
            "max_value": _("Tahun paling akhir 2100."),
            "invalid": _("Tulis tahun dengan angka, misalnya 2026."),
        },
    )

    class Meta:
        model = Contribution
        fields = list(CONTRIBUTION_FIELDS)
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = ContributionKind.choices
        self.fields["value"].help_text = _("Dalam Rupiah, tanpa titik. Boleh dikosongkan.")
        self.fields["value"].error_messages["min_value"] = _("Nilai tidak boleh negatif.")
