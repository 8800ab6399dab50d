"""What the protection module's state changes share: the access log, the rule for acting on a
case, checks of texts and places, and storing documents."""

import hashlib

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from sikla.accounts.models import Role, User
from sikla.accounts.rules import Perm, require
from sikla.lib.filecheck import FileRejected, check_upload

from .. import crypto
from ..access import can_open_case
from ..models import (
    AccessLog,
    Case,
    Document,
)

__all__ = [
    "log_access",
    "unit_staff",
    "store_documents",
]


def log_access(
    *, user, local_government, kind: str, case=None, complaint=None, terms="", reason=""
) -> AccessLog:
    return AccessLog.objects.create(
        user=user,
        local_government=local_government,
        kind=kind,
        case=case,
        complaint=complaint,
        terms=terms,
        reason=reason,
    )


def unit_staff(local_government, *, supervisors_only: bool = False):
    roles = [Role.CASE_SUPERVISOR] if supervisors_only else [Role.CASE_WORKER, Role.CASE_SUPERVISOR]
    return User.objects.filter(is_active=True, role__in=roles, scope=local_government.pk)


def _case_link(case: Case) -> str:
    from django.urls import reverse

    return reverse("protection:case", args=[case.local_government_id, case.uid])


def _require_handler(actor, case: Case) -> None:
    """The rule for acting on a case: the unit's role, in scope, and the case is the actor's
    (assigned, supervised, or opened by breaking the glass)."""
    require(actor, Perm.HANDLE_CASES, case.local_government_id)
    if not can_open_case(actor, case):
        raise PermissionDenied


def _require_open(case: Case) -> None:
    if case.is_closed:
        raise ValidationError(_("Kasus sudah ditutup; buka kembali dulu untuk mengubahnya."))


def _clean_text(value: str, *, field: str, limit: int, required: bool = False) -> str:
    value = (value or "").strip()
    if "\x00" in value:
        raise ValidationError({field: _("Teks berisi karakter yang tidak diizinkan.")})
    if required and not value:
        raise ValidationError({field: _("Wajib diisi.")})
    if len(value) > limit:
        raise ValidationError(
            {field: _("Terlalu panjang: paling banyak %(n)s karakter.") % {"n": limit}}
        )
    return value


def _check_region(region, local_government, field: str) -> None:
    if region is not None and not region.code.startswith(local_government.pk + "."):
        raise ValidationError({field: _("Kelurahan/desa itu bukan bagian dari daerah ini.")})


def store_documents(uploads, *, local_government, actor=None, **owner) -> list[Document]:
    """Check each file from its bytes, encrypt it, store it. Raises ValidationError({"files"})."""
    max_bytes = settings.COMPLAINT_MAX_UPLOAD_MB * 1048576
    checked = []
    for upload in uploads:
        try:
            checked.append((upload, check_upload(upload, upload.size, max_bytes=max_bytes)))
        except FileRejected as exc:
            raise ValidationError({"files": f"{upload.name[:60]}: {exc}"}) from exc
    documents = []
    for upload, kind in checked:
        data = upload.read()
        document = Document(
            local_government=local_government,
            kind_ext=kind.kind,
            mime=kind.mime,
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            uploaded_by=actor,
            **owner,
        )
        document.file.save("x.bin", ContentFile(crypto.encrypt_bytes(data)), save=False)
        document.save()
        documents.append(document)
    return documents
