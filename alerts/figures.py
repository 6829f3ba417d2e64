"""Figures and names as analysts read them (pure): 4e13 tokens a day is "40万亿/天", 0.8 CNY
per million tokens is "¥0.8 per 1M tokens", a price_change of -0.97 is "-97%", and `cac` is
"国家互联网信息办公室". Used in alert titles and summaries."""

from __future__ import annotations

from collections.abc import Mapping

# national subjects are countries, not KB entities (DESIGN.md: subject cn | us | global)
NATIONAL_NAMES: Mapping[str, str] = {"cn": "中国", "us": "美国", "global": "全球"}
_PERIOD = {"minute": "/分钟", "day": "/天", "week": "/周", "month": "/月", "year": "/年"}
_UNITS = ((1e12, "万亿"), (1e8, "亿"), (1e4, "万"))
_CURRENCY = {"CNY": "¥", "USD": "$"}


def _num(value: float, digits: int = 3) -> str:
    """At most `digits` significant digits, no exponent, no trailing zeros."""
    if value == 0:
        return "0"
    text = f"{value:.{digits}g}"
    if "e" in text:
        text = f"{float(text):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def volume(value: float, period: str | None = None) -> str:
    """Tokens (per period) in Chinese units: 4e13/day -> '40万亿/天'."""
    for size, unit in _UNITS:
        if abs(value) >= size:
            return f"{_num(value / size)}{unit}{_PERIOD.get(period or '', '')}"
    return f"{_num(value)}{_PERIOD.get(period or '', '')}"


def price(value: float, currency: str | None = None) -> str:
    """A price per million tokens: 0.8 CNY -> '¥0.8 per 1M tokens'."""
    sign = _CURRENCY.get(currency or "", "")
    suffix = "" if sign or not currency else f" {currency}"
    return f"{sign}{_num(value, 4)}{suffix} per 1M tokens"


def fraction(value: float) -> str:
    """A signed fraction as a percent: -0.97 -> '-97%'."""
    return f"{_num(value * 100, 2)}%"


def metric(kind: str, value: float, period: str | None = None,
           currency: str | None = None) -> str:
    if kind == "token_volume":
        return volume(value, period)
    if kind == "token_price":
        return price(value, currency)
    if kind == "price_change":
        return fraction(value)
    return _num(value)


METRIC_LABEL: Mapping[str, str] = {"token_volume": "token volume", "token_price": "price",
                                   "price_change": "price change"}


def name(entity_id: str | None, names: Mapping[str, str], fallback: str = "market") -> str:
    """The display name of an entity or national subject id (the id itself when unknown)."""
    if not entity_id:
        return fallback
    return names.get(entity_id) or NATIONAL_NAMES.get(entity_id) or entity_id


def names_list(ids: list[str] | tuple[str, ...], names: Mapping[str, str]) -> str:
    return ", ".join(name(i, names) for i in ids)
