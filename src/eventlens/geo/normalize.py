"""Place-name normalisation: one exact key and one fuzzy "skeleton" key per name.

``name_key`` folds case, diacritics, apostrophes, hyphens and Arabic articles, so "Al-Basrah",
"al Basrah" and "Basrah" share a key. ``skeleton`` goes further for the fallback lookup only:
a consonant skeleton that merges transliteration variants (Basra/Basrah, Al-Dhalea/Ad Dhale'e/
Dhale, Khan Younis/Khan Yunis, Sheikh/Shaykh), used only when exact keys fail.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["ARTICLES", "admin_key", "is_latin", "name_key", "skeleton", "strip_marks", "word_key"]

#: Arabic (and a few other) definite articles written as separate or hyphenated words.
ARTICLES = frozenset(
    "al el il ul ad ed ud ag ash esh ush as es us ar er ur at et ut ath eth adh edh az ez uz an en un "
    "ol".split()
)
_APOSTROPHES = re.compile(r"['`´ʼʻʾʿ‘’ʹ′\"]")
_SEPARATORS = re.compile(r"[^a-z0-9]+")
_SKELETON_MAP = (
    ("ph", "f"), ("ck", "k"), ("kh", "k"), ("gh", "g"), ("dh", "d"), ("th", "t"), ("dj", "j"),
    ("zh", "j"), ("ch", "sh"), ("q", "k"), ("c", "k"), ("x", "ks"), ("v", "w"), ("z", "s"),
)
_VOWELISH = frozenset("aeiouyw")


def strip_marks(text: str) -> str:
    """Text without diacritics (NFKD, combining marks dropped); other characters kept."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def is_latin(text: str) -> bool:
    """True when the name is written in Latin letters (after removing diacritics)."""
    letters = [c for c in strip_marks(text) if c.isalpha()]
    return bool(letters) and all("a" <= c.lower() <= "z" for c in letters)


def _tokens(name: str) -> list[str]:
    text = _APOSTROPHES.sub("", strip_marks(name).lower())
    text = text.replace("ı", "i").replace("ø", "o").replace("æ", "ae").replace("ß", "ss")
    return [t for t in _SEPARATORS.split(text) if t]


def name_key(name: str) -> str:
    """The exact lookup key: lower case ASCII words without articles, single-spaced.

    A name that is only an article (or empty) keeps its words so it never becomes "".
    """
    tokens = _tokens(name)
    kept = [t for t in tokens if t not in ARTICLES]
    return " ".join(kept or tokens)


def word_key(text: str) -> str:
    """``name_key`` of one token without the article fallback ("" for "al"); joining the word keys
    of a run of tokens with spaces (empty ones dropped) gives the run's ``name_key``."""
    return " ".join(t for t in _tokens(text) if t not in ARTICLES)


def skeleton(key: str) -> str:
    """A consonant skeleton of a ``name_key``: the fuzzy fallback key ("" when too short).

    The first letter of the name is kept; later vowels and y/w are dropped, digraphs mapped
    (kh→k, q→k, dh→d ...), a final h dropped and doubled letters collapsed.
    """
    text = key.replace(" ", "")
    if not text:
        return ""
    for old, new in _SKELETON_MAP:
        text = text.replace(old, new)
    if len(text) > 3 and text.endswith("h") and text[-2] in _VOWELISH:
        text = text[:-1]
    out = [text[0]]
    for ch in text[1:]:
        if ch in _VOWELISH:
            continue
        if ch != out[-1]:
            out.append(ch)
    result = "".join(out)
    return result if len(result) >= 2 else ""


_ADMIN_WORDS = frozenset(
    "province governorate region state oblast oblast' district division department county city municipality "
    "territory prefecture krai republic autonomous special capital federal".split()
)


def admin_key(name: str) -> str:
    """A key under which the tiers' spellings of one admin unit agree ("Kharkivs'ka Oblast'" / "Kharkiv",
    "Rif-dimashq" / "Rif Dimashq", "Kyiv City" / "Kyiv"): the skeleton's first four letters of the name
    less its kind words. Compare it within one country only."""
    words = [w for w in name_key(name).split() if w not in _ADMIN_WORDS]
    key = skeleton(" ".join(words)) if words else skeleton(name_key(name))
    return key[:4]
