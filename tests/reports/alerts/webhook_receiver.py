"""How a receiver verifies a webhook call: the recipe in the README, run on real calls.

Keep `verify` as the README shows it; the tests check real calls with it.
"""

import hashlib
import hmac
import time

TOLERANCE = 300  # seconds; settings.ALERT_WEBHOOK_TOLERANCE_SECONDS


def verify(secret: str, headers, body: bytes, now: float | None = None) -> bool:
    """True if the call was signed with `secret` less than TOLERANCE seconds ago."""
    timestamp = headers.get("X-Mandate-Timestamp", "")
    delivery = headers.get("X-Mandate-Delivery", "")
    signature = headers.get("X-Mandate-Signature", "")
    if not (timestamp.isascii() and timestamp.isdigit()):
        return False
    signed = f"{timestamp}.{delivery}.".encode() + body
    expected = "sha256=" + hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    fresh = abs((time.time() if now is None else now) - int(timestamp)) <= TOLERANCE
    return hmac.compare_digest(expected.encode(), signature.encode()) and fresh
