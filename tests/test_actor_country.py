"""Actors take the event's (geocoded) country when the text did not settle theirs."""

from __future__ import annotations

from datetime import date

import pytest

from eventlens.extract.arguments.actor_country import (
    armed_victims_fight,
    security_target,
    settle_actor_countries,
)
from eventlens.geo.countries import load_country_table
from eventlens.model import Actor, EventCoding, EventMention, Place, Span, event_type_of


def _settled(
    actor1: Actor | None, actor2: Actor | None, country: str | None, sub: str = "Other"
) -> tuple[str | None, ...]:
    """Settled names; the default sub-type ("Other") has no default actors, so only countries change."""
    coding = EventCoding(
        event_type_of(sub),
        sub,
        actor1=actor1,
        actor2=actor2,
        event_date=date(2024, 3, 1),
        place=Place("Somewhere", country=country) if country else None,
    )
    mention = EventMention("d-a0-m0", "d", "d-a0", 0, Span("x", 0, 1), coding)
    out = settle_actor_countries(mention, load_country_table()).coding
    return tuple(a.name if a else None for a in (out.actor1, out.actor2))


@pytest.mark.parametrize(
    ("name", "surface", "country", "expected"),
    [
        ("Civilians", "three civilians", "Yemen", "Civilians (Yemen)"),  # the snippet named no country
        ("Civilians (Hodeidah)", "civilians", "Yemen", "Civilians (Yemen)"),  # a town taken for one
        ("Civilians (Russia)", "civilians", "Ukraine", "Civilians (Ukraine)"),  # the article's, not theirs
        ("Civilians (Palestine)", "two Palestinians", "Israel", "Civilians (Palestine)"),  # their own
        ("Civilians (Ethiopia)", "Ethiopian migrants", "Yemen", "Civilians (Ethiopia)"),
        ("Protesters (Fulan)", "protesters", "Nigeria", "Protesters (Nigeria)"),
        ("Islamic State (Unknown)", "IS fighters", "Iraq", "Islamic State (Iraq)"),
        ("Islamic State (Syria)", "IS fighters", "Iraq", "Islamic State (Syria)"),  # a named group's own
        ("Islamic State (Ninewa)", "IS fighters", "Iraq", "Islamic State (Iraq)"),  # a region read as one
        ("Islamic State (Sahel)", "IS Sahel fighters", "Mali", "Islamic State (Sahel)"),  # a fixed name
        ("Military Forces", "government troops", "Yemen", "Military Forces of Yemen (2017-)"),
        ("Military Forces of Hodeidah", "troops", "Yemen", "Military Forces of Yemen (2017-)"),
        ("Military Forces of Syria (2000-2024)", "troops", "Syria", "Military Forces of Syria (2000-2024)"),
        ("Military Forces of Israel (2022-)", "troops", "Lebanon", "Military Forces of Israel (2022-)"),
        ("Police Forces", "police", "Mexico", "Police Forces of Mexico (2018-2024)"),
    ],
)
def test_actor_takes_the_event_country_unless_the_text_settled_it(
    name: str, surface: str, country: str, expected: str
) -> None:
    assert _settled(Actor(name, 7, surface), None, country) == (expected, None)


def test_nothing_changes_without_a_place() -> None:
    actors = (Actor("Civilians (Hodeidah)", 7, "civilians"), Actor("Military Forces", 1, "troops"))
    assert _settled(*actors, None) == ("Civilians (Hodeidah)", "Military Forces")


@pytest.mark.parametrize(
    ("sub", "actor1", "actor2", "expected"),
    [
        # civilians are victims, never the armed agent: an unknown attacker is an unidentified armed group
        ("Attack", Actor("Civilians", 7, "people"), None,
         ("Unidentified Armed Group (Iraq)", "Civilians (Iraq)")),
        ("Remote explosive/landmine/IED", None, None, ("Unidentified Armed Group (Iraq)", None)),
        ("Armed clash", Actor("Civilians", 7, "men"), Actor("Military Forces", 1, "troops"),
         ("Unidentified Armed Group (Iraq)", "Military Forces of Iraq (2022-)")),
        ("Protest with intervention", Actor("Protesters", 6, "protesters"), None,
         ("Protesters (Iraq)", "Police Forces of Iraq (2022-)")),
        ("Arrests", None, Actor("Civilians", 7, "activists"),
         ("Police Forces of Iraq (2022-)", "Civilians (Iraq)")),
        ("Peaceful protest", Actor("Protesters", 6, "protesters"), None, ("Protesters (Iraq)", None)),
    ],
)
def test_empty_sides_take_the_codebooks_actors(
    sub: str, actor1: Actor | None, actor2: Actor | None, expected: tuple[str | None, ...]
) -> None:
    assert _settled(actor1, actor2, "Iraq", sub) == expected


