"""Within-article coreference: an event told twice in one article is one Event.

A later mention joins an earlier event when it
  * names the same victim ("Yacoub and Oussama were killed ..." after "gunmen shot dead ...
    Reham Yacoub"),
  * only points back to it ("Her killing", "Hashemi's killing", "the attack"), or
  * repeats its type, date and place.
A pure back-reference with nothing to point back to is no event of its own and is dropped.
The Event's coding is the most informative mention's (highest confidence, then most known
fields), with fields it lacks filled from the other mentions.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import fields, replace
from typing import Any

from eventlens.model import Event, EventCoding, EventMention, content_id, event_type_of

__all__ = ["BACK_REFERENCE_CONFIDENCE", "is_back_reference", "merge_within_article"]

log = logging.getLogger(__name__)

#: the confidence rules.v1 gives a mention that only points back to an event told elsewhere
BACK_REFERENCE_CONFIDENCE = 0.25
_POINTERS = {"the", "this", "that", "these", "those", "her", "his", "their", "its", "such"}
_PRONOUNS = {"her", "his", "their", "its"}
_TIME_OWNERS = {
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "yesterday",
    "today",
    "tonight",
    "week",
    "month",
    "year",
    "weekend",
}
_BACK_NOUNS = re.compile(
    r"^(killings?|attacks?|murders?|assassinations?|shootings?|bombings?|violence|abductions?|"
    r"kidnappings?|(joint )?statement|agreement|deal|ceasefire|truce|clash(es)?|strikes?|air ?strikes?|"
    r"protests?|demonstrations?|arrests?|raids?|ambush(es)?|massacres?|explosions?|blasts?|incident)$",
    re.IGNORECASE,
)
_TOLL = re.compile(r"\btolls?\b", re.IGNORECASE)
_NAME_RE = re.compile(r"\b[A-Z][\w'-]{2,}\b")
_NOT_NAMES = frozenset("Armed Civilians Forces Group Her His Military Police The Their Unidentified".split())
_CROWD_TYPES = frozenset({"Protests", "Riots"})
_VIOLENT_TYPES = frozenset({"Battles", "Explosions/Remote violence", "Violence against civilians"})
_BATTLE_PARTS = frozenset(
    {
        "Armed clash",
        "Attack",
        "Remote explosive/landmine/IED",
        "Looting/property destruction",
        "Disrupted weapons use",
        "Grenade",
    }
)
_ARMED_INTERS = frozenset({1, 2, 3, 4, 8})
#: a raid on a village ("killed 14 and abducted dozens") and what its attackers did there next
_RAIDS = frozenset({"Attack", "Abduction/forced disappearance"})
_RAID_PARTS = frozenset({"Looting/property destruction", "Attack"})
_ANOTHER = re.compile(r"\b(another|separate(ly)?|second|elsewhere|meanwhile|similar)\b", re.IGNORECASE)
#: protest sub-types from least to most severe; a merged protest keeps the most severe telling
_PROTEST_SEVERITY = ("Peaceful protest", "Protest with intervention", "Excessive force against protesters")
#: a filled actor slot must not repeat the actor on the other side ("Military Forces" v. itself)
_OTHER_SIDE = {"actor1": "actor2", "actor2": "actor1", "assoc_actor_1": "actor1", "assoc_actor_2": "actor2"}
_FILLABLE = (
    "actor1",
    "actor2",
    "assoc_actor_1",
    "assoc_actor_2",
    "fatalities",
    "injuries",
    "location_text",
    "date_text",
    "event_date",
    "time_precision",
    "place",
    "plover_event",
)


def _words_before_trigger(m: EventMention, n: int = 3) -> list[str]:
    if m.trigger is None:
        return []
    prefix = m.evidence.text[: max(0, m.trigger.start - m.evidence.start)]
    return re.findall(r"[\w'’]+", prefix)[-n:]


def is_back_reference(m: EventMention) -> bool:
    """An event noun that only refers back ("Her killing", "the Basra killings", "the attack").

    The extractor gives such mentions ``BACK_REFERENCE_CONFIDENCE`` or less; the text test below
    also catches them from other extractors.
    """
    if m.coding.confidence <= BACK_REFERENCE_CONFIDENCE:
        return True
    if m.trigger is None or not _BACK_NOUNS.match(m.trigger.text):
        return False
    if _TOLL.search(m.evidence.text[: max(0, m.trigger.start - m.evidence.start)]):
        return False  # "the death toll from Friday's bombing has risen to 17": the story's event
    before = _words_before_trigger(m)
    if not before:
        return False
    last = before[-1]
    if last.endswith(("'s", "’s")):
        return True  # "Hashemi's killing", "Saturday's attack"
    if m.coding.date_text:
        return False
    if last.lower() in _POINTERS:
        return True
    return any(w.lower() in _POINTERS for w in before[-2:]) and not any(w.isdigit() for w in before)


def _possessive(m: EventMention) -> bool:
    """The event noun is owned by a pronoun or a name ("Her killing", "Hashemi's killing"); a
    day's ("Friday's bombing") dates the event rather than pointing elsewhere."""
    before = _words_before_trigger(m)
    last = before[-1] if before else ""
    owner = last.lower().removesuffix("'s").removesuffix("’s")
    return last.lower() in _PRONOUNS or (last.endswith(("'s", "’s")) and owner not in _TIME_OWNERS)


