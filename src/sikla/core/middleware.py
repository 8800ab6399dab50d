import gzip
import json
import secrets
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse
from django.middleware.gzip import GZipMiddleware, re_accepts_gzip
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# Everything is served from this origin: vendored CSS/JS, no CDN, no inline scripts.
CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        # Swagger UI (API docs) sets inline styles; scripts stay strict.
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'self'",
        "object-src 'none'",
    ]
)


# Answers that are compressed files already: a workbook (a zip), a zip, a PDF, a picture.
COMPRESSED_TYPES = (
    "application/vnd.openxmlformats-officedocument.",
    "application/zip",
    "application/pdf",
    "image/png",
    "image/jpeg",
    "image/webp",
)


# gzip's level for a page: 3 rather than Django's 6. The statistics page of a kab/kota with 852
# villages (101 kB of HTML) becomes 15 kB in 0.65 ms instead of 13 kB in 1.6 ms — at level 6 the
# compression was the largest single cost of serving that page from the cache.
GZIP_LEVEL = 3
RANDOM_NAME_BYTES = 100  # as Django's GZipMiddleware: a random-length name against BREACH


def gzipped(content: bytes) -> bytes:
    """`content` as gzip at GZIP_LEVEL, with a file name of random length in its header (what
    Django's `compress_string` does at level 6)."""
    data = gzip.compress(content, compresslevel=GZIP_LEVEL, mtime=0)
    header = bytearray(data[:10])
    header[3] = gzip.FNAME
    return bytes(header) + b"a" * secrets.randbelow(RANDOM_NAME_BYTES) + b"\x00" + data[10:]


class CompressionMiddleware(GZipMiddleware):
    """Pages, JSON and CSV go compressed to a browser that asks (a grid of 852 villages: 580 kB
    becomes ~40 kB), at GZIP_LEVEL. A file that is compressed already goes as it is: squeezing a
    national workbook of 380 kB again cost the server ~40 ms and saved nothing. Streamed
    answers and the cases Django leaves alone (short, encoded already) go through Django's."""

    def process_response(self, request, response):
        if response.get("Content-Type", "").startswith(COMPRESSED_TYPES):
            return response
        if (
            response.streaming
            or response.has_header("Content-Encoding")
            or len(response.content) < 200
        ):
            return super().process_response(request, response)
        patch_vary_headers(response, ("Accept-Encoding",))
        if not re_accepts_gzip.search(request.META.get("HTTP_ACCEPT_ENCODING", "")):
            return response
        compressed = gzipped(response.content)
        if len(compressed) >= len(response.content):
            return response
        response.content = compressed
        response.headers["Content-Length"] = str(len(compressed))
        etag = response.get("ETag")
        if etag and etag.startswith('"'):
            response.headers["ETag"] = "W/" + etag  # as Django: a compressed body's tag is weak
        response.headers["Content-Encoding"] = "gzip"
        return response


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=()"
        )
        if settings.SESSION_COOKIE_SECURE:
            response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        return response


class ChosenLanguageMiddleware:
    """Indonesian unless the user chose otherwise with the language switcher (its cookie).

    Django's LocaleMiddleware would follow the browser's Accept-Language, so an office PC set to
    English would show SIKLA in English although nobody asked for it.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.available = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        api = request.path.startswith("/api/")
        if chosen not in self.available and api:
            # An integrator's program states its language in the header; no switcher there.
            chosen = self._accepted(request.headers.get("Accept-Language", ""))
        language = chosen if chosen in self.available else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ["Cookie", "Accept-Language"] if api else ["Cookie"])
        return response

    def _accepted(self, header: str) -> str:
        """The first of the header's languages SIKLA speaks (by quality), else ""."""
        for code, _quality in translation.trans_real.parse_accept_lang_header(header[:200]):
            base = code.split("-")[0].lower()
            if base in self.available:
                return base
        return ""


