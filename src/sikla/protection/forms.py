"""Forms of the unit's pages. They validate shape and say what is wrong next to the field; the
rules themselves (consent before referral, transitions, NIK) live in `actions`."""

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sikla.core import validation
from sikla.core.forms import QuickSelect, clean_plain_text, local_government_choices
from sikla.organisations.models import LocalGovernment
from sikla.regions.models import Region

from .models import (
    AccessKind,
    CaseStatus,
    Channel,
    DismissReason,
    GuardianRelation,
    Outcome,
    Place,
    ProtectionType,
    ReferralKind,
    ReferralStatus,
    Relationship,
    ReporterRelation,
    ResponsibleLevel,
    Risk,
    ServiceKind,
    Sex,
    Urgency,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
BLANK = [("", "—")]


def village_choices(local_government) -> list:
    """The kelurahan/desa of a local government grouped by kecamatan, for a plain <select>."""
    prefix = local_government.pk + "."
    rows = Region.objects.filter(code__startswith=prefix, is_active=True).order_by("code")
    districts = {}
    villages: dict[str, list] = {}
    for code, name in rows.values_list("code", "name"):
        if len(code) == 8:
            districts[code] = name
        elif len(code) == 13:
            villages.setdefault(code[:8], []).append((code, name))
    return BLANK + [
        (districts.get(district, district), options) for district, options in villages.items()
    ]


class VillageField(forms.ChoiceField):
    """A kelurahan/desa of the local government; cleans to the Region (or None)."""

    widget = QuickSelect  # ~850 kelurahan in a big kab/kota

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, value):
        code = super().clean(value)
        return Region.objects.get(code=code) if code else None


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class FilesField(forms.FileField):
    widget = MultipleFileInput

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "help_text",
            _("PDF, JPG/PNG, DOCX atau XLSX; paling banyak %(n)s berkas, masing-masing %(mb)s MB.")
            % {"n": settings.COMPLAINT_MAX_FILES, "mb": settings.COMPLAINT_MAX_UPLOAD_MB},
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        files = [single(f, initial) for f in files if f]
        if len(files) > settings.COMPLAINT_MAX_FILES:
            raise forms.ValidationError(
                _("Paling banyak %(n)s berkas.") % {"n": settings.COMPLAINT_MAX_FILES}
            )
        return files


def _not_future(value):
    if value and value > timezone.localdate():
        raise forms.ValidationError(_("Tanggal tidak boleh di masa depan."))
    return value


class LocalForm(forms.Form):
    """A form about one local government: fills its kelurahan pickers."""

    plain_text: list[str] = []

    def __init__(self, *args, local_government: LocalGovernment, **kwargs):
        super().__init__(*args, **kwargs)
        self.local_government = local_government
        choices = None
        for field in self.fields.values():
            if isinstance(field, VillageField):
                choices = choices or village_choices(local_government)
                field.choices = choices

    def clean(self):
        return clean_plain_text(super().clean(), self.plain_text)


class ComplaintIntakeForm(LocalForm):
    plain_text = ["child_name", "reporter_name", "reporter_contact"]

    channel = forms.ChoiceField(
        label=_("Saluran"), choices=[c for c in Channel.choices if c[0] != Channel.WEB]
    )
    urgency = forms.ChoiceField(label=_("Urgensi"), choices=Urgency.choices, initial=Urgency.NORMAL)
    risk = forms.ChoiceField(
        label=_("Tingkat risiko"), choices=BLANK + Risk.choices, required=False
    )
    description = forms.CharField(
        label=_("Apa yang terjadi"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5})
    )
    incident_date = validation.DateField(label=_("Tanggal kejadian"), required=False, widget=DATE)
    incident_region = VillageField(label=_("Kelurahan/desa kejadian"))
    place = forms.ChoiceField(
        label=_("Tempat kejadian"), choices=BLANK + Place.choices, required=False
    )
    child_name = forms.CharField(label=_("Nama anak"), max_length=150, required=False)
    child_age = forms.IntegerField(label=_("Umur anak"), min_value=0, max_value=17, required=False)
    child_sex = forms.ChoiceField(
        label=_("Jenis kelamin anak"), choices=BLANK + Sex.choices, required=False
    )
    reporter_relation = forms.ChoiceField(
        label=_("Pelapor adalah"), choices=BLANK + ReporterRelation.choices, required=False
    )
    reporter_anonymous = forms.BooleanField(
        label=_("Pelapor tidak mau disebut namanya"), required=False
    )
    reporter_name = forms.CharField(label=_("Nama pelapor"), max_length=150, required=False)
    reporter_contact = forms.CharField(label=_("Kontak pelapor"), max_length=150, required=False)
    files = FilesField(label=_("Foto atau dokumen"))
    take = forms.BooleanField(label=_("Langsung saya tangani (buat kasus)"), required=False)

    def clean_incident_date(self):
        return _not_future(self.cleaned_data.get("incident_date"))


