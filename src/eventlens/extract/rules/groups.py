"""What a group of cue hits tells, read off the parse around it: the evidence clause, the casualty
counts, and whether it is a back-reference, a generic mention, a crowd only speaking or victims
only described (the tests :class:`eventlens.extract.rules.coder.RuleExtractor` codes a group by).
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

from eventlens.extract.arguments.counts import Counts, count_casualties
from eventlens.extract.arguments.spans import clause_bounds
from eventlens.extract.rules.candidates import Group

if TYPE_CHECKING:
    from spacy.tokens import Token

__all__ = [
    "agreed",
    "casualty_counts",
    "crowd_speaking",
    "described_victims",
    "evidence_bounds",
    "is_generic_nominal",
    "points_back",
    "realized_purpose",
]

_DEFINITE = {"the", "this", "that", "these", "those"}
_SPEECH_VERBS = frozenset(
    "accuse add allege argue believe blame claim complain describe deny insist say tell warn".split()
)
_NO_DEATHS = re.compile(
    r"\b(no one|nobody|none) (was|were) (killed|hurt|injured|harmed)|"
    r"\bno (casualties|deaths|fatalities|one died)\b|without (casualties|loss of life)",
    re.I,
)


def evidence_bounds(anchor: Token) -> tuple[int, int]:
    """Token bounds of the evidence: the anchor's clause (its main clause for a when-clause), the
    event noun's phrase, or the sentence when those are too short to read alone."""
    toll = next((t for t in anchor.ancestors if t.lemma_.lower() == "toll"), None)
    if toll is not None:
        bounds = (anchor.sent.start, anchor.sent.end)  # the toll sentence tells the event
    elif _is_when_clause(anchor):
        bounds = clause_bounds(anchor.head)  # "8 people died when a car bomb exploded"
    elif anchor.pos_ in ("VERB", "AUX"):
        bounds = clause_bounds(anchor)
    else:
        bounds = (anchor.left_edge.i, anchor.right_edge.i + 1)
    if bounds[1] - bounds[0] < 4:
        bounds = (anchor.sent.start, anchor.sent.end)
    return bounds


def casualty_counts(group: Group, clause: list[Token], violent: bool) -> Counts:
    lethal = tuple(h.head for h in group.hits if h.cue.family == "kill")
    toll = next((t for t in group.anchor.ancestors if t.lemma_.lower() == "toll"), None)
    if toll is not None and violent:
        lethal += (toll,)  # "the death toll from Saturday's shooting has risen to 12"
        clause = clause + [t for t in toll.head.subtree if t not in clause]
    only_hurt = "hurt" in group.families and not group.families & {"kill", "weapon"}
    counts = count_casualties(clause, violent, 0 if only_hurt else None, lethal)
    if violent and counts.fatalities is None and _NO_DEATHS.search(group.anchor.sent.text):
        counts = replace(counts, fatalities=0)
    return counts


def crowd_speaking(group: Group) -> str | None:
    """ "The protesters blamed officials for corruption": a crowd named only as the one speaking."""
    if group.families == {"protest"} and group.nominal_only and group.anchor.lemma_.lower() in _SPEECH_VERBS:
        return "a protest crowd named as speaker"
    return None


def agreed(group: Group, sub: str) -> bool:
    """ "Hamas and Israel agreed to exchange prisoners": the agreeing is the (asserted) agreement."""
    head = group.anchor.head
    return sub == "Agreement" and head.lemma_.lower() in ("agree", "sign") and head.tag_ in ("VBD", "VBN")


def realized_purpose(group: Group) -> bool:
    """ "Farmers blocked highways to protest a tax": a protest purpose of a done act is a protest."""
    anchor = group.anchor
    return "protest" in group.families and anchor.dep_ == "advcl" and anchor.head.tag_ == "VBD"


def _is_when_clause(anchor: Token) -> bool:
    """A "when"/"as" clause that says how the event of its main clause happened."""
    return anchor.dep_ == "advcl" and any(
        c.dep_ == "advmod" and c.lower_ in ("when", "as") for c in anchor.children
    )


_COUNTED_BY = frozenset("number toll names families identities identity fate whereabouts".split())


def described_victims(group: Group) -> bool:
    """ "the number of people abducted": victims of a told event, described by a participle."""
    anchor = group.anchor
    if anchor.i not in {h.head.i for h in group.hits}:
        return False
    if any(c.dep_ in ("nsubj", "nsubjpass") and c.lemma_.lower() in _COUNTED_BY for c in anchor.children):
        return not any(c.dep_ == "dobj" for c in anchor.children)  # misparsed "the number ... abducted"
    if anchor.dep_ != "acl" or anchor.tag_ != "VBN":
        return False
    noun = anchor.head
    if any(c.dep_ == "nummod" for c in noun.children):
        return False
    of = noun.head
    return of.lower_ == "of" and of.head.lemma_.lower() in _COUNTED_BY


def points_back(group: Group) -> bool:
    """ "Her killing", "the attack": an event noun that only points back to a told event."""
    if described_victims(group):
        return True
    if any(t.lemma_.lower() == "toll" for t in group.anchor.ancestors):
        return False  # "the death toll from Friday's bombing": the event the story is about
    if not group.nominal_only or group.anchor.i in {h.head.i for h in group.hits if not h.is_nominal}:
        return False
    noun = group.hits[0].head
    kids = list(noun.children)
    definite = any(c.dep_ == "poss" or (c.dep_ == "det" and c.lower_ in _DEFINITE) for c in kids)
    specific = any(
        c.dep_ == "nummod" or c.ent_type_ in ("DATE", "GPE") for c in noun.subtree if c.i != noun.i
    )
    return definite and not specific


def is_generic_nominal(group: Group, has_place_or_date: bool, in_quote: bool) -> bool:
    """Event nouns with nothing specific: "rocket attacks on US installations", or that only
    hang off another noun inside a quote ("involvement in the mass killing of ...")."""
    if not group.nominal_only:
        return False
    noun = group.anchor if group.anchor.pos_ in ("NOUN", "PROPN") else group.hits[0].head
    if noun is group.anchor and (in_quote or not has_place_or_date):
        return True
    if has_place_or_date:
        return False
    return noun.tag_ == "NNS" and not any(c.dep_ in ("det", "poss", "nummod") for c in noun.children)
