"""Evidence, location and date spans for an event candidate, as offsets into the article text.

Location and date candidates are spaCy GPE/LOC/FAC and DATE entities, preferring the ones
syntactically attached to the trigger's clause ("in Basra", "on Wednesday"); the geo and dates
stages resolve them later.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from eventlens.model import Span

if TYPE_CHECKING:
    from spacy.tokens import Span as SpacySpan
    from spacy.tokens import Token

__all__ = [
    "SAY_VERBS", "after_dateline", "clause_bounds", "find_date", "find_location", "is_dateline", "to_span",
]

_PLACE_HEADS = frozenset(
    "airport area base camp capital center centre checkpoint church city county district governorate "
    "highway home hospital house market mosque neighborhood neighbourhood office outskirts province "
    "region residence road school state street suburb town village".split()
)
_TEMPORAL_RE = re.compile(
    r"(monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|march|april|may|june|"
    r"july|august|september|october|november|december|jan\.|feb\.|aug\.|sept?\.|oct\.|nov\.|dec\.|"
    r"yesterday|today|tonight|last|earlier|ago|this (week|month|morning|year)|overnight|\b(19|20)\d\d\b)",
    re.IGNORECASE,
)
_PLACE_PREPS = frozenset(
    "across along around at between close from in inside into near nearby of off on outside toward "
    "towards within".split()
)


def to_span(text: str, start: int, end: int) -> Span:
    """A model Span over ``text[start:end]`` with surrounding whitespace trimmed."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(text[start:end], start, end)


def clause_bounds(anchor: Token) -> tuple[int, int]:
    """Token bounds [start, end) of the anchor's own clause (conjoined clauses with a subject cut)."""
    left, right = anchor.left_edge.i, anchor.right_edge.i + 1
    for child in anchor.children:
        has_subject = any(c.dep_ in ("nsubj", "nsubjpass") for c in child.children)
        if child.dep_ in ("conj", "ccomp", "parataxis") and has_subject:
            if child.i > anchor.i:
                right = min(right, child.left_edge.i)
            else:
                left = max(left, child.right_edge.i + 1)
    doc = anchor.doc
    while right - 1 > left and (doc[right - 1].is_punct or doc[right - 1].dep_ == "cc"):
        right -= 1
    while left < right - 1 and (doc[left].is_punct or doc[left].dep_ == "cc"):
        left += 1
    return left, right


def _usable_place(ent: SpacySpan) -> bool:
    """Not a name modifier ("US installations"), unless it names a place ("his Baghdad home")."""
    tok = ent.root
    if tok.dep_ not in ("compound", "amod", "poss", "nmod"):
        return True
    for _ in range(4):
        if tok.dep_ not in ("compound", "amod", "poss", "nmod") or tok.head.i == tok.i:
            break
        tok = tok.head
    return tok.lemma_.lower() in _PLACE_HEADS


def _attached(ent: SpacySpan) -> bool:
    """Attached by a place preposition, as a place-noun modifier, or as the object of a strike
    ("shelled Kharkiv")."""
    return _place_near_prep(ent) or ent.root.dep_ in ("compound", "amod", "nmod", "dobj")


def _place_near_prep(ent: SpacySpan) -> bool:
    tok = ent.root
    for _ in range(4):
        if tok.dep_ == "pobj":
            return tok.head.lower_ in _PLACE_PREPS
        if tok.head.i == tok.i:
            return False
        tok = tok.head
    return False


def find_location(anchor: Token, trigger: Token, bounds: tuple[int, int]) -> SpacySpan | None:
    """The place entity the event happened at: in the clause, attached by a place preposition."""
    sent = anchor.sent
    ents = [e for e in sent.ents if e.label_ in ("GPE", "LOC", "FAC") and _usable_place(e)]
    inside = [e for e in ents if bounds[0] <= e.start and e.end <= bounds[1]]
    preferred = [e for e in inside if _attached(e)]
    if not preferred:
        return None
    return min(preferred, key=lambda e: abs(e.start - trigger.i))


def _is_temporal(ent: SpacySpan) -> bool:
    text = ent.text
    if text.strip().isdigit() and len(text.strip()) < 4:
        return False
    return bool(_TEMPORAL_RE.search(text))


#: verbs of saying: their subject is a source, their dates the saying's
SAY_VERBS = frozenset("say announce report claim tell add confirm state write".split())


def _date_of_saying(ent: SpacySpan, anchor: Token) -> bool:
    """ "The army said in a statement on Wednesday that its troops had repelled ...": the date of
    the saying, not of the event it reports."""
    verb = ent.root.head
    for _ in range(3):
        if verb.pos_ in ("VERB", "AUX") or verb.head.i == verb.i:
            break
        verb = verb.head
    return verb.lemma_.lower() in SAY_VERBS and verb.i != anchor.i and verb in anchor.ancestors


def find_date(anchor: Token, trigger: Token, bounds: tuple[int, int]) -> SpacySpan | None:
    """The date entity of the event's clause that reads as a point in time."""
    sent = anchor.sent
    ents = [
        e for e in sent.ents if e.label_ in ("DATE", "TIME") and bounds[0] <= e.start and e.end <= bounds[1]
    ]
    dated = [e for e in ents if e.label_ == "DATE" and _is_temporal(e) and not _date_of_saying(e, anchor)]
    if not dated:
        return None
    return min(dated, key=lambda e: abs(e.start - trigger.i))


_DASHES = frozenset({"—", "–", "--", "-", ":"})


def is_dateline(tok: Token, verb: Token) -> bool:
    """ "NASIRIYAH, Iraq, July 16 — Security forces opened fire": the dateline is no subject."""
    if tok.i - tok.sent.start > 1:
        return False
    return any(t.text in _DASHES for t in tok.doc[tok.i + 1 : verb.i])


def after_dateline(line: Token) -> Token | None:
    """ "NAIROBI, Kenya — Police in Nairobi fired": the parser hung the real subject on the dateline."""
    dash = next((t for t in line.doc[line.i + 1 : line.sent.end] if t.text in _DASHES), None)
    if dash is None:
        return None
    return next((c for c in line.children if c.dep_ == "appos" and c.i > dash.i), None)