def _victim_names(m: EventMention) -> set[str]:
    names: set[str] = set()
    for actor in (m.coding.actor1, m.coding.actor2):
        if actor is None or not actor.name.startswith("Civilians") or not actor.surface:
            continue
        names.update(w.removesuffix("'s").removesuffix("’s") for w in _NAME_RE.findall(actor.surface))
    return names - _NOT_NAMES


def _same_telling(m: EventMention, first: EventMention) -> bool:
    a, b = m.coding, first.coding
    if a.sub_event_type != b.sub_event_type or a.date_text is None or b.date_text is None:
        return False
    same_day = a.date_text.lower() == b.date_text.lower() or (
        a.event_date is not None and a.event_date == b.event_date and a.time_precision == 1
    )
    if not same_day:
        return False
    return (
        a.location_text is None
        or b.location_text is None
        or a.location_text.lower() == b.location_text.lower()
    )


def _antecedent(m: EventMention, clusters: list[list[EventMention]]) -> list[EventMention] | None:
    if m.coding.sub_event_type == "Arrests":
        crowd = [c for c in clusters if c[-1].coding.event_type in _CROWD_TYPES]
        if crowd and _crowd_story(m, crowd[-1][-1], any_type=True):
            return crowd[-1]  # arrests at a protest or riot are that event's intervention
    if clusters and _weapon_and_harm(m, clusters[-1][-1]):
        return clusters[-1]
    battle = _battle_of(m, clusters)
    if battle is not None:
        return battle
    if clusters and _elaboration(m, clusters[-1][-1]):
        return clusters[-1]
    same_type = [c for c in clusters if c[0].coding.event_type == m.coding.event_type]
    names = _victim_names(m)
    if names:
        for cluster in same_type:
            if any(names & _victim_names(x) for x in cluster):
                return cluster
    if is_back_reference(m) and same_type:
        if _words_before_trigger(m, 1)[-1:] and _words_before_trigger(m, 1)[-1].lower() in _PRONOUNS:
            # "her killing", "his death": the story's lead event, told first
            return min(same_type, key=lambda c: c[0].evidence.start)
        return same_type[-1]
    for cluster in reversed(same_type):
        if (
            _same_telling(m, cluster[0])
            or _same_sentence_split(m, cluster[-1])
            or _crowd_story(m, _last_crowd(cluster))
        ):
            return cluster
    return None


