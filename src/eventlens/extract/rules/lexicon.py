"""The cue lexicon of ``rules.v1``: words and phrases that signal an event family or sub-type.

The phrases live in ``data/cues.tsv`` (written by the eventlens project from the ACLED codebook's
sub-event definitions; see ONTOLOGY.md). A cue is a phrase of lemmas matched with spaCy's PhraseMatcher,
built once per vocabulary. ``family`` groups cues whose final sub-event type depends on context
(who hit whom, with what); ``sub`` is set when the cue alone decides the sub-event type.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

__all__ = ["Cue", "CueMatcher", "build_matcher", "cue_by_key", "load_cues"]


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


def _inflections(word: str) -> set[str]:
    """Surface forms of a cue word, for when the lemmatizer misses ("raped" -> "rap")."""
    forms = {word, word + "s", word + "es", word + "d", word + "ed", word + "ing"}
    if word.endswith("e"):
        forms.add(word[:-1] + "ing")
    if word[-1:] not in "aeiouwy" and word[-2:-1] in tuple("aeiou"):
        forms.update({word + word[-1] + "ed", word + word[-1] + "ing"})
    return forms


def _surface_variants(phrase: str) -> set[str]:
    """The phrase with its first or its last word inflected ("gunned down", "car bombs")."""
    words = phrase.split()
    out = {" ".join([w, *words[1:]]) for w in _inflections(words[0])}
    if len(words) > 1:
        out |= {" ".join([*words[:-1], w]) for w in _inflections(words[-1])}
    return out


class CueMatcher:
    """Two spaCy PhraseMatchers (hash look-ups, linear in tokens): one over lemmas, one over
    lower-cased inflected surface forms. Build once per vocabulary and reuse."""

    def __init__(self, vocab: Vocab) -> None:
        from spacy.matcher import PhraseMatcher
        from spacy.tokens import Doc

        self.vocab = vocab
        self._lemma = PhraseMatcher(vocab, attr="LEMMA")
        self._lower = PhraseMatcher(vocab, attr="LOWER")
        for cue in load_cues():
            lemma_docs = [Doc(vocab, words=p.split(), lemmas=p.split()) for p in cue.phrases]
            surface = sorted({v for p in cue.phrases for v in _surface_variants(p)})
            self._lemma.add(cue.key, lemma_docs)
            self._lower.add(cue.key, [Doc(vocab, words=v.split()) for v in surface])

    def __call__(self, doc: Doc) -> list[tuple[int, int, int]]:
        """(cue key id, start token, end token) for every match, possibly overlapping."""
        return sorted(set(self._lemma(doc)) | set(self._lower(doc)))


def build_matcher(vocab: Vocab) -> CueMatcher:
    """The cue matcher for a vocabulary."""
    return CueMatcher(vocab)
