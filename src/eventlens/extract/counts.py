"""Fatality and injury counts, ACLED-style: deaths only, the most conservative reported figure.

Vague amounts follow the codebook: "a dozen"/"dozens" = 12, "tens" = 10, "hundreds" = 100;
deaths reported without a number count 3 for a small event and 10 for a large one; a single
named or singular victim counts 1; an explicit "no one was killed" counts 0.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from eventlens.extract.spans import after_dateline, is_dateline

if TYPE_CHECKING:
    from spacy.tokens import Token

__all__ = ["Counts", "count_casualties", "number_value", "people_count"]

_UNITS = {
    "one": 1,
    "a": 1,
    "an": 1,
    "single": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
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
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
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
_QUANTITY_NOUNS = frozenset({"dozen", "dozens", "tens", "hundreds", "thousands", "scores"})
_VAGUE_SMALL = {"several", "some", "few", "a few", "a number"}
_VAGUE_LARGE = {"many", "numerous", "scores", "mass"}
_DIGITS = re.compile(r"^\d{1,3}(,\d{3})*$|^\d+$")
_LETHAL = frozenset(
    "assassinate assassination behead body dead death die execute fatality kill killing life lynch "
    "massacre murder slay toll".split()
)
_HURT = {"wound", "injure", "injury", "hurt", "wounded", "injured", "casualty"}
_NEGATIVE = {"no", "nobody", "none", "nothing"}
_PLURAL_TAGS = {"NNS", "NNPS"}


@dataclass(frozen=True, slots=True)
class Counts:
    fatalities: int | None
    injuries: int | None


def number_value(tok: Token) -> int | None:
    """The integer a number token stands for ("14", "four", "dozens"), else None."""
    low = tok.lower_
    if _DIGITS.match(low):
        return int(low.replace(",", ""))
    value = _UNITS.get(low)
    if value is None or low in {"a", "an"}:
        return None
    return value


def people_count(head: Token) -> int | None:
    """How many people a noun phrase names: its number modifier, conjuncts, or 1 if singular.
    Counted conjuncts add up ("four workers and two soldiers" = 6)."""
    own = _own_count(head)
    conjuncts = [c for c in head.children if c.dep_ == "conj"]
    if own is None or not conjuncts:
        return own
    counts = [_own_count(c) for c in conjuncts]
    known = [n for n in counts if n is not None]
    return own + sum(known) if len(known) == len(counts) else own


def _own_count(head: Token) -> int | None:
    if head.lower_ in _NEGATIVE or any(c.lower_ in _NEGATIVE for c in head.children if c.dep_ == "det"):
        return 0
    for mod in (c for c in head.children if c.dep_ == "amod" and c.lower_ in ("more", "other")):
        inner = [number_value(n) for n in mod.children if n.dep_ in ("nummod", "npadvmod")]
        if any(v is not None for v in inner):
            return min(v for v in inner if v is not None)
    modifiers = [c for c in head.children if c.dep_ in ("nummod", "quantmod", "det", "amod")]
    modifiers += [q for c in modifiers if c.dep_ == "nummod" for q in c.children if q.tag_ == "CD"]
    nums = [v for c in modifiers for v in [number_value(c)] if v is not None]
    if head.lower_ in _QUANTITY_NOUNS:
        nums.append(_UNITS[head.lower_])  # "Dozens of villagers", "Hundreds were killed"
    if head.tag_ == "CD":
        value = number_value(head)
        if value is not None:
            nums.append(value)
    if nums:
        return min(nums)
    if head.tag_ in _PLURAL_TAGS:
        return None
    if head.pos_ in ("PROPN", "NOUN", "PRON") and head.lower_ not in ("people", "others", "they"):
        return 1
    return None


def _vague(tokens: list[Token]) -> int | None:
    lows = {t.lower_ for t in tokens}
    if lows & _VAGUE_LARGE:
        return 10
    if lows & _VAGUE_SMALL:
        return 3
    return None


def _victim_heads(word: Token) -> list[Token]:
    """Nouns that say who died or was hurt, relative to a lethal/hurt word."""
    kids = {c.dep_: c for c in word.children}
    if word.pos_ == "VERB":
        if word.lemma_.lower() in ("die", "perish"):
            return [k for d, k in kids.items() if d == "nsubj"]
        found = [k for d, k in kids.items() if d in ("dobj", "nsubjpass")]
        return found or _next_counted_noun(word)
    if word.lower_ in ("dead", "wounded", "injured", "hurt") and word.dep_ in (
        "acomp",
        "oprd",
        "amod",
        "xcomp",
    ):
        head = word.head
        if word.dep_ == "amod":
            return [head]
        return [c for c in head.children if c.dep_ in ("dobj", "nsubjpass", "nsubj") and c.i != word.i]
    if word.lower_ in ("dead", "wounded", "injured") and any(c.dep_ == "nummod" for c in word.children):
        return [word]
    if word.lemma_.lower() == "toll" and word.dep_ == "nsubj" and word.head.pos_ in ("VERB", "AUX"):
        verb = word.head  # "the death toll has risen to 12", "the toll reached 30"
        objs = [c for c in verb.children if c.dep_ in ("dobj", "attr") and c.tag_ == "CD"]
        objs += [
            p for c in verb.children if c.dep_ == "prep" and c.lower_ in ("to", "at") for p in c.children
        ]
        found = [t for t in objs if t.tag_ == "CD"]
        if found:
            return found
    if word.pos_ == "NOUN":
        found = [c for c in word.children if c.dep_ == "nummod"]
        found += [
            p
            for c in word.children
            if c.dep_ == "prep" and c.lower_ in ("of", "among")
            for p in c.children
            if p.dep_ == "pobj"
        ]
        return found
    return []


def _next_counted_noun(verb: Token) -> list[Token]:
    """ "killing at least nine people, ... said": the parser made the victims another verb's
    subject; the counted noun right after the verb still names them."""
    for tok in verb.doc[verb.i + 1 : min(verb.i + 6, verb.sent.end)]:
        if tok.pos_ in ("NOUN", "PROPN") and any(c.dep_ == "nummod" for c in tok.children):
            return [tok]
        if tok.pos_ in ("VERB", "AUX") or tok.text in ",;":
            return []
    return []


def _past_dateline(head: Token, verb: Token) -> Token | None:
    """ "MARIB, YEMEN -- NINE FIGHTERS WERE KILLED": the victims, not the dateline town."""
    if verb.i > head.i and is_dateline(head, verb):
        return after_dateline(head)
    return head


_TIME_WORDS = frozenset("today yesterday tonight morning evening night weekend".split())


def _count_for(words: list[Token]) -> int | None:
    found: list[int] = []
    for word in words:
        for found_head in _victim_heads(word):
            head = _past_dateline(found_head, word)
            if head is None or head.ent_type_ in ("DATE", "TIME") or head.lower_ in _TIME_WORDS:
                continue  # "SEVEN FIGHTERS WERE KILLED TODAY": a misparsed time is no victim
            n = people_count(head)
            if n is not None and not (head.lemma_ in _LETHAL and n == 1 and head.tag_ != "CD"):
                found.append(n)
        own = number_value(word) if word.tag_ == "CD" else None
        if own is not None:
            found.append(own)
    return min(found) if found else None


def count_casualties(
    clause: list[Token], violent: bool, unreported: int | None = None, lethal_words: tuple[Token, ...] = ()
) -> Counts:
    """Deaths and injuries reported in a clause (tokens of one event's evidence).

    ``unreported`` is the death count when the clause names no deaths at all: 0 for an
    explicitly non-lethal act ("shot at", "wounded"), None (unknown) otherwise.
    """
    if not violent:
        return Counts(0, None)
    lethal = [t for t in clause if t.lemma_.lower() in _LETHAL or t.lower_ in ("dead", "killed")]
    lethal += [t for t in lethal_words if t not in lethal]
    hurt = [t for t in clause if t.lemma_.lower() in _HURT or t.lower_ in ("wounded", "injured")]
    deaths = _count_for(lethal) if lethal else 0
    if lethal and deaths is None:
        deaths = _vague(clause) or 3
    injuries = _count_for(hurt) if hurt else None
    if hurt and injuries is None:
        injuries = _vague(clause)
    if not lethal:
        deaths = 0 if hurt else unreported
    return Counts(deaths, injuries)
