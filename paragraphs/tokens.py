"""The format of API tokens: `mt_<prefix>_<secret>`, kept only as a SHA-256 digest.

The secret carries 256 random bits, so a plain (unsalted, fast) digest is safe to store:
nobody can guess their way back to the token, and checking it costs microseconds, not the
hundred milliseconds of a password hash, on every API call.
"""

import hashlib
import re
import secrets

PREFIX_LENGTH = 12
TOKEN = re.compile(r"^mt_(?P<prefix>[0-9a-f]{12})_[A-Za-z0-9_-]{43}$")


def generate() -> tuple[str, str]:
    """A new token and its lookup prefix."""
    prefix = secrets.token_hex(PREFIX_LENGTH // 2)
    return f"mt_{prefix}_{secrets.token_urlsafe(32)}", prefix


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def prefix_of(token: str) -> str | None:
    """The lookup prefix, or None when the text is not shaped like one of our tokens."""
    match = TOKEN.match(token)
    return match["prefix"] if match else None


def matches(token: str, stored_digest: str) -> bool:
    return secrets.compare_digest(digest(token), stored_digest)
