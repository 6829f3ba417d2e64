"""`tokenwatch.zh_runs_tokenizer.v1`: a light Chinese tokenizer.

Every component works on characters (KB trie, regex grammars, character sentence spans), so
word segmentation bought nothing but cost more than all rules together. Tokens are runs of
up to four CJK characters, Latin words, numbers and single punctuation marks; whitespace is
kept so `doc.text` is the input, character for character.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from spacy.tokens import Doc
from spacy.util import registry
from spacy.vocab import Vocab

_RUN_RE = re.compile(
    r"([\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]{1,4}|[A-Za-z]+|\d+(?:[.,]\d+)*|\S)(\s*)"
)


class RunTokenizer:
    def __init__(self, vocab: Vocab) -> None:
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        words: list[str] = []
        spaces: list[bool] = []
        pos = len(text) - len(text.lstrip())
        if pos:
            words.append(text[:pos])
            spaces.append(False)
        runs = _RUN_RE.findall(text, pos)
        if not any(space for _, space in runs):  # most Chinese text: no whitespace at all
            words += [word for word, _ in runs]
            spaces += [False] * len(runs)
            return Doc(self.vocab, words=words, spaces=spaces)
        for word, space in runs:
            words.append(word)
            if space == " ":
                spaces.append(True)
            else:
                spaces.append(False)
                if space:
                    words.append(space)
                    spaces.append(False)
        return Doc(self.vocab, words=words, spaces=spaces)


@registry.tokenizers("tokenwatch.zh_runs_tokenizer.v1")
def create_run_tokenizer() -> Callable[..., RunTokenizer]:
    def make(nlp: object) -> RunTokenizer:
        return RunTokenizer(nlp.vocab)  # type: ignore[attr-defined]

    return make
