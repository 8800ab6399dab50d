from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from sikla.core.forms import clean_plain_text
from sikla.organisations.models import Agency

from .models import Role
from .rules import GRANTABLE_ROLES


class LoginForm(AuthenticationForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Nama pengguna")
        self.fields["password"].label = _("Kata sandi")

    error_messages = {
        "invalid_login": _("Nama pengguna atau kata sandi salah."),
        "inactive": _("Akun ini nonaktif. Hubungi admin SIKLA di daerah Anda."),
    }


class UserCreateForm(forms.Form):
    username = forms.RegexField(
        label=_("Nama pengguna"),
        max_length=150,
        regex=r"^[\w.@+-]+$",
        error_messages={"invalid": _("Hanya huruf, angka, dan . @ + - _ tanpa spasi.")},
    )
    full_name = forms.CharField(label=_("Nama lengkap"), max_length=150)
    email = forms.EmailField(label=_("Surel"), required=False)
    phone = forms.CharField(label=_("Telepon"), max_length=32, required=False)
    role = forms.ChoiceField(label=_("Peran"))
    scope = forms.CharField(
        label=_("Cakupan wilayah (kode)"),
        max_length=13,
        required=False,
        help_text=_("Kosong = nasional; 53 = provinsi; 53.71 = kab/kota; 53.71.01 = kecamatan."),
    )
    agency = forms.ModelChoiceField(
        label=_("Perangkat daerah (untuk operator)"), queryset=Agency.objects.none(), required=False
    )
    password = forms.CharField(
        label=_("Kata sandi awal"),
        widget=forms.PasswordInput(render_value=False),
        min_length=10,
        help_text=_("Minimal 10 karakter; sampaikan kepada pengguna secara langsung."),
    )

    def __init__(self, *args, actor, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        grantable = GRANTABLE_ROLES.get(actor.role, frozenset())
        self.fields["role"].choices = [(v, label) for v, label in Role.choices if v in grantable]
        self.fields["agency"].queryset = agencies
        if actor.scope:
            self.fields["scope"].initial = actor.scope

    def clean_scope(self):
        return self.cleaned_data["scope"].strip()

    def clean(self):
        return clean_plain_text(super().clean(), ["full_name", "phone"])


class UserFilterForm(forms.Form):
    q = forms.CharField(label=_("Cari"), required=False, max_length=60)
    role = forms.ChoiceField(
        label=_("Peran"), required=False, choices=[("", _("Semua peran")), *Role.choices]
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Semua")), ("active", _("Aktif")), ("inactive", _("Nonaktif"))],
    )


class SetPasswordForm(forms.Form):
    password = forms.CharField(
        label=_("Kata sandi baru"),
        widget=forms.PasswordInput(render_value=False),
        min_length=10,
        help_text=_("Minimal 10 karakter; sampaikan kepada pengguna secara langsung."),
    )


class SecondFactorForm(forms.Form):
    """A code from the authenticator app; on the login step also a recovery code."""

    code = forms.CharField(
        label=_("Kode verifikasi"),
        max_length=20,
        help_text=_("6 angka dari aplikasi autentikator, atau salah satu kode pemulihan Anda."),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "autocapitalize": "off",
                "spellcheck": "false",
                "autofocus": True,
            }
        ),
    )

    def __init__(self, *args, enrolling: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if enrolling:
            field = self.fields["code"]
            field.label = _("Kode 6 angka dari aplikasi")
            field.help_text = _("Kode berganti setiap 30 detik; masukkan yang sedang tampil.")
            field.widget.attrs["inputmode"] = "numeric"
