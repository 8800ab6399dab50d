"""Forms of the public channel: the report (in plain words, or in words a child understands) and
the status look-up. The honeypot and the signed timestamp are not fields: the view reads them
(see spam.py), so a re-rendered form always carries a fresh timestamp."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from sikla.core import validation
from sikla.core.forms import QuickSelect
from sikla.regions.models import Level, Region

from . import spam
from .models import Place, ReporterRelation, Sex

DESCRIPTION_MAX = 5000


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one <input multiple>; the action checks their number, size and kind."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        items = data if isinstance(data, list | tuple) else [data]
        cleaned = [super(MultipleFileField, self).clean(item, initial) for item in items if item]
        return [item for item in cleaned if item]


# field -> (label, help text): for grown-ups, and for a child telling it themself.
WORDING = {
    "in_danger": (
        (
            _("Apakah anak itu dalam bahaya saat ini?"),
            _("Jika ya, laporan ditandai darurat dan petugas menanganinya lebih dulu."),
        ),
        (
            _("Apakah kamu (atau temanmu) dalam bahaya sekarang?"),
            _("Kalau ya, petugas akan membaca ceritamu lebih dulu."),
        ),
    ),
    "description": (
        (
            _("Apa yang terjadi?"),
            _(
                "Ceritakan siapa, apa, di mana, dan bagaimana kejadiannya. Tidak harus lengkap. "
                "Laporan ini dirahasiakan."
            ),
        ),
        (
            _("Apa yang terjadi?"),
            _("Ceritakan dengan kata-katamu sendiri. Tidak apa-apa kalau tidak lengkap."),
        ),
    ),
    "incident_date": (
        (_("Kapan terjadinya?"), _("Perkiraan pun boleh. Contoh: 25-12-2024.")),
        (_("Kapan terjadinya?"), _("Kalau tidak ingat tanggalnya, boleh dikosongkan.")),
    ),
    "kelurahan": (
        (_("Kelurahan/desa tempat kejadian"), _("Pilih dari daftar; kosongkan bila tidak tahu.")),
        (_("Di kelurahan atau desa mana?"), _("Kalau tidak tahu, biarkan saja.")),
    ),
    "place": (
        (_("Tempat kejadian"), ""),
        (_("Di mana kejadiannya?"), ""),
    ),
    "child_name": (
        (_("Nama anak"), _("Boleh dikosongkan.")),
        (_("Nama anak yang mengalaminya"), _("Boleh dikosongkan.")),
    ),
    "child_age": (
        (_("Umur anak (tahun)"), _("0 sampai 17 tahun.")),
        (_("Umurnya berapa tahun?"), ""),
    ),
    "child_sex": (
        (_("Jenis kelamin anak"), ""),
        (_("Anak itu laki-laki atau perempuan?"), ""),
    ),
    "reporter_relation": (
        (_("Siapa Anda bagi anak itu?"), ""),
        (_("Kamu siapa?"), ""),
    ),
    "reporter_anonymous": (
        (
            _("Saya melapor tanpa nama (anonim)"),
            _(
                "Nama dan kontak Anda tidak disimpan, sehingga petugas tidak dapat menghubungi "
                "Anda. Simpan kode laporan untuk melihat perkembangannya."
            ),
        ),
        (
            _("Aku tidak mau menyebut namaku"),
            _("Kamu boleh tidak menyebut namamu. Laporanmu tetap diterima."),
        ),
    ),
    "reporter_name": (
        (_("Nama Anda"), _("Boleh dikosongkan.")),
        (_("Namamu"), _("Kamu boleh tidak menyebut namamu.")),
    ),
    "reporter_contact": (
        (
            _("Nomor HP/WhatsApp atau surel Anda"),
            _("Agar petugas dapat menghubungi Anda. Boleh dikosongkan."),
        ),
        (
            _("Nomor HP atau cara menghubungimu"),
            _("Supaya petugas bisa menghubungimu. Boleh dikosongkan."),
        ),
    ),
    "files": (
        (
            _("Foto atau dokumen pendukung (jika ada)"),
            _(
                "Paling banyak %(n)s berkas JPG, PNG, PDF, DOCX, atau XLSX; masing-masing paling "
                "besar %(mb)s MB."
            ),
        ),
        (
            _("Foto (kalau ada)"),
            _("Paling banyak %(n)s foto atau berkas, masing-masing paling besar %(mb)s MB."),
        ),
    ),
}

CHILD_RELATION_LABELS = {ReporterRelation.SELF: _("Aku sendiri yang mengalaminya")}


def kelurahan_choices(local_government) -> list:
    """The villages of a kab/kota grouped by kecamatan, for <optgroup>s."""
    prefix = local_government.pk + "."
    rows = Region.objects.filter(
        code__startswith=prefix, level__in=[Level.DISTRICT, Level.VILLAGE], is_active=True
    ).values_list("code", "name", "level")
    districts: dict[str, tuple[str, list]] = {}
    for code, name, level in rows:
        if level == Level.DISTRICT:
            districts.setdefault(code, (name, []))
    for code, name, level in rows:
        if level == Level.VILLAGE and code[:8] in districts:
            districts[code[:8]][1].append((code, name))
    groups = [
        (_("Kecamatan %(name)s") % {"name": name}, villages)
        for _code, (name, villages) in sorted(districts.items())
        if villages
    ]
    return [("", _("— tidak tahu / pilih —")), *groups]


class ReportForm(forms.Form):
    in_danger = forms.ChoiceField(
        required=False,
        choices=[("yes", _("Ya")), ("no", _("Tidak"))],
        widget=forms.RadioSelect,
    )
    description = forms.CharField(
        max_length=DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Ceritakan apa yang terjadi.")},
    )
    incident_date = validation.DateField(
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Tanggal tidak dikenali. Contoh: 25-12-2024.")},
    )
    kelurahan = forms.ChoiceField(
        required=False,
        error_messages={"invalid_choice": _("Pilih kelurahan/desa dari daftar.")},
        widget=QuickSelect,  # ~850 kelurahan in a big kab/kota, on a phone
    )
    place = forms.ChoiceField(required=False, choices=[("", "—"), *Place.choices])
    child_name = forms.CharField(required=False, max_length=150)
    child_age = forms.IntegerField(
        required=False,
        min_value=0,
        max_value=17,
        error_messages={
            "min_value": _("Umur tidak boleh kurang dari 0."),
            "max_value": _("Anak adalah seseorang yang belum berumur 18 tahun."),
            "invalid": _("Tulis umur dengan angka."),
        },
    )
    child_sex = forms.ChoiceField(
        required=False,
        choices=[*Sex.choices, ("", _("Tidak tahu / tidak disebut"))],
        widget=forms.RadioSelect,
    )
    reporter_relation = forms.ChoiceField(required=False)
    reporter_anonymous = forms.BooleanField(required=False)
    reporter_name = forms.CharField(required=False, max_length=150)
    reporter_contact = forms.CharField(required=False, max_length=150)
    files = MultipleFileField(
        required=False,
        widget=MultipleFileInput(
            attrs={
                "accept": "image/jpeg,image/png,application/pdf,.pdf,.jpg,.jpeg,.png,.docx,.xlsx"
            }
        ),
    )

    def __init__(self, *args, local_government, child: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.local_government = local_government
        self.child = child
        limits = {"n": settings.COMPLAINT_MAX_FILES, "mb": settings.COMPLAINT_MAX_UPLOAD_MB}
        for name, wordings in WORDING.items():
            label, help_text = wordings[1 if child else 0]
            self.fields[name].label = label
            self.fields[name].help_text = help_text % limits if name == "files" else help_text
        relations = ReporterRelation.choices
        if child:
            relations = [(v, CHILD_RELATION_LABELS.get(v, label)) for v, label in relations]
        self.fields["reporter_relation"].choices = [("", "—"), *relations]
        self.fields["kelurahan"].choices = kelurahan_choices(local_government)

    def clean_description(self) -> str:
        description = self.cleaned_data["description"]
        if problem := spam.links_problem(description):
            raise ValidationError(problem)
        return description

    def clean_kelurahan(self) -> Region | None:
        code = self.cleaned_data["kelurahan"]
        return Region.objects.get(code=code) if code else None

    def complaint_fields(self) -> dict:
        """The keyword arguments of actions.submit_public_complaint."""
        data = self.cleaned_data
        return {
            "in_danger": data["in_danger"] == "yes",
            "description": data["description"],
            "incident_date": data["incident_date"],
            "incident_region": data["kelurahan"],
            "place": data["place"],
            "child_name": data["child_name"],
            "child_age": data["child_age"],
            "child_sex": data["child_sex"],
            "reporter_relation": data["reporter_relation"],
            "reporter_anonymous": data["reporter_anonymous"],
            "reporter_name": data["reporter_name"],
            "reporter_contact": data["reporter_contact"],
            "child_wording": self.child,
            "files": data["files"],
        }

    def add_action_errors(self, exc: ValidationError) -> None:
        """Show an action's refusal next to the field it concerns."""
        if not hasattr(exc, "error_dict"):
            self.add_error(None, exc.messages)
            return
        for field, messages in exc.message_dict.items():
            name = "kelurahan" if field == "incident_region" else field
            self.add_error(name if name in self.fields else None, messages)


class StatusForm(forms.Form):
    code = forms.CharField(
        label=_("Kode laporan"),
        max_length=20,
        help_text=_("8 huruf dan angka, misalnya ABCD-EF23."),
        error_messages={"required": _("Tulis kode laporan Anda.")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
