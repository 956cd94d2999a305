"""RFC 6238 codes computed here, independently of django-otp, from the key a page shows."""

import base64
import hashlib
import hmac
import struct
import time


def code_for(secret: str, *, at: float | None = None, step: int = 30, digits: int = 6) -> str:
    """The TOTP code of a base32 key (as the set-up page shows it, spaces allowed)."""
    compact = secret.replace(" ", "").upper()
    key = base64.b32decode(compact + "=" * (-len(compact) % 8))
    counter = int((time.time() if at is None else at) // step)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(number % 10**digits).zfill(digits)
