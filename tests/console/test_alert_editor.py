"""The Alerts pages in headless chromium (see conftest): rules made in the editor (the API's
validation messages shown next to the form), an alert they raise acknowledged; a webhook
created, test-sent to a real loopback receiver, its delivery logged and replayed."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import httpx
from neo4j import Driver

from graph.settings import Neo4jSettings
from tests.alerts.receiver import Receiver
from tests.console.conftest import ALERT_SETTINGS, Console, shot


def _api(console: Console) -> dict[str, str]:
    return {"Authorization": f"Bearer {console.admin_key}"}


def _ingest_deepseek_shortfall(driver: Driver, neo4j: Neo4jSettings, console: Console) -> None:
    """A new article about DeepSeek with a technology-shortfall risk, ingested as the pipeline
    does it: written in one batch, then the batch's facts evaluated against the rules."""
    from alerts.evaluate import AlertEvaluator
    from crawlers.types import Article
    from graph import writer
    from nlp.types import Entity, Extraction, Risk

    title = "DeepSeek capacity falls short"
    text = "DeepSeek said its GPUs cannot keep up with demand for its new model."
    joined = f"{title}\n\n{text}"
    art = Article(id="art-en-deepseek-gpus", url="https://example.test/deepseek-gpus",
                  canonical_url="https://example.test/deepseek-gpus", source_id="src-en",
                  title=title, text=text, lang="en",
                  published_at=datetime(2025, 8, 31, 8, tzinfo=UTC),
                  fetched_at=datetime(2025, 8, 31, 9, tzinfo=UTC), content_hash="h-gpus")
    start = joined.index("DeepSeek said")
    ext = Extraction(id=art.id, lang="en", entities=(
        Entity(type="company", text="DeepSeek", start=0, end=8, id="deepseek", kb=True),),
        risks=(Risk(category="technology_shortfall", text=text, start=start,
                    end=start + len(text), score=0.6, entities=("deepseek",)),))
    items = [(art, ext)]
    writer.write_batch(driver, writer.build_batch(items), neo4j.database)
    recorded = AlertEvaluator(driver, ALERT_SETTINGS, neo4j.database,
                              clock=console.clock).evaluate_batch(items)
    assert recorded, "the rule made in the editor raised nothing"


