"""ETags, If-None-Match (cheap 304s) and If-Match (optimistic locking on writes).

Obligations and deadlines carry a `version` that every service write raises; their ETag is
strong and built from the type, the primary key, the version and the few values the API
derives on read from other rows or from the date (an obligation's next deadline and
whether it is overdue; a deadline's timing), e.g. `"obligation-42-v3-2024-01-15-overdue"`.
So a 304 is never answered for a representation that has changed, and the tag can be
checked with one small query instead of building the response. Other objects (read-only
through the API) get a strong ETag from a hash of the JSON body.
"""

import hashlib

from django.utils.http import parse_etags

from mandate_tracker.api.errors import PreconditionFailed, PreconditionRequired


def version_etag(kind: str, pk: int, version: int, *derived) -> str:
    parts = [kind, str(pk), f"v{version}", *(str(value) for value in derived if value)]
    return '"' + "-".join(parts) + '"'


def content_etag(content: bytes) -> str:
    return '"' + hashlib.sha256(content).hexdigest()[:32] + '"'


def _strip_weak(tag: str) -> str:
    return tag[2:] if tag.startswith("W/") else tag


def not_modified(request, current: str) -> bool:
    """If-None-Match uses the weak comparison (RFC 9110, 13.1.2)."""
    header = request.META.get("HTTP_IF_NONE_MATCH")
    if not header:
        return False
    tags = parse_etags(header)
    return tags == ["*"] or _strip_weak(current) in {_strip_weak(tag) for tag in tags}


def require_if_match(request, current: str) -> None:
    """Refuse a write that does not name the version it was based on (428) or that names
    another one (412). If-Match uses the strong comparison, so a weak tag never matches;
    `*` ("whatever is there") is refused, since it is exactly the blind overwrite that
    If-Match exists to prevent."""
    header = request.META.get("HTTP_IF_MATCH", "").strip()
    if not header or header == "*":
        raise PreconditionRequired()
    if current not in parse_etags(header):
        raise PreconditionFailed()
