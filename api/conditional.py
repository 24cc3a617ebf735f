"""ETags, If-None-Match (304s) and If-Match (optimistic locking on writes).

An ETag is a hash of the JSON the object renders to, so it changes whenever any byte of
what a client reads would change: a field of the object itself, a name it shows from
another row (an actor's code, a username, a resolution's symbol), or a value derived from
the day (whether something is overdue). A 304 is therefore never answered for a
representation that changed, and If-Match, compared with the same value, never lets a
client overwrite a change it has not seen.
"""

import hashlib

from django.utils.http import parse_etags

from api.errors import PreconditionFailed, PreconditionRequired
from api.renderers import FastJSONRenderer


def content_etag(content: bytes) -> str:
    return '"' + hashlib.sha256(content).hexdigest()[:32] + '"'


def row_etag(row: dict) -> str:
    """The ETag of one object's JSON, rendered as the response renders it."""
    return content_etag(FastJSONRenderer().render(row))


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
