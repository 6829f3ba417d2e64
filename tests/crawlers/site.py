"""A loopback HTTP server serving a fixture directory, with per-path behaviours.

Stable API (used by the foundation end-to-end test)::

    from tests.crawlers.site import FixtureSite, Route

    with FixtureSite(root_dir) as site:          # ThreadingHTTPServer on 127.0.0.1, port 0
        site.base                                # "http://127.0.0.1:PORT"
        site.url("/feed.xml")                    # absolute URL of a path
        site.route("/a.html", Route(status=503, headers={"Retry-After": "1"}, times=1))
        site.requests                            # [RequestLog(path, method, headers, at), ...]
        site.hits("/a.html")                     # how many times a path was requested
        site.max_inflight                        # most concurrent requests (robots.txt excluded)
        site.render_registry(src_yaml, dest)     # registry copy with {base} filled in

    FixtureSite(root, validators=False) sends no ETag/Last-Modified (change detection by hash).

Files: `root/x` is served at `/x`; `root/x.gz` (e.g. `a.html.gz`) is served decompressed at
`/x`. The bytes `{base}` in served files are replaced by `site.base` (feeds and sitemaps
need absolute URLs). Every file gets a strong ETag and a fixed Last-Modified, and a matching
If-None-Match / If-Modified-Since gets 304. Content-Type comes from the extension (html →
"text/html" without charset, so pages declare their own; a Route can override).
Missing robots.txt → 404 (unless a route or file says otherwise).

Route fields: status, headers (added/overriding), body (bytes, replaces the file), delay
(seconds before answering), times (apply only to the first N requests, then fall back to the
file), redirect (Location target with status 301/302), close (drop the connection without a
response), content_length (lie about the length to simulate truncation), respond (a function
of the RequestLog returning (status, headers, body): endpoints that check a signature, a
cookie or a POST body). POST is served like GET; RequestLog keeps the query and the body.
"""

from __future__ import annotations

import gzip
import hashlib
import mimetypes
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

LAST_MODIFIED = formatdate(1751328000, usegmt=True)  # 2025-07-01 00:00:00 GMT
_TYPES = {
    ".html": "text/html",
    ".htm": "text/html",
    ".xml": "application/xml",
    ".rss": "application/rss+xml",
    ".atom": "application/atom+xml",
    ".json": "application/json",
    ".txt": "text/plain",
    ".pdf": "application/pdf",
}


@dataclass
class Route:
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes | None = None
    delay: float = 0.0
    times: int | None = None
    redirect: str | None = None
    close: bool = False
    content_length: int | None = None
    respond: Callable[[RequestLog], tuple[int, dict[str, str], bytes]] | None = None


@dataclass(frozen=True)
class RequestLog:
    path: str
    method: str
    headers: dict[str, str]
    at: float  # time.monotonic()
    wall: float  # time.time(), to compare with HTTP dates
    query: str = ""
    body: bytes = b""


