"""The API: mounts each app's router, sets auth, the one error shape and the operation ids.

Errors are always JSON `{"code": "...", "detail": "...", "errors": {...}}`, never an HTML page
(`core.api_schemas`); `detail` in the language of `Accept-Language` (Indonesian or English).
Every operation has a readable id that stays when the code moves (`operations.OPERATION_IDS`);
a route without one stops the schema from being built, so none is forgotten.
"""

import logging

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.http.multipartparser import MultiPartParserError
from django.utils.functional import cached_property
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from sikla.accounts.api import router as accounts_router
from sikla.collection.api import router as collection_router
from sikla.dashboards.api import router as dashboards_router
from sikla.evaluation.api import router as evaluation_router
from sikla.evaluation.api_monitoring import router as monitoring_router
from sikla.indicators.api import router as indicators_router
from sikla.organisations.api import router as organisations_router
from sikla.participation.api import router as participation_router
from sikla.planning.api import router as planning_router
from sikla.protection.api import router as protection_router
from sikla.protection.api_public import router as complaints_router
from sikla.protection.api_statistics import router as protection_statistics_router
from sikla.regions.api import router as regions_router
from sikla.villages.api import router as villages_router

from .auth import AUTH
from .operations import operation_id

logger = logging.getLogger("sikla.api")


class SiklaApi(NinjaAPI):
    def get_openapi_operation_id(self, operation) -> str:
        return operation_id(operation.view_func, operation.methods)

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        """The schema, built once per language and path: it follows from the code alone, and
        building it walks every operation's models (about half a second of CPU), which no
        client asking for `openapi.json` should be able to make the server do again and again."""
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        key = (path_prefix, get_language())
        if key not in self._schemas:
            self._schemas[key] = super().get_openapi_schema(path_prefix=path_prefix)
        return self._schemas[key]

    @cached_property
    def _schemas(self) -> dict:
        return {}


api = SiklaApi(
    title="SIKLA API",
    version="1",
    description=(
        "API SIKLA (Sistem Informasi Kabupaten/Kota Layak Anak). Autentikasi: sesi peramban, "
        "atau token `Authorization: Bearer <token>` dari `POST /api/v1/auth/token`."
    ),
    auth=AUTH,
    urls_namespace="api",
    docs_url="/docs",
)


def _error(request, status: int, detail: str, errors: dict | None = None):
    body = {"detail": detail}
    if errors:
        body["errors"] = errors
    return api.create_response(request, body, status=status)


def _field_name(loc: list) -> str:
    """`["body", "credentials", "password"]` → `password`; `["query", "q"]` → `q`;
    `["body", "payload", "values", 3, "numerator"]` → `values[3].numerator`."""
    parts = list(loc)
    if parts[:1] == ["body"] and len(parts) > 2:
        parts = parts[2:]  # the body's parameter name is an implementation detail
    elif parts[:1] and parts[0] in {"body", "query", "path", "form", "file", "header"}:
        parts = parts[1:]
    name = ""
    for part in parts:
        name += f"[{part}]" if isinstance(part, int) else (f".{part}" if name else str(part))
    return name or "__all__"


@api.exception_handler(NinjaValidationError)
def validation_error(request, exc: NinjaValidationError):
    errors: dict[str, list[str]] = {}
    for item in exc.errors:
        errors.setdefault(_field_name(item.get("loc", [])), []).append(
            item.get("msg", _("tidak valid"))
        )
    return _error(request, 422, _("Data tidak valid."), errors)


@api.exception_handler(AuthenticationError)
def unauthenticated(request, exc):
    return _error(request, 401, _("Autentikasi diperlukan."))


@api.exception_handler(Http404)
def not_found(request, exc):
    return _error(request, 404, _("Tidak ditemukan."))


@api.exception_handler(PermissionDenied)
def forbidden(request, exc):
    return _error(request, 403, _("Anda tidak berwenang melakukan ini."))


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    detail = str(exc)
    if exc.status_code == 400 and detail.startswith("Cannot parse request body"):
        detail = _("Isi permintaan bukan JSON yang sah.")  # django-ninja's own, in English
    return _error(request, exc.status_code, detail)


@api.exception_handler(MultiPartParserError)
def malformed_multipart(request, exc):
    return _error(request, 400, _("Isi permintaan multipart tidak sah."))


@api.exception_handler(Exception)
def server_error(request, exc):
    logger.exception("API error on %s %s", request.method, request.path)
    return _error(request, 500, _("Terjadi kesalahan pada server."))


api.add_router("/auth", accounts_router)
api.add_router("/regions", regions_router)
api.add_router("/indicators", indicators_router)
api.add_router("/local-governments", organisations_router)
api.add_router("", collection_router)
api.add_router("", evaluation_router)
api.add_router("", monitoring_router)
api.add_router("", protection_router)
api.add_router("", protection_statistics_router)
api.add_router("/complaints", complaints_router)
api.add_router("", planning_router)
api.add_router("", villages_router)
api.add_router("", participation_router)
api.add_router("", dashboards_router)
