"""Request signers: small named functions referenced from the registry (`request.signer`).

A signer takes the URL about to be requested (and the body, for POSTs) and returns the URL to
request instead, typically with a signature parameter added. Signing is code, so it lives here
and YAML only names it; an unknown name fails at registry load.

`cls` (财联社 www.cls.cn): the web client sorts the query parameters by name, serialises them
as application/x-www-form-urlencoded, and appends ``sign = md5_hex(sha1_hex(querystring))``.
Learned from DIYgod/RSSHub lib/routes/cls/utils.ts (getSearchParams: URLSearchParams.sort(),
then MD5(SHA1(toString()))). The site's own default parameters (appName, os, sv) are part of
the registry entry's URL, not of the signer.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from urllib.parse import parse_qsl, urlsplit, urlunsplit

Signer = Callable[[str, bytes | None], str]

# bytes that application/x-www-form-urlencoded (WHATWG URL standard) leaves as they are
_FORM_SAFE = frozenset(b"*-._0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")


def form_encode(pairs: list[tuple[str, str]]) -> str:
    """Serialise name/value pairs the way a browser's URLSearchParams.toString() does."""

    def enc(text: str) -> str:
        out = []
        for byte in text.encode("utf-8"):
            if byte in _FORM_SAFE:
                out.append(chr(byte))
            elif byte == 0x20:
                out.append("+")
            else:
                out.append(f"%{byte:02X}")
        return "".join(out)

    return "&".join(f"{enc(k)}={enc(v)}" for k, v in pairs)


def cls_sign(query_pairs: list[tuple[str, str]]) -> str:
    """The CLS signature of already-sorted query pairs: md5 hex of the sha1 hex."""
    sha1_hex = hashlib.sha1(form_encode(query_pairs).encode("utf-8")).hexdigest()
    return hashlib.md5(sha1_hex.encode("ascii")).hexdigest()


def sign_cls(url: str, body: bytes | None = None) -> str:
    """`url` with its query sorted by name (stable) and `sign` appended; an existing `sign`
    parameter is replaced."""
    parts = urlsplit(url)
    pairs = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "sign"]
    pairs.sort(key=lambda kv: kv[0])
    query = form_encode([*pairs, ("sign", cls_sign(pairs))])
    return urlunsplit(parts._replace(query=query))


_SIGNERS: dict[str, Signer] = {"cls": sign_cls}


def names() -> list[str]:
    return sorted(_SIGNERS)


def get_signer(name: str) -> Signer:
    """The signer registered as `name` (KeyError if none: the registry validates names)."""
    return _SIGNERS[name]