def _battle_of(m: EventMention, clusters: list[list[EventMention]]) -> list[EventMention] | None:
    """ "Militants ambushed an army convoy ... it hit a roadside bomb ... trucks were set on fire ...
    the army said it killed 20 assailants": the parts and other sides' tellings of a fight are
    that one armed clash, unless they name other fighters, explicit civilian victims, another
    day or place, or a separate incident."""
    a = m.coding
    if _ANOTHER.search(m.evidence.text):
        return None
    faceless_riot = a.sub_event_type == "Violent demonstration" and (a.actor1 is None or not a.actor1.surface)
    if a.sub_event_type not in _BATTLE_PARTS and not faceless_riot:
        return None  # "houses were torched during the violence" is the fight's damage
    battle = next((c for c in reversed(clusters) if c[0].coding.sub_event_type == "Armed clash"), None)
    unnamed = a.actor1 is None or a.actor1.name.startswith("Unidentified")
    told_with = battle is not None and unnamed and any(x.sentence_index == m.sentence_index for x in battle)
    if (
        battle is not None
        and a.actor2 is not None
        and a.actor2.inter == 7
        and a.actor2.surface
        and not told_with
    ):
        return None  # "shelled villages": violence against the people there is its own event
    if battle is None and clusters and a.sub_event_type in _RAID_PARTS:
        raid = clusters[-1]
        near = 0 <= m.sentence_index - raid[-1].sentence_index <= 2
        host = raid[0].coding.sub_event_type
        kinds = _RAIDS if a.sub_event_type != "Attack" else {"Abduction/forced disappearance"}
        fits = near and host in kinds and not any(_apart(a, x.coding) for x in raid)
        battle = raid if fits else None  # "abducted 23 students ... shot dead a guard": one raid
    if battle is None or any(_apart(a, x.coding) and not _same_area(m, x) for x in battle):
        return None
    sides = {x.name for b in battle for x in (b.coding.actor1, b.coding.actor2) if x is not None}
    named = {x.name for x in (a.actor1, a.actor2) if x is not None and x.inter in _ARMED_INTERS}
    strangers = {n for n in named - sides if not n.startswith("Unidentified")}
    strangers = {n for n in strangers if _state_side(n) not in {_state_side(x) for x in sides}}
    return None if strangers else battle


def _elaboration(m: EventMention, last: EventMention) -> bool:
    """ "Jets bombed a village in Sagaing on Monday, killing nine. Two jets dropped bombs on X village
    in Kanbalu township shortly after noon, ...": the next sentence, same kind of violence, no
    date of its own, same region: the same strike told in detail."""
    a, b = m.coding, last.coding
    return (
        m.article_id == last.article_id
        and m.sentence_index - last.sentence_index == 1
        and a.sub_event_type == b.sub_event_type
        and a.event_type in _VIOLENT_TYPES
        and not _own_date(m)
        and not is_back_reference(m)
        and not _ANOTHER.search(m.evidence.text)
        and (not _apart(a, b) or _same_area(m, last))
    )


def _state_side(name: str) -> str:
    """ "Police Forces of Niger (2023-)" and "Military Forces of Niger (2023-)" fight on one side."""
    for force in ("Police Forces of ", "Military Forces of "):
        if name.startswith(force):
            return "State Forces of " + name.removeprefix(force)
    return name


def _same_area(m: EventMention, other: EventMention) -> bool:
    """Same day (dates read outside a mention's own clause, like the day a statement was made,
    don't count) and places in one first-level region: one fight told from several vantage
    points ("near Boni", "from Douentza towards Boni")."""
    a, b = m.coding, other.coding
    if _own_date(m) and _own_date(other) and a.event_date != b.event_date:
        return False
    pa, pb = a.place, b.place
    if pa is None or pb is None:
        return True
    return pa.admin1 is not None and pa.admin1 == pb.admin1


def _own_date(m: EventMention) -> bool:
    span, ev = m.date_span, m.evidence
    if span is None:
        given = m.coding.date_text
        return given is not None and given != "" and given in ev.text
    return ev.start <= span.start < ev.end


def _last_crowd(cluster: list[EventMention]) -> EventMention:
    """The cluster's latest protest or riot telling (arrests joined to it don't count)."""
    return next((x for x in reversed(cluster) if x.coding.event_type in _CROWD_TYPES), cluster[-1])


