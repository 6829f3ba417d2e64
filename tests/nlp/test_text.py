"""The sentence around an offset: one definition for stored mentions and alert evidence."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from alerts.evaluate import article_fact
from crawlers.types import Article
from graph.writer import build_batch
from nlp.text import Sentences, join_title, sentence_at
from nlp.types import Entity, Extraction


def around(text: str, word: str) -> str:
    i = text.index(word)
    return sentence_at(text, i, i + len(word))


@pytest.mark.parametrize(("text", "word", "sentence"), [
    ("Prices fell. The U.S. firm cut its price. Others waited.", "firm",
     "The U.S. firm cut its price."),
    ("DeepSeek cut input prices to 0.8 yuan per million tokens. Rivals followed.", "DeepSeek",
     "DeepSeek cut input prices to 0.8 yuan per million tokens."),
    ('Analysts were calm. "Moonshot AI is cutting prices," he said. Then silence.', "Moonshot",
     '"Moonshot AI is cutting prices," he said.'),
    ("Dr. Wang of Zhipu Inc. spoke first. Then Baidu replied.", "Zhipu",
     "Dr. Wang of Zhipu Inc. spoke first."),
    ("据报道，“豆包大模型日均调用量超过16.4万亿。”此后火山引擎宣布降价！市场关注。", "豆包",
     "据报道，“豆包大模型日均调用量超过16.4万亿。”"),
    ("据报道，“豆包大模型日均调用量超过16.4万亿。”此后火山引擎宣布降价！市场关注。", "火山引擎",
     "此后火山引擎宣布降价！"),
    ("第一段没有句号\n第二段提到智谱", "智谱", "第二段提到智谱"),
])
def test_sentence_around_a_mention(text: str, word: str, sentence: str) -> None:
    assert around(text, word) == sentence


def test_a_span_across_a_sentence_break_keeps_both_sentences() -> None:
    text = "First one. Second one. Third one."
    start, end = text.index("one."), text.index("Second") + 6
    assert sentence_at(text, start, end) == "First one. Second one."


def test_long_sentences_are_cut_and_lookups_share_one_split() -> None:
    text = "智谱" + "很" * 800 + "。下一句。"
    assert len(sentence_at(text, 0, 2)) == 500
    sentences = Sentences(text)
    assert sentences.around(text.index("下一句"), len(text)) == "下一句。"


def test_alert_evidence_quotes_the_sentence_the_graph_stores() -> None:
    title, body = "U.S. cloud prices", "Moonshot AI cut prices by 50% in the U.S. market. Kimi grew."
    joined = join_title(title, body)
    start = joined.index("Moonshot")
    entity = Entity(type="company", text="Moonshot AI", start=start, end=start + 11,
                    id="moonshot-ai")
    article = Article(id="a1", url="https://x.example/a1", canonical_url="https://x.example/a1",
                      source_id="s", title=title, text=body, lang="en",
                      fetched_at=datetime(2026, 1, 5, tzinfo=UTC), content_hash="h")
    extraction = Extraction(id="a1", lang="en", entities=(entity,))
    stored = build_batch([(article, extraction)]).mentions["company"][0]["sentences"][0]
    quoted = article_fact(article, extraction, None).entity_sentences["moonshot-ai"]
    assert stored == quoted == "Moonshot AI cut prices by 50% in the U.S. market."
