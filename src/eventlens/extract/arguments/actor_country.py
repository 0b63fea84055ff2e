"""Actors take the event's country when the text did not settle theirs.

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
  ("Military Forces of Israel" in Lebanon).
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from itertools import pairwise

from eventlens.extract.arguments.countries import CountryTable
from eventlens.model import Actor, EventMention

__all__ = ["settle_actor_countries"]

#: actors ACLED names after a country, "Civilians (Iraq)"; named groups carry theirs ("Islamic State (Iraq)")
_GENERIC = frozenset({"Civilians", "Protesters", "Rioters", "Unidentified Armed Group"})
_STATE = ("Military Forces", "Police Forces", "Government")
_IN_BRACKETS = re.compile(r"(?P<base>.+) \((?P<country>[^()]+)\)")
_STATE_OF = re.compile(rf"(?P<base>{'|'.join(_STATE)}) of (?P<country>.+?)(?: \(\d{{4}}-(?:\d{{4}})?\))?")


def settle_actor_countries(mention: EventMention, table: CountryTable) -> EventMention:
    """``mention`` with its actors' missing or unknown countries set to its place's country."""
    coding = mention.coding
    country = coding.place.country if coding.place else None
    if not country:
        return mention
    actor1 = _settled(coding.actor1, country, coding.event_date, table)
    actor2 = _settled(coding.actor2, country, coding.event_date, table)
    if actor1 is coding.actor1 and actor2 is coding.actor2:
        return mention
    return replace(mention, coding=replace(coding, actor1=actor1, actor2=actor2))


def _settled(actor: Actor | None, country: str, when: date | None, table: CountryTable) -> Actor | None:
    if actor is None:
        return None
    name = actor.name
    state = _STATE_OF.fullmatch(name)
    if name in _STATE or (state and table.lookup(state["country"]) is None):
        period = table.period(country, when)
        base = state["base"] if state else name
        return replace(actor, name=f"{base} of {country}" + (f" ({period})" if period else ""))
    if name in _GENERIC:
        return replace(actor, name=f"{name} ({country})")
    bracket = _IN_BRACKETS.fullmatch(name)
    if bracket is None or bracket["country"] == country:
        return actor
    base, theirs = bracket["base"], bracket["country"]
    known = table.lookup(theirs)
    if theirs == "Unknown" or (base in _GENERIC and not (known and _names(actor.surface, known, table))):
        return replace(actor, name=f"{base} ({country})")
    return actor


def _names(surface: str | None, country: str, table: CountryTable) -> bool:
    """Do the actor's own words name ``country`` ("Palestinians", "Ethiopian migrants")?"""
    words = re.findall(r"[^\W\d_]+", surface or "")
    phrases = words + [f"{a} {b}" for a, b in pairwise(words)]
    return any(table.lookup(p, demonym=True) == country for p in phrases)
