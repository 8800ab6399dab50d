"""Structured logs: one JSON object a line, each with the request id it belongs to.

No identity ever reaches a log: SIKLA logs ids and case numbers, never names, and as a second
line of defence every message passes `redact`, which masks anything shaped like a NIK (16 digits),
a bearer token, a password field or an e-mail address before it is written."""

from __future__ import annotations

import contextvars
import json
import logging
import re
import time
import uuid

request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")

PATTERNS = [
    (re.compile(r"(?<!\d)\d{16}(?!\d)"), "[NIK]"),
    (re.compile(r"(?i)\b(bearer|token)\s+[A-Za-z0-9._~+/=-]{8,}"), r"\1 [TOKEN]"),
    (re.compile(r"(?i)(password|passwd|kata_sandi|sandi)=[^&\s]+"), r"\1=[REDACTED]"),
    (re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+"), "[EMAIL]"),
]


def redact(text: str) -> str:
    for pattern, replacement in PATTERNS:
        text = pattern.sub(replacement, text)
    return text


class JsonFormatter(logging.Formatter):
    """`{"time", "level", "logger", "message", "request_id", ...extra}` on one line."""

    RESERVED = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
            + f".{int(record.msecs):03d}Z",
            "level": record.levelname,
            "logger": record.name,
            "message": redact(record.getMessage()),
        }
        if rid := request_id.get():
            entry["request_id"] = rid
        for key, value in vars(record).items():
            if key not in self.RESERVED and not key.startswith("_"):
                entry[key] = value if isinstance(value, int | float | bool) else redact(str(value))
        if record.exc_info:
            entry["exception"] = redact(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False)


class TextFormatter(logging.Formatter):
    """The development console: readable lines, redacted all the same."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


request_logger = logging.getLogger("sikla.request")


def route_of(request) -> str:
    """The URL pattern that served the request (no ids, no query string): what metrics and logs
    group by, and never a value somebody typed."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "<unmatched>"
    return "/" + (match.route or match.view_name or "")


class RequestIdMiddleware:
    """Gives each request an id (the proxy's X-Request-ID when it sends a sane one), puts it in
    every log line of the request and in the response, and logs the request once it is served."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")
        rid = incoming if re.fullmatch(r"[A-Za-z0-9-]{8,64}", incoming) else uuid.uuid4().hex
        token = request_id.set(rid)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response.headers["X-Request-ID"] = rid
            request_logger.info(
                "request",
                extra={
                    "method": request.method,
                    "route": route_of(request),
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )
            return response
        finally:
            request_id.reset(token)
