"""Checks `tokenwatch up` makes before it starts anything, so a taken port is one clear line
at once instead of a traceback after Neo4j has started."""

from __future__ import annotations

import errno
import socket

from api.settings import ApiSettings
from tokenwatch.errors import TokenwatchError


class PortInUse(TokenwatchError):
    """The API port is taken."""


def port_free(host: str, port: int) -> bool:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds
        try:
            sock.bind((host, port))
        except OSError as exc:
            if exc.errno in (errno.EADDRINUSE, errno.EACCES):
                return False
            raise
    return True


def check_api_port(host: str | None, port: int | None, api: ApiSettings | None = None) -> None:
    api = api or ApiSettings()
    h, p = host or api.host, port or api.port
    if not port_free(h, p):
        raise PortInUse(
            f"API port {p} on {h} is already in use: stop the other process "
            f"(`ss -ltnp 'sport = :{p}'`) or choose another with --port / TOKENWATCH_API_PORT"
        )
