"""Numbers as news text writes them: digits with thousands separators, number words, hyphenated
tens ("twenty-three", however the tokenizer split it) and quantity nouns ("dozens" = 12).

A figure is read from one token (or one hyphenated compound): two figures are never joined into one.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Token

__all__ = ["UNITS", "is_number_word", "number_value"]

_ONES = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80}
_TENS["ninety"] = 90
UNITS = {
    **_ONES,
    **_TENS,
    "a": 1,
    "an": 1,
    "single": 1,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "hundred": 100,
    "thousand": 1000,
    "dozen": 12,
    "dozens": 12,
    "tens": 10,
    "hundreds": 100,
    "thousands": 1000,
    "scores": 20,
    "couple": 2,
    "pair": 2,
    "both": 2,
}
_DIGITS = re.compile(r"^\d{1,3}(,\d{3})*$|^\d+$")


def number_value(tok: Token) -> int | None:
    """The integer a number token stands for ("14", "four", "twenty-three", "dozens"), else None."""
    low = tok.lower_
    if _DIGITS.match(low):
        return int(low.replace(",", ""))
    compound = _hyphenated(tok)
    if compound is not None:
        return compound
    value = UNITS.get(low)
    if value is None or low in {"a", "an"}:
        return None
    return value


def _hyphenated(tok: Token) -> int | None:
    """ "twenty-three", split by the tokenizer into "twenty - three" or kept whole: 23 from either part."""
    low, doc, i = tok.lower_, tok.doc, tok.i
    tens, _, ones = low.partition("-")
    if tens in _TENS and ones in _ONES:
        return _TENS[tens] + _ONES[ones]
    if low in _ONES and i >= 2 and doc[i - 1].text == "-" and doc[i - 2].lower_ in _TENS:
        return _TENS[doc[i - 2].lower_] + _ONES[low]
    if low in _TENS and i + 2 < len(doc) and doc[i + 1].text == "-" and doc[i + 2].lower_ in _ONES:
        return _TENS[low] + _ONES[doc[i + 2].lower_]
    return None


def is_number_word(tok: Token) -> bool:
    return number_value(tok) is not None and (tok.tag_ == "CD" or tok.lower_ in UNITS or "-" in tok.text)
