"""Which earlier event a mention tells again: :func:`antecedent` and the tests it applies.

A later mention joins an earlier event when it names the same victim, only points back to it,
repeats its type, date and place, tells a part of the same fight, raid, protest or strike, or
retells an incident's toll (see each test's docstring); an explicit "another"/"separate" keeps it
apart. Every join carries the reason it was made (:class:`Join`).
"""

from __future__ import annotations

import re
from typing import NamedTuple

from eventlens.coref.backrefs import (
    ARMED_INTERS,
    CROWD_TYPES,
    PRONOUNS,
    VIOLENT_TYPES,
    is_back_reference,
    words_before_trigger,
)
from eventlens.model import CROWD_SEVERITY, EventCoding, EventMention, near_types

__all__ = ["Join", "antecedent", "casualty_telling"]

_NAME_RE = re.compile(r"\b[A-Z][\w'-]{2,}\b")
_NOT_NAMES = frozenset("Armed Civilians Forces Group Her His Military Police The Their Unidentified".split())
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
#: a raid on a village ("killed 14 and abducted dozens") and what its attackers did there next
_RAIDS = frozenset({"Attack", "Abduction/forced disappearance"})
_RAID_PARTS = frozenset({"Looting/property destruction", "Attack"})
_ANOTHER = re.compile(r"\b(another|separate(ly)?|second|elsewhere|meanwhile|similar)\b", re.IGNORECASE)
#: "killed in the explosion", "wounded during Tuesday's attack": a clause about an incident told before
_POINTS_BACK = re.compile(
    r"\b(?:in|during|by|from|after|since)\s+(?:the|this|that|[A-Z][a-z]+day's)\s+(?:\w+\s+)?"
    r"(?:attacks?|explosions?|blasts?|bombings?|strikes?|shooting|ambush|raid|assault|incident|violence)\b"
    r"(?!\s+(?:on|against|at|near|in|of)\b)",  # "during the attack on the president's home": another target
    re.IGNORECASE,
)
#: a toll told in the passive, with no one acting: "22 people were killed", "two died"
_PASSIVE_TOLL = re.compile(
    r"\b(?:were|was|have been|has been|had been)\s+(?:\w+\s+)?(?:killed|wounded|injured|hurt)\b"
    r"|\b(?:died|dead)\b",
    re.IGNORECASE,
)
#: how many sentences after an incident's last telling a bare casualty count still belongs to it
_TOLL_REACH = 3


class Join(NamedTuple):
    """The earlier event (its mentions in order) a mention tells again, and why."""

    cluster: list[EventMention]
    reason: str


def antecedent(m: EventMention, clusters: list[list[EventMention]]) -> Join | None:
    """The cluster (an event told earlier, its mentions in order) that ``m`` tells again, if any."""
    if m.coding.sub_event_type == "Arrests":
        crowd = [c for c in clusters if c[-1].coding.event_type in CROWD_TYPES]
        if crowd and _crowd_story(m, crowd[-1][-1], any_type=True):
            return Join(crowd[-1], "arrests at the protest or riot told before")
    if clusters and _weapon_and_harm(m, clusters[-1][-1]):
        return Join(clusters[-1], "the harm the weapon caused, in its sentence")
    if clusters and _death_in_crowd(m, clusters[-1][-1]):
        return Join(clusters[-1], "a death in the crowd event of its sentence")
    battle = _battle_of(m, clusters)
    if battle is not None:
        return Join(battle, "a part or another side's telling of the fight")
    if clusters and _elaboration(m, clusters[-1][-1]):
        return Join(clusters[-1], "the previous sentence's incident told in detail")
    if clusters and _toll_of(m, clusters[-1][-1]):
        return Join(clusters[-1], "the toll of the incident told before")
    same_type = [c for c in clusters if c[0].coding.event_type == m.coding.event_type]
    names = _victim_names(m)
    if names:
        for cluster in same_type:
            if any(names & _victim_names(x) for x in cluster):
                return Join(cluster, "names the same victim")
    if is_back_reference(m) and same_type:
        if words_before_trigger(m, 1)[-1:] and words_before_trigger(m, 1)[-1].lower() in PRONOUNS:
            # "her killing", "his death": the story's lead event, told first
            return Join(min(same_type, key=lambda c: c[0].evidence.start), "refers back to the lead event")
        return Join(same_type[-1], "refers back to the event told before")
    for cluster in reversed(same_type):
        if _same_telling(m, cluster[0]):
            return Join(cluster, "same type, day and place")
        if _same_sentence_split(m, cluster[-1]):
            return Join(cluster, "another clause of its sentence")
    for cluster in reversed(clusters):
        if cluster[0].coding.event_type in CROWD_TYPES and _crowd_story(m, _last_crowd(cluster)):
            return Join(cluster, "the protest or riot told on")
    return _retelling(m, clusters)


