"""Issue-12 forms, one behaviour each, through the real pipeline: scripts, number and unit
grammar, periods stated away from the number, prices and tariffs, price changes in words,
attribution, distractors and risks as real writers put them. The sentences are written for
these tests; their forms were learned from vendor price pages and news (see
tests/nlp/devset/FORMS.md for where)."""

from __future__ import annotations

import pytest

from nlp import extract

N = None
Row = tuple[str, float, str | None, str | None, str | None, str | None, str | None]


def _metrics(text: str, lang: str | None = None, published: str = "2025-06-01") -> list[Row]:
    ex = extract(text, lang=lang, published_at=published)
    return sorted(
        (m.kind, round(m.value, 4), m.period, m.currency, m.side, m.subject, m.condition)
        for m in ex.metrics
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # scripts: traditional characters, 萬億 / 兆, 令牌 in Hong Kong wording
        (
            "騰訊混元大模型日均Token調用量突破1.5萬億。",
            [("token_volume", 1.5e12, "day", N, N, "hunyuan", N)],
        ),
        (
            "輝達表示，其平台每月處理的Token已達3兆個。",
            [("token_volume", 3e12, "month", N, N, "nvidia", N)],
        ),
        # numbers: quadrillion, tn, ranges give their lower bound
        (
            "Google now processes more than 1.3 quadrillion tokens per month.",
            [("token_volume", 1.3e15, "month", N, N, "google", N)],
        ),
        (
            "豆包大模型日均Token调用量约为30万亿至40万亿之间。",
            [("token_volume", 3e13, "day", N, N, "doubao", N)],
        ),
        # periods away from the number or by a word
        (
            "豆包大模型的Token调用量已经非常可观，每天超过16万亿。",
            [("token_volume", 1.6e13, "day", N, N, "doubao", N)],
        ),
        (
            "上周，DeepSeek-V3在榜单上的Token调用量达4550亿。",
            [("token_volume", 4.55e11, "week", N, N, "deepseek-v3", N)],
        ),
    ],
)
def test_volume_forms(text: str, expected: list[Row]) -> None:
    assert _metrics(text) == sorted(expected)


def test_a_year_ago_is_a_separate_earlier_observation() -> None:
    ex = extract(
        "Google processed 480 trillion monthly tokens, up from 9.7 trillion a year ago.",
        lang="en",
        published_at="2025-05-21",
    )
    got = sorted((m.value, m.period, m.as_of) for m in ex.metrics)
    assert got == [(9.7e12, "month", "2024-05-21"), (4.8e14, "month", "2025-05-21")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "GPT-5 costs $1.25/1M input and $10/1M output.",
            [
                ("token_price", 1.25, N, "USD", "input", "gpt-5", N),
                ("token_price", 10.0, N, "USD", "output", "gpt-5", N),
            ],
        ),
        (
            "Claude Sonnet is priced at $3 / MTok for input and $15 / MTok for output.",
            [
                ("token_price", 3.0, N, "USD", "input", "claude", N),
                ("token_price", 15.0, N, "USD", "output", "claude", N),
            ],
        ),
        (
            "DeepSeek charges US$0.035 per million tokens for cache hits during off-peak hours.",
            [("token_price", 0.035, N, "USD", "cached_input", "deepseek", "off_peak")],
        ),
        (
            "通义千问Qwen-Long每输入100万个Token收费0.5元。",
            [("token_price", 0.5, N, "CNY", "input", "qwen", N)],
        ),
        (
            "豆包主力模型在企业市场的定价为0.0008元/千，比行业便宜99.3%。",
            [("token_price", 0.8, N, "CNY", N, "doubao", N)],
        ),
        (
            "豆包1.6按输入长度分段定价，0-32K区间每百万tokens输入0.8元、输出8元。",
            [
                ("token_price", 0.8, N, "CNY", "input", "doubao", "context<=32k"),
                ("token_price", 8.0, N, "CNY", "output", "doubao", "context<=32k"),
            ],
        ),
        (
            "Gemini 2.5 Pro costs $2.50 per million input tokens for prompts longer than 200k tokens.",
            [("token_price", 2.5, N, "USD", "input", "gemini", "context>200k")],
        ),
        # both the old and the new price of a cut
        (
            "阿里云将Qwen-Long的API输入价格从0.02元/千tokens降至0.0005元/千tokens，直降97%。",
            [
                ("token_price", 20.0, N, "CNY", "input", "qwen", N),
                ("token_price", 0.5, N, "CNY", "input", "qwen", N),
                ("price_change", -0.97, N, N, "input", "qwen", N),
            ],
        ),
    ],
)
def test_price_forms(text: str, expected: list[Row]) -> None:
    assert _metrics(text) == sorted(expected)


