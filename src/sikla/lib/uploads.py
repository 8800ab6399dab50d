"""Checking an upload before it is stored: what it is (from its bytes) and its SHA-256."""

import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError

from .filecheck import Checked, FileRejected, check_upload


def inspect_upload(
    upload, *, field: str = "file", max_mb: int | None = None
) -> tuple[Checked, str]:
    """(what the file is, its sha256) or ValidationError({field: why}) in Indonesian."""
    limit = (max_mb or settings.MAX_UPLOAD_MB) * 1048576
    try:
        checked = check_upload(upload, upload.size, max_bytes=limit)
    except FileRejected as exc:
        raise ValidationError({field: str(exc)}) from exc
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return checked, digest.hexdigest()
