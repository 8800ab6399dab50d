"""Identities at rest: encrypted fields and a keyed hash for looking up a NIK.

The key comes from `SIKLA_PROTECTION_KEY` (one or more Fernet keys, comma-separated; the first
encrypts, all decrypt, so keys can be rotated). Without it a per-installation key file is made next
to the data, as for SECRET_KEY, so the demo runs with no setup; production sets the variable and
keeps it apart from database backups.

A database dump, a replica or a stolen backup shows only `gAAAAA…` tokens in these columns.
"""

import hashlib
import hmac
import re
import unicodedata
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

PREFIX = "gAAAAA"  # every Fernet token starts with the version byte 0x80, base64 "gAAAAA"


@cache
def _fernet() -> MultiFernet:
    keys = [k.strip() for k in settings.PROTECTION_KEYS if k.strip()]
    if not keys:
        raise ImproperlyConfigured("SIKLA_PROTECTION_KEY is empty")
    try:
        return MultiFernet([Fernet(k.encode()) for k in keys])
    except ValueError as exc:
        raise ImproperlyConfigured(
            "SIKLA_PROTECTION_KEY must be Fernet keys (32 url-safe base64 bytes each)"
        ) from exc


@cache
def _index_key() -> bytes:
    # A separate key for the lookup hash, derived from the first encryption key.
    first = settings.PROTECTION_KEYS[0].strip().encode()
    return hmac.new(first, b"sikla-nik-index-v1", hashlib.sha256).digest()


def reset_keys() -> None:
    """Forget cached keys (tests that change settings.PROTECTION_KEYS)."""
    _fernet.cache_clear()
    _index_key.cache_clear()


def encrypt(text: str) -> str:
    if text == "":
        return ""
    return _fernet().encrypt(text.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    if not token:
        return ""
    try:
        return _fernet().decrypt(token.encode("ascii")).decode("utf-8")
    except (InvalidToken, UnicodeEncodeError) as exc:
        raise ImproperlyConfigured(
            "An identity could not be decrypted: SIKLA_PROTECTION_KEY does not match the data"
        ) from exc


def encrypt_bytes(data: bytes) -> bytes:
    return _fernet().encrypt(data)


def decrypt_bytes(token: bytes) -> bytes:
    try:
        return _fernet().decrypt(token)
    except InvalidToken as exc:
        raise ImproperlyConfigured(
            "A document could not be decrypted: SIKLA_PROTECTION_KEY does not match the data"
        ) from exc


def lookup_hash(value: str) -> str:
    """A keyed hash (HMAC-SHA256) for exact search, e.g. by NIK; empty for an empty value."""
    if not value:
        return ""
    return hmac.new(_index_key(), value.encode("utf-8"), hashlib.sha256).hexdigest()


def name_words(text: str) -> set[str]:
    """The words of a name as the blind index keeps them: accents dropped, case folded, split at
    anything not a letter or digit; words of one character are left out."""
    plain = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch)).casefold()
    return {w for w in re.split(r"[^\w]+|_", plain) if len(w) >= 2}


def name_tokens(text: str) -> set[str]:
    """Keyed hashes of the words of a name (a blind index, like the NIK's): a name is found by
    its whole words without being stored, or searchable, in clear."""
    return {lookup_hash("name:" + word)[:32] for word in name_words(text)}


class EncryptedTextField(models.TextField):
    """A text column holding a Fernet token; Python code sees the plain text.

    Never filtered or ordered on in the database (the token differs on every save); search goes
    through a lookup hash or through decrypted rows in memory.
    """

    def from_db_value(self, value, expression, connection):
        return decrypt(value) if value else ""

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return ""
        return encrypt(str(value))
