"""Doc extensions shared by the components (registered once, guarded)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from spacy.tokens import Doc
from spacy.util import minibatch

EXTENSIONS: dict[str, object] = {
    "tw_published": None,  # datetime.date | None, set before the pipeline runs
    "tw_entities": None,  # list[nlp.types.Entity]
    "tw_policies": None,  # list[nlp.types.PolicyInfo]
    "tw_metrics": None,  # list[nlp.types.Metric]
    "tw_risks": None,  # list[nlp.types.Risk]
    "tw_sents": None,  # list[tuple[int, int]] sentence char spans
    "tw_text": None,  # str: doc.text, cached (Doc.text joins every token on each access)
    "tw_norm": None,  # str: tw_text in simplified characters, same length (matching only)
}


def register_extensions() -> None:
    for name, default in EXTENSIONS.items():
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)


def doc_text(doc: Doc) -> str:
    """`doc.text`, computed once per Doc."""
    if doc._.tw_text is None:
        doc._.tw_text = doc.text
    return doc._.tw_text


def norm_text(doc: Doc) -> str:
    """`doc_text(doc)` in simplified characters (same length, so offsets carry over): every
    rule matches on this copy; surfaces and quotes are cut from the original."""
    if doc._.tw_norm is None:
        from nlp.normalize import to_simplified

        doc._.tw_norm = to_simplified(doc_text(doc))
    return doc._.tw_norm


def sentences(doc: Doc) -> list[tuple[int, int]]:
    """Sentence char spans of `doc`, computed once and cached on the Doc."""
    from nlp.text import sentence_spans

    if doc._.tw_sents is None:
        doc._.tw_sents = sentence_spans(doc_text(doc))
    return doc._.tw_sents


class BatchPipe:
    """`pipe` for a component: spaCy calls it where a component has one, so each batch goes
    through this component whole before the next component sees it. (Without it a document
    goes through every component before the next document starts, and each component's
    patterns and tables keep leaving the CPU caches: about 15% of a Chinese document's time
    in `bench/nlp.py`.)"""

    def __call__(self, doc: Doc) -> Doc:  # pragma: no cover - every component defines it
        raise NotImplementedError

    def pipe(self, docs: Iterable[Doc], batch_size: int = 32) -> Iterator[Doc]:
        for batch in minibatch(docs, size=batch_size):
            yield from [self(doc) for doc in batch]
