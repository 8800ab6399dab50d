"""The identified case export (supervisors only, with a stated reason, logged by the caller)."""

from datetime import date, datetime, time
from io import BytesIO

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from sikla.core.localtime import zone_of

from .models import Case

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    zone = timezone.get_current_timezone()
    return (
        datetime.combine(start, time.min, tzinfo=zone),
        datetime.combine(end, time.max, tzinfo=zone),
    )


def identified_workbook(local_government, start: date, end: date) -> bytes:
    low, high = _bounds(start, end)
    cases = (
        Case.objects.filter(local_government=local_government, received_at__range=(low, high))
        .prefetch_related("children__address_region", "types")
        .order_by("received_at", "pk")
    )
    book = Workbook()
    sheet = book.active
    sheet.title = _("Kasus")
    sheet.append(
        [
            _("RAHASIA — data pribadi anak. Jangan disebarkan. %(lg)s, %(a)s – %(b)s")
            % {"lg": local_government.name, "a": start.isoformat(), "b": end.isoformat()}
        ]
    )
    sheet["A1"].font = Font(bold=True)
    header = [
        _("Nomor kasus"),
        _("Diterima"),
        _("Status"),
        _("Jenis"),
        _("Nama anak"),
        _("NIK"),
        _("Tanggal lahir"),
        _("Umur"),
        _("Jenis kelamin"),
        _("Kelurahan/desa"),
        _("Alamat"),
    ]
    sheet.append(header)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for case in cases:
        types = ", ".join(t.get_type_display() for t in case.types.all())
        received = timezone.localtime(case.received_at, zone_of(case.local_government_id)).strftime(
            "%Y-%m-%d %H:%M %Z"
        )
        children = list(case.children.all()) or [None]
        for child in children:
            sheet.append(
                [
                    case.number,
                    received,
                    case.get_status_display(),
                    types,
                    *(
                        [
                            child.name,
                            child.nik,
                            child.birth_date,
                            child.age,
                            child.get_sex_display() if child.sex else "",
                            child.address_region.name if child.address_region else "",
                            child.address,
                        ]
                        if child
                        else [""] * 7
                    ),
                ]
            )
    out = BytesIO()
    book.save(out)
    return out.getvalue()


# --- the file as it leaves: encrypted, with a password shown once --------------------------------

PASSWORD_WORDS = 4
HANDOVER_SECONDS = 10 * 60


def one_time_password() -> str:
    """Four groups of four letters and digits without look-alikes: read out or typed easily."""
    import secrets

    alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
    return "-".join(
        "".join(secrets.choice(alphabet) for _ in range(4)) for _ in range(PASSWORD_WORDS)
    )


def encrypt_workbook(content: bytes, password: str) -> bytes:
    """The workbook encrypted as Excel and LibreOffice open it: they ask for the password."""
    from msoffcrypto.format.ooxml import OOXMLFile

    out = BytesIO()
    OOXMLFile(BytesIO(content)).encrypt(password, out)
    return out.getvalue()


def hand_over(user, content: bytes, file_name: str) -> str:
    """Keep an encrypted export for its one download by this user within ten minutes; returns
    the token of its download link."""
    import secrets

    from django.core.cache import cache

    token = secrets.token_urlsafe(24)
    cache.set(f"export:{token}", (user.pk, file_name, content), HANDOVER_SECONDS)
    return token


def take(user, token: str) -> tuple[str, bytes] | None:
    """The export behind a download link, once, for the user who made it; else None."""
    from django.core.cache import cache

    key = f"export:{token}"
    kept = cache.get(key)
    if kept is None or kept[0] != user.pk:
        return None
    cache.delete(key)
    return kept[1], kept[2]
