"""HTTP security headers on every response."""

from __future__ import annotations

from flask import Response, request

#: No inline script or style anywhere: everything comes from /static.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; "
    "frame-ancestors 'none'; object-src 'none'"
)


def security_headers(response: Response) -> Response:
    """Add CSP, framing, referrer, sniffing and permissions headers (HSTS over TLS)."""
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CSP)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    # same-origin, not no-referrer: over HTTPS Flask-WTF refuses any POST without a
    # same-origin Referer (WTF_CSRF_SSL_STRICT); other sites still get no Referer at all.
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault(
        "Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
    )
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    if request.endpoint and not request.endpoint.endswith("static"):
        headers.setdefault("Cache-Control", "no-store")  # pages hold health answers
    return response
