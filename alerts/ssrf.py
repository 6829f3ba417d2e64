"""SSRF guard for webhook URLs.

A URL is refused when its scheme is not http(s), it carries credentials, its host is an IP
literal in an unusual spelling (2130706433, 0177.0.0.1, 0x7f.1, 127.1), or ANY address the
host resolves to is not a public unicast address (loopback, private, link-local, CGNAT,
cloud metadata, IPv4-mapped/NAT64/6to4/Teredo IPv6 …). The HTTP transport connects to the
address that was checked (`GuardedBackend`), so DNS cannot be re-bound between check and
connect, while the Host header and TLS SNI keep the original name. Redirects are never
followed (the client is built with `follow_redirects=False`).

`allow` entries (CIDRs or host names) are let through: on-premise receivers and tests.
"""

from __future__ import annotations

import contextlib
import ipaddress
import re
import socket
import ssl
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote, urlsplit

import httpcore
import httpx

from alerts.errors import UnsafeUrl

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network

METADATA: frozenset[IPAddress] = frozenset(
    ipaddress.ip_address(a)
    for a in ("169.254.169.254", "fd00:ec2::254", "100.100.100.200", "168.63.129.16",
              "169.254.170.2")
)
NAT64 = ipaddress.ip_network("64:ff9b::/96")
_NUMERIC_LABEL = re.compile(r"^(0x[0-9a-f]*|[0-9]+)$", re.IGNORECASE)


def blocked_reason(ip: IPAddress) -> str | None:
    """Why connecting to `ip` is refused, or None for a public unicast address."""
    if ip in METADATA:
        return "cloud metadata address"
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return "IPv4-mapped IPv6 address"
        if ip in NAT64 or ip.sixtofour is not None or ip.teredo is not None:
            return "IPv6 address embedding an IPv4 address"
    if ip.is_loopback:
        return "loopback address"
    if ip.is_link_local:
        return "link-local address"
    if ip.is_private:
        return "private address"
    if ip.is_multicast or ip.is_unspecified or ip.is_reserved or not ip.is_global:
        return "non-public address"
    return None


def _odd_ip_spelling(host: str) -> bool:
    """A host made only of numeric labels that is not a canonical dotted quad."""
    labels = host.rstrip(".").split(".")
    if not all(_NUMERIC_LABEL.match(lbl) for lbl in labels):
        return False
    try:
        ipaddress.IPv4Address(host)
    except ValueError:
        return True
    return False


@dataclass(frozen=True)
class SsrfGuard:
    allow: Sequence[str] = ()
    _nets: tuple[Network, ...] = field(init=False, default=())
    _hosts: frozenset[str] = field(init=False, default=frozenset())

    def __post_init__(self) -> None:
        nets: list[Network] = []
        hosts: set[str] = set()
        for entry in self.allow:
            entry = entry.strip()
            if not entry:
                continue
            try:
                nets.append(ipaddress.ip_network(entry, strict=False))
            except ValueError:
                hosts.add(entry.lower().rstrip("."))
        object.__setattr__(self, "_nets", tuple(nets))
        object.__setattr__(self, "_hosts", frozenset(hosts))

    def host_allowed(self, host: str) -> bool:
        return host.lower().rstrip(".") in self._hosts

    def ip_allowed(self, ip: IPAddress) -> bool:
        return any(ip.version == n.version and ip in n for n in self._nets)

    def check_ip(self, ip: IPAddress) -> None:
        if self.ip_allowed(ip):
            return
        reason = blocked_reason(ip)
        if reason:
            raise UnsafeUrl(f"{ip} refused: {reason}")

    def check_url(self, url: str) -> tuple[str, int]:
        """Syntax checks without DNS; returns (host, port)."""
        try:
            parts = urlsplit(url)
            port = parts.port
        except ValueError as exc:
            raise UnsafeUrl(f"not a valid URL: {exc}") from exc
        if parts.scheme not in ("http", "https"):
            raise UnsafeUrl("only http and https URLs are allowed")
        if parts.username is not None or parts.password is not None:
            raise UnsafeUrl("credentials in the URL are not allowed")
        host = (parts.hostname or "").strip()
        if not host:
            raise UnsafeUrl("the URL has no host")
        if "%" in host:
            if ":" in host:
                raise UnsafeUrl("IPv6 zone identifiers are not allowed")
            raise UnsafeUrl(f"percent-encoded host {host!r} is not allowed "
                            f"(it decodes to {unquote(host)!r})")
        if _odd_ip_spelling(host):
            raise UnsafeUrl(f"unusual IP address spelling {host!r}")
        literal = _ip_literal(host)
        if literal is not None:
            self.check_ip(literal)
        return host, port or (443 if parts.scheme == "https" else 80)

    def resolve(self, host: str, port: int) -> list[str]:
        """Every address `host` resolves to, all checked; raises UnsafeUrl if any is refused
        (a name with one private address among public ones is refused)."""
        if _odd_ip_spelling(host):
            raise UnsafeUrl(f"unusual IP address spelling {host!r}")
        literal = _ip_literal(host)
        if literal is not None:
            self.check_ip(literal)
            return [str(literal)]
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError) as exc:
            raise UnsafeUrl(f"cannot resolve {host!r}: {exc}") from exc
        addresses = _unique(str(info[4][0]) for info in infos)
        if not addresses:
            raise UnsafeUrl(f"{host!r} has no address")
        if not self.host_allowed(host):
            for addr in addresses:
                self.check_ip(ipaddress.ip_address(addr.split("%", 1)[0]))
        return addresses

    def check(self, url: str) -> list[str]:
        host, port = self.check_url(url)
        return self.resolve(host, port)


