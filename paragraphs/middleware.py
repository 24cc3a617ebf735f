"""Site-wide response headers: what the browser may load, and that nothing is cached.

- Content-Security-Policy: scripts, styles, images, fonts and connections from this
  server only; no inline script, no plugin, no framing, forms post here only. Every page
  is built for it: no inline JS or CSS (htmx is told not to inject its indicator styles),
  and Swagger UI's start-up script is served as a file.
- Cache-Control: every page and API answer here is someone's view of an organisation's
  work (or the login page): nothing may be stored by a browser or a proxy. Static files
  are served before this middleware runs (WhiteNoise), with their own long cache headers.
"""

from functools import wraps

from django.utils.cache import add_never_cache_headers, patch_cache_control

STYLE_SRC = "style-src 'self'"
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        STYLE_SRC,
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        add_never_cache_headers(response)
        patch_cache_control(response, private=True)
        return response


def inline_styles_allowed(view):
    """The site's policy, but with inline styles: for Swagger UI only, whose React code
    sets `style` attributes as it draws (scripts stay 'self' only)."""
    policy = CONTENT_SECURITY_POLICY.replace(STYLE_SRC, f"{STYLE_SRC} 'unsafe-inline'")

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response.headers["Content-Security-Policy"] = policy
        return response

    return wrapped
