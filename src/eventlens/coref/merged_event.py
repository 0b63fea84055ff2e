"""What a merged event says: the most informative telling's coding, completed from the others,
and each mention re-coded as its article's telling of that event.
"""

from __future__ import annotations

import re
from dataclasses import fields, replace
from typing import Any

from eventlens.coref.antecedent import casualty_telling
from eventlens.coref.backrefs import ARMED_INTERS, CROWD_TYPES, VIOLENT_TYPES, is_back_reference
from eventlens.model import (
    CROWD_SEVERITY,
    Actor,
    EventCoding,
    EventMention,
    codebook_choice,
    event_type_of,
    near_types,
)

__all__ = ["as_told", "merged_coding"]

_PROTESTERS, _RIOTERS = 6, 5
_ALSO_KILLED = re.compile(
    r"\b(?:were|was)\s+also\s+(?:killed|shot dead|gunned down|murdered)\b", re.IGNORECASE
)
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


def merged_coding(cluster: list[EventMention]) -> EventCoding:
    """The event's coding: its most informative telling's, with the fields it lacks from the others."""
    # a toll told with no one acting ("Two people were killed.") completes an incident where someone
    # acts, never codes it
    acting = any(m.coding.actor1 is not None and m.coding.actor1.surface for m in cluster)
    ranked = sorted(cluster, key=lambda m: (not (acting and casualty_telling(m)), *_informativeness(m)),
                    reverse=True)
    first_type = {"Battles"} if cluster[0].coding.sub_event_type == "Armed clash" else set()
    for kind in (first_type, CROWD_TYPES, {"Explosions/Remote violence"}):
        first = [m for m in ranked if m.coding.event_type in kind and not is_back_reference(m)]
        if first:
            ranked = first + [m for m in ranked if m not in first]
            break
    best = ranked[0].coding
    updates = {}
    names = {f.name for f in fields(EventCoding)}
    kin = [m for m in ranked if m.coding.event_type == best.event_type or _near(m, best)]
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
    updates.update(_stated_date(best, cluster))
    chosen = _codebook_type(best, cluster)
    if chosen != best.sub_event_type:
        updates["sub_event_type"] = chosen
        updates["event_type"] = event_type_of(chosen)
        updates.update(_crowd_actor(updates.get("actor1", best.actor1), chosen, cluster))
    told = [m for m in cluster if not is_back_reference(m) and m.sentence_index == ranked[0].sentence_index]
    for name in ("fatalities", "injuries"):
        known = [getattr(m.coding, name) for m in told if getattr(m.coding, name) is not None]
        if known and max(known) != getattr(best, name):
            updates[name] = max(known)  # clauses of one sentence add their counts up to one figure
    if best.sub_event_type == "Armed clash":
        updates.update(_battle_sides(best, updates, cluster))
    lead = _lead_toll(cluster)
    if lead is not None and best.event_type in VIOLENT_TYPES:
        updates["fatalities"] = lead
    return replace(best, **updates) if updates else best


def _near(m: EventMention, best: EventCoding) -> bool:
    """A telling of the same incident with a confusable sub-type, or its bare casualty count."""
    return best.event_type in VIOLENT_TYPES and (
        casualty_telling(m) or near_types(m.coding.sub_event_type, best.sub_event_type)
    )


def _codebook_type(best: EventCoding, cluster: list[EventMention]) -> str:
    """One incident, one sub-type: the codebook's choice among its tellings' (a protest's most severe
    form, arrests at it counting as intervention; a bombing's one type; remote violence over the
    Attack on the civilians it hit), else the best telling's."""
    subs = {m.coding.sub_event_type for m in cluster if not is_back_reference(m)}
    if best.sub_event_type in CROWD_SEVERITY:
        arrests = {"Protest with intervention"} if "Arrests" in subs else set()
        subs = {s for s in subs if s in CROWD_SEVERITY} | arrests
    elif not any(near_types(s, best.sub_event_type) and s != best.sub_event_type for s in subs):
        return best.sub_event_type
    else:
        subs = {s for s in subs if near_types(s, best.sub_event_type)}
    return codebook_choice(subs) or best.sub_event_type


def _crowd_actor(actor1: Actor | None, chosen: str, cluster: list[EventMention]) -> dict[str, object]:
    """A protest told on into a riot: its crowd are rioters (inter 5), as the riot's telling names them."""
    if event_type_of(chosen) != "Riots" or actor1 is None or actor1.inter != _PROTESTERS:
        return {}
    rioters = next((a for m in cluster if (a := m.coding.actor1) is not None and a.inter == _RIOTERS), None)
    if rioters is None:
        rioters = Actor(actor1.name.replace("Protesters", "Rioters", 1), _RIOTERS, actor1.surface)
    return {"actor1": rioters}


def _stated_date(best: EventCoding, cluster: list[EventMention]) -> dict[str, object]:
    """A date the text states for the event beats the publication-date fallback of its best telling
    (a fallback date carries no ``date_text``)."""
    if best.date_text is not None and best.event_date is not None:
        return {}
    stated = [m.coding for m in cluster if m.coding.date_text and m.coding.event_date is not None]
    if not stated:
        return {}
    first = min(stated, key=lambda c: c.time_precision or 9)
    return {
        "event_date": first.event_date, "time_precision": first.time_precision, "date_text": first.date_text
    }


def _informativeness(m: EventMention) -> tuple[bool, float, int]:
    known = sum(
        1
        for f in ("date_text", "location_text", "fatalities", "actor1", "actor2")
        if getattr(m.coding, f) is not None
    )
    return (not is_back_reference(m), m.coding.confidence, known)


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
            if actor is not None and actor.inter in ARMED_INTERS and actor.name not in seen:
                return {"actor2": actor} if a1 is not None else {"actor1": actor}
    return {}


def _lead_toll(cluster: list[EventMention]) -> int | None:
    """The toll of the event's first telling (news leads carry the reported toll; later clauses
    tell parts or other sides' figures), summed over the clauses of that sentence, plus the
    victims a later sentence adds ("Two of her bodyguards were also killed in the attack")."""
    told = [m for m in cluster if not is_back_reference(m) and m.coding.fatalities]
    if not told:
        return None
    first = min(told, key=lambda m: m.evidence.start)
    same = [m.coding.fatalities or 0 for m in told if m.sentence_index == first.sentence_index]
    more = {
        m.sentence_index: m.coding.fatalities or 0 for m in cluster if _ALSO_KILLED.search(m.evidence.text)
    }
    return max(same) + sum(n for i, n in more.items() if i > first.sentence_index)


#: what one article (one source) says about the event as a whole; each mention keeps its own
#: span, confidence, modality, date and place
_ARTICLE_LEVEL = ("event_type", "sub_event_type", "actor1", "actor2", "assoc_actor_1", "assoc_actor_2")


def as_told(m: EventMention, coding: EventCoding) -> EventMention:
    """A mention re-coded as the article's telling of the merged event, so later stages (the
    cross-source vote and the conservative toll) see "an ambush killing eight", not "trucks were
    set on fire" with no deaths. A part's own zero toll is no report of zero deaths, nor "No one
    was hurt in the blaze" of the whole protest's injuries."""
    own = m.coding
    updates: dict[str, Any] = {
        f: getattr(coding, f) for f in _ARTICLE_LEVEL if getattr(own, f) != getattr(coding, f)
    }
    for count in ("fatalities", "injuries"):  # one source, one figure for the whole event
        if getattr(own, count) != getattr(coding, count) and getattr(coding, count) is not None:
            updates[count] = getattr(coding, count)
    return replace(m, coding=replace(own, **updates)) if updates else m