class ApiErrorShapeMiddleware:
    """Under /api/ every error is JSON `{"code": ..., "detail": ...}`, even the ones no API
    handler produced: an unknown path (Django's 404 page), a wrong method (a bare 405), a server
    error page. The machine `code` follows from the status (`core.api_schemas.code_for`) and is
    set here, once, on whatever error the API answers."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from sikla.core.api_schemas import code_for

        response = self.get_response(request)
        if not request.path.startswith("/api/") or response.status_code < 400:
            return response
        body = None
        if response.headers.get("Content-Type", "").startswith("application/json"):
            try:
                body = json.loads(response.content)
            except ValueError:
                body = None
        if not isinstance(body, dict) or not isinstance(body.get("detail"), str):
            body = {"detail": str(API_ERROR_DETAIL.get(response.status_code, DENIED))}
        elif body.get("code"):
            return response
        body = {"code": code_for(response.status_code)} | {
            k: v for k, v in body.items() if k != "code"
        }
        replacement = JsonResponse(body, status=response.status_code)
        for header in ("Allow", "Retry-After", "WWW-Authenticate"):
            if header in response.headers:
                replacement.headers[header] = response.headers[header]
        return replacement


API_ERROR_DETAIL = {
    401: gettext_lazy("Autentikasi diperlukan."),
    403: gettext_lazy("Anda tidak berwenang melakukan ini."),
    404: gettext_lazy("Tidak ditemukan."),
    405: gettext_lazy("Metode HTTP ini tidak didukung untuk alamat ini."),
    413: gettext_lazy("Isi permintaan terlalu besar."),
    429: gettext_lazy("Terlalu banyak permintaan."),
    500: gettext_lazy("Terjadi kesalahan pada server."),
}
DENIED = gettext_lazy("Permintaan ditolak.")


def _too_big(request, limit_bytes: int | None = None):
    limit = (limit_bytes or settings.DATA_UPLOAD_MAX_MEMORY_SIZE) // 1048576
    text = _("Isi permintaan terlalu besar (batas %(mb)s MB).") % {"mb": limit}
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": text}, status=413)
    return HttpResponse(text, status=413, content_type="text/plain; charset=utf-8")


PUBLIC_UPLOAD_PATHS = ("/lapor/", "/api/v1/complaints")


def request_limit(path: str) -> int:
    """The largest body a request may declare: the public report's files (a few small photos)
    or the largest evidence upload, each with 1 MB for the rest of the form."""
    if path.startswith(PUBLIC_UPLOAD_PATHS):
        files = settings.COMPLAINT_MAX_FILES * settings.COMPLAINT_MAX_UPLOAD_MB
    else:
        files = settings.MAX_UPLOAD_MB
    return (files + 1) * 1048576


class RequestSizeMiddleware:
    """A body larger than `request_limit` is refused from its declared length (413), before a
    byte of it is read; nginx caps it too (client_max_body_size)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        limit = request_limit(request.path)
        if declared > limit:
            return _too_big(request, limit)
        return self.get_response(request)


class RejectNulMiddleware:
    """A NUL character is never valid input: PostgreSQL text cannot hold it, so a request that
    carries one in its path, query string or JSON body is refused up front with 400."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        raw_path = request.path + request.META.get("QUERY_STRING", "")
        suspicious = "\x00" in raw_path or "%00" in raw_path
        if not suspicious and request.content_type == "application/json":
            try:
                body = request.body
            except RequestDataTooBig:
                return _too_big(request)
            suspicious = b"\\u0000" in body or b"\x00" in body
        if suspicious:
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": _("Karakter NUL tidak diperbolehkan.")}, status=400)
            return HttpResponseBadRequest(_("Karakter NUL tidak diperbolehkan."))
        return self.get_response(request)


class LocalTimeMiddleware:
    """Serve each request in the time zone of the local government it is about (`core.localtime`):
    the `code` of its URL, else the user's current local government; the server's zone otherwise.
    Every time a template or form shows or reads is then in that zone."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from sikla.core import localtime
        from sikla.organisations import access

        localtime.forget()  # zones read by code are remembered for this request only
        access.start_request()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
            access.end_request()

    def process_view(self, request, view_func, view_args, view_kwargs):
        from sikla.core import localtime

        code = view_kwargs.get("code")
        if isinstance(code, str) and code[:2].isdigit():
            # The province's zone until the view loads the local government itself
            # (`organisations.access.get_local_government_for_user` then activates its choice).
            timezone.activate(ZoneInfo(localtime.province_zone(code)))
            return None
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            from sikla.core.tenancy import current_local_government

            lg = current_local_government(request)
            if lg is not None:
                timezone.activate(localtime.zone_of(lg))
        return None