@pytest.mark.parametrize(
    ("sub", "evidence", "expected"),
    [
        ("Remote explosive/landmine/IED", "An explosive device detonated near a police patrol in Kirkuk.",
         ("Remote explosive/landmine/IED", "Police Forces")),
        ("Remote explosive/landmine/IED", "A roadside bomb struck an army convoy in Helmand.",
         ("Remote explosive/landmine/IED", "Military Forces")),
        ("Air/drone strike", "A drone hit a military base near Erbil.",
         ("Air/drone strike", "Military Forces")),
        # an "attack" on the police is a battle (codebook: armed victims make it a battle)
        ("Attack", "Gunmen attacked a police station in Kandahar.", ("Armed clash", "Police Forces")),
        ("Attack", "Gunmen opened fire, and two policemen were wounded.", ("Armed clash", "Police Forces")),
        # the police who report an event are not its target
        ("Remote explosive/landmine/IED", "Police said a bomb exploded at a market in Quetta.",
         ("Remote explosive/landmine/IED", None)),
        ("Attack", "Soldiers shot dead two villagers in Rakhine.", ("Attack", None)),
        ("Peaceful protest", "Protesters marched to a police station.", ("Peaceful protest", None)),
        # the posts and force names of the codebook's event descriptions
        ("Attack", "Al Shabaab militants attacked an SNA base in Afgoye.",
         ("Armed clash", "Military Forces")),
        ("Attack", "JNIM militants attacked a FAMa position near Boni.", ("Armed clash", "Military Forces")),
        ("Attack", "ADF militants attacked FARDC positions near Beni.", ("Armed clash", "Military Forces")),
        ("Attack", "Gunmen stormed the garrison in Gao.", ("Armed clash", "Military Forces")),
        ("Attack", "Gunmen attacked a displacement camp near Beni.", ("Attack", None)),
    ],
)
def test_a_security_force_named_as_the_target_is_actor2(
    sub: str, evidence: str, expected: tuple[str, str | None]
) -> None:
    out = security_target(EventCoding(event_type_of(sub), sub), evidence)
    out = armed_victims_fight(out)
    assert (out.sub_event_type, out.actor2.name if out.actor2 else None) == expected


@pytest.mark.parametrize(
    ("sub", "evidence", "expected"),
    [
        ("Remote explosive/landmine/IED",
         "Turkish police headquarters in Midyat and Cinar are hit by car bombs.", "Police Forces"),
        ("Remote explosive/landmine/IED",
         "At least 35 people die in Kabul as the result of a bombing of a police bus.", "Police Forces"),
        ("Suicide bomb", "Fourteen people are killed by a suicide bomber in a military headquarters.",
         "Military Forces"),
        ("Armed clash", "Gunmen attacked an army post in western Baghdad, killing 11 people.",
         "Military Forces"),
        # an attack whose dead are counted as people keeps them: the codebook's victims
        ("Attack", "Gunmen killed five people near a police station.", "Civilians"),
        ("Remote explosive/landmine/IED", "A bomb killed six people at a market in Quetta.", "Civilians"),
    ],
)
def test_a_targeted_force_replaces_victims_counted_as_people(sub: str, evidence: str, expected: str) -> None:
    coding = EventCoding(event_type_of(sub), sub, actor2=Actor("Civilians", 7, "people"))
    out = security_target(coding, evidence)
    assert out.actor2 is not None and out.actor2.name == expected


@pytest.mark.parametrize(
    ("name", "inter", "country", "expected"),
    [
        ("Military Forces of Israel (2022-)", 1, "Lebanon", 8),  # outside their country: external forces
        ("Military Forces of Israel (2022-)", 1, "Palestine", 8),
        ("Police Forces of Israel (2022-)", 8, "Israel", 1),  # at home: state forces
        ("Military Forces of United States", 1, "Somalia", 8),
        ("Military Forces", 1, "Somalia", 1),  # no country of their own: the event's
        ("Government of Ukraine (2019-)", 1, "Ukraine", 1),
    ],
)
def test_state_forces_abroad_are_external_forces(name: str, inter: int, country: str, expected: int) -> None:
    coding = EventCoding("Battles", "Armed clash", actor1=Actor(name, inter), event_date=date(2024, 3, 1),
                         place=Place("X", country=country))
    mention = EventMention("d-a0-m0", "d", "d-a0", 0, Span("x", 0, 1), coding)
    out = settle_actor_countries(mention, load_country_table()).coding
    assert out.actor1 is not None and out.actor1.inter == expected


@pytest.mark.parametrize(
    ("name", "when", "expected"),
    [
        # named in the era of the publication date (or the latest), renamed in the event's era
        ("Police Forces of Colombia (2022-)", date(2012, 7, 23), "Police Forces of Colombia"),
        ("Military Forces of Iraq (2022-)", date(2016, 5, 1), "Military Forces of Iraq (2014-2018)"),
        ("Military Forces of Syria (2000-2024)", date(2024, 3, 1), "Military Forces of Syria (2000-2024)"),
    ],
)
def test_state_forces_are_named_for_the_era_of_the_event_date(name: str, when: date, expected: str) -> None:
    coding = EventCoding(
        "Battles", "Armed clash", actor1=Actor(name, 1), event_date=when, place=Place("X", country="Iraq")
    )
    mention = EventMention("d-a0-m0", "d", "d-a0", 0, Span("x", 0, 1), coding)
    out = settle_actor_countries(mention, load_country_table()).coding
    assert out.actor1 is not None and out.actor1.name == expected
