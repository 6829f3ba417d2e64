"""Pure parts of the console: highlight layout, languages and figures, sessions and CSRF,
correction forms, catalogues, downloads."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook
from starlette.datastructures import FormData

from api.console import i18n, session, views
from api.console.pages import correction_fields
from api.console.tables import Table, csv_bytes, xlsx_bytes

NOW = datetime(2025, 9, 1, 9, tzinfo=UTC)


def _pieces(text: str, spans: list[views.Span]) -> str:
    out = []
    for p in views.layout(text, spans):
        out.append({"open": lambda p: f"[{p.span.kind}:", "close": lambda p: "]",
                    "text": lambda p: p.text}[p.op](p))
    return "".join(out)


def test_layout_nests_and_cuts_crossing_spans() -> None:
    text = "阿里云宣布降价。分析师担心。"
    spans = [views.Span(0, 8, "risk", "r"), views.Span(0, 3, "company", "c"),
             views.Span(5, 10, "metric", "m")]
    # the metric crosses the end of the risk sentence: drawn up to it
    assert _pieces(text, spans) == "[risk:[company:阿里云]宣布[metric:降价。]]分析师担心。"
    assert _pieces(text, []) == text
    assert _pieces(text, [views.Span(0, 3, "company", "c")] * 2) == "[company:阿里云]宣布降价。分析师担心。"


def test_language_from_cookie_then_browser() -> None:
    assert i18n.negotiate(None, "zh-CN,zh;q=0.9,en;q=0.8") == "zh"
    assert i18n.negotiate(None, "en-US,zh;q=0.5") == "en"
    assert i18n.negotiate("zh", "en-US") == "zh"
    assert i18n.negotiate("fr", "fr-FR, de") == "en"  # nothing we have: English
    assert i18n.negotiate(None, "zh-TW") == "zh"


def test_chinese_readers_get_wan_yi() -> None:
    assert i18n.volume(3.0e13, "day", "zh") == "30万亿/天"
    assert i18n.volume(5.2e9, None, "zh") == "52亿"
    assert i18n.volume(3.0e13, "day", "en") == "30T/day"
    assert views.per_day(1.2e12, "month") == pytest.approx(4e10)


def test_every_template_string_has_a_chinese_translation() -> None:
    templates = Path(i18n.__file__).parent / "templates"
    ids = {m for f in templates.glob("*.html")
           for m in re.findall(r'_\("([^"]+)"\)', f.read_text("utf-8"))}
    missing = ids - set(i18n.catalogue("zh"))
    assert not missing, f"no zh translation in locales/zh/LC_MESSAGES/console.po: {missing}"
    assert i18n.Translator("zh").gettext("Today") == "今日"
    assert i18n.Translator("en").gettext("Today") == "Today"


def test_sessions_end_with_expiry_tampering_or_a_new_key() -> None:
    cookie, token = session.new_session("s3", "k1", "hash1", NOW, timedelta(hours=1))
    parsed = session.parse_session(cookie)
    assert parsed is not None and parsed[0] == token
    assert session.session_valid("s3", token, parsed[1], "hash1", NOW)
    assert not session.session_valid("s3", token, parsed[1], "hash1", NOW + timedelta(hours=2))
    assert not session.session_valid("s3", token, parsed[1], "hash2", NOW)  # key replaced
    assert not session.session_valid("other", token, parsed[1], "hash1", NOW)
    forged = session.parse_session(cookie.replace("k1.", "k2.", 1))
    assert forged is not None and not session.session_valid("s3", forged[0], forged[1],
                                                            "hash1", NOW)
    assert session.parse_session("garbage") is None
    assert session.csrf_ok("s3", token.nonce, session.csrf_token("s3", token.nonce))
    assert not session.csrf_ok("s3", token.nonce, None)
    assert not session.csrf_ok("s3", "other-nonce", session.csrf_token("s3", token.nonce))


def test_correction_forms_are_checked_against_the_text() -> None:
    text = "阿里云宣布降价至0.8元。"
    ok = correction_fields(FormData({"kind": "wrong_value", "target": "obs1", "start": "8",
                                     "end": "12", "value": "0.5"}), text)
    assert ok["value"] == 0.5 and ok["text"] == "0.8元"
    missed = correction_fields(FormData({"kind": "missed_entity", "text": "阿里云",
                                         "entity_type": "company"}), text)
    assert (missed["start"], missed["end"]) == (0, 3)
    for bad, why in (({"kind": "nonsense"}, "kind"),
                     ({"kind": "wrong_value", "target": "o", "value": "lots"}, "number"),
                     ({"kind": "wrong_value", "target": "o", "start": "5", "end": "99",
                       "value": "1"}, "outside"),
                     ({"kind": "missed_entity", "text": "腾讯", "entity_type": "company"},
                      "not in"),
                     ({"kind": "wrong_subject", "target": "o"}, "subject")):
        with pytest.raises(ValueError, match=why):
            correction_fields(FormData(bad), text)


def test_downloads_hold_the_table_rows() -> None:
    table = Table("t", ("subject", "value", "when"),
                  [("阿里云", 0.8, datetime(2025, 5, 1, tzinfo=UTC)), ("qwen", None, None)])
    text = csv_bytes(table).decode("utf-8-sig").splitlines()
    assert text == ["subject,value,when", "阿里云,0.8,2025-05-01 00:00:00+00:00", "qwen,,"]
    rows = list(load_workbook(io.BytesIO(xlsx_bytes(table))).active.iter_rows(values_only=True))
    assert rows == [("subject", "value", "when"), ("阿里云", 0.8, datetime(2025, 5, 1)),
                    ("qwen", None, None)]


def test_today_cache_reuses_then_can_be_off() -> None:
    from api.console.cache import TtlCache

    calls: list[int] = []

    def compute() -> int:
        calls.append(1)
        return len(calls)

    cached = TtlCache(3600)
    assert cached.get_or_compute("2025-09-01", compute) == 1
    assert cached.get_or_compute("2025-09-01", compute) == 1  # reused
    assert cached.get_or_compute("2025-09-02", compute) == 2  # another day, another entry
    off = TtlCache(0)
    assert off.get_or_compute("k", compute) == 3 and off.get_or_compute("k", compute) == 4


# --- the rule editor's form ---------------------------------------------------------------------


def _rule_form(**fields: str | list[str]) -> FormData:
    items: list[tuple[str, str]] = []
    for key, value in fields.items():
        for v in value if isinstance(value, list) else [value]:
            items.append((key.replace("__", "."), v))
    return FormData(items)


def test_every_rule_kind_has_a_form_the_api_accepts() -> None:
    from api.console import rule_form
    from api.routes.rules import RuleIn

    required = {"metric": {"metric.condition": "crosses_above", "metric.threshold": "1e14",
                           "metric.kind": "token_volume"},
                "spike": {"spike.entities": "deepseek"}}
    for kind in rule_form.RULE_TYPES:
        values = rule_form.blank_values(kind) | {"name": f"a {kind} rule"}
        values |= required.get(kind, {})
        rule = RuleIn.model_validate(rule_form.rule_body(values))
        assert rule.condition.type == kind
    # the spec's own defaults stand where the form left an input empty
    spike = RuleIn.model_validate(rule_form.rule_body(
        rule_form.blank_values("spike") | {"name": "s", "spike.entities": "qwen，deepseek"}))
    assert spike.condition.entities == ["qwen", "deepseek"]  # type: ignore[union-attr]
    assert spike.condition.factor == 3.0  # type: ignore[union-attr]


def test_a_bad_rule_gets_the_api_message_next_to_its_input() -> None:
    from pydantic import ValidationError

    from api.console import rule_form
    from api.routes.rules import RuleIn

    values = rule_form.submitted_values(_rule_form(
        name="cuts", type="metric", enabled="1", metric__condition="price_cut",
        metric__threshold="half", metric__subjects="deepseek, qwen"))
    assert values["metric.subjects"] == "deepseek, qwen"  # shown again as typed
    with pytest.raises(ValidationError) as err:
        RuleIn.model_validate(rule_form.rule_body(values))
    [problem] = rule_form.problems(err.value, "metric")
    assert problem.key == "metric.threshold" and "valid number" in problem.message
    values["metric.threshold"] = "50"
    with pytest.raises(ValidationError) as err:
        RuleIn.model_validate(rule_form.rule_body(values))
    [problem] = rule_form.problems(err.value, "metric")
    assert problem.key is None and "use 0.5" in problem.message  # the whole condition's
    # another kind's inputs in the same form are not read
    other = rule_form.submitted_values(_rule_form(name="p", type="policy",
                                                  risk__entities="qwen"))
    assert "entities" not in rule_form.condition(other)


def test_rule_editor_labels_have_chinese() -> None:
    from api.console import rule_form

    words = set(rule_form.RULE_TYPES) | set(rule_form.SEVERITIES)
    for fields in rule_form.all_fields().values():
        words |= {f.name for f in fields} | {c for f in fields for c in f.choices}
    missing = words - set(i18n.catalogue("zh"))
    assert not missing, f"no zh label in locales/zh/LC_MESSAGES/console.po: {missing}"
