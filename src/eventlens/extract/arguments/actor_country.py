"""Actors take the event's country when the text did not settle theirs; empty sides take the
codebook's default actors.

Actor names are coded before geocoding, from the country the article is about: a snippet that names
only a town ("clashed in Hays district, Hodeidah") gives civilians no country, or a made-up one
("Civilians (Hodeidah)", a place the country table does not know), and an article may be about
another country than the place of its event ("Russian forces shelled Kherson": not "Civilians
(Russia)"). Once the geocoder has placed the event:

* civilians, protesters, rioters and unidentified armed groups take its country (ACLED names them
  after the country of the event), unless their own words name theirs ("Palestinians", "Ethiopian
  migrants");
* state forces and governments with no country, or an unknown one, take it too
  (``Military Forces of Yemen (2017-)``); those of a real country are the text's reading and kept
  ("Military Forces of Israel" in Lebanon), as external forces (inter 8) outside their own country
  and state forces (inter 1) in it.

A side the text leaves empty gets the actor the codebook records there, once the final sub-event
type is known: an unknown or civilian "attacker" of political violence is an unidentified armed
group (civilians are victims, never the armed agent), the victims of violence against civilians
(and of a deadly explosion) are civilians, the force that meets a protest is the police, the side
that loses territory to a non-state actor is the army, and the arresting side is the police.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from functools import lru_cache
from itertools import pairwise

from eventlens.extract.arguments.actors import load_group_aliases
from eventlens.extract.arguments.roles import targeted_force
from eventlens.geo.countries import CountryTable
from eventlens.model import Actor, EventCoding, EventMention, event_type_of

__all__ = ["armed_victims_fight", "default_sides", "security_target", "settle_actor_countries"]

#: actors ACLED names after a country, "Civilians (Iraq)"; named groups carry theirs ("Islamic State (Iraq)")
_GENERIC = frozenset({"Civilians", "Protesters", "Rioters", "Unidentified Armed Group"})
_STATE = ("Military Forces", "Police Forces", "Government")
_IN_BRACKETS = re.compile(r"(?P<base>.+) \((?P<country>[^()]+)\)")
_STATE_OF = re.compile(rf"(?P<base>{'|'.join(_STATE)}) of (?P<country>.+?)(?: \(\d{{4}}-(?:\d{{4}})?\))?")


_VICTIM_SUBS = frozenset({"Attack", "Abduction/forced disappearance", "Sexual violence"})
_MET_PROTESTS = frozenset({"Protest with intervention", "Excessive force against protesters"})
_UNKNOWN_ARMED = Actor("Unidentified Armed Group", 3)
_CIVILIANS = Actor("Civilians", 7)


def settle_actor_countries(mention: EventMention, table: CountryTable) -> EventMention:
    """``mention`` with its empty sides filled by the codebook's defaults and its actors' missing or
    unknown countries set to its place's country."""
    coding = armed_victims_fight(security_target(mention.coding, mention.evidence.text))
    actor1, actor2 = default_sides(coding)
    country = coding.place.country if coding.place else None
    if country:
        actor1 = _settled(actor1, country, coding.event_date, table)
        actor2 = _settled(actor2, country, coding.event_date, table)
    if coding is mention.coding and actor1 is coding.actor1 and actor2 is coding.actor2:
        return mention
    return replace(mention, coding=replace(coding, actor1=actor1, actor2=actor2))


#: inter codes of armed, organised actors: state forces, rebels, militias, external forces
_ARMED_INTER = frozenset({1, 2, 3, 4, 8})


_TARGETABLE = frozenset({
    "Attack", "Armed clash", "Remote explosive/landmine/IED", "Suicide bomb", "Air/drone strike", "Grenade",
    "Shelling/artillery/missile attack",
})


def security_target(coding: EventCoding, evidence: str) -> EventCoding:
    """An act of violence with no victim side, or only people counted as civilians ("killing six
    people"), whose sentence names soldiers or police as its target ("a bomb exploded near a police
    patrol"), takes them as actor2: the codebook codes the force attacked, and an "attack" on it is
    a battle (:func:`armed_victims_fight`)."""
    sub = coding.sub_event_type
    victims = coding.actor2
    if sub not in _TARGETABLE or not (victims is None or (sub != "Attack" and _civilians(victims))):
        return coding
    force = targeted_force(evidence)
    return coding if force is None else replace(coding, actor2=Actor(force, 1))


def _civilians(actor: Actor) -> bool:
    return actor.inter == 7 and (actor.name == "Civilians" or actor.name.startswith("Civilians ("))


