"""URL canonicalisation and stable article ids (pure)."""

from __future__ import annotations

import hashlib
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

# Query parameters that only track the visitor, never select content.
TRACKING_PARAMS = frozenset(
    {
        "spm",
        "from",
        "fromsource",
        "src",
        "source",
        "share",
        "share_token",
        "shareid",
        "wfr",
        "tt_from",
        "utm_id",
        "gclid",
        "fbclid",
        "mc_cid",
        "mc_eid",
        "ref",
        "ref_src",
        "scene",
        "isappinstalled",
        "chksm",
        "mpshare",
        "sharer_shareinfo",
        "sharer_shareinfo_first",
        "f",
        "ivk_sa",
        "timestamp",
        "t",
        "_t",
        "cid_from",
        "sessionid",
        "sessid",
    }
)
TRACKING_PREFIXES = ("utm_", "hmsr", "hmpl", "hmcu", "hmkw", "hmci")
# Mobile hosts that serve the same article as the desktop host.
MOBILE_PREFIXES = ("m.", "wap.", "3g.", "mobile.")
DEFAULT_PORTS = {"http": 80, "https": 443}


def _is_tracking(name: str) -> bool:
    low = name.lower()
    return low in TRACKING_PARAMS or low.startswith(TRACKING_PREFIXES)


def _canonical_host(host: str) -> str:
    host = host.lower().rstrip(".")
    for prefix in MOBILE_PREFIXES:
        # keep "m.example" two-label hosts intact: only strip when a registrable domain remains
        rest = host[len(prefix) :]
        if host.startswith(prefix) and "." in rest:
            return "www." + rest if _bare(rest) else rest
    return host


def _bare(host: str) -> bool:
    """True for a registrable domain without a subdomain (ithome.com, 36kr.com, cls.cn)."""
    parts = host.split(".")
    if len(parts) == 2:
        return True
    return (
        len(parts) == 3 and parts[-2] in {"com", "net", "org", "gov", "edu"} and len(parts[-1]) == 2
    )


def canonicalize(url: str) -> str:
    """Canonical form of an article URL: lower-case scheme/host, no default port, no fragment,
    no tracking parameters (utm_*, spm, from …), remaining parameters sorted, mobile hosts
    (m./wap./3g.) mapped to the desktop host, empty path → "/"."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower() or "http"
    host = _canonical_host(parts.hostname or "")
    port = parts.port
    netloc = host if port is None or DEFAULT_PORTS.get(scheme) == port else f"{host}:{port}"
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    query = sorted((k, v) for k, v in pairs if not _is_tracking(k))
    return urlunsplit((scheme, netloc, parts.path or "/", urlencode(query), ""))


def article_id(url: str) -> str:
    """Stable article id: first 20 hex chars of sha256 of the canonical URL, ignoring scheme and
    a leading "www." (http/https, www/bare and mobile copies of one page share an id)."""
    key = canonicalize(url).split("://", 1)[1].removeprefix("www.")
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:20]