def _retelling(m: EventMention, clusters: list[list[EventMention]]) -> Join | None:
    """A violent incident told again later in the report, coded with the same or a confusable
    sub-type (Suicide bomb / Remote explosive / Attack for one bombing) or as a bare casualty
    count: the same toll ("Fourteen people were killed, he said."), a clause pointing back ("22
    were killed and 40 wounded in the explosion"), or a casualty count a few sentences on. Another
    day or place, or "another"/"separate", keeps it apart."""
    a = m.coding
    if a.event_type not in VIOLENT_TYPES or _ANOTHER.search(m.evidence.text):
        return None
    bare = casualty_telling(m) and bool(_PASSIVE_TOLL.search(m.evidence.text))
    for cluster in reversed(clusters):
        if cluster[0].coding.event_type not in VIOLENT_TYPES:
            continue
        if any(_apart(a, x.coding) and not _same_day_area(m, x) for x in cluster):
            continue
        near = bare or any(near_types(a.sub_event_type, x.coding.sub_event_type) for x in cluster)
        if not near:
            continue
        toll = next((x.coding.fatalities for x in cluster if x.coding.fatalities), None)
        named = {w for w in _victim_names(m) if not m.evidence.text.startswith(w)}  # "Fourteen people"
        others = named and not any(named & _victim_names(x) for x in cluster)
        if toll and toll > 1 and a.fatalities == toll and not others:
            return Join(cluster, f"retells the toll ({toll} killed) of the incident told before")
        if _POINTS_BACK.search(m.evidence.text):
            return Join(cluster, "points back to the incident told before")
        if bare and cluster is clusters[-1] and m.sentence_index - cluster[-1].sentence_index <= _TOLL_REACH:
            return Join(cluster, "a casualty count after the incident told before")
    return None


def _same_day_area(m: EventMention, other: EventMention) -> bool:
    """Resolved to one day, in one first-level region (places told at different precisions)."""
    day = m.coding.event_date
    return day is not None and day == other.coding.event_date and _same_area(m, other)


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
    named = {x.name for x in (a.actor1, a.actor2) if x is not None and x.inter in ARMED_INTERS}
    strangers = {n for n in named - sides if not n.startswith("Unidentified")}
    strangers = {n for n in strangers if _state_side(n) not in {_state_side(x) for x in sides}}
    return None if strangers else battle


def _elaboration(m: EventMention, last: EventMention) -> bool:
    """ "Jets bombed a village in Sagaing on Monday, killing nine. Two jets dropped bombs on X village
    in Kanbalu township shortly after noon, ...": the next sentence, same kind of violence, no
    date of its own, same region: the same strike told in detail. (A confusable sub-type joins
    only by :func:`_retelling`: with a confusable type alone, WCEP dev sub-type F1 slipped.)"""
    a, b = m.coding, last.coding
    return (
        m.article_id == last.article_id
        and m.sentence_index - last.sentence_index == 1
        and a.sub_event_type == b.sub_event_type
        and a.event_type in VIOLENT_TYPES
        and not _own_date(m)
        and not is_back_reference(m)
        and not _ANOTHER.search(m.evidence.text)
        and (not _apart(a, b) or _same_area(m, last))
    )


_CASUALTY_TRIGGER = re.compile(
    r"^(?:killed|died|dead|wounded|injured|hurt|deaths?|fatalities|casualties|lives|perished)$",
    re.IGNORECASE,
)


def casualty_telling(m: EventMention) -> bool:
    """ "Two people were killed and eight injured.": a toll told with no one acting, only victims."""
    trigger = m.trigger.text if m.trigger is not None else ""
    actor = m.coding.actor1
    return bool(_CASUALTY_TRIGGER.match(trigger.strip())) and (actor is None or not actor.surface)


def _toll_of(m: EventMention, last: EventMention) -> bool:
    """A casualty sentence right after a violent incident ("Gunmen attacked a village in Zamfara. Two
    people were killed and eight injured.") is that incident's toll, not a second event, unless it
    has a day or place of its own or says it is another incident."""
    return (
        m.article_id == last.article_id
        and 0 <= m.sentence_index - last.sentence_index <= 1
        and m.coding.event_type in VIOLENT_TYPES
        and last.coding.event_type in VIOLENT_TYPES
        and casualty_telling(m)
        and not casualty_telling(last)
        and not is_back_reference(m)  # "Her killing ...": the story's lead event, by its own rule
        and not _victim_names(m)  # a named victim's killing is matched by name
        and not _ANOTHER.search(m.evidence.text)
        and not (_own_date(m) and _apart(m.coding, last.coding))
        and (not _apart(m.coding, last.coding) or _same_area(m, last))
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
    return next((x for x in reversed(cluster) if x.coding.event_type in CROWD_TYPES), cluster[-1])


def _crowd_story(m: EventMention, last: EventMention, *, any_type: bool = False) -> bool:
    """A protest or riot told over the next sentences ("Students marched ... Police used tear gas
    to disperse the crowd ... Several were arrested") is one event unless date or place differ."""
    a, b = m.coding, last.coding
    same_kind = a.event_type in CROWD_TYPES and (
        a.event_type == b.event_type or {a.sub_event_type, b.sub_event_type} <= set(CROWD_SEVERITY)
    )
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
        and types <= VIOLENT_TYPES
        and not is_back_reference(m)
        and not is_back_reference(last)
        and not _apart(m.coding, last.coding)
    )


def _death_in_crowd(m: EventMention, last: EventMention) -> bool:
    """ "Protesters threw stones at police in Dhaka; one police officer was killed": a killing
    told with no one to blame, in the sentence of a protest or riot, is that event's toll."""
    return (
        m.coding.event_type in ("Battles", "Violence against civilians")
        and m.coding.actor1 is None
        and last.coding.event_type in CROWD_TYPES
        and m.article_id == last.article_id
        and m.sentence_index == last.sentence_index
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
