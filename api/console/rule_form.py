"""The rule editor's form, derived from the rule specs themselves (alerts/rules.py): every
field of the five kinds becomes one input, so a field added to a spec shows up in the editor
without a template change. Pure: form data in, the API's `RuleIn` / `RulePatch` body out.

Form keys: the rule's own fields by name (`name`, `severity`, …) and each spec field as
`<type>.<field>` (`metric.threshold`), so the five fieldsets can sit in one form and only the
chosen kind's are read."""

from __future__ import annotations

import re
import types
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo
from starlette.datastructures import FormData

from alerts.rules import MetricSpec, PolicySpec, RiskSpec, SourceHealthSpec, SpikeSpec
from alerts.types import Severity
from api.routes.rules import RuleOut

SPECS: dict[str, type[BaseModel]] = {"risk": RiskSpec, "metric": MetricSpec,
                                     "policy": PolicySpec, "spike": SpikeSpec,
                                     "source_health": SourceHealthSpec}
RULE_TYPES = tuple(SPECS)
SEVERITIES: tuple[str, ...] = get_args(Severity)
Widget = Literal["ids", "choices", "select", "number", "bool"]
_SPLIT = re.compile(r"[,，、\n]+")


@dataclass(frozen=True)
class Field:
    key: str  # the form key: "<type>.<name>"
    name: str
    widget: Widget
    choices: tuple[str, ...] = ()
    required: bool = False
    optional: bool = False  # a select with an empty choice (None)
    default: Any = None
    help: str = ""


def _unwrap(annotation: Any) -> Any:
    return get_args(annotation)[0] if get_origin(annotation) is Annotated else annotation


def _widget(annotation: Any) -> tuple[Widget, tuple[str, ...], bool]:
    """(widget, choices, optional) of one field's type."""
    annotation = _unwrap(annotation)
    origin = get_origin(annotation)
    if annotation is bool:
        return "bool", (), False
    if annotation in (int, float):
        return "number", (), False
    if origin is Literal:
        return "select", tuple(get_args(annotation)), False
    if origin in (Union, types.UnionType):
        inner = [a for a in get_args(annotation) if a is not type(None)]
        widget, choices, _ = _widget(inner[0])
        return widget, choices, True
    if origin is list:
        item = _unwrap(get_args(annotation)[0])
        if get_origin(item) is Literal:
            return "choices", tuple(get_args(item)), False
        return "ids", (), False
    raise TypeError(f"no form widget for {annotation!r}")


def _field(rule_type: str, name: str, info: FieldInfo) -> Field:
    widget, choices, optional = _widget(info.annotation)
    default = None if info.is_required() else info.get_default(call_default_factory=True)
    return Field(f"{rule_type}.{name}", name, widget, choices, info.is_required(), optional,
                 default, (info.description or "").strip())


def spec_fields(rule_type: str) -> list[Field]:
    model = SPECS[rule_type]
    return [_field(rule_type, name, info) for name, info in model.model_fields.items()
            if name != "type"]


def all_fields() -> dict[str, list[Field]]:
    return {t: spec_fields(t) for t in RULE_TYPES}


# --- values shown in the form ---------------------------------------------------------------


def _shown(value: Any, widget: Widget) -> Any:
    if widget == "ids":
        return ", ".join(str(v) for v in value or [])
    if widget == "choices":
        return list(value or [])
    if widget == "bool":
        return bool(value)
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    return str(value)


def blank_values(rule_type: str = "risk") -> dict[str, Any]:
    """What a new rule's form starts with: every kind's defaults."""
    values: dict[str, Any] = {"type": rule_type, "name": "", "severity": "",
                              "cooldown_minutes": "60", "enabled": True, "webhook_ids": []}
    for fields in all_fields().values():
        for f in fields:
            values[f.key] = _shown(f.default, f.widget)
    return values