def _crowd_story(m: EventMention, last: EventMention, *, any_type: bool = False) -> bool:
    """A protest or riot told over the next sentences ("Students marched ... Police used tear gas
    to disperse the crowd ... Several were arrested") is one event unless date or place differ."""
    a, b = m.coding, last.coding
    same_kind = a.event_type in _CROWD_TYPES and a.event_type == b.event_type
    return (
        (any_type or same_kind)
        and m.article_id == last.article_id
        and 0 <= m.sentence_index - last.sentence_index <= (5 if same_kind else 2)
        and (not _apart(a, b) or (same_kind and _same_area(m, last)))
        and not _ANOTHER.search(m.evidence.text)
    )


def _apart(a: EventCoding, b: EventCoding) -> bool:
    """Different days or places, by resolved values when the dates and geo stages ran, else by
    the surface strings."""
    if a.date_text is None or b.date_text is None:
        pass  # a clause without a date of its own only inherits the article's date
    elif a.event_date is not None and b.event_date is not None:
        if a.event_date != b.event_date:
            return True
    elif _conflict(a.date_text, b.date_text):
        return True
    if a.place is not None and b.place is not None:
        return a.place.location.lower() != b.place.location.lower()
    return _conflict(a.location_text, b.location_text)


def _conflict(a: str | None, b: str | None) -> bool:
    return a is not None and b is not None and a.lower() != b.lower()


def _weapon_and_harm(m: EventMention, last: EventMention) -> bool:
    """ "... the drone attack that killed three soldiers": a weapon event and the killing it caused,
    told in one sentence, are one event (coded by the weapon)."""
    types = {m.coding.event_type, last.coding.event_type}
    return (
        m.article_id == last.article_id
        and m.sentence_index == last.sentence_index
        and "Explosions/Remote violence" in types
        and types <= _VIOLENT_TYPES
        and not is_back_reference(m)
        and not is_back_reference(last)
        and not _apart(m.coding, last.coding)
    )


def _same_sentence_split(m: EventMention, last: EventMention) -> bool:
    """One event told in two clauses of a sentence ("five were killed and 12 wounded in an ambush
    on Friday"); different dates or places keep them apart ("... on Aug. 14 and four others ... Monday")."""
    a, b = m.coding, last.coding
    return (
        m.article_id == last.article_id
        and m.sentence_index == last.sentence_index
        and a.sub_event_type == b.sub_event_type
        and not _apart(a, b)
    )


def _informativeness(m: EventMention) -> tuple[bool, float, int]:
    known = sum(
        1
        for f in ("date_text", "location_text", "fatalities", "actor1", "actor2")
        if getattr(m.coding, f) is not None
    )
    return (not is_back_reference(m), m.coding.confidence, known)


def _merged_coding(cluster: list[EventMention]) -> EventCoding:
    ranked = sorted(cluster, key=_informativeness, reverse=True)
    first_type = {"Battles"} if cluster[0].coding.sub_event_type == "Armed clash" else set()
    for kind in (first_type, _CROWD_TYPES, {"Explosions/Remote violence"}):
        first = [m for m in ranked if m.coding.event_type in kind]
        if first:
            ranked = first + [m for m in ranked if m not in first]
            break
    best = ranked[0].coding
    updates = {}
    names = {f.name for f in fields(EventCoding)}
    kin = [m for m in ranked if m.coding.event_type == best.event_type]
    for name in _FILLABLE:
        if name in names and getattr(best, name) is None:
            other = _OTHER_SIDE.get(name)
            taken = getattr(best, other) if other else None
            value = next(
                (
                    v
                    for m in kin
                    for v in [getattr(m.coding, name)]
                    if v is not None
                    and (taken is None or getattr(v, "name", v) != getattr(taken, "name", taken))
                ),
                None,
            )
            if value is not None:
                updates[name] = value
    subs = [m.coding.sub_event_type for m in cluster if m.coding.sub_event_type in _PROTEST_SEVERITY]
    if any(m.coding.sub_event_type == "Arrests" for m in cluster):
        subs.append("Protest with intervention")
    if best.sub_event_type in _PROTEST_SEVERITY and subs:
        worst = max(subs, key=_PROTEST_SEVERITY.index)
        if worst != best.sub_event_type:
            updates["sub_event_type"] = worst
            updates["event_type"] = event_type_of(worst)
    told = [m for m in cluster if not is_back_reference(m) and m.sentence_index == ranked[0].sentence_index]
    for name in ("fatalities", "injuries"):
        known = [getattr(m.coding, name) for m in told if getattr(m.coding, name) is not None]
        if known and max(known) != getattr(best, name):
            updates[name] = max(known)  # clauses of one sentence add their counts up to one figure
    if best.sub_event_type == "Armed clash":
        updates.update(_battle_sides(best, updates, cluster))
    lead = _lead_toll(cluster)
    if lead is not None and best.event_type in _VIOLENT_TYPES:
        updates["fatalities"] = lead
    return replace(best, **updates) if updates else best


