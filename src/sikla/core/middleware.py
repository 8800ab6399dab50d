from django.conf import settings

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
