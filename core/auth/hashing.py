"""Hashing secrets: scrypt (a memory-hard KDF) for passwords and PINs, SHA-256 for random tokens.

Why scrypt: it is in the standard library (no extra dependency on every till), memory-hard like
argon2, and its parameters live in the stored string so they can be raised later. Tokens and
enrolment codes are long random values, so a fast hash is enough for them and keeps the per-request
token lookup an indexed equality match.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

# n=2**14, r=8 → 16 MiB and ~40 ms per hash here: slow for guessing, fine for a login
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2 ** 14, 8, 1
_B64 = base64.urlsafe_b64encode


def _b64d(s: str) -> bytes:
    return base64.urlsafe_b64decode(s.encode())


def hash_secret(secret: str) -> str:
    """`scrypt$n$r$p$salt$hash` for a password or PIN."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(secret.encode(), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P,
                            maxmem=64 * 1024 * 1024, dklen=32)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${_B64(salt).decode()}${_B64(digest).decode()}"


def verify_secret(secret: str, stored: str | None) -> bool:
    if not stored:
        return False
    try:
        algo, n, r, p, salt, digest = stored.split("$")
        if algo != "scrypt":
            return False
        got = hashlib.scrypt(secret.encode(), salt=_b64d(salt), n=int(n), r=int(r), p=int(p),
                             maxmem=64 * 1024 * 1024, dklen=len(_b64d(digest)))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got, _b64d(digest))


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token(prefix: str) -> str:
    """A 32-byte random bearer token, e.g. `dev_…` or `usr_…`."""
    return f"{prefix}_{secrets.token_urlsafe(32)}"


CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I


def new_code() -> str:
    """A one-time enrolment code a person can type: ABCD-EFGH-JKLM (60 bits)."""
    chars = "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))
    return "-".join(chars[i:i + 4] for i in range(0, 12, 4))


def normalise_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())
