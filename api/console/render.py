"""The console's Jinja2 environment: autoescaped HTML (crawled text is never marked safe) and
the request's language, CSRF token and principal in every page's context."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from api.console.i18n import LANG_COOKIE, Translator, negotiate

TEMPLATES = Path(__file__).parent / "templates"


@cache
def environment() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES),
                      autoescape=select_autoescape(["html"], default_for_string=True,
                                                   default=True),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    return env


def translator(request: Request) -> Translator:
    return Translator(negotiate(request.cookies.get(LANG_COOKIE),
                                request.headers.get("accept-language")))


def page(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    tr = translator(request)
    base = {"request": request, "lang": tr.lang, "path": request.url.path,
            "query": request.url.query, "principal": getattr(request.state, "principal", None),
            "csrf": getattr(request.state, "csrf", ""), **tr.functions}
    html = environment().get_template(template).render({**base, **context})
    return HTMLResponse(html, status_code=status)
