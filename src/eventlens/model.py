"""The typed data model every stage shares.

    Document ──segment──▶ Article ──parse──▶ Sentence
                             │
                             └──extract──▶ EventMention ──cluster──▶ Event
                                              │  coding: EventCoding (type, actors, counts,
                                              │          modality, date, Place)
                                              └─ evidence: Span into Article.text

Every object is frozen. Offsets are character offsets into ``Article.text`` (the clean body
text), so ``article.text[span.start:span.end] == span.text`` always holds and any event can
be traced back to the exact words behind it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Literal

__all__ = [
    "ACLED_TYPES",
    "CIVILIANS_INTER",
    "CROWD_SEVERITY",
    "DISORDER_TYPES",
    "INTER_CODES",
    "PLOVER_TYPES",
    "Actor",
    "Article",
    "Document",
    "Event",
    "EventCoding",
    "EventMention",
    "Modality",
    "Place",
    "Rejection",
    "Sentence",
    "Span",
    "codebook_choice",
    "content_id",
    "disorder_type_of",
    "event_type_of",
    "interaction_code",
    "is_civilian_targeting",
    "near_types",
    "sub_event_types_of_disorder",
]

#: ACLED event_type -> its sub_event_types, exact codebook strings (see ONTOLOGY.md).
ACLED_TYPES: dict[str, tuple[str, ...]] = {
    "Battles": (
        "Armed clash",
        "Government regains territory",
        "Non-state actor overtakes territory",
    ),
    "Explosions/Remote violence": (
        "Chemical weapon",
        "Air/drone strike",
        "Suicide bomb",
        "Shelling/artillery/missile attack",
        "Remote explosive/landmine/IED",
        "Grenade",
    ),
    "Violence against civilians": (
        "Sexual violence",
        "Attack",
        "Abduction/forced disappearance",
    ),
    "Protests": (
        "Peaceful protest",
        "Protest with intervention",
        "Excessive force against protesters",
    ),
    "Riots": ("Violent demonstration", "Mob violence"),
    "Strategic developments": (
        "Agreement",
        "Arrests",
        "Change to group/activity",
        "Disrupted weapons use",
        "Headquarters or base established",
        "Looting/property destruction",
        "Non-violent transfer of territory",
        "Other",
    ),
}

_SUB_TO_TYPE = {sub: et for et, subs in ACLED_TYPES.items() for sub in subs}

#: every ACLED sub_event_type name
SUB_EVENT_TYPES: frozenset[str] = frozenset(_SUB_TO_TYPE)

#: event types whose events can kill (ACLED counts deaths for these, and for excessive force)
_LETHAL_TYPES = frozenset({"Battles", "Explosions/Remote violence", "Violence against civilians", "Riots"})

#: ACLED inter codes.
INTER_CODES: dict[int, str] = {
    1: "State forces",
    2: "Rebel groups",
    3: "Political militias",
    4: "Identity militias",
    5: "Rioters",
    6: "Protesters",
    7: "Civilians",
    8: "External/other forces",
}

#: ACLED disorder types, by event type; sub-event types that differ are in _DISORDER_BY_SUB.
DISORDER_TYPES: tuple[str, ...] = (
    "Political violence", "Demonstrations", "Political violence; Demonstrations", "Strategic developments",
)
_DISORDER = {
    "Battles": "Political violence",
    "Explosions/Remote violence": "Political violence",
    "Violence against civilians": "Political violence",
    "Protests": "Demonstrations",
    "Riots": "Demonstrations",
    "Strategic developments": "Strategic developments",
}
_DISORDER_BY_SUB = {
    "Excessive force against protesters": "Political violence; Demonstrations",
    "Mob violence": "Political violence",
}


def disorder_type_of(event_type: str | None, sub_event_type: str | None) -> str | None:
    """ACLED's disorder type of an event: from its sub-event type where that decides, else its type."""
    return _DISORDER_BY_SUB.get(sub_event_type or "", _DISORDER.get(event_type or ""))


