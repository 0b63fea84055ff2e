"""Upper-case copy ("SEVEN FIGHTERS WERE KILLED ..."): decided once per article, in cleaning.

Wire services and old teleprinter archives (MUC-4) write whole stories in capitals. There, case
says nothing: a capitalised word is no name, and spaCy's tagger and parser guess worse. Cleaning
decides it once (:attr:`eventlens.model.Article.upper_case`); every later stage reads that flag.
"""

from __future__ import annotations

import re

__all__ = ["UPPER_CASE_KEY", "upper_case"]

#: where parsing leaves the article's flag on its spaCy Doc (``doc.user_data``)
UPPER_CASE_KEY = "eventlens.upper_case"

#: what the decision looks at: the first 200 tokens (words, or single punctuation marks)
_TOKENS = re.compile(r"[^\W\d_]+|\d+|[^\w\s]")
_SAMPLE_TOKENS = 200


def upper_case(text: str) -> bool:
    """True when at least 60% of the words (two letters or more) in the first 200 tokens are in
    capitals, and there are at least four of them."""
    words: list[str] = []
    for n, m in enumerate(_TOKENS.finditer(text)):
        if n >= _SAMPLE_TOKENS:
            break
        word = m.group(0)
        if len(word) > 1 and word.isalpha():
            words.append(word)
    return len(words) >= 4 and sum(w.isupper() for w in words) >= 0.6 * len(words)
