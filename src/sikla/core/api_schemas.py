"""The one error shape every API route may answer, declared so the OpenAPI contract says so.

Every error carries a stable machine `code` beside the human `detail` (in the language asked
for) and, for a refused field, `errors` keyed by the field's path. The code follows from the
status (`CODE_OF_STATUS`); `core.middleware.ApiErrorShapeMiddleware` sets it on every error the
API answers, whichever part of SIKLA produced it, so no route has to remember it.
"""

import functools
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import ConfigDict, PlainSerializer, WithJsonSchema

ERROR_CODES = frozenset({400, 401, 403, 404, 405, 413, 422, 429, 500})


class ErrorCode(StrEnum):
    BAD_REQUEST = "bad_request"  # 400: the body is not JSON, a NUL character, a broken upload
    NOT_AUTHENTICATED = "not_authenticated"  # 401: no or a wrong token or session
    FORBIDDEN = "forbidden"  # 403: the role may not do this
    NOT_FOUND = "not_found"  # 404: absent, or outside the caller's scope
    METHOD_NOT_ALLOWED = "method_not_allowed"  # 405
    STALE_VERSION = "stale_version"  # 409: saved by someone else since `version` was read
    TOO_LARGE = "too_large"  # 413: the body or a file is over its limit
    INVALID = "invalid"  # 422: a field refused; `errors` says which and why
    RATE_LIMITED = "rate_limited"  # 429: too many requests; see Retry-After
    SERVER_ERROR = "server_error"  # 500


CODE_OF_STATUS = {
    400: ErrorCode.BAD_REQUEST,
    401: ErrorCode.NOT_AUTHENTICATED,
    403: ErrorCode.FORBIDDEN,
    404: ErrorCode.NOT_FOUND,
    405: ErrorCode.METHOD_NOT_ALLOWED,
    409: ErrorCode.STALE_VERSION,
    413: ErrorCode.TOO_LARGE,
    422: ErrorCode.INVALID,
    429: ErrorCode.RATE_LIMITED,
    500: ErrorCode.SERVER_ERROR,
}


def code_for(status: int) -> str:
    """The machine code of an error status; any other 4xx is a bad request, 5xx a server error."""
    found = CODE_OF_STATUS.get(status)
    if found is None:
        found = ErrorCode.SERVER_ERROR if status >= 500 else ErrorCode.BAD_REQUEST
    return found.value


def _code_is_required(schema: dict) -> None:
    """`code` is always present in an answer (the middleware sets it): required, no default."""
    schema.setdefault("required", [])
    if "code" not in schema["required"]:
        schema["required"].insert(0, "code")
    schema["properties"]["code"].pop("default", None)


class ErrorOut(Schema):
    model_config = ConfigDict(json_schema_extra=_code_is_required)

    code: ErrorCode = Field(
        None,
        validate_default=False,
        description="Kode mesin yang stabil, menurut status HTTP (lihat ErrorCode)",
    )
    detail: str
    errors: dict[str, list[str]] | None = None


class PageOut(Schema):
    """The one shape of every list: `items` of the page, `count` of the whole list, and the
    `limit` and `offset` that made the page."""

    count: int = Field(..., description="Jumlah seluruh butir, bukan hanya halaman ini")
    limit: int
    offset: int


@functools.cache
def page_of(item: type) -> type[PageOut]:
    """`PageOut` with `items: list[item]`, named after the item ("SubmissionOut" → "SubmissionPage")."""
    from pydantic import create_model

    name = item.__name__.removesuffix("Out") + "Page"
    return create_model(name, __base__=PageOut, items=(list[item], ...))


def page_info(rows, page) -> dict:
    """`count`, `limit` and `offset` of a page of `rows` (a queryset, counted in SQL, or a list)."""
    count = len(rows) if isinstance(rows, list | tuple) else rows.count()
    return {"count": count, "limit": page.limit, "offset": page.offset}


def paged(rows, page, convert=None) -> dict:
    """The page `page` (a `core.validation.PageIn`) of `rows` — a queryset (counted and sliced in
    SQL) or a list — in the shape of `PageOut`; `convert` turns each row into its item."""
    chosen = rows[page.offset : page.offset + page.limit]
    items = [convert(r) for r in chosen] if convert else list(chosen)
    return {**page_info(rows, page), "items": items}


def responses(ok_schema) -> dict:
    """`response=` for a route: its 200 schema plus every error in the shared shape."""
    return {200: ok_schema, ERROR_CODES: ErrorOut}


def invalid(errors: dict[str, list[str]]):
    """A 422 naming the refused fields: `errors` keyed by the field's path in the request."""
    from django.utils.translation import gettext as _
    from ninja import Status

    return Status(422, {"detail": _("Data tidak valid."), "errors": errors})


# One rule for decimals, in and out: a JSON string in plain notation ("584.85", "12.00"), never a
# float that would round; `format: decimal` in the schema. Scores and data values carry two
# decimals as stored; a JSON number is still accepted on input for old clients.
DecimalText = Annotated[
    Decimal,
    WithJsonSchema(
        {
            "type": "string",
            "format": "decimal",
            "pattern": r"^-?\d+(\.\d+)?$",
            "examples": ["584.85"],
        }
    ),
    PlainSerializer(lambda value: format(value, "f"), return_type=str),
]


# A category name, or "" for none (below Pratama, never determined): PermenPPPA 12/2022's five
# (`indicators.models.CategoryName`, which the catalog loader enforces; a test keeps them equal).
Category = Literal["", "Pratama", "Madya", "Nindya", "Utama", "KLA"]
