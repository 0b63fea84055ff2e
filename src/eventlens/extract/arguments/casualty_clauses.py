"""Which words tell an event's deaths: the evidence clause's own, and those around it that belong to it.

An event's evidence is often one clause of a longer telling. Deaths told around it count when the text
ties them to it: the clause that governs it ("Two soldiers were killed and eleven wounded when a bomb
hit"), the next sentence when the evidence names no deaths ("A car bomb exploded ... Nine people were
killed"), deaths added with "also", and a rival figure told by another source. Background ("the war
has killed 10,000 since 2014"), another incident ("Elsewhere, ...") or another place never count.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from eventlens.extract.arguments.conservative_figure import CONTRAST

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

__all__ = [
    "HURT_FORMS", "LETHAL", "added_lethal", "cumulative", "is_added", "is_hurt", "is_lethal", "linked_hurt",
    "linked_lethal", "negated", "rival_lethal",
]

LETHAL = frozenset(
    "assassinate assassination behead body dead death die execute fatality kill killing life lynch "
    "massacre murder slay toll neutralise neutralize".split()
)
_SAY_VERBS = frozenset("say tell report claim announce add confirm state write quote".split())
_ATTRIBUTION = _SAY_VERBS | {"put", "estimate", "place", "give"}
_LINKED_DEPS = frozenset("conj ccomp nsubj nsubjpass dobj oprd acomp xcomp".split())
_BACKGROUND_DATE = re.compile(r"\b(years?|months?|weeks?|decades?|\d{4}|last|previous|earlier|ago)\b", re.I)
_SEPARATE = frozenset("separately elsewhere meanwhile separate another earlier".split())


_HURT_LEMMAS = frozenset({"wound", "injure", "injury", "hurt", "casualty"})
#: surface forms: the parser lemmatises the verb "wound" (past of "wind") as "wind"
HURT_FORMS = frozenset("wound wounds wounded wounding injure injures injured injuring hurt hurting".split())
_NEGATORS = frozenset({"no", "neither", "nor", "zero"})


def is_lethal(tok: Token) -> bool:
    """A word telling deaths: "killed", "dead", "deaths", or a shooting told as fatal ("fatally shot");
    not a toll told as unknown ("Fatalities unknown.", "the number of deaths is unclear")."""
    if tok.lemma_.lower() in LETHAL or tok.lower_ in ("dead", "killed"):
        return not unknown_toll(tok)
    return tok.pos_ == "VERB" and any(c.dep_ == "advmod" and c.lower_ == "fatally" for c in tok.children)


_RUNNING = re.compile(
    r"^(?:since\b|so far|to date|in total|throughout|over the (?:past|last|previous)"
    r"|in the (?:past|last)\s+\w+"
    r"|(?:in|over|within) (?:a|one|two|three|four|five|six|several|\d+)"
    r" (?:months?|years?|decades?|weeks?)\b)",
    re.I,
)


def cumulative(word: Token) -> bool:
    """Deaths told as a running or historical total ("the war has killed 70,000 since 2012", "fighting
    that has killed over 100 people in a month", "so far"): no one event's toll."""
    verb = word
    for _ in range(3):
        if verb.pos_ in ("VERB", "AUX") or verb.head.i == verb.i:
            break
        verb = verb.head
    for child in verb.children:
        if child.dep_ in ("prep", "advmod", "npadvmod", "advcl") and child.i > verb.i:
            phrase = verb.doc[child.left_edge.i : child.right_edge.i + 1].text
            if _RUNNING.match(phrase):
                return True
    return False


def is_hurt(tok: Token) -> bool:
    """A word telling injuries ("wounded", "injuring", "wound" as a verb, "injuries", "casualties"),
    not a toll told as unknown ("casualties unknown")."""
    return (tok.lemma_.lower() in _HURT_LEMMAS or tok.lower_ in HURT_FORMS) and not unknown_toll(tok)


_UNKNOWN = frozenset({"unknown", "unclear", "unconfirmed", "undetermined", "unspecified"})
_KNOWN = frozenset({"known", "clear", "available", "confirmed", "released"})
_TOLL_NOUNS = frozenset({"number", "toll", "figure", "count"})


def unknown_toll(word: Token) -> bool:
    """A casualty noun whose number the text says is not known, and so no report of any: "Fatalities
    unknown.", "the number of casualties is unclear" (but "an unknown number of people were killed"
    reports deaths)."""
    if word.pos_ not in ("NOUN", "PROPN"):
        return False
    noun = word  # "the number of casualties", "the death toll": the figure's noun
    if word.dep_ == "pobj" and word.head.lower_ == "of" and word.head.head.lemma_.lower() in _TOLL_NOUNS:
        noun = word.head.head
    elif word.dep_ == "compound" and word.head.lemma_.lower() in _TOLL_NOUNS:
        noun = word.head
    if any(c.dep_ in ("amod", "acomp") and c.lower_ in _UNKNOWN for c in noun.children):
        return True
    nxt = noun.doc[noun.i + 1] if noun.i + 1 < len(noun.doc) else None
    if nxt is not None and nxt.lower_ in _UNKNOWN:
        return True
    verb = noun.head
    if noun.dep_ not in ("nsubj", "nsubjpass"):
        return False
    if verb.lemma_ in ("be", "remain"):
        said = {c.lower_ for c in verb.children if c.dep_ in ("acomp", "attr")}
    else:  # "was not immediately known" (a passive participle)
        said = {verb.lower_} if noun.dep_ == "nsubjpass" else set()
    negated = any(c.dep_ == "neg" for c in verb.children)  # "was not immediately known"
    return bool(said & _UNKNOWN) or (negated and bool(said & _KNOWN))


def negated(word: Token) -> bool:
    """A casualty noun told as absent: "no fatalities", "neither injuries nor fatalities", "zero deaths"."""
    if word.pos_ not in ("NOUN", "PROPN"):
        return False
    if any(c.dep_ in ("det", "preconj", "amod", "nummod") and c.lower_ in _NEGATORS for c in word.children):
        return True
    doc = word.doc
    return (word.i > 0 and doc[word.i - 1].lower_ in ("nor", "neither")) or (
        word.dep_ == "conj" and any(c.dep_ == "preconj" and c.lower_ == "neither" for c in word.head.children)
    )


def _root(clause: list[Token]) -> Token:
    inside = {t.i for t in clause}
    return next((t for t in clause if t.head.i not in inside or t.head.i == t.i), clause[0])


def linked_lethal(clause: list[Token]) -> list[Token]:
    """Deaths told around a clause that names none: its own sentence's clause that governs it or is
    joined to it, else the next sentence's toll, unless that sentence tells another story."""
    inside = {t.i for t in clause}
    root = _root(clause)
    for anc in (root, *root.ancestors):
        if anc.lemma_.lower() in _SAY_VERBS:
            break
        if is_lethal(anc):
            return [anc]
        linked = [c for c in anc.children if c.i not in inside and is_lethal(c) and c.dep_ in _LINKED_DEPS]
        if linked:
            return linked
    sent = root.sent
    if any(is_lethal(t) for t in sent) or sent.end >= len(root.doc):
        return []
    follow = root.doc[sent.end].sent
    if _another_story(follow, sent):
        return []
    return [t for t in follow if is_lethal(t) and not _new_incident(t)]


def linked_hurt(clause: list[Token]) -> list[Token]:
    """Injuries told around a clause that names none: elsewhere in its sentence ("killing two and
    wounding eight", "58 killed and over 2,400 wounded"), or in a casualty sentence right after it
    ("Two people were killed and eight injured."), unless that sentence tells another story, a new
    incident or an action of its own ("Police arrested 13 people ...")."""
    inside = {t.i for t in clause}
    root = _root(clause)
    sent = root.sent
    if not {t.lower_ for t in sent} & _SEPARATE:
        near = [t for t in sent if t.i not in inside and is_hurt(t) and not _no_word_of(t)]
        if near:
            return near
    if sent.end >= len(root.doc):
        return []
    follow = root.doc[sent.end].sent
    if _another_story(follow, sent) or any(_new_incident(t) for t in follow if is_hurt(t) or is_lethal(t)):
        return []
    head = follow.root
    if not (is_hurt(head) or is_lethal(head) or head.lemma_.lower() in _SAY_VERBS | {"be"}):
        return []
    return [t for t in follow if is_hurt(t)]


def _no_word_of(word: Token) -> bool:
    """ "gave no details of casualties", "no word on injuries": nothing told about them."""
    head = word.head
    if head.dep_ != "prep" or head.lower_ not in ("of", "on", "about"):
        return False
    return head.head.lower_.rstrip("s") in ("detail", "information", "word", "new", "report", "figure")


def _new_incident(word: Token) -> bool:
    """ "AN AIRLINER BLEW UP IN MIDAIR, KILLING ALL 107": deaths of an incident the sentence introduces
    with an indefinite subject of its own."""
    verb = word.head if word.dep_ in ("advcl", "xcomp", "conj") and not is_lethal(word.head) else word
    subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    return subject is not None and any(
        c.dep_ == "det" and c.lower_ in ("a", "an", "another") for c in subject.children
    )


def _another_story(follow: Span, sent: Span) -> bool:
    """A next sentence that tells background ("The war has killed 10,000 since 2014"), another
    incident ("Elsewhere, ...", "last week") or another place is no toll of the event before it."""
    lows = {t.lower_ for t in follow}
    if lows & {"since", "total", "overall"} or lows & _SEPARATE or follow.text.rstrip().endswith("?"):
        return True
    if any(e.label_ == "DATE" and _BACKGROUND_DATE.search(e.text) for e in follow.ents):
        return True
    told = sent.text.lower()
    if any(e.label_ == "DATE" and e.text.lower() not in told and not _said_on(e.root) for e in follow.ents):
        return True  # "... ON 27 NOVEMBER": an incident of another day
    places = {e.text.lower() for e in sent.ents if e.label_ in ("GPE", "LOC", "FAC")}
    if any(e.label_ in ("GPE", "LOC") and e.text.lower() not in places for e in follow.ents):
        return True
    first, second = follow[0], follow[1] if len(follow) > 1 else follow[0]
    return first.lower_ == "in" and second.pos_ == "PROPN" and second.lower_ not in sent.text.lower()


def _said_on(date: Token) -> bool:
    """ "..., the mayor said on Tuesday": the day of the telling, not of an incident."""
    return any(a.lemma_.lower() in _SAY_VERBS for a in list(date.ancestors)[:2])


def added_lethal(clause: list[Token]) -> list[Token]:
    """Deaths added to the clause's own with "also", in its sentence or the next one ("killing two
    soldiers. Three militants were also killed.")."""
    inside = {t.i for t in clause}
    sent = _root(clause).sent
    words = [t for t in sent if t.i not in inside]
    if sent.end < len(sent.doc):
        follow = sent.doc[sent.end].sent
        if not _another_story(follow, sent):
            words += list(follow)
    return [t for t in words if is_lethal(t) and is_added(t)]


def is_added(word: Token) -> bool:
    """A death verb told with "also": its dead come on top of the figure told before it."""
    return word.pos_ == "VERB" and any(c.dep_ == "advmod" and c.lower_ == "also" for c in word.children)


def rival_lethal(clause: list[Token]) -> list[Token]:
    """Deaths the clause's sentence sets against its figure on another source's word ("five soldiers
    died, the army said; a rebel spokesman claimed 40 troops had been killed")."""
    inside = {t.i for t in clause}
    sent = _root(clause).sent
    if not any(t.lower_ in CONTRAST for t in sent):
        return []
    own = _source(_root(clause))
    outside = [t for t in sent if t.i not in inside and is_lethal(t)]
    return [t for t in outside if (src := _source(t)) is not None and src is not own]


def _source(tok: Token) -> Token | None:
    """The nearest verb of saying (or "put the toll at") a word is told under."""
    return next((a for a in tok.ancestors if a.lemma_.lower() in _ATTRIBUTION), None)