@pytest.mark.parametrize(
    ("text", "value", "subject", "condition"),
    [
        ("DeepSeek-V3的夜间价格降至原价的四分之一。", -0.75, "deepseek-v3", "off_peak"),
        ("智谱宣布GLM-4的调用价格降价约一半。", -0.5, "glm", N),
        ("OpenAI announced a 3x price cut for GPT-4o.", -0.6667, "gpt-4o", N),
        (
            "Anthropic offers a 50 per cent discount on Claude batch requests.",
            -0.5,
            "claude",
            "batch",
        ),
        ("文心大模型API打3折。", -0.7, "ernie", N),
        ("阿里云宣布通义千问部分模型降价，最高降幅达九成。", -0.9, "qwen", N),
    ],
)
def test_price_changes_in_words(
    text: str, value: float, subject: str, condition: str | None
) -> None:
    (m,) = extract(text, published_at="2025-06-01").metrics
    assert (m.kind, m.subject, m.condition) == ("price_change", subject, condition)
    assert m.value == pytest.approx(value, abs=1e-3)


@pytest.mark.parametrize(
    "text",
    [
        "Kimi K2 is 60% cheaper than Claude Sonnet.",  # a comparison, not a change
        "文心大模型日均API调用次数达到15亿次。",  # API calls
        "Kimi K2拥有1万亿参数，支持128K tokens上下文。",  # parameters, context length
        "豆包通用模型pro的限流为10K RPM和800K TPM。",  # rate limits
        "H100租赁价格从每卡每小时8元降至4元，降幅达50%，大模型推理需求旺盛。",  # GPU rental
        "寒武纪股价下跌8%，AI模型板块整体回调。",  # stock moves
    ],
)
def test_distractors_yield_no_metric(text: str) -> None:
    assert extract(text, published_at="2025-06-01").metrics == ()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "腾讯混元和通义千问的日均Token调用量分别为1万亿和5万亿。",
            [
                ("token_volume", 1e12, "day", N, N, "hunyuan", N),
                ("token_volume", 5e12, "day", N, N, "qwen", N),
            ],
        ),
        (
            "DeepSeek-V3和DeepSeek-R1的夜间百万tokens输入价格均降为1元。",
            [
                ("token_price", 1.0, N, "CNY", "input", "deepseek-v3", "off_peak"),
                ("token_price", 1.0, N, "CNY", "input", "deepseek-r1", "off_peak"),
            ],
        ),
        (
            "火山引擎发布豆包1.6。新模型的日均Token调用量突破16万亿。",
            [("token_volume", 1.6e13, "day", N, N, "doubao", N)],
        ),
        (
            "Last week, Chinese developers on OpenRouter used 1.2T tokens of DeepSeek-V3.",
            [("token_volume", 1.2e12, "week", N, N, "deepseek-v3", N)],
        ),
    ],
)
def test_attribution(text: str, expected: list[Row]) -> None:
    assert _metrics(text) == sorted(expected)


def test_offsets_index_the_original_traditional_text() -> None:
    text = "據悉，騰訊混元日均Token調用量突破1.5萬億。"
    ex = extract(text)
    assert [(e.text, e.id) for e in ex.entities] == [("騰訊", "tencent"), ("混元", "hunyuan")]
    (m,) = ex.metrics
    assert text[m.start : m.end] == "1.5萬億" and m.quote == text


@pytest.mark.parametrize(
    ("text", "categories"),
    [
        ("午后算力板块出现明显回调，中际旭创跌超6%。", {"market_sentiment"}),
        ("部分资金选择止盈离场，市场恐高情绪升温。", {"market_sentiment"}),
        (
            "Most generative AI pilots fail to reach production, the survey found.",
            {"adoption_shortfall"},
        ),
        ("企业端大模型渗透率仍低，商业化进展缓慢。", {"adoption_shortfall"}),
        (
            "The new model hallucinated more than its predecessor in internal tests.",
            {"technology_shortfall"},
        ),
        ("国产芯片算力受限，模型迭代速度放缓。", {"technology_shortfall"}),
        ("网信办表示，对违规提供生成式人工智能服务的平台将依法处理。", {"policy_regulatory"}),
        ("随着监管趋严，企业合规成本上升。", {"policy_regulatory"}),
        ("市場憂慮AI資本開支見頂，科網股遭大手沽售。", {"market_sentiment"}),
        # negation, hypotheticals and good news cancel
        ("公司表示商业化进展并未放缓。", set()),
        ("算力板块今日大涨，中际旭创涨超8%。", set()),
        ("The company behind the model raised $1 billion.", set()),
        ("管理层表示，公司并无受到出口管制影响。", set()),
    ],
)
def test_risk_trigger_times_aspect(text: str, categories: set[str]) -> None:
    assert {r.category for r in extract(text).risks} == categories
