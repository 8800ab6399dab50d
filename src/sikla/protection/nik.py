"""Checking a Nomor Induk Kependudukan (NIK) before it is stored.

A NIK has 16 digits: the kecamatan where it was issued (province, kab/kota, kecamatan — two digits
each, the Kemendagri code without dots), the date of birth as DDMMYY with 40 added to the day for
women, and a four-digit serial that is never 0000. SIKLA checks the shape, that the kecamatan is
in the region list, that the date exists, and — when they are known — that date of birth and sex
agree with it.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from sikla.regions.models import Region


def parse_nik(nik: str) -> tuple[str, int, int, int, str]:
    """(kecamatan code, day, month, two-digit year, sex "L"/"P") or ValidationError."""
    if len(nik) != 16 or not nik.isdigit() or not nik.isascii():
        raise ValidationError({"nik": _("NIK harus 16 angka.")})
    district = f"{nik[0:2]}.{nik[2:4]}.{nik[4:6]}"
    day, month, year = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    sex = "L"
    if day > 40:
        day, sex = day - 40, "P"
    if nik[12:] == "0000":
        raise ValidationError({"nik": _("Nomor urut NIK (4 angka terakhir) tidak boleh 0000.")})
    return district, day, month, year, sex


def validate_nik(nik: str, *, birth_date: date | None = None, sex: str | None = None) -> None:
    district, day, month, year, nik_sex = parse_nik(nik)
    if not Region.objects.filter(code=district).exists():
        raise ValidationError(
            {
                "nik": _("Enam angka pertama NIK (%(c)s) bukan kode kecamatan yang terdaftar.")
                % {"c": nik[:6]}
            }
        )
    try:
        date(2000 + year, month, day)  # a leap year for 29 February
    except ValueError:
        try:
            date(1900 + year, month, day)
        except ValueError:
            raise ValidationError({"nik": _("Tanggal lahir dalam NIK tidak valid.")}) from None
    if birth_date is not None and (birth_date.day, birth_date.month, birth_date.year % 100) != (
        day,
        month,
        year,
    ):
        raise ValidationError(
            {"nik": _("Tanggal lahir dalam NIK tidak sama dengan tanggal lahir yang diisi.")}
        )
    if sex and sex != nik_sex:
        raise ValidationError({"nik": _("Jenis kelamin dalam NIK tidak sama dengan yang diisi.")})