def stored_values(rule: RuleOut) -> dict[str, Any]:
    """The form of a stored rule (as GET /v1/rules/{id} shows it): its kind's fields from its
    definition."""
    values = blank_values(rule.type if rule.type in SPECS else "risk")
    values |= {"name": rule.name, "severity": rule.severity,
               "cooldown_minutes": _shown(rule.cooldown_minutes, "number"),
               "enabled": rule.enabled, "webhook_ids": list(rule.webhook_ids)}
    for f in spec_fields(values["type"]):
        if f.name in rule.condition:
            values[f.key] = _shown(rule.condition[f.name], f.widget)
    return values


def submitted_values(form: FormData) -> dict[str, Any]:
    """The form as the analyst filled it (shown again next to the errors)."""
    rule_type = str(form.get("type") or "")
    values = blank_values(rule_type if rule_type in SPECS else "risk")
    values |= {"name": str(form.get("name") or ""), "severity": str(form.get("severity") or ""),
               "cooldown_minutes": str(form.get("cooldown_minutes") or ""),
               "enabled": form.get("enabled") is not None,
               "webhook_ids": [str(v) for v in form.getlist("webhook_ids")]}
    for f in spec_fields(values["type"]):
        if f.widget == "choices":
            values[f.key] = [str(v) for v in form.getlist(f.key)]
        elif f.widget == "bool":
            values[f.key] = form.get(f.key) is not None
        else:
            values[f.key] = str(form.get(f.key) or "")
    return values


# --- the API's request body -----------------------------------------------------------------


class FormProblem(ValueError):
    """The form does not describe a rule (before the API's own validation)."""


def _ids(text: str) -> list[str]:
    return [p.strip() for p in _SPLIT.split(text) if p.strip()]


def condition(values: Mapping[str, Any]) -> dict[str, Any]:
    """The chosen kind's definition; empty inputs are left to the spec's defaults."""
    rule_type = values.get("type")
    if rule_type not in SPECS:
        raise FormProblem(f"type must be one of {', '.join(RULE_TYPES)}")
    out: dict[str, Any] = {"type": rule_type}
    for f in spec_fields(rule_type):
        value = values.get(f.key)
        if f.widget == "ids":
            if _ids(str(value or "")) or f.required:
                out[f.name] = _ids(str(value or ""))
        elif f.widget == "choices":
            out[f.name] = list(value or [])
        elif f.widget == "bool":
            out[f.name] = bool(value)
        elif str(value or "").strip():
            out[f.name] = str(value).strip()  # the spec parses numbers (and says what is wrong)
    return out


def rule_body(values: Mapping[str, Any]) -> dict[str, Any]:
    """The JSON body of POST /v1/rules (and, whole, of PATCH /v1/rules/{id})."""
    body: dict[str, Any] = {"name": str(values.get("name") or "").strip(),
                            "enabled": bool(values.get("enabled")),
                            "webhook_ids": list(values.get("webhook_ids") or []),
                            "condition": condition(values)}
    if values.get("severity"):
        body["severity"] = values["severity"]
    if str(values.get("cooldown_minutes") or "").strip():
        body["cooldown_minutes"] = str(values["cooldown_minutes"]).strip()
    return body


@dataclass(frozen=True)
class Problem:
    key: str | None  # the form key it belongs to (None: the form as a whole)
    message: str


def _key(loc: Sequence[Any], rule_type: str) -> str | None:
    parts = [str(p) for p in loc]
    if parts[:1] == ["condition"]:
        rest = parts[2:] if parts[1:2] == [rule_type] else parts[1:]
        return f"{rule_type}.{rest[0]}" if rest else None
    return parts[0] if parts else None


def problems(exc: ValidationError, rule_type: str) -> list[Problem]:
    """The API's 422 `errors` (loc and msg, as api/errors.py renders them), each placed next
    to the input it is about."""
    return [Problem(_key(e.get("loc", ()), rule_type),
                    f"{'.'.join(str(p) for p in e.get('loc', ()))}: {e.get('msg', '')}")
            for e in exc.errors()]