def _battle_sides(
    best: EventCoding, updates: dict[str, object], cluster: list[EventMention]
) -> dict[str, object]:
    """A fight's two sides from all its tellings ("soldiers were killed when al-Qaeda attacked" +
    "troops fought back"), whichever slot each telling put them in."""
    a1 = updates.get("actor1", best.actor1)
    a2 = updates.get("actor2", best.actor2)
    if a1 is not None and a2 is not None:
        return {}
    seen = [getattr(a, "name", None) for a in (a1, a2) if a is not None]
    for m in cluster:
        for actor in (m.coding.actor1, m.coding.actor2):
            if actor is not None and actor.inter in _ARMED_INTERS and actor.name not in seen:
                return {"actor2": actor} if a1 is not None else {"actor1": actor}
    return {}


def _lead_toll(cluster: list[EventMention]) -> int | None:
    """The toll of the event's first telling (news leads carry the reported toll; later clauses
    tell parts or other sides' figures), summed over the clauses of that sentence."""
    told = [m for m in cluster if not is_back_reference(m) and m.coding.fatalities]
    if not told:
        return None
    first = min(told, key=lambda m: m.evidence.start)
    same = [m.coding.fatalities or 0 for m in told if m.sentence_index == first.sentence_index]
    return max(same)


def merge_within_article(mentions: Sequence[EventMention]) -> list[Event]:
    """One Event per real-world event told in the article, in order of first telling."""
    clusters: list[list[EventMention]] = []
    for m in sorted(mentions, key=lambda x: (x.evidence.start, x.id)):
        target = _antecedent(m, clusters)
        if target is not None:
            target.append(m)
        elif is_back_reference(m) and (clusters or _possessive(m)):
            # it points at an event told earlier in words we could not match, or at one outside
            # the text ("Her killing"); a definite description with nothing told before it ("The
            # air strike left seven dead.") is the telling itself
            log.debug("dropping back-reference with no antecedent: %r", m.evidence.text[:80])
        else:
            clusters.append([m])
    events = []
    for c in clusters:
        coding = _merged_coding(c)
        events.append(Event(content_id("e", c[0].id), coding, tuple(_as_told(m, coding) for m in c)))
    return events


#: what one article (one source) says about the event as a whole; each mention keeps its own
#: span, confidence, modality, date and place
_ARTICLE_LEVEL = ("event_type", "sub_event_type", "actor1", "actor2", "assoc_actor_1", "assoc_actor_2")


def _as_told(m: EventMention, coding: EventCoding) -> EventMention:
    """A mention re-coded as the article's telling of the merged event, so later stages (the
    cross-source vote and the conservative toll) see "an ambush killing eight", not "trucks were
    set on fire" with no deaths. A part's own zero toll is no report of zero deaths."""
    own = m.coding
    updates: dict[str, Any] = {
        f: getattr(coding, f) for f in _ARTICLE_LEVEL if getattr(own, f) != getattr(coding, f)
    }
    if own.fatalities != coding.fatalities and coding.fatalities is not None:
        updates["fatalities"] = coding.fatalities  # one source, one figure for the whole event
    return replace(m, coding=replace(own, **updates)) if updates else m