def test_rules_made_in_the_editor_raise_an_alert_that_is_acknowledged(
        signed_in: Any, console: Console, driver: Driver, neo4j_settings: Neo4jSettings) -> None:
    page = signed_in
    page.goto(f"{console.base}/console/alerts")
    form = page.locator("#rule-form")
    # a percent typed where the API wants a fraction: the API's own message, next to the form
    form.locator("input[name=name]").fill("Big price cuts")
    form.locator("select[name=type]").select_option("metric")
    assert form.locator("fieldset[data-rule-type=metric]").is_visible()
    assert not form.locator("fieldset[data-rule-type=risk]").is_visible()
    form.locator("select[name='metric.condition']").select_option("price_cut")
    form.locator("input[name='metric.threshold']").fill("50")
    form.locator("button[type=submit]").click()
    problem = page.locator("#rule-form .problems")
    problem.wait_for()
    api = httpx.post(f"{console.base}/v1/rules", headers=_api(console), json={
        "name": "Big price cuts", "condition": {"type": "metric", "condition": "price_cut",
                                                "threshold": 50}})
    assert api.status_code == 422
    assert api.json()["errors"][0]["msg"] in (problem.text_content() or "")
    assert "use 0.5" in (problem.text_content() or "")
    # what was typed stays, the metric fieldset still shown
    assert page.locator("#rule-form input[name='metric.threshold']").input_value() == "50"
    assert page.locator("#rule-form fieldset[data-rule-type=metric]").is_visible()
    # a number that is not one: the error sits next to its input
    page.fill("#rule-form input[name='metric.threshold']", "half")
    page.click("#rule-form button[type=submit]")
    page.wait_for_selector("#rule-form fieldset[data-rule-type=metric] .field-error")
    near = page.text_content("#rule-form fieldset[data-rule-type=metric] .spec-field:has("
                             "input[name='metric.threshold']) .field-error") or ""
    assert "valid number" in near
    # an id nobody has: refused with the closest known one
    page.fill("#rule-form input[name='metric.threshold']", "0.5")
    page.fill("#rule-form input[name='metric.subjects']", "deepseak")
    page.click("#rule-form button[type=submit]")
    page.wait_for_selector("#rule-form .problems:has-text('deepseak')")
    assert 'did you mean "deepseek"' in (page.text_content("#rule-form .problems") or "")
    saved = httpx.get(f"{console.base}/v1/rules", headers=_api(console)).json()
    assert "Big price cuts" not in {r["name"] for r in saved}  # none of the three was saved

    # a good one: technology-shortfall risks about DeepSeek, critical
    form = page.locator("#rule-form")
    form.locator("input[name=name]").fill("DeepSeek capacity")
    form.locator("select[name=type]").select_option("risk")
    form.locator("input[name='risk.categories'][value=technology_shortfall]").check()
    form.locator("input[name='risk.entities']").fill("deepseek")
    form.locator("select[name=severity]").select_option("critical")
    form.locator("button[type=submit]").click()
    row = page.locator("#rules-table tr.rule", has_text="DeepSeek capacity")
    row.wait_for()
    assert page.locator("#rules .message").count() == 1
    rule_id = row.get_attribute("data-rule")
    stored = httpx.get(f"{console.base}/v1/rules/{rule_id}", headers=_api(console)).json()
    assert stored["severity"] == "critical" and stored["type"] == "risk"
    assert stored["condition"]["categories"] == ["technology_shortfall"]
    assert stored["condition"]["entities"] == ["deepseek"]

    # disabled and enabled again from its row
    row.locator("button.toggle").click()
    page.wait_for_selector(f"tr[data-rule='{rule_id}'].rule-off")
    assert httpx.get(f"{console.base}/v1/rules/{rule_id}",
                     headers=_api(console)).json()["enabled"] is False
    page.locator(f"tr[data-rule='{rule_id}'] button.toggle").click()
    page.wait_for_selector(f"tr[data-rule='{rule_id}'].rule-on")

    # edited: a lower score is enough
    page.click(f"tr[data-rule='{rule_id}'] a.edit")
    page.wait_for_url(f"**/console/alerts/rules/{rule_id}")
    assert page.input_value("#rule-form input[name='risk.entities']") == "deepseek"
    assert page.is_checked("#rule-form input[name='risk.categories'][value=technology_shortfall]")
    page.fill("#rule-form input[name='risk.min_score']", "0.4")
    page.click("#rule-form button[type=submit]")
    page.wait_for_url("**/console/alerts#rules")
    edited = httpx.get(f"{console.base}/v1/rules/{rule_id}", headers=_api(console)).json()
    assert edited["condition"]["min_score"] == 0.4 and edited["severity"] == "critical"

    # the pipeline ingests an article it matches: an alert, acknowledged in the inbox
    _ingest_deepseek_shortfall(driver, neo4j_settings, console)
    page.goto(f"{console.base}/console/alerts?status=open")
    alert = page.locator("#alerts-table tr.status-open", has_text="technology shortfall").first
    assert "DeepSeek" in (alert.text_content() or "")
    alert_id = alert.get_attribute("id")
    alert.locator("button.ack").click()
    page.wait_for_selector(f"tr[id='{alert_id}'].status-acknowledged")
    got = httpx.get(f"{console.base}/v1/alerts/{alert_id}", headers=_api(console)).json()
    assert got["status"] == "acknowledged" and got["rule_id"] == rule_id
    page.goto(f"{console.base}/console/alerts")
    shot(page, "alerts-rules")

    # deleted from its row; the alert it raised stays
    page.locator(f"tr[data-rule='{rule_id}'] button.delete").click()
    page.wait_for_selector(f"tr[data-rule='{rule_id}']", state="detached")
    assert httpx.get(f"{console.base}/v1/rules/{rule_id}",
                     headers=_api(console)).status_code == 404
    assert httpx.get(f"{console.base}/v1/alerts/{alert_id}",
                     headers=_api(console)).status_code == 200


