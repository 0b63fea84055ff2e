"""The cue lexicon of ``rules.v1``: words and phrases that signal an event family or sub-type.

The phrases live in ``data/cues.tsv`` (written by the eventlens project from the ACLED codebook's
sub-event definitions; see ONTOLOGY.md). A cue is a phrase of lemmas matched with spaCy's Matcher,
built once per vocabulary. ``family`` groups cues whose final sub-event type depends on context
(who hit whom, with what); ``sub`` is set when the cue alone decides the sub-event type.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.matcher import Matcher
    from spacy.vocab import Vocab

__all__ = ["Cue", "build_matcher", "cue_by_key", "load_cues"]


@dataclass(frozen=True, slots=True)
class Cue:
    """One lexical cue: ``key`` is the Matcher label, ``phrase`` space-separated lemmas."""

    key: str
    family: str
    sub: str | None
    strength: float
    phrases: tuple[str, ...]
    nominal: bool = False


def _parse_row(line: str) -> Cue:
    key, family, sub, strength, nominal, phrases = line.split("\t")
    return Cue(
        key=key,
        family=family,
        sub=None if sub == "-" else sub,
        strength=float(strength),
        phrases=tuple(p.strip() for p in phrases.split("|") if p.strip()),
        nominal=nominal == "1",
    )


@lru_cache(maxsize=1)
def load_cues() -> tuple[Cue, ...]:
    """The packaged cue lexicon (``data/cues.tsv``), read once."""
    text = resources.files("eventlens").joinpath("data", "cues.tsv").read_text(encoding="utf-8")
    return tuple(_parse_row(line) for line in text.splitlines() if line.strip() and not line.startswith("#"))


@lru_cache(maxsize=1)
def _by_key() -> dict[str, Cue]:
    return {c.key: c for c in load_cues()}


def cue_by_key(key: str) -> Cue:
    return _by_key()[key]


def _token_pattern(word: str) -> dict[str, object]:
    if word == "-":
        return {"ORTH": "-"}
    forms = sorted({word, word.capitalize(), word.upper()})
    return {"LEMMA": {"IN": forms}}


def _inflections(word: str) -> list[str]:
    """Surface forms of a cue word, for when the lemmatizer misses ("raped" -> "rap")."""
    forms = {word, word + "s", word + "es", word + "d", word + "ed", word + "ing"}
    if word.endswith("e"):
        forms.add(word[:-1] + "ing")
    if word[-1:] not in "aeiouwy" and word[-2:-1] in tuple("aeiou"):
        forms.update({word + word[-1] + "ed", word + word[-1] + "ing"})
    return sorted(forms)


def _surface_pattern(word: str) -> dict[str, object]:
    if word == "-":
        return {"ORTH": "-"}
    return {"LOWER": {"IN": _inflections(word)}}


def build_matcher(vocab: Vocab) -> Matcher:
    """A spaCy Matcher over lemmas (and inflected surface forms) with one label per cue.

    Build it once per vocabulary and reuse it.
    """
    from spacy.matcher import Matcher

    matcher = Matcher(vocab)
    for cue in load_cues():
        patterns = [[_token_pattern(w) for w in phrase.split()] for phrase in cue.phrases]
        patterns += [[_surface_pattern(w) for w in phrase.split()] for phrase in cue.phrases]
        matcher.add(cue.key, patterns)
    return matcher
