"""How strongly a place name in a sentence is attached to the event told there.

"in / near / outside X" attaches; a visiting leader's destination ("flew to X"), a possessive
("Iraq's"), a noun modifier ("Basra police") and the dateline (where the reporter files from)
do not. The scores rank the candidate names of one sentence; a negative best score means none.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from eventlens.geo.resolve import Resolved
from eventlens.geo.toponyms import Toponym

if TYPE_CHECKING:
    from spacy.tokens import Doc

__all__ = ["attachment", "is_source", "precision", "rank"]

_TOWN = frozenset({"PPL", "PPLC", "NBHD", "AIRB", "CAMP", "CRSG", "FAC"})
_GRAN = {"PCL": 0.0, "ADM1": 1.0, "RGN": 1.0, "ADM2": 2.0, "AREA": 2.0}
_COMPASS = r"(((north|south)[ -]?)?(east|west)|north|south|central|centre|center)(ern)?"
_LOCATIVE = re.compile(r"\b((in|near|outside|at|around|across|inside|within|into|on|towards?|between)"
                       rf"\s+(the\s+)?({_COMPASS}\s+)?|(outskirts of|of|from)\s+(the\s+)?)$", re.I)
_AWAY = re.compile(r"\b(visit(s|ed|ing)?( to)?|trip to|travel(l?ed|s|ling)? to|flew to|returned to|"
                   r"(go|goes|going|went|head(s|ed|ing)?) to|"
                   r"arrived in|envoy to|ambassador to|based in|headquartered in|talks in|"
                   r"summit in|conference in|fled to)\s+(the\s+)?$", re.I)
_NEAR = re.compile(r"\b(near|outside|outskirts of|close to|vicinity of|(north|south|east|west|northeast|"
                   r"northwest|southeast|southwest)(ern)?( of)?|km from|kilometres from|kilometers from|"
                   r"miles from|around|countryside of|rural|surroundings of|between|road (to|from)|"
                   r"(travell?ing|driving|heading|moving|on its way|on their way|en route) (from|towards?))"
                   r"\s+(the\s+)?"
                   r"((town|village|city|area) of\s+)?$", re.I)
_NEAR_AFTER = re.compile(
    r"^\s*('s)?\s*(district|countryside|outskirts|suburbs?|area|region|environs)\b", re.I
)
_PLACE_NOUNS = frozenset(
    "province governorate region state oblast district county township territory city town village camp "
    "area countryside outskirts suburb suburbs neighbourhood neighborhood valley crossing border front "
    "municipality locality lga division home house residence office headquarters base airport hospital "
    "market mosque church school university prison checkpoint street road highway bridge port".split()
)
_DATELINE_PENALTY = 3.0
_SOURCE = re.compile(r"\b(spokes(man|woman|person)|correspondents?|reporters|journalists|statement|said|"
                     r"news conference|press conference|speaking|briefing)\s+in\s+$", re.I)


def rank(feature: str) -> float:
    """Finer places rank higher: town 3, district 2, region 1, country 0."""
    return 3.0 if feature in _TOWN else _GRAN.get(feature, 1.0)


def attachment(doc: Doc, text: str, top: Toponym, res: Resolved, anchor: int, dateline: bool) -> float:
    """The score of ``top`` (resolved as ``res``) in ``text`` (the parsed ``doc``'s text) as the place
    of an event triggered at ``anchor``."""
    score = rank(res.record.feature)
    before = text[max(0, top.start - 45) : top.start]
    if _AWAY.search(before) or is_source(text, top):
        score -= 5.0
    elif _LOCATIVE.search(before):
        score += 2.0
    after = text[top.end : top.end + 8]
    if after.startswith(("'s", "’s", "-")):
        score -= 2.5
    elif _is_modifier(doc, top):
        score -= 1.5
    if res.fuzzy:
        score -= 1.0
    if dateline:
        score -= _DATELINE_PENALTY
    return score - min(1.5, abs(top.start - anchor) / 400.0)


def is_source(text: str, top: Toponym) -> bool:
    """Where a spokesman or reporter speaks from ("a police spokesman in Gusau told reporters"), not
    where the event happened."""
    return bool(_SOURCE.search(text, max(0, top.start - 45), top.start))


def _is_modifier(doc: Doc, top: Toponym) -> bool:
    """True for a name used as a noun modifier ("US installations", "Basra police")."""
    span = doc.char_span(top.start, top.end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return False
    last = span[-1]
    head = last.head
    return (last.dep_ in ("compound", "amod", "nmod") and head.i > last.i and head.pos_ == "NOUN"
            and head.lower_ not in _PLACE_NOUNS)


def precision(res: Resolved, top: Toponym | None, text: str) -> int:
    """ACLED geo-precision: 1 the town itself, 2 near it or a district, 3 a region or country."""
    rec = res.record
    if rec.feature in ("PCL", "ADM1", "RGN"):
        return 3
    if rec.feature in ("ADM2", "AREA") or res.kind == "district":
        return 2
    if top is not None and (_NEAR.search(text[max(0, top.start - 40) : top.start])
                            or _NEAR_AFTER.match(text[top.end : top.end + 20])):
        return 2
    return 1