def armed_victims_fight(coding: EventCoding) -> EventCoding:
    """An "attack" whose targets are soldiers, police, militia members or fighters is a battle
    (codebook: violence against civilians is for unarmed victims only)."""
    if coding.sub_event_type != "Attack" or coding.actor2 is None or coding.actor2.inter not in _ARMED_INTER:
        return coding
    return replace(coding, event_type="Battles", sub_event_type="Armed clash")


def default_sides(coding: EventCoding) -> tuple[Actor | None, Actor | None]:
    """actor1 and actor2 with the codebook's actors in the sides the text left empty (names without
    a country: :func:`settle_actor_countries` gives them the event's)."""
    sub, a1, a2 = coding.sub_event_type, coding.actor1, coding.actor2
    violent = sub in _VICTIM_SUBS or sub == "Armed clash" or _event_type(sub) == "Explosions/Remote violence"
    if violent and (a1 is None or a1.inter == 7):
        if a1 is not None and a2 is None and sub != "Armed clash":
            a2 = a1  # the civilians are the victims
        a1 = _UNKNOWN_ARMED
    if a2 is None and (
        sub in _VICTIM_SUBS
        or (_event_type(sub) == "Explosions/Remote violence" and (coding.fatalities or coding.injuries))
    ):
        a2 = _CIVILIANS
    if a2 is None and sub in _MET_PROTESTS:
        a2 = Actor("Police Forces", 1)
    if a2 is None and sub == "Non-state actor overtakes territory":
        a2 = Actor("Military Forces", 1)
    if a1 is None and sub == "Arrests":
        a1 = Actor("Police Forces", 1)
    return a1, a2


def _event_type(sub: str) -> str:
    try:
        return event_type_of(sub)
    except KeyError:
        return ""


def _settled(actor: Actor | None, country: str, when: date | None, table: CountryTable) -> Actor | None:
    if actor is None:
        return None
    name = actor.name
    state = _STATE_OF.fullmatch(name)
    if name in _STATE or (state and table.lookup(state["country"]) is None):
        period = table.period(country, when)
        base = state["base"] if state else name
        return replace(actor, name=f"{base} of {country}" + (f" ({period})" if period else ""))
    if state:
        # a real country's forces keep their country, in the era of the event's date (the coder
        # named them in the era of the publication date, or the latest when it had none); outside
        # their own country they are external forces (codebook: inter 8), at home state forces
        base, theirs = state["base"], state["country"]
        period = table.period(theirs, when) if when is not None else None
        renamed = f"{base} of {theirs}" + (f" ({period})" if period else "") if when is not None else name
        inter = actor.inter if actor.inter not in (1, 8) else 1 if table.lookup(theirs) == country else 8
        return actor if (renamed, inter) == (name, actor.inter) else replace(actor, name=renamed, inter=inter)
    if name in _GENERIC:
        return replace(actor, name=f"{name} ({country})")
    bracket = _IN_BRACKETS.fullmatch(name)
    if bracket is None or bracket["country"] == country:
        return actor
    base, theirs = bracket["base"], bracket["country"]
    known = table.lookup(theirs)
    if theirs == "Unknown" or (base in _GENERIC and not (known and _names(actor.surface, known, table))):
        return replace(actor, name=f"{base} ({country})")
    if known is None and _country_template(name, base):  # "Islamic State (Ninewa)": the region read
        return replace(actor, name=f"{base} ({country})")  # as the article's country
    return actor


@lru_cache(maxsize=1)
def _templates() -> tuple[frozenset[str], frozenset[str]]:
    """Bases of the actor dictionary's names made with the article's country ("Islamic State" of
    "Islamic State ({country})"), and its fixed names ("Islamic State (Sahel)")."""
    names = {name for _, name, _ in load_group_aliases()}
    bases = frozenset(n.removesuffix(" ({country})") for n in names if n.endswith(" ({country})"))
    return bases, frozenset(n for n in names if "{country}" not in n)


def _country_template(name: str, base: str) -> bool:
    bases, fixed = _templates()
    return base in bases and name not in fixed


def _names(surface: str | None, country: str, table: CountryTable) -> bool:
    """Do the actor's own words name ``country`` ("Palestinians", "Ethiopian migrants")?"""
    words = re.findall(r"[^\W\d_]+", surface or "")
    phrases = words + [f"{a} {b}" for a, b in pairwise(words)]
    return any(table.lookup(p, demonym=True) == country for p in phrases)