def sub_event_types_of_disorder(disorder: str) -> tuple[str, ...]:
    """Every sub-event type whose events have disorder type ``disorder`` (a function of the sub-type)."""
    return tuple(s for s, et in _SUB_TO_TYPE.items() if disorder_type_of(et, s) == disorder)


#: the inter code of civilians (actor2 with it, or Violence against civilians, is civilian targeting)
CIVILIANS_INTER = 7


def is_civilian_targeting(event_type: str | None, inter2: int | None) -> bool:
    """ACLED civilian_targeting: actor2 is civilians, or the event is violence against civilians."""
    return inter2 == CIVILIANS_INTER or event_type == "Violence against civilians"


def interaction_code(inter1: int | None, inter2: int | None) -> int | None:
    """ACLED's numeric interaction code: the two inter codes, lower first; sole actor = inter1 * 10."""
    if inter1 is None:
        return None
    if inter2 is None:
        return inter1 * 10
    low, high = sorted((inter1, inter2))
    return low * 10 + high


PLOVER_TYPES: tuple[str, ...] = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)


def event_type_of(sub_event_type: str) -> str:
    """The ACLED event_type a sub_event_type belongs to (KeyError for unknown names)."""
    return _SUB_TO_TYPE[sub_event_type]


#: one crowd event told by several sentences or outlets is coded at its most severe form (least
#: first): killings by the authorities make it excessive force, and demonstrators' own violence
#: (stones, burning) a riot whatever force met it (with excessive force first, WCEP dev sub-type
#: WF1 fell 69.28 -> 68.93)
CROWD_SEVERITY = (
    "Peaceful protest",
    "Protest with intervention",
    "Excessive force against protesters",
    "Violent demonstration",
)
#: a bombing's one type: a suicide attacker (when any telling says so) beats a planted device
_BOMBING_ORDER = ("Suicide bomb", "Remote explosive/landmine/IED")
_EXPLOSIONS = "Explosions/Remote violence"


def near_types(a: str, b: str) -> bool:
    """Whether two different sub-types can be one incident as told by different sentences or
    outlets: the codebook's confusable sub-types (Suicide bomb / Remote explosive / Attack for
    one bombing; a strike that killed civilians as Attack; the forms of one protest)."""
    if a == b:
        return True
    if {a, b} <= set(CROWD_SEVERITY):
        return True
    kinds = {_SUB_TO_TYPE[a], _SUB_TO_TYPE[b]}
    struck_civilians = kinds == {_EXPLOSIONS, "Violence against civilians"} and "Attack" in (a, b)
    return kinds == {_EXPLOSIONS} or struck_civilians


def codebook_choice(sub_types: Iterable[str]) -> str | None:
    """The one sub-type the codebook gives an incident told with these ``sub_types``, or None when
    it has no rule for them (then the tellings vote): the most severe crowd form; a bombing's one
    type (Suicide bomb, else Remote explosive/landmine/IED); remote violence over an Attack on
    the civilians it hit."""
    subs = set(sub_types)
    if len(subs) < 2:
        return next(iter(subs), None)
    if subs <= set(CROWD_SEVERITY):
        return max(subs, key=CROWD_SEVERITY.index)
    explosive = {s for s in subs if _SUB_TO_TYPE.get(s) == _EXPLOSIONS}
    if not explosive or not subs - explosive <= {"Attack"}:
        return None
    for sub in _BOMBING_ORDER:
        if sub in explosive:
            return sub
    return next(iter(explosive)) if len(explosive) == 1 else None


def carries_fatalities(sub_event_type: str) -> bool:
    """Whether events of this sub-type have a death toll: the violent event types, and
    excessive force against protesters."""
    return (
        _SUB_TO_TYPE[sub_event_type] in _LETHAL_TYPES
        or sub_event_type == "Excessive force against protesters"
    )


def content_id(prefix: str, *parts: str) -> str:
    """A stable id from content: the same parts always give the same id."""
    h = hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]
    return f"{prefix}{h}"