def test_a_reader_cannot_create_rules(browser: Any, console: Console) -> None:
    from tests.console.conftest import sign_in

    context = browser.new_context(locale="zh-CN")
    page = sign_in(context, console, console.reader_key)
    page.goto(f"{console.base}/console/alerts")
    assert "规则" in (page.text_content("#rules h2") or "")  # in Chinese
    assert page.locator("#rule-form").count() == 0  # no editor for a reader
    shot(page, "alerts-zh")
    csrf = page.get_attribute("input[name=csrf_token]", "value") or ""
    refused = page.request.post(f"{console.base}/console/alerts/rules", form={
        "csrf_token": csrf, "name": "x", "type": "policy"})
    assert refused.status == 403
    bare = page.request.post(f"{console.base}/console/alerts/rules", form={
        "name": "x", "type": "policy"})
    assert bare.status == 403  # no CSRF token
    context.close()


def test_a_webhook_is_test_sent_logged_and_replayed(signed_in: Any, console: Console,
                                                    receiver: Receiver) -> None:
    page = signed_in
    page.goto(f"{console.base}/console/webhooks")
    # a private address is refused by the API's SSRF guard, with its reason
    page.fill("#webhook-form input[name=url]", "http://10.20.30.40/hook")
    page.click("#webhook-form button[type=submit]")
    assert "refused" in (page.text_content("#webhook-form .problems") or "")
    assert page.input_value("#webhook-form input[name=url]") == "http://10.20.30.40/hook"

    page.fill("#webhook-form input[name=url]", receiver.url)
    page.fill("#webhook-form input[name=description]", "desk receiver")
    page.click("#webhook-form button[type=submit]")
    secret = page.text_content("#webhook-secret") or ""
    assert secret.startswith("whsec_")
    receiver.secrets.append(secret)  # the receiver verifies with the secret shown once
    webhook_id = page.get_attribute("#webhook-secret", "data-webhook")
    assert page.locator(f"#webhooks-table tr[data-webhook='{webhook_id}']").count() == 1

    page.click(f"#webhooks-table tr[data-webhook='{webhook_id}'] a")
    page.wait_for_url(f"**/console/webhooks/{webhook_id}")
    page.click("#test-send")
    page.wait_for_selector(".test-result[data-ok=true]")
    assert "HTTP 200" in (page.text_content(".test-result") or "")
    assert receiver.wait_for(lambda r: len(r.requests) == 1, 10)
    first = receiver.requests[0]
    assert first.verified and json.loads(first.body)["type"] == "webhook.test"
    row = page.locator(f"#deliveries-table tr[data-delivery='{first.webhook_id}']")
    assert row.get_attribute("data-status") == "succeeded"
    assert row.get_attribute("data-attempts") == "1"
    assert row.locator("ol.attempts li[data-status-code='200']").count() == 1

    # replayed: queued again (its retry schedule from the start), sent by the delivery
    # worker with the same webhook-id; the page polls the log while it is pending
    row.locator("button.replay").click()
    page.wait_for_selector(f"tr[data-delivery='{first.webhook_id}'][data-replays='1']"
                           "[data-status=succeeded]", timeout=20_000)
    # (wait_for holds the receiver's lock while it asks: read `requests`, not `ids()`)
    assert receiver.wait_for(
        lambda r: [x.webhook_id for x in r.requests].count(first.webhook_id) == 2, 10)
    assert all(r.verified for r in receiver.requests)
    replayed = page.locator(f"tr[data-delivery='{first.webhook_id}']")
    assert replayed.locator("ol.attempts li[data-status-code='200']").count() == 2
    log = httpx.get(f"{console.base}/v1/webhooks/{webhook_id}/deliveries",
                    headers=_api(console)).json()
    assert [(d["id"], d["status"], d["replays"], len(d["log"])) for d in log] == [
        (first.webhook_id, "succeeded", 1, 2)]
    shot(page, "webhook")
