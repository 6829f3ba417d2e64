"""Every read route against the hand-checked sample graph (real Neo4j, real app)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from neo4j import Driver

from api.app import create_app
from api.settings import ApiSettings
from graph.settings import Neo4jSettings

pytestmark = pytest.mark.neo4j


@pytest.fixture(scope="module")
def get(shared_sample_graph: Driver, api_client: TestClient, admin_key: str) -> Any:
    def call(url: str, expect: int = 200, **params: Any) -> Any:
        resp = api_client.get(url, params=params, headers={"Authorization": f"Bearer {admin_key}"})
        assert resp.status_code == expect, resp.text
        if expect >= 400:
            assert resp.headers["content-type"].startswith("application/problem+json")
        return resp.json()

    return call


def test_entity_search_by_name_alias_ticker(get: Any) -> None:
    assert get("/v1/entities/search", q="阿里云")["items"][0]["id"] == "alibaba-cloud"
    assert get("/v1/entities/search", q="Aliyun")["items"][0]["id"] == "alibaba-cloud"
    assert get("/v1/entities/search", q="9988.HK")["items"][0]["id"] == "alibaba"
    assert get("/v1/entities/search", q="baba")["items"][0]["id"] == "alibaba"
    # an exact name ranks first: the company, not the models whose names contain it
    assert get("/v1/entities/search", q="DeepSeek")["items"][0]["id"] == "deepseek"
    assert get("/v1/entities/search", q="deepseek")["items"][0]["id"] == "deepseek"
    hits = get("/v1/entities/search", q="DeepSeek", kind="model")["items"]
    assert hits and all(h["kind"] == "model" for h in hits)
    page1 = get("/v1/entities/search", q="云", limit=2)
    if page1["next_cursor"]:
        page2 = get("/v1/entities/search", q="云", limit=2, cursor=page1["next_cursor"])
        assert {h["id"] for h in page1["items"]}.isdisjoint({h["id"] for h in page2["items"]})


def test_entity_profile(get: Any) -> None:
    p = get("/v1/entities/alibaba-cloud")
    assert p["kind"] == "company" and p["name_en"] == "Alibaba Cloud"
    assert p["mention_count"] == 3 and p["article_count"] == 3
    assert {"type": "PART_OF", "direction": "out", "source": "kb", "article_id": None,
            "other": {"id": "alibaba", "kind": "company", "name": "阿里巴巴"}} in p["relations"]
    assert {m["month"] for m in p["mentions_by_month"]} == {"2025-05-01", "2025-08-01"}
    assert next(a["id"] for a in p["recent_articles"]) == "art-zh-policy"
    assert p["risk_counts"] == {"market_sentiment": 1, "policy_regulatory": 1}
    assert {pol["id"] for pol in p["policies"]} >= {"ai-plus-opinions", "genai-interim-measures"}
    doubao = get("/v1/entities/doubao")
    assert len(doubao["latest_observations"]) == 2  # two sources, two figures, same date
    get("/v1/entities/no-such-entity", 404)


def test_neighbours(get: Any) -> None:
    one = get("/v1/entities/qwen/neighbours")
    assert {"id": "alibaba-cloud", "type": "MADE_BY", "direction": "out"}.items() <= \
        next(n for n in one["nodes"] if n["id"] == "alibaba-cloud").items()
    two = get("/v1/entities/qwen/neighbours", depth=2, label=["Company"])
    assert {n["label"] for n in two["nodes"]} == {"Company"}
    assert {"alibaba"} <= {n["id"] for n in two["nodes"] if n["distance"] == 2}
    only_kb = get("/v1/entities/qwen/neighbours", depth=3, rel=["MADE_BY", "PART_OF"])
    assert {n["id"] for n in only_kb["nodes"]} >= {"alibaba-cloud", "alibaba", "wan"}
    assert {n["type"] for n in only_kb["nodes"]} == {"MADE_BY", "PART_OF"}
    dated = get("/v1/entities/alibaba-cloud/neighbours", label=["Article"], since="2025-08-01")
    assert [n["id"] for n in dated["nodes"]] == ["art-zh-policy"]
    capped = get("/v1/entities/alibaba/neighbours", depth=3, limit=3)
    assert len(capped["nodes"]) == 3 and capped["truncated"]


def test_depth_over_three_is_422(get: Any) -> None:
    body = get("/v1/entities/qwen/neighbours", 422, depth=50)
    assert body["errors"][0]["loc"][-1] == "depth"
    get("/v1/entities/qwen/neighbours", 422, depth=4)
    get("/v1/paths", 422, source="qwen", target="alibaba", max_length=50)


def test_paths(get: Any) -> None:
    res = get("/v1/paths", source="qwen", target="alibaba")
    assert [n["id"] for n in res["paths"][0]["nodes"]] == ["qwen", "alibaba-cloud", "alibaba"]
    linked = get("/v1/paths", source="doubao", target="deepseek", max_length=6, provenance=True)
    assert all(len(p["rels"]) == len(linked["paths"][0]["rels"]) for p in linked["paths"])
    # by default paths relate entities, not the articles and sources the facts come from
    plain = get("/v1/paths", source="doubao", target="deepseek", max_length=6)
    for path in plain["paths"]:
        assert not {n["label"] for n in path["nodes"]} & {"Article", "Source"}
    assert any({n["label"] for n in p["nodes"]} & {"Article", "Source"} for p in linked["paths"])
    get("/v1/paths", 404, source="qwen", target="nope")


def test_policies(get: Any) -> None:
    cac = get("/v1/policies", issuer="cac")["items"]
    assert cac and all(p["issuer_id"] == "cac" for p in cac)
    by_number = get("/v1/policies", q="国发〔2025〕11号")["items"]
    assert [p["id"] for p in by_number] == ["ai-plus-opinions"]
    assert all(p["status"] == "rescinded" for p in get("/v1/policies", status="rescinded")["items"])
    recent = get("/v1/policies", since="2025-01-01")["items"]
    assert recent and all(p["issued_at"] >= "2025-01-01" for p in recent)
    first = get("/v1/policies", limit=3)
    second = get("/v1/policies", limit=3, cursor=first["next_cursor"])
    assert {p["id"] for p in first["items"]}.isdisjoint({p["id"] for p in second["items"]})
    d = get("/v1/policies/ai-plus-opinions")
    assert d["doc_number"] == "国发〔2025〕11号" and d["issuer_id"] == "state-council"
    assert [a["id"] for a in d["articles"]] == ["art-zh-policy"]
    assert {c["id"] for c in d["companies"]} == {"bytedance", "alibaba-cloud"}
    get("/v1/policies/nope", 404)


def test_metrics(get: Any) -> None:
    series = get("/v1/metrics/token-volume", subject="doubao", period="day")
    assert [(p["value"], p["provenance"]["source_id"]) for p in series["points"]] == [
        (16.4e12, "src-zh"), (16.0e12, "src-en")] or len(series["points"]) == 2
    page = get("/v1/metrics/token-volume", subject="doubao", limit=1)
    rest = get("/v1/metrics/token-volume", subject="doubao", limit=1, cursor=page["next_cursor"])
    assert page["points"][0]["id"] != rest["points"][0]["id"]
    prices = get("/v1/metrics/token-prices", subject="deepseek-v3", currency="USD", side="input")
    assert [p["value"] for p in prices["points"]] == [0.27]
    latest = get("/v1/metrics/latest", subject="doubao")
    sources = sorted(o["provenance"]["source_id"] for o in latest["observations"])
    assert sources == ["src-en", "src-zh"]
    assert get("/v1/metrics/latest", subject="doubao", as_of="2025-05-30")["observations"] == []



def test_conflicting_figures_side_by_side_with_their_sources(get: Any) -> None:
    # the sample graph: two outlets report doubao's daily volume on one day, differently
    found = get("/v1/metrics/conflicts", subject="doubao")
    assert [(c["kind"], c["period"]) for c in found["conflicts"]] == [("token_volume", "day")]
    reports = found["conflicts"][0]["reports"]
    assert [r["value"] for r in reports] == sorted(r["value"] for r in reports)
    assert len({r["value"] for r in reports}) == 2
    assert {r["provenance"]["source_id"] for r in reports} == {"src-en", "src-zh"}
    assert all(r["date"] == found["conflicts"][0]["date"] for r in reports)
    day = found["conflicts"][0]["date"]
    assert get("/v1/metrics/conflicts", subject="doubao", since=day)["conflicts"]
    later = {"since": "2099-01-01"}
    assert get("/v1/metrics/conflicts", subject="doubao", **later)["conflicts"] == []
    assert get("/v1/metrics/conflicts", subject="doubao", kind="token_price")["conflicts"] == []
    # one report per figure is not a conflict
    assert get("/v1/metrics/conflicts", subject="deepseek-v3")["conflicts"] == []
    get("/v1/metrics/conflicts", 422, subject="doubao", kind="revenue")

def test_price_comparison_in_one_currency(get: Any) -> None:
    cmp = get("/v1/metrics/prices/compare", currency="CNY", side="input")
    by = {p["subject"]: p for p in cmp["providers"]}
    assert by["qwen"]["price"] == 0.8
    assert by["deepseek-v3"]["price"] == pytest.approx(0.27 * cmp["fx_usd_cny"])
    assert by["deepseek-v3"]["quotes"][0]["provenance"]["source_id"] == "src-en"
    usd = get("/v1/metrics/prices/compare", currency="USD")
    assert {p["subject"]: p["price"] for p in usd["providers"]}["deepseek-v3"] == 0.27
    prices = [p["price"] for p in cmp["providers"]]
    assert prices == sorted(prices)


def test_articles(get: Any) -> None:
    zh = get("/v1/articles/search", q="调用量")["items"]
    assert [a["id"] for a in zh] == ["art-zh-doubao"]
    en = get("/v1/articles/search", q="trillion tokens")["items"]
    assert [a["id"] for a in en] == ["art-en-doubao"]
    assert get("/v1/articles/search", q="tokens", lang="zh", source="src-zh")["items"]
    assert get("/v1/articles/search", q="价格", entity="deepseek")["items"] == []
    assert get("/v1/articles/search", q="***")["items"] == []
    listed = get("/v1/articles", entity="bytedance", since="2025-06-01", until="2025-08-01")
    assert {a["id"] for a in listed["items"]} == {"art-zh-doubao", "art-en-doubao"}
    d = get("/v1/articles/art-zh-qwen")
    assert d["source"]["id"] == "src-zh" and d["text"].startswith("阿里云")
    joined = f"{d['title']}\n\n{d['text']}"
    for m in d["mentions"]:
        for s, e in zip(m["offsets"][::2], m["offsets"][1::2], strict=True):
            assert joined[s:e] in m["surfaces"]
    obs = d["observations"][0]
    assert joined[obs["start"]:obs["end"]] == "每百万tokens 0.8元"
    assert d["risks"][0]["category"] == "market_sentiment"
    get("/v1/articles/nope", 404)
    get("/v1/articles", 400, cursor="not-a-cursor")


def test_risks(get: Any) -> None:
    all_ = get("/v1/risks")["items"]
    assert [r["category"] for r in all_] == ["policy_regulatory", "market_sentiment"]
    assert [r["id"] for r in get("/v1/risks", entity="bytedance")["items"]] == [all_[0]["id"]]
    assert get("/v1/risks", category="market_sentiment", since="2025-06-01")["items"] == []
    page = get("/v1/risks", limit=1)
    assert get("/v1/risks", limit=1, cursor=page["next_cursor"])["items"][0]["id"] == all_[1]["id"]


def test_sources_and_runs(get: Any) -> None:
    sources = {s["id"]: s for s in get("/v1/sources")["items"]}
    assert sources["src-zh"]["health"]["status"] == "degraded"  # one failed run: not yet failing
    assert sources["src-en"]["health"]["status"] == "ok" and sources["src-en"]["articles"] == 2
    d = get("/v1/sources/src-zh")
    assert [r["id"] for r in d["recent_runs"]] == ["run-2", "run-1"]
    assert d["recent_runs"][0]["errors"] == {"http_5xx": 10}
    runs = get("/v1/sources/src-zh/runs", limit=1)
    assert get("/v1/sources/src-zh/runs", cursor=runs["next_cursor"])["items"][0]["id"] == "run-1"
    assert [r["id"] for r in get("/v1/crawl-runs", status="ok")["items"]] == ["run-3", "run-1"]
    get("/v1/sources/nope", 404)


def _cypher(client: TestClient, key: str, query: str, **params: Any) -> Any:
    return client.post("/v1/admin/cypher", json={"query": query, "params": params},
                       headers={"Authorization": f"Bearer {key}"})


def test_read_only_cypher(shared_sample_graph: Driver, api_client: TestClient, admin_key: str,
                          make_key: Any) -> None:
    ok = _cypher(api_client, admin_key, "MATCH (c:Company {id: $id}) RETURN c.name AS n",
                 id="alibaba")
    assert ok.status_code == 200 and ok.json()["rows"] == [["阿里巴巴"]]
    for bad in ("MATCH (n) DETACH DELETE n", "CREATE (:X)", "MATCH (n) SET n.x = 1",
                "CALL dbms.listConfig()", "LOAD CSV FROM 'file:///etc/passwd' AS l RETURN l"):
        resp = _cypher(api_client, admin_key, bad)
        assert resp.status_code == 400 and resp.json()["title"] == "Query rejected", bad
    assert _cypher(api_client, admin_key, "MATCH (n RETURN n").status_code == 400
    huge = _cypher(api_client, admin_key, "RETURN $n AS n", n=2**63)  # beyond int64: not a 500
    assert huge.status_code == 422 and huge.headers["content-type"] == "application/problem+json"
    nested = _cypher(api_client, admin_key, "RETURN $m AS m", m={"xs": [1, -(2**63) - 1]})
    assert nested.status_code == 422
    assert _cypher(api_client, admin_key, "RETURN $n AS n", n=2**63 - 1).json()["rows"] == [
        [2**63 - 1]]
    analyst = make_key("analyst", "desk")
    assert _cypher(api_client, analyst, "RETURN 1").status_code == 403


def test_cypher_row_cap_and_timeout(shared_sample_graph: Driver, neo4j_settings: Neo4jSettings,
                                    admin_key: str) -> None:
    api = ApiSettings(admin_key=admin_key, rate_per_min=0, cypher_max_rows=5,
                      cypher_timeout_s=0.5)
    with TestClient(create_app(neo4j_settings, api_settings=api)) as client:
        capped = _cypher(client, admin_key, "UNWIND range(1, 100) AS x RETURN x")
        assert capped.status_code == 200
        assert capped.json()["truncated"] and len(capped.json()["rows"]) == 5
        slow = _cypher(client, admin_key,
                       "UNWIND range(1, 100000) AS x UNWIND range(1, 100000) AS y "
                       "WITH x + y AS z WHERE z % 7 = 3 RETURN count(z)")  # 1e10 rows: never done
        assert slow.status_code == 504, slow.text


def test_accept_text_csv_on_lists_and_series(shared_sample_graph: Driver, api_client: TestClient,
                                             admin_key: str) -> None:
    import csv
    import io

    headers = {"Authorization": f"Bearer {admin_key}", "Accept": "text/csv"}
    r = api_client.get("/v1/articles", params={"limit": 2}, headers=headers)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    as_json = api_client.get("/v1/articles", params={"limit": 2},
                             headers={"Authorization": f"Bearer {admin_key}"}).json()
    assert [row["id"] for row in rows] == [a["id"] for a in as_json["items"]]
    if as_json["next_cursor"]:
        assert 'rel="next"' in r.headers["link"]
    series = api_client.get("/v1/metrics/token-volume", params={"subject": "cn"}, headers=headers)
    assert series.status_code == 200 and series.headers["content-type"].startswith("text/csv")
    points = api_client.get("/v1/metrics/token-volume", params={"subject": "cn"},
                            headers={"Authorization": f"Bearer {admin_key}"}).json()["points"]
    assert len(list(csv.DictReader(io.StringIO(series.text)))) == len(points)
    profile = api_client.get("/v1/entities/alibaba", headers=headers)
    assert profile.status_code == 406  # not a list: nothing to give as CSV
