"""The one error shape every API route may answer, declared so the OpenAPI contract says so."""

from ninja import Schema

ERROR_CODES = frozenset({400, 401, 403, 404, 405, 413, 422, 429, 500})


class ErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]] | None = None


def responses(ok_schema) -> dict:
    """`response=` for a route: its 200 schema plus every error in the shared shape."""
    return {200: ok_schema, ERROR_CODES: ErrorOut}
