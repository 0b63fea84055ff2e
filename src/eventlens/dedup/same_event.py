"""Is this event report the same real event as that one? Per-criterion scores and one decision.

Criteria (each scored 0..1, some are hard gates that keep events apart whatever else agrees):

* type: same sub_event_type 1.0; near types (:func:`eventlens.model.near_types`: sub-types of one
  event type, Suicide bomb / Remote explosive / Attack for one bombing, the forms of one protest)
  0.9 when the specifics agree (same day, same place, and the toll, a named victim or target or
  the wording); else same event_type 0.45, a related type (Battles, Explosions and
  Violence against civilians; Protests and Riots) 0.25, otherwise a gate.
* date: given both time_precisions (1 day, 2 week, 3 month). Two day-precise reports must share
  the day (ACLED codes one event per day); a one-day slip is tolerated only for near-identical
  evidence (a "late Tuesday" vs "Wednesday" report). Wider precisions widen the window. With no
  date on either side, the evidence must overlap (``UNDATED_EVIDENCE``) or the specifics agree in
  one place (same toll, a shared named victim or target): type, place and
  generic actors alone would join every undated attack in a city.
* place: distance limited by the coarser geo_precision (1: 25 km, 2: 50 km, 3: same admin1),
  different countries are a gate.
* actors: names, else inter codes; a clash of known inter codes on the same side counts against.
* evidence: Dice overlap of the content words of the evidence and location texts.

``total`` is the weighted mean; a link needs ``total >= MERGE_THRESHOLD``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence, Set
from dataclasses import dataclass, field

from eventlens.model import Actor, Event, EventCoding, near_types

__all__ = [
    "BRIDGE_THRESHOLD",
    "MERGE_THRESHOLD",
    "Candidate",
    "LinkDecision",
    "MatchScores",
    "SearchWindow",
    "can_bridge",
    "candidate_from",
    "choose_link",
    "could_link",
    "event_names",
    "event_tokens",
    "evidence_tokens",
    "in_window",
    "proper_names",
    "score_match",
    "search_window",
    "type_family",
]

MERGE_THRESHOLD = 0.7
#: two stored events a report links to both merge when they score this between themselves
BRIDGE_THRESHOLD = 0.6
NEAR_DUP_THRESHOLD = 0.5
REPRINT_DATE_SLACK = 2
#: the evidence overlap two reports need when either has no date (reprints excepted)
UNDATED_EVIDENCE = 0.3
WEIGHTS = {"type": 0.25, "date": 0.2, "place": 0.25, "actors": 0.15, "evidence": 0.15}
#: Half-width in days of the date an event_date stands for, by time_precision (None: unknown).
DATE_TOLERANCE = {1: 0, 2: 4, 3: 16, None: 1}
#: Farthest two places of one event may be, by the coarser geo_precision.
PLACE_LIMIT_KM = {1: 25.0, 2: 50.0}
_FAMILIES = (
    frozenset({"Battles", "Explosions/Remote violence", "Violence against civilians"}),
    frozenset({"Protests", "Riots"}),
)
_WORD = re.compile(r"[a-z][a-z'-]+")
#: a proper name of two or more capitalised words ("Amina Bello", "Santo Tomas farm" -> "santo tomas")
_NAME = re.compile(r"\b[A-Z][a-z]+(?:\s+(?:al-|bin\s+|de\s+|del\s+)?[A-Z][a-z'-]+)+")
_NOT_NAME_HEAD = frozenset("The A An In On At On Police Military Forces Armed Unidentified Civilians".split())
#: the figures ONTOLOGY.md gives vague tolls ("killed" with no number 3 or 10, "a dozen" 12,
#: "hundreds" 100): two reports sharing one share no specific
CODEBOOK_DEFAULT_TOLLS = frozenset({3, 10, 12, 100})
#: near types link at this type score when the specifics agree
NEAR_TYPE_SCORE = 0.9

_STOP = frozenset(
    (
        "the a an and or of in on at to for from by with as was were is are be been has have had that this "
        "which who whom their they them it its said says say after before during while when where than into "
        "near least more about also some other but not over under between against among per"
    ).split()
)


def type_family(event_type: str) -> tuple[str, ...]:
    """The event types an event of ``event_type`` may be merged with (itself first)."""
    for fam in _FAMILIES:
        if event_type in fam:
            return (event_type, *sorted(fam - {event_type}))
    return (event_type,)


def evidence_tokens(texts: Iterable[str | None]) -> frozenset[str]:
    """Content words of some texts, lower-cased and crudely singularised."""
    out: set[str] = set()
    for t in texts:
        for w in _WORD.findall((t or "").lower()):
            if w not in _STOP:
                out.add(w[:-1] if len(w) > 4 and w.endswith("s") else w)
    return frozenset(out)


def proper_names(texts: Iterable[str | None]) -> frozenset[str]:
    """Proper names of two or more words in some texts (mixed case only), lower-cased: the named
    victims, targets and people a report gives."""
    out: set[str] = set()
    for t in texts:
        if not t or t.isupper():
            continue
        for m in _NAME.finditer(t):
            words = m.group().split()
            while words and words[0] in _NOT_NAME_HEAD:
                words = words[1:]
            if len(words) >= 2:
                out.add(" ".join(words).lower())
    return frozenset(out)


@dataclass(frozen=True, slots=True)
class MatchScores:
    """Why two reports are (or are not) one event: the score of each criterion and the total."""

    type: float
    date: float
    place: float
    actors: float
    evidence: float
    total: float

    def as_json(self) -> dict[str, float]:
        return {
            k: round(getattr(self, k), 4) for k in ("type", "date", "place", "actors", "evidence", "total")
        }


@dataclass(frozen=True, slots=True)
class Candidate:
    """An existing canonical event as seen by the matcher."""

    event_id: str
    coding: EventCoding
    tokens: frozenset[str]
    article_ids: frozenset[str] = field(default=frozenset())
    names: frozenset[str] = field(default=frozenset())


@dataclass(frozen=True, slots=True)
class LinkDecision:
    """Where an incoming event goes: ``event_id`` None means a new canonical event."""

    event_id: str | None
    scores: MatchScores | None
    reason: str
    #: other candidates the event links to as well, best first: :func:`can_bridge` decides
    #: whether the event bridges them into ``event_id`` (order independence)
    also: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SearchWindow:
    """The blocking key of an incoming event: candidates must fall in it (indexed query)."""

    date_from: int
    date_to: int
    event_types: tuple[str, ...]
    country: str | None


def search_window(c: EventCoding) -> SearchWindow:
    """Date range (ordinal keys; 0..0 for undated events), type family and country to search."""
    if c.event_date is None:
        lo = hi = 0
    else:
        reach = DATE_TOLERANCE.get(c.time_precision, 1) + DATE_TOLERANCE[3] + 1
        lo, hi = c.event_date.toordinal() - reach, c.event_date.toordinal() + reach
    return SearchWindow(lo, hi, type_family(c.event_type), c.place.country if c.place else None)


def _type_score(a: EventCoding, b: EventCoding, specific: bool) -> float | None:
    if a.sub_event_type == b.sub_event_type:
        return 1.0
    if specific and near_types(a.sub_event_type, b.sub_event_type):
        return NEAR_TYPE_SCORE
    if a.event_type == b.event_type:
        return 0.45
    return 0.25 if b.event_type in type_family(a.event_type) else None


def _specifics(a: EventCoding, b: EventCoding, names: frozenset[str], cand: Candidate) -> bool:
    """What only this incident has agrees: its toll (of more than one: single killings are many; not
    a figure the codebook gives vague reports), or a named victim, target or witness (a named armed
    group is no specific: it carries out many attacks in one city)."""
    toll = a.fatalities is not None and a.fatalities > 1 and a.fatalities == b.fatalities
    toll = toll and a.fatalities not in CODEBOOK_DEFAULT_TOLLS
    return toll or bool(names & cand.names)


def _same_day_and_place(a: EventCoding, b: EventCoding, place: float | None) -> bool:
    """Both dated to one day (or one undated) and placed in one town or area."""
    if a.event_date is not None and b.event_date is not None and a.event_date != b.event_date:
        return False
    return a.place is not None and b.place is not None and place is not None and place >= 0.6


def _date_score(a: EventCoding, b: EventCoding, evidence: float, slack: int) -> float | None:
    if a.event_date is None or b.event_date is None:
        return 0.5
    diff = abs((a.event_date - b.event_date).days)
    tol = DATE_TOLERANCE.get(a.time_precision, 1) + DATE_TOLERANCE.get(b.time_precision, 1)
    if diff == 0:
        return 1.0
    if diff <= tol:
        return 0.8 - 0.3 * diff / tol
    if diff <= tol + slack or (diff == tol + 1 and evidence >= 0.5):
        return 0.3
    return None


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def _place_score(a: EventCoding, b: EventCoding) -> float | None:
    pa, pb = a.place, b.place
    if pa is None or pb is None:
        return 0.4
    if pa.country and pb.country and pa.country != pb.country:
        return None
    precision = max(pa.geo_precision or 3, pb.geo_precision or 3)
    limit = PLACE_LIMIT_KM.get(precision)
    coords = None not in (pa.latitude, pa.longitude, pb.latitude, pb.longitude)
    if limit is not None and coords:
        d = _km(pa.latitude, pa.longitude, pb.latitude, pb.longitude)  # type: ignore[arg-type]
        return None if d > limit else 1.0 - 0.5 * d / limit
    if pa.location.casefold() == pb.location.casefold():
        return 0.9
    if pa.admin1 and pb.admin1:
        return 0.6 if pa.admin1 == pb.admin1 else None
    return 0.4 if pa.country else 0.3


def _actor_pair(x: Actor | None, y: Actor | None) -> float | None:
    if x is None or y is None:
        return None
    if x.name.casefold() == y.name.casefold():
        return 1.0
    if x.inter is not None and y.inter is not None:
        return 0.6 if x.inter == y.inter else 0.0
    return 0.4


def _actors_score(a: EventCoding, b: EventCoding) -> float:
    """Best of straight and crossed pairing (ACLED actor order carries no direction)."""
    best: float | None = None
    for x1, x2 in ((b.actor1, b.actor2), (b.actor2, b.actor1)):
        pairs = [s for s in (_actor_pair(a.actor1, x1), _actor_pair(a.actor2, x2)) if s is not None]
        if pairs:
            s = sum(pairs) / len(pairs)
            best = s if best is None else max(best, s)
    return 0.5 if best is None else best


def _dice(x: frozenset[str], y: frozenset[str]) -> float:
    return 2 * len(x & y) / (len(x) + len(y)) if x and y else 0.0


def score_match(
    a: EventCoding,
    a_tokens: frozenset[str],
    cand: Candidate,
    reprint: bool = False,
    names: frozenset[str] = frozenset(),
    *,
    bridge: bool = False,
) -> MatchScores | None:
    """Scores of ``a`` against a candidate, or None when a hard gate keeps them apart.

    ``reprint``: the two come from near-duplicate articles, whose relative dates ("yesterday")
    may have been resolved against different publication days: two days of slack. ``names``: the
    proper names of ``a``'s evidence (:func:`proper_names`). ``bridge``: two stored events a
    report links to both (:func:`can_bridge`); the report supplies the words they share.
    """
    b = cand.coding
    evidence = _dice(a_tokens, cand.tokens)
    p = _place_score(a, b)
    located = _same_day_and_place(a, b, p)
    specific = located and _specifics(a, b, names, cand)
    t, d = (
        _type_score(a, b, specific or (located and evidence >= UNDATED_EVIDENCE)),
        _date_score(a, b, evidence, REPRINT_DATE_SLACK if reprint else 0),
    )
    if t is None or d is None or p is None:
        return None
    undated = a.event_date is None or b.event_date is None
    if undated and not (reprint or bridge) and evidence < UNDATED_EVIDENCE and not specific:
        return None
    act = _actors_score(a, b)
    parts = {"type": t, "date": d, "place": p, "actors": act, "evidence": evidence}
    total = sum(WEIGHTS[k] * v for k, v in parts.items())
    return MatchScores(t, d, p, act, evidence, total)


def choose_link(
    event: Event,
    candidates: Sequence[Candidate],
    *,
    taken: Set[str] = frozenset(),
    near_duplicate_articles: Set[str] = frozenset(),
) -> LinkDecision:
    """Pick the best candidate for ``event`` or decide it is new.

    ``taken``: canonical events this event's article already uses (one article's distinct
    events stay distinct). ``near_duplicate_articles``: articles the event's article reprints;
    their events need only a compatible match.
    """
    tokens = event_tokens(event)
    names = event_names(event)
    own_articles = {m.article_id for m in event.mentions}
    passing: list[tuple[float, str, MatchScores, bool]] = []
    for cand in candidates:
        if cand.event_id in taken or cand.article_ids & own_articles:
            continue
        reprint = bool(cand.article_ids & near_duplicate_articles)
        scores = score_match(event.coding, tokens, cand, reprint, names)
        if scores is None:
            continue
        if scores.total >= (NEAR_DUP_THRESHOLD if reprint else MERGE_THRESHOLD):
            passing.append((scores.total + (1.0 if reprint else 0.0), cand.event_id, scores, reprint))
    if not passing:
        return LinkDecision(None, None, "new event: no compatible candidate")
    passing.sort(key=lambda p: (-p[0], p[1]))
    _, event_id, scores, reprint = passing[0]
    why = "near-duplicate article" if reprint else "same event"
    also = tuple(p[1] for p in passing[1:])
    return LinkDecision(event_id, scores, f"{why} (score {scores.total:.2f})", also)


def can_bridge(into: Candidate, other: Candidate) -> bool:
    """Whether a report that links to both stored events shows they are one: no gate keeps them
    apart (type, day, place, country), they share no article (one article's distinct events stay
    distinct) and they score ``BRIDGE_THRESHOLD`` without the evidence overlap undated reports
    need between themselves (the bridging report supplies it)."""
    if into.article_ids & other.article_ids:
        return False
    scores = score_match(into.coding, into.tokens, other, names=into.names, bridge=True)
    return scores is not None and scores.total >= BRIDGE_THRESHOLD


def could_link(
    a: EventCoding,
    a_tokens: frozenset[str],
    b: EventCoding,
    reprint: bool,
    names: frozenset[str] = frozenset(),
) -> bool:
    """Whether a candidate coded ``b`` could pass the link threshold whatever its evidence.

    :func:`score_match` with the best evidence the candidate could have (every token and name
    shared) is an upper bound of its real score: ``total`` grows with evidence and shared names,
    and the gates only loosen. The store calls this before it reads a candidate's evidence
    texts, so a candidate that cannot link costs no text. ``reprint`` as in :func:`choose_link`.
    """
    best = score_match(a, a_tokens, Candidate("", b, a_tokens, names=names), reprint, names)
    return best is not None and best.total >= (NEAR_DUP_THRESHOLD if reprint else MERGE_THRESHOLD)


def event_tokens(event: Event) -> frozenset[str]:
    """The evidence tokens an incoming event is matched with (its evidence and location text)."""
    return evidence_tokens([*(m.evidence.text for m in event.mentions), event.coding.location_text])


def event_names(event: Event) -> frozenset[str]:
    """The proper names an incoming event's evidence gives (:func:`proper_names`)."""
    return proper_names(m.evidence.text for m in event.mentions)


def candidate_from(
    event_id: str, coding: EventCoding, texts: Iterable[str | None], article_ids: Iterable[str]
) -> Candidate:
    """A Candidate from an event's coding, its evidence texts and its articles."""
    texts = list(texts)
    return Candidate(event_id, coding, evidence_tokens(texts), frozenset(article_ids), proper_names(texts))


def in_window(w: SearchWindow, c: EventCoding) -> bool:
    """Whether coding ``c`` falls in window ``w`` (the in-memory twin of the store's query)."""
    key = c.event_date.toordinal() if c.event_date else 0
    country = c.place.country if c.place else None
    return (
        w.date_from <= key <= w.date_to
        and c.event_type in w.event_types
        and (w.country is None or country is None or country == w.country)
    )
