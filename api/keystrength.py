"""Is a hand-picked TOKENWATCH_ADMIN_KEY weak? (pure; the lifespan logs a warning)"""

from __future__ import annotations

import math
from collections import Counter

MIN_SECRET_CHARS = 24
MIN_ENTROPY_BITS = 96
COMMON = ("admin", "password", "passwd", "secret", "changeme", "tokenwatch", "test", "1234",
          "qwerty", "letmein", "default")


def _secret_part(key: str) -> str:
    parts = key.split("_", 2)
    return parts[2] if len(parts) == 3 and parts[0] == "tw" else key


def _entropy_bits(text: str) -> float:
    """Shannon entropy of the characters times the length: a rough upper bound."""
    if not text:
        return 0.0
    counts = Counter(text)
    per_char = -sum(n / len(text) * math.log2(n / len(text)) for n in counts.values())
    return per_char * len(text)


def weak_key_reasons(key: str) -> list[str]:
    """Why this admin key is weak (empty when it is not): short, repetitive or a word."""
    secret = _secret_part(key)
    reasons = []
    if len(secret) < MIN_SECRET_CHARS:
        reasons.append(f"its secret has {len(secret)} characters (want ≥ {MIN_SECRET_CHARS})")
    if _entropy_bits(secret) < MIN_ENTROPY_BITS:
        reasons.append("it is too repetitive to be random")
    lowered = secret.lower()
    words = [w for w in COMMON if w in lowered]
    if words:
        reasons.append(f"it contains {words[0]!r}")
    return reasons


def weak_key_warning(key: str) -> str | None:
    reasons = weak_key_reasons(key)
    if not reasons:
        return None
    return ("TOKENWATCH_ADMIN_KEY is weak: " + "; ".join(reasons) +
            ". Generate one with `tokenwatch keys create --role admin` or "
            "`python -c 'import secrets; print(\"tw_admin_\" + secrets.token_urlsafe(32))'`")
