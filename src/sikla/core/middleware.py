from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers

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
        language = chosen if chosen in self.available else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ["Cookie"])
        return response


class ApiErrorShapeMiddleware:
    """Under /api/ every error is JSON `{"detail": ...}`, even the ones no API handler produced:
    an unknown path (Django's 404 page), a wrong method (a bare 405), a server error page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            request.path.startswith("/api/")
            and response.status_code >= 400
            and not response.headers.get("Content-Type", "").startswith("application/json")
        ):
            replacement = JsonResponse(
                {"detail": API_ERROR_DETAIL.get(response.status_code, "Permintaan ditolak.")},
                status=response.status_code,
            )
            if "Allow" in response.headers:
                replacement.headers["Allow"] = response.headers["Allow"]
            return replacement
        return response


API_ERROR_DETAIL = {
    401: "Autentikasi diperlukan.",
    403: "Anda tidak berwenang melakukan ini.",
    404: "Tidak ditemukan.",
    405: "Metode HTTP ini tidak didukung untuk alamat ini.",
    413: "Isi permintaan terlalu besar.",
    429: "Terlalu banyak permintaan.",
    500: "Terjadi kesalahan pada server.",
}


def _too_big(request, limit_bytes: int | None = None):
    limit = (limit_bytes or settings.DATA_UPLOAD_MAX_MEMORY_SIZE) // 1048576
    text = f"Isi permintaan terlalu besar (batas {limit} MB)."
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
                return JsonResponse({"detail": "Karakter NUL tidak diperbolehkan."}, status=400)
            return HttpResponseBadRequest("Karakter NUL tidak diperbolehkan.")
        return self.get_response(request)


class LocalTimeMiddleware:
    """Serve each request in the time zone of the local government it is about (`core.localtime`):
    the `code` of its URL, else the user's current local government; the server's zone otherwise.
    Every time a template or form shows or reads is then in that zone."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from sikla.core import localtime

        localtime.forget()  # zones read by code are remembered for this request only
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()

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
