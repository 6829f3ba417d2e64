"""SSRF guard: refused URLs never open a connection (a loopback canary counts them)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from alerts.delivery import Sender
from alerts.errors import UnsafeUrl
from alerts.settings import AlertSettings
from alerts.ssrf import SsrfGuard, blocked_reason
from tests.alerts.receiver import Canary, Receiver


@pytest.fixture
def canary() -> Iterator[Canary]:
    c = Canary()
    yield c
    c.close()


def loopback_spellings(port: int) -> list[str]:
    return [
        f"http://127.0.0.1:{port}/",
        f"http://localhost:{port}/",
        f"http://2130706433:{port}/",  # decimal
        f"http://0177.0.0.1:{port}/",  # octal
        f"http://0x7f.1:{port}/",  # hex, short form
        f"http://0x7f000001:{port}/",
        f"http://127.1:{port}/",
        f"http://017700000001:{port}/",
        f"http://[::ffff:127.0.0.1]:{port}/",  # IPv4-mapped IPv6
        f"http://[::ffff:7f00:1]:{port}/",
        f"http://[::1]:{port}/",
        f"http://[0:0:0:0:0:0:0:1]:{port}/",
        f"http://127.0.0.1.:{port}/",
        f"https://127.0.0.1:{port}/",
    ]


@pytest.mark.http
def test_refused_urls_make_zero_connections_to_the_canary(canary: Canary) -> None:
    settings = AlertSettings(allow_list=[], attempt_timeout_s=1.0)
    sender = Sender(settings)
    try:
        for url in loopback_spellings(canary.port):
            with pytest.raises(UnsafeUrl):
                sender.guard.check(url)
            outcome = sender.send(url, "msg_x", "{}", ("whsec_" + "A" * 32,))
            assert not outcome.ok and "SSRF" in (outcome.error or ""), url
    finally:
        sender.close()
    assert canary.connections == 0


@pytest.mark.parametrize("url", [
    "http://169.254.169.254/latest/meta-data/", "http://[fd00:ec2::254]/",
    "http://100.100.100.200/", "http://10.0.0.8/", "http://192.168.1.1/",
    "http://172.16.0.1/", "http://[fe80::1]/", "http://100.64.0.1/", "http://0.0.0.0/",
    "http://[::]/", "http://[64:ff9b::7f00:1]/", "http://[2002:7f00:1::]/",
    "http://224.0.0.1/", "ftp://example.com/", "file:///etc/passwd", "http://user:pw@example.com/",
    "http:///nohost", "http://[fe80::1%25eth0]/",
])
def test_private_metadata_and_odd_targets_are_refused(url: str) -> None:
    with pytest.raises(UnsafeUrl):
        SsrfGuard().check(url)


def test_public_addresses_pass_and_reasons_are_specific() -> None:
    import ipaddress

    assert blocked_reason(ipaddress.ip_address("1.1.1.1")) is None
    assert blocked_reason(ipaddress.ip_address("2606:4700:4700::1111")) is None
    assert "metadata" in (blocked_reason(ipaddress.ip_address("169.254.169.254")) or "")
    assert "mapped" in (blocked_reason(ipaddress.ip_address("::ffff:8.8.8.8")) or "")
    SsrfGuard().check_url("https://hooks.slack.com/services/T/B/X")  # syntax only, no DNS


def test_allow_list_admits_cidrs_and_hosts_only() -> None:
    guard = SsrfGuard(["127.0.0.0/8", "hooks.corp.local"])
    assert guard.check("http://127.0.0.1:9/") == ["127.0.0.1"]
    with pytest.raises(UnsafeUrl):
        guard.check("http://10.0.0.1/")
    with pytest.raises(UnsafeUrl):  # odd spellings stay refused even inside an allowed range
        guard.check("http://2130706433/")
    assert guard.host_allowed("HOOKS.corp.local.")


@pytest.mark.http
def test_pinned_connection_keeps_the_host_header(secret: str) -> None:
    rec = Receiver([secret])
    sender = Sender(AlertSettings(allow_list=["localhost"], attempt_timeout_s=2.0))
    try:
        outcome = sender.send(f"http://localhost:{rec.port}/hook", "msg_h", "{}", (secret,))
        assert outcome.ok
        assert rec.requests[0].headers["host"] == f"localhost:{rec.port}"
        assert rec.requests[0].verified
    finally:
        sender.close()
        rec.stop()


@pytest.mark.http
def test_a_dripping_receiver_cannot_stretch_an_attempt_past_its_timeout() -> None:
    import socket
    import threading
    import time

    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(4)
    stop = threading.Event()

    def drip() -> None:
        conn, _ = server.accept()
        conn.recv(65536)
        for ch in b"HTTP/1.1 200 OK\r\nX-Slow: " + b"a" * 200:
            if stop.is_set():
                break
            try:
                conn.send(bytes([ch]))
            except OSError:
                break
            time.sleep(0.05)  # every read succeeds well within the per-read timeout
        conn.close()

    threading.Thread(target=drip, daemon=True).start()
    sender = Sender(AlertSettings(allow_list=["127.0.0.1/32"], attempt_timeout_s=0.6))
    try:
        outcome = sender.send(f"http://127.0.0.1:{server.getsockname()[1]}/", "msg_d", "{}",
                              ("whsec_" + "A" * 32,))
    finally:
        stop.set()
        sender.close()
        server.close()
    # every single read succeeded within its own timeout: only the attempt deadline fired
    assert not outcome.ok and "attempt deadline exceeded" in (outcome.error or "")