class Modality(StrEnum):
    ASSERTED = "asserted"
    NEGATED = "negated"
    PLANNED = "planned"
    HYPOTHETICAL = "hypothetical"
    CLAIMED = "claimed"


@dataclass(frozen=True, slots=True)
class Span:
    """A piece of an article's clean text: ``article.text[start:end] == text``."""

    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Document:
    """One input unit as ingested: a file, an HTML page or one JSONL line.

    ``id`` is a content hash of ``text`` (see :func:`content_id`), so the same document
    ingested twice gets the same id and is stored once.
    """

    id: str
    text: str
    source: str
    format: Literal["txt", "html", "jsonl"]
    title: str | None = None
    url: str | None = None
    published: date | None = None
    external_id: str | None = None


@dataclass(frozen=True, slots=True)
class Rejection:
    """An input that could not be used, with one human-readable reason."""

    source: str
    reason: str


@dataclass(frozen=True, slots=True)
class Article:
    """One article's clean body text, cut from a Document with page furniture removed.

    ``captions`` keeps photo captions and credit lines as metadata (their dates are
    evidence for the publication date). ``published_how`` says how ``published`` was
    inferred: "metadata", "dateline", "caption", "latest-date" or None. ``upper_case`` says the
    article is upper-case copy (wire, MUC-4), where case says nothing: decided once, by
    ``clean.segment`` (:func:`eventlens.clean.case.upper_case`); None for an article built
    elsewhere, which parsing then decides with the same function.
    """

    id: str
    doc_id: str
    index: int
    title: str | None
    text: str
    captions: tuple[str, ...] = ()
    published: date | None = None
    published_how: str | None = None
    url: str | None = None
    upper_case: bool | None = None


@dataclass(frozen=True, slots=True)
class Sentence:
    article_id: str
    index: int
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Actor:
    """An ACLED-style actor: normalised name, inter code (1-8), and the words it came from."""

    name: str
    inter: int | None = None
    surface: str | None = None


@dataclass(frozen=True, slots=True)
class Place:
    """A resolved location, with ACLED's geo_precision (1 town, 2 near town/small area, 3 region)."""

    location: str
    country: str | None = None
    iso3: str | None = None
    admin1: str | None = None
    admin2: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    geo_precision: int | None = None
    feature: str | None = None
    gazetteer_id: str | None = None
    #: why the geocoder chose this place (a short code, e.g. "event-sentence+named-admin1")
    geo_reason: str | None = None


@dataclass(frozen=True, slots=True)
class EventCoding:
    """What an event is: the ACLED/PLOVER coding shared by a mention and a canonical event."""

    event_type: str
    sub_event_type: str
    plover_event: str | None = None
    actor1: Actor | None = None
    assoc_actor_1: str | None = None
    actor2: Actor | None = None
    assoc_actor_2: str | None = None
    #: deaths; None when the text reports none (records and exports write 0, as ACLED does)
    fatalities: int | None = None
    injuries: int | None = None
    modality: Modality = Modality.ASSERTED
    confidence: float = 0.5
    location_text: str | None = None
    date_text: str | None = None
    event_date: date | None = None
    time_precision: int | None = None
    place: Place | None = None


@dataclass(frozen=True, slots=True)
class EventMention:
    """One telling of an event in one article, anchored to its evidence span."""

    id: str
    doc_id: str
    article_id: str
    sentence_index: int
    evidence: Span
    coding: EventCoding
    trigger: Span | None = None
    location_span: Span | None = None
    date_span: Span | None = None


@dataclass(frozen=True, slots=True)
class Event:
    """One real-world event: its canonical coding and every mention (and so every source) behind it."""

    id: str
    coding: EventCoding
    mentions: tuple[EventMention, ...] = field(default=())
    #: why each later mention joined the event in its article: (mention id, reason) pairs
    joined: tuple[tuple[str, str], ...] = ()
    #: a mention of an earlier incident told as background ("a bombing last month"): it links to
    #: that incident when stored, else is kept as a low-confidence background record
    background: bool = False

    @property
    def doc_ids(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(m.doc_id for m in self.mentions))