class FixtureSite:
    """See the module docstring."""

    def __init__(
        self,
        root: Path | str | None = None,
        routes: dict[str, Route] | None = None,
        validators: bool = True,
    ) -> None:
        self.root = Path(root) if root is not None else None
        self.validators = validators  # send ETag/Last-Modified and answer 304
        self._routes: dict[str, Route] = dict(routes or {})
        self._used: dict[str, int] = {}
        self.requests: list[RequestLog] = []
        self.inflight = 0
        self.max_inflight = 0  # most requests served at once (per-host concurrency checks)
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle --------------------------------------------------------------------------

    def __enter__(self) -> FixtureSite:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> None:
        handler = type("Handler", (_Handler,), {"site": self})
        self._server = _Server(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    # -- API --------------------------------------------------------------------------------

    @property
    def port(self) -> int:
        assert self._server is not None, "site not started"
        return self._server.server_address[1]

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        return self.base + (path if path.startswith("/") else "/" + path)

    def render_registry(self, source: Path, dest: Path) -> Path:
        """Write a copy of a registry file with `{base}` replaced by this site's URL (for
        `tokenwatch crawl --sources FILE`, which takes concrete URLs)."""
        dest.write_text(source.read_text(encoding="utf-8").replace("{base}", self.base), "utf-8")
        return dest

    def route(self, path: str, route: Route) -> None:
        with self._lock:
            self._routes[path] = route
            self._used[path] = 0

    def hits(self, path: str) -> int:
        return sum(1 for r in self.requests if r.path == path)

    def paths(self) -> list[str]:
        return [r.path for r in self.requests]

    # -- internals --------------------------------------------------------------------------

    def _take_route(self, path: str) -> Route | None:
        with self._lock:
            route = self._routes.get(path)
            if route is None:
                return None
            used = self._used.get(path, 0)
            if route.times is not None and used >= route.times:
                return None
            self._used[path] = used + 1
            return route

    def _file(self, path: str) -> bytes | None:
        if self.root is None:
            return None
        rel = path.lstrip("/") or "index.html"
        target = (self.root / rel).resolve()
        if not target.is_relative_to(self.root.resolve()):
            return None
        if target.is_file():
            data = target.read_bytes()
        elif target.with_name(target.name + ".gz").is_file():
            data = gzip.decompress(target.with_name(target.name + ".gz").read_bytes())
        else:
            return None
        return data.replace(b"{base}", self.base.encode("ascii"))


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # clients that time out or cancel a download reset the connection: expected here


class _Handler(BaseHTTPRequestHandler):
    site: FixtureSite
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:  # quiet
        pass

    def do_HEAD(self) -> None:
        self.do_GET()

    def do_POST(self) -> None:
        self.do_GET()

    def do_GET(self) -> None:
        site = self.site
        parts = urlsplit(self.path)
        path = parts.path
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        log = RequestLog(
            path,
            self.command,
            dict(self.headers.items()),
            time.monotonic(),
            time.time(),
            parts.query,
            body,
        )
        with site._lock:
            site.requests.append(log)
            if path != "/robots.txt":
                site.inflight += 1
                site.max_inflight = max(site.max_inflight, site.inflight)
        try:
            self._serve(path, log)
        finally:
            if path != "/robots.txt":
                with site._lock:
                    site.inflight -= 1

    def _serve(self, path: str, log: RequestLog) -> None:
        site = self.site
        route = site._take_route(path) or site._take_route(self.path)
        if route is not None and route.delay:
            time.sleep(route.delay)
        if route is not None and route.respond is not None:
            status, headers, data = route.respond(log)
            self._send(status, data, headers)
            return
        if route is not None and route.close:
            self.close_connection = True
            self.connection.close()
            return
        if route is not None and route.redirect is not None:
            self._send(
                route.status if 300 <= route.status < 400 else 302,
                b"",
                {"Location": route.redirect},
            )
            return
        data = route.body if route is not None and route.body is not None else site._file(path)
        headers = {
            "Content-Type": _TYPES.get(Path(path).suffix.lower())
            or mimetypes.guess_type(path)[0]
            or "application/octet-stream"
        }
        status = route.status if route is not None else 200
        if data is None:
            data, status, headers = (
                b"not found",
                404 if route is None else status,
                {"Content-Type": "text/plain"},
            )
        elif status == 200 and site.validators:
            etag = '"' + hashlib.sha1(data).hexdigest()[:16] + '"'
            headers.update({"ETag": etag, "Last-Modified": LAST_MODIFIED})
            if self.headers.get("If-None-Match") == etag or (
                "If-None-Match" not in self.headers
                and self.headers.get("If-Modified-Since") == LAST_MODIFIED
            ):
                self._send(
                    304, b"", {"ETag": etag, "Last-Modified": LAST_MODIFIED}, body_allowed=False
                )
                return
        if route is not None:
            headers.update(route.headers)
        self._send(status, data, headers, length=route.content_length if route else None)

    def _send(
        self,
        status: int,
        body: bytes,
        headers: dict[str, str],
        length: int | None = None,
        body_allowed: bool = True,
    ) -> None:
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        if body_allowed:
            self.send_header("Content-Length", str(length if length is not None else len(body)))
        self.end_headers()
        if body_allowed and self.command != "HEAD":
            self.wfile.write(body)
        if length is not None and length != len(body):
            self.close_connection = True
