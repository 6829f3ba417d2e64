"""`tokenwatch.token_metrics.v1`: token volumes, token prices and price changes.

Modules by concern: `grammar` (number + unit), `periods`, `volumes`, `prices`, `tariffs`
(conditions), `changes` (price changes), `attribution` (subjects), `filters` (distractors),
`rules` (the sentence loop that composes them) and this module (the spaCy component).

The rules compose: a number grammar (`nlp.numbers`: 30万亿, 1.3 quadrillion, 3兆, 1-2万亿 →
its lower bound) × a unit grammar (token words, per-unit price denominators) × a period
grammar (日均, weekly, 上周, per month — in the figure's clause, else anywhere in its sentence)
× subject attribution. Matching runs on the simplified copy of the text (`norm_text`), so
traditional script (萬億, 詞元, 調用量) reads like simplified; quotes come from the original.

Conventions (also what the dev set is annotated with):
- `token_volume` is tokens per `period` (null for cumulative totals); `token_price` is the
  price per 1,000,000 tokens; `price_change` a signed fraction. Both the old and the new
  price of a cut are reported ("从0.02元/千tokens降至0.0005元/千tokens" → 20 and 0.5 CNY).
- A figure "a year ago" / 一年前 / 去年同期 is a separate, earlier observation (as_of one
  year before the figure it is compared with), not a period.
- `condition` names the tariff: `off_peak` (夜间, 闲时, off-peak), `peak`, or a context tier by
  its upper bound (`context<=32k`) or, for the open top tier, its lower bound (`context>200k`).
- Comparisons with another product (比行业便宜99.3%, 60% cheaper than X) are not price
  changes; GPU/server rental prices, stock moves, rate limits (TPM/RPM), parameter counts,
  user counts, API call counts and revenue yield no metric.
- subject: the nearest entity (model, company) or country (中国 -> `cn`) before the figure in
  its clause, else before it in the sentence, else after it in the sentence, else the nearest
  subject named before the sentence (the previous figure's subject or a later entity). Where
  that nearest name is a company and a model is named before the figure too, the model wins.
  Lists: "A和B…分别为X和Y" / "A and B … respectively" pair subjects and figures in order;
  "A和B…均为X" reports X for each. Research firms, brokers, agencies and policies are
  sources, not subjects.
- as_of: the nearest date before the figure in its sentence, else the first after it in its
  clause, else the publication date.
- one observation per fact: the same figure (kind, value, period, currency, side, condition,
  subject) repeated in a document (title, lead, body) is reported once, at its first mention.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import registry

from nlp.components.metrics.rules import MetricRules

__all__ = ["MetricRules", "TokenMetrics"]


@registry.misc("tokenwatch.token_metrics.v1")
def token_metric_rules() -> MetricRules:
    return MetricRules()


@Language.factory(
    "tokenwatch_token_metrics",
    assigns=["doc._.tw_metrics"],
    requires=["doc._.tw_entities"],
    default_config={"rules": {"@misc": "tokenwatch.token_metrics.v1"}},
)
def make_token_metrics(nlp: Language, name: str, rules: MetricRules) -> TokenMetrics:
    return TokenMetrics(rules)


class TokenMetrics:
    def __init__(self, rules: MetricRules) -> None:
        self.rules = rules

    def __call__(self, doc: Doc) -> Doc:
        doc._.tw_metrics = self.rules.run(doc, doc._.tw_published)
        return doc