class TriageForm(forms.Form):
    urgency = forms.ChoiceField(label=_("Urgensi"), choices=Urgency.choices)
    risk = forms.ChoiceField(label=_("Tingkat risiko"), choices=Risk.choices)


class DismissForm(forms.Form):
    reason = forms.ChoiceField(label=_("Alasan"), choices=DismissReason.choices)


class CaseForm(LocalForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    types = forms.MultipleChoiceField(
        label=_("Jenis kekerasan / perlindungan khusus"),
        choices=ProtectionType.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    urgency = forms.ChoiceField(label=_("Urgensi"), choices=Urgency.choices)
    risk = forms.ChoiceField(
        label=_("Tingkat risiko"), choices=BLANK + Risk.choices, required=False
    )
    responsible_level = forms.ChoiceField(
        label=_("Kewenangan penanganan"), choices=ResponsibleLevel.choices
    )
    incident_date = validation.DateField(label=_("Tanggal kejadian"), required=False, widget=DATE)
    incident_place = forms.ChoiceField(
        label=_("Tempat kejadian"), choices=BLANK + Place.choices, required=False
    )
    incident_region = VillageField(label=_("Kelurahan/desa kejadian"))
    chronology = forms.CharField(
        label=_("Kronologi"),
        max_length=20000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def clean_incident_date(self):
        return _not_future(self.cleaned_data.get("incident_date"))


class ChildForm(LocalForm):
    plain_text = ["name", "school", "address"]

    name = forms.CharField(label=_("Nama anak"), max_length=150)
    nik = forms.CharField(
        label=_("NIK"),
        max_length=16,
        min_length=16,
        required=False,
        help_text=_("16 angka, bila ada."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    birth_date = validation.DateField(label=_("Tanggal lahir"), required=False, widget=DATE)
    age = forms.IntegerField(
        label=_("Umur (tahun)"),
        min_value=0,
        max_value=17,
        required=False,
        help_text=_("Dihitung dari tanggal lahir bila tanggal lahir diisi."),
    )
    sex = forms.ChoiceField(label=_("Jenis kelamin"), choices=BLANK + Sex.choices, required=False)
    has_disability = forms.BooleanField(label=_("Penyandang disabilitas"), required=False)
    school = forms.CharField(label=_("Sekolah"), max_length=150, required=False)
    address_region = VillageField(label=_("Kelurahan/desa tempat tinggal"))
    address = forms.CharField(label=_("Alamat"), max_length=300, required=False)
    remove_nik = forms.BooleanField(label=_("Hapus NIK yang tersimpan"), required=False)

    def __init__(self, *args, stored_nik: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if stored_nik:
            # The stored NIK is never put back in the page: its last digits say which it is.
            self.fields["nik"].help_text = _(
                "Tersimpan: %(nik)s. Kosongkan untuk mempertahankannya, isi untuk menggantinya."
            ) % {"nik": stored_nik}
        else:
            del self.fields["remove_nik"]

    def clean_birth_date(self):
        return _not_future(self.cleaned_data.get("birth_date"))

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("birth_date") and cleaned.get("age") is None and not self.errors:
            self.add_error("age", _("Isi tanggal lahir atau umur anak."))
        return cleaned


class PerpetratorForm(forms.Form):
    relationship = forms.ChoiceField(label=_("Hubungan dengan anak"), choices=Relationship.choices)
    name = forms.CharField(label=_("Nama (bila diketahui)"), max_length=150, required=False)
    age = forms.IntegerField(label=_("Umur"), min_value=0, max_value=120, required=False)
    sex = forms.ChoiceField(label=_("Jenis kelamin"), choices=BLANK + Sex.choices, required=False)

    def clean(self):
        return clean_plain_text(super().clean(), ["name"])


class TransitionForm(forms.Form):
    to_status = forms.ChoiceField(choices=CaseStatus.choices, widget=forms.HiddenInput)
    outcome = forms.ChoiceField(
        label=_("Hasil penanganan"), choices=BLANK + Outcome.choices, required=False
    )
    reason = forms.CharField(
        label=_("Alasan / catatan"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    closing_note = forms.CharField(
        label=_("Catatan penutupan"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AssignForm(forms.Form):
    workers = forms.ModelMultipleChoiceField(
        label=_("Pendamping kasus"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    supervisor = forms.ModelChoiceField(label=_("Supervisor"), queryset=None, required=False)

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["workers"].queryset = members
        self.fields["supervisor"].queryset = members.filter(role="case_supervisor")
        self.fields["workers"].label_from_instance = _member_label
        self.fields["supervisor"].label_from_instance = _member_label


def _member_label(user) -> str:
    return f"{user.full_name or user.username} ({user.get_role_display()})"


class ServiceForm(forms.Form):
    kind = forms.ChoiceField(label=_("Layanan"), choices=ServiceKind.choices)
    date = validation.DateField(label=_("Tanggal"), widget=DATE)
    provider = forms.CharField(label=_("Pemberi layanan"), max_length=150)
    child = forms.ModelChoiceField(
        label=_("Untuk anak"),
        queryset=None,
        required=False,
        empty_label=_("Semua anak dalam kasus ini"),
    )
    notes = forms.CharField(
        label=_("Catatan"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    files = FilesField(label=_("Dokumen"))

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["child"]
        field.queryset = case.children.all()
        field.label_from_instance = lambda child: child.name

    def clean(self):
        return clean_plain_text(super().clean(), ["provider"])


class ConsentForm(forms.Form):
    obtained = forms.TypedChoiceField(
        label=_("Persetujuan wali"),
        choices=[("1", _("Diperoleh")), ("0", _("Tidak dapat diperoleh"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    guardian_relation = forms.ChoiceField(
        label=_("Diberikan oleh"), choices=BLANK + GuardianRelation.choices, required=False
    )
    given_on = validation.DateField(label=_("Tanggal"), widget=DATE)
    reason_unobtainable = forms.CharField(
        label=_("Alasan tidak dapat diperoleh"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean_given_on(self):
        return _not_future(self.cleaned_data.get("given_on"))


class ReferralForm(forms.Form):
    kind = forms.ChoiceField(label=_("Jenis"), choices=ReferralKind.choices)
    institution = forms.CharField(label=_("Lembaga tujuan"), max_length=150)
    target_local_government = forms.ModelChoiceField(
        label=_("Pemerintah daerah tujuan (untuk pengalihan)"),
        queryset=LocalGovernment.objects.filter(is_active=True),
        required=False,
        widget=QuickSelect,
    )
    reason = forms.CharField(
        label=_("Alasan rujukan"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    sent_on = validation.DateField(label=_("Tanggal dikirim"), widget=DATE)
    override_reason = forms.CharField(
        label=_("Alasan merujuk tanpa persetujuan wali (khusus supervisor)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, may_override: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target_local_government"].widget.choices = local_government_choices()
        if not may_override:
            del self.fields["override_reason"]

    def clean_sent_on(self):
        return _not_future(self.cleaned_data.get("sent_on"))

    def clean(self):
        return clean_plain_text(super().clean(), ["institution"])


class ReferralUpdateForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ReferralStatus.choices)
    feedback = forms.CharField(
        label=_("Umpan balik"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class BreakGlassForm(forms.Form):
    reason = forms.CharField(
        label=_("Keadaan darurat yang mengharuskan Anda membuka kasus ini"),
        min_length=15,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class SearchForm(forms.Form):
    terms = forms.CharField(
        label=_("Nomor kasus, NIK, atau nama anak"),
        help_text=_("Nama dicari per kata utuh, tanpa membedakan huruf besar atau tanda aksen."),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


class ExportForm(forms.Form):
    start = validation.DateField(label=_("Diterima sejak"), widget=DATE)
    end = validation.DateField(label=_("Sampai dengan"), widget=DATE)
    reason = forms.CharField(
        label=_("Keperluan ekspor beridentitas"),
        min_length=15,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("start") and cleaned.get("end") and cleaned["start"] > cleaned["end"]:
            self.add_error("end", _("Tanggal akhir sebelum tanggal awal."))
        return cleaned


class AccessLogFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Jenis akses"), choices=BLANK + AccessKind.choices, required=False
    )
    user = forms.TypedChoiceField(label=_("Pengguna"), coerce=int, empty_value=None, required=False)
    case_number = forms.CharField(label=_("Nomor kasus"), max_length=32, required=False)

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        # the people, read once as a list: offered, and checked against, without another
        # query (a model choice would read them through a cursor of three round trips, and
        # again to check the one chosen)
        self.fields["user"].choices = [("", "---------"), *((u.pk, str(u)) for u in members)]