def _ip_literal(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


_deadline = threading.local()


@contextlib.contextmanager
def attempt_deadline(seconds: float) -> Iterator[None]:
    """Bound a whole attempt (connect, TLS, write, every read) in this thread: httpx timeouts
    are per operation, so a receiver dripping bytes could otherwise hold an attempt forever."""
    _deadline.at = time.monotonic() + seconds
    try:
        yield
    finally:
        _deadline.at = None


def _remaining(timeout: float | None) -> float | None:
    at = getattr(_deadline, "at", None)
    if at is None:
        return timeout
    left = at - time.monotonic()
    if left <= 0:
        raise httpcore.ReadTimeout("attempt deadline exceeded")
    return left if timeout is None else min(timeout, left)


class DeadlineStream(httpcore.NetworkStream):
    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        try:
            return self._inner.read(max_bytes, _remaining(timeout))
        except httpcore.ReadTimeout:
            _remaining(None)  # names the attempt deadline when that is what ran out
            raise

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        try:
            self._inner.write(buffer, _remaining(timeout))
        except httpcore.WriteTimeout:
            _remaining(None)
            raise

    def close(self) -> None:
        self._inner.close()

    def start_tls(self, ssl_context: ssl.SSLContext, server_hostname: str | None = None,
                  timeout: float | None = None) -> httpcore.NetworkStream:
        return DeadlineStream(self._inner.start_tls(ssl_context, server_hostname,
                                                    _remaining(timeout)))

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class GuardedBackend(httpcore.NetworkBackend):
    """Resolves and checks the host itself, then connects to a checked address only."""

    def __init__(self, guard: SsrfGuard) -> None:
        self.guard = guard
        self._inner = httpcore.SyncBackend()

    def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                    local_address: str | None = None,
                    socket_options: Iterable[Any] | None = None) -> httpcore.NetworkStream:
        last: Exception | None = None
        for addr in self.guard.resolve(host, port):
            try:
                return DeadlineStream(self._inner.connect_tcp(
                    addr, port, _remaining(timeout), local_address, socket_options))
            except httpcore.ConnectError as exc:
                last = exc
        raise last or httpcore.ConnectError(f"no address for {host}")

    def connect_unix_socket(self, path: str, timeout: float | None = None,
                            socket_options: Iterable[Any] | None = None) -> httpcore.NetworkStream:
        raise UnsafeUrl("unix sockets are not allowed")

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


class GuardedTransport(httpx.HTTPTransport):
    """httpx transport whose connection pool dials through `GuardedBackend` (no proxies)."""

    def __init__(self, guard: SsrfGuard, max_connections: int = 32) -> None:
        super().__init__(retries=0)
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(),
            max_connections=max_connections,
            max_keepalive_connections=max_connections,
            keepalive_expiry=5.0,
            network_backend=GuardedBackend(guard),
        )


def guarded_client(guard: SsrfGuard, timeout_s: float, max_connections: int = 32,
                   user_agent: str = "Tokenwatch-Webhooks") -> httpx.Client:
    return httpx.Client(
        transport=GuardedTransport(guard, max_connections),
        timeout=httpx.Timeout(timeout_s),
        follow_redirects=False,
        trust_env=False,
        headers={"user-agent": user_agent},
    )
