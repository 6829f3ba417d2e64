"""UI languages: message catalogues (gettext .po, read with Babel when the console is built),
the language chosen by the `lang` cookie or else the browser's Accept-Language, and figures as
each language's readers expect them (Chinese: 万亿/亿/万; English: T/B/M)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Final

from babel import Locale, UnknownLocaleError
from babel.messages.pofile import read_po

from alerts import figures

LANGS: Final = ("zh", "en")
DEFAULT_LANG: Final = "en"
LOCALES = Path(__file__).parent / "locales"
LANG_COOKIE = "tw_lang"
_EN_UNITS = ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K"))
_PERIOD_EN = {"minute": "/min", "day": "/day", "week": "/wk", "month": "/mo", "year": "/yr"}


@cache
def catalogue(lang: str) -> Mapping[str, str]:
    """msgid -> msgstr of a language's catalogue (empty for the source language, English)."""
    path = LOCALES / lang / "LC_MESSAGES" / "console.po"
    if not path.is_file():
        return {}
    with path.open("rb") as fh:
        cat = read_po(fh, locale=lang)
    return {str(msg.id): str(msg.string) for msg in cat if msg.id and msg.string}


def negotiate(cookie: str | None, accept_language: str | None) -> str:
    """The cookie's language when it is one we have, else the browser's best, else English."""
    if cookie in LANGS:
        return cookie
    wanted = []
    for part in (accept_language or "").split(","):
        tag, _, q = part.strip().partition(";q=")
        try:
            weight = float(q) if q else 1.0
        except ValueError:
            weight = 0.0
        if tag:
            wanted.append((weight, tag.replace("_", "-")))
    for _, tag in sorted(wanted, key=lambda w: -w[0]):
        try:
            lang = Locale.parse(tag, sep="-").language
        except (ValueError, UnknownLocaleError):
            continue
        if lang in LANGS:
            return lang
    return DEFAULT_LANG


def _num(value: float, digits: int = 3) -> str:
    text = f"{value:.{digits}g}"
    if "e" in text:
        text = f"{float(text):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def volume(value: float | None, period: str | None, lang: str) -> str:
    """Tokens per period: 4e13/day is '40万亿/天' (zh) or '40T/day' (en)."""
    if value is None:
        return ""
    if lang == "zh":
        return figures.volume(value, period)
    suffix = _PERIOD_EN.get(period or "", "")
    for size, unit in _EN_UNITS:
        if abs(value) >= size:
            return f"{_num(value / size)}{unit}{suffix}"
    return f"{_num(value)}{suffix}"


def price(value: float | None, currency: str | None) -> str:
    if value is None:
        return ""
    sign = {"CNY": "¥", "USD": "$"}.get(currency or "", "")
    return f"{sign}{_num(value, 4)}" + ("" if sign or not currency else f" {currency}")


def percent(value: float | None) -> str:
    return "" if value is None else f"{_num(value * 100, 3)}%"


def when(value: object) -> str:
    """A time as analysts read it: minutes, in UTC; a date as itself; nothing for None."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return "" if value is None else str(value)


@dataclass(frozen=True)
class Translator:
    lang: str

    def gettext(self, message: str) -> str:
        return catalogue(self.lang).get(message, message)

    def volume(self, value: float | None, period: str | None = None) -> str:
        return volume(value, period, self.lang)

    @property
    def functions(self) -> dict[str, Callable[..., str]]:
        return {"_": self.gettext, "fmt_volume": self.volume, "fmt_price": price,
                "fmt_percent": percent, "fmt_time": when}
