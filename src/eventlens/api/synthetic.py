"""Realistic synthetic events, written by eventlens itself, for demos, tests and benchmarks.

Each generated item is a complete :class:`SyntheticReport`: a Document, its one Article and
the Events coded from it, with evidence spans that really point into the article text
(``article.text[start:end] == evidence.text``). Places are real towns with real
coordinates; actors follow the ACLED naming scheme; the wording is our own. The same seed
always gives the same reports.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from eventlens.model import (
    Actor,
    Article,
    Document,
    Event,
    EventCoding,
    EventMention,
    Modality,
    Place,
    Span,
    content_id,
    event_type_of,
)

__all__ = ["SyntheticReport", "generate_reports"]


@dataclass(frozen=True, slots=True)
class _Town:
    name: str
    country: str
    iso3: str
    admin1: str
    lat: float
    lon: float


_TOWNS: tuple[_Town, ...] = (
    _Town("Basra", "Iraq", "IRQ", "Basra", 30.508, 47.783),
    _Town("Baghdad", "Iraq", "IRQ", "Baghdad", 33.341, 44.401),
    _Town("Mosul", "Iraq", "IRQ", "Ninewa", 36.335, 43.119),
    _Town("Kirkuk", "Iraq", "IRQ", "Kirkuk", 35.468, 44.392),
    _Town("Aleppo", "Syria", "SYR", "Aleppo", 36.202, 37.134),
    _Town("Idlib", "Syria", "SYR", "Idleb", 35.930, 36.633),
    _Town("Deir ez-Zor", "Syria", "SYR", "Deir-ez-Zor", 35.336, 40.141),
    _Town("Maiduguri", "Nigeria", "NGA", "Borno", 11.846, 13.160),
    _Town("Kano", "Nigeria", "NGA", "Kano", 12.000, 8.517),
    _Town("Goma", "Democratic Republic of Congo", "COD", "Nord-Kivu", -1.679, 29.228),
    _Town("Bunia", "Democratic Republic of Congo", "COD", "Ituri", 1.567, 30.252),
    _Town("Mogadishu", "Somalia", "SOM", "Banadir", 2.037, 45.344),
    _Town("Kismayo", "Somalia", "SOM", "Lower Juba", -0.358, 42.545),
    _Town("Gao", "Mali", "MLI", "Gao", 16.272, -0.044),
    _Town("Mopti", "Mali", "MLI", "Mopti", 14.484, -4.183),
    _Town("Kharkiv", "Ukraine", "UKR", "Kharkiv", 49.994, 36.230),
    _Town("Kherson", "Ukraine", "UKR", "Kherson", 46.636, 32.617),
    _Town("Khartoum", "Sudan", "SDN", "Khartoum", 15.552, 32.532),
    _Town("El Fasher", "Sudan", "SDN", "North Darfur", 13.628, 25.349),
    _Town("Sanaa", "Yemen", "YEM", "Amanat al Asimah", 15.354, 44.207),
    _Town("Taiz", "Yemen", "YEM", "Taizz", 13.580, 44.021),
    _Town("Peshawar", "Pakistan", "PAK", "Khyber Pakhtunkhwa", 34.008, 71.578),
    _Town("Quetta", "Pakistan", "PAK", "Balochistan", 30.184, 67.002),
    _Town("Medellin", "Colombia", "COL", "Antioquia", 6.251, -75.564),
)


@dataclass(frozen=True, slots=True)
class _Kind:
    sub_event_type: str
    plover: str
    sentence: str  # {a1} {a2} {town} {n} {day}
    a1: str
    inter1: int
    a2: str | None
    inter2: int | None
    deadly: bool


_KINDS: tuple[_Kind, ...] = (
    _Kind("Armed clash", "ASSAULT", "Soldiers fought {a2} fighters near {town} on {day}, leaving {n} dead.",
          "military", 1, "rebels", 2, True),
    _Kind("Attack", "ASSAULT", "Gunmen shot dead {n} residents of {town} on {day}.",
          "unidentified", 3, "civilians", 7, True),
    _Kind("Air/drone strike", "ASSAULT", "A drone strike hit a compound in {town} on {day}, killing {n}.",
          "military", 1, "rebels", 2, True),
    _Kind("Shelling/artillery/missile attack", "ASSAULT",
          "Artillery shells landed on a market in {town} on {day}; {n} people died.", "military", 1,
          "civilians", 7, True),
    _Kind("Remote explosive/landmine/IED", "ASSAULT",
          "A roadside bomb exploded beside a bus outside {town} on {day}, killing {n} passengers.",
          "unidentified", 3, "civilians", 7, True),
    _Kind("Peaceful protest", "PROTEST",
          "Hundreds of teachers marched through {town} on {day} demanding pay.", "protesters", 6,
          None, None, False),
    _Kind("Protest with intervention", "PROTEST",
          "Police fired tear gas to disperse students protesting in {town} on {day}.", "protesters", 6,
          "police", 1, False),
    _Kind("Violent demonstration", "PROTEST",
          "Rioters set tyres ablaze and stoned a police station in {town} on {day}.", "rioters", 5, None,
          None, False),
    _Kind("Abduction/forced disappearance", "ASSAULT",
          "Armed men abducted a local journalist from his home in {town} on {day}.", "unidentified", 3,
          "civilians", 7, False),
    _Kind("Arrests", "COERCE", "Police detained {n} opposition activists in {town} on {day}.",
          "police", 1, "protesters", 6, False),
    _Kind("Agreement", "AGREE", "Elders and the armed group signed a local ceasefire in {town} on {day}.",
          "rebels", 2, "military", 1, False),
)

_FILLER = (
    "Local officials said the situation remained tense.",
    "Residents described hearing gunfire late into the evening.",
    "Hospital staff reported that several wounded people were still being treated.",
    "The authorities have not commented on the incident.",
    "A spokesperson promised an investigation.",
)

_SOURCES = ("Daily Monitor", "Regional Tribune", "Frontline Wire", "Capital Herald", "Morning Ledger")


def _actor(kind: str, inter: int, country: str) -> Actor:
    names = {
        "military": f"Military Forces of {country} (2020-)",
        "police": f"Police Forces of {country} (2020-)",
        "rebels": f"Unidentified Armed Group ({country})",
        "unidentified": f"Unidentified Armed Group ({country})",
        "civilians": f"Civilians ({country})",
        "protesters": f"Protesters ({country})",
        "rioters": f"Rioters ({country})",
    }
    return Actor(name=names[kind], inter=inter, surface=kind)


@dataclass(frozen=True, slots=True)
class SyntheticReport:
    """One generated news report: its Document, its Article and the Events coded from it."""

    document: Document
    article: Article
    events: tuple[Event, ...]


def _place(town: _Town, precision: int) -> Place:
    if precision == 3:
        return Place(location=town.admin1, country=town.country, iso3=town.iso3, admin1=town.admin1,
                     latitude=round(town.lat + 0.3, 4), longitude=round(town.lon - 0.3, 4), geo_precision=3,
                     feature="ADM1")
    return Place(location=town.name, country=town.country, iso3=town.iso3, admin1=town.admin1,
                 latitude=town.lat, longitude=town.lon, geo_precision=precision, feature="PPL")


def _coding(rng: random.Random, kind: _Kind, town: _Town, day: date, n: int) -> EventCoding:
    precision = rng.choices((1, 2, 3), weights=(7, 2, 1))[0]
    a2 = _actor(kind.a2, kind.inter2 or 0, town.country) if kind.a2 else None
    return EventCoding(
        event_type=event_type_of(kind.sub_event_type), sub_event_type=kind.sub_event_type,
        plover_event=kind.plover, actor1=_actor(kind.a1, kind.inter1, town.country), actor2=a2,
        fatalities=n if kind.deadly else 0, injuries=rng.choice((None, 0, 2, 5)),
        modality=Modality.ASSERTED if rng.random() > 0.05 else Modality.CLAIMED,
        confidence=round(rng.uniform(0.35, 0.98), 2), location_text=town.name,
        date_text=day.strftime("%B %d"),
        event_date=day, time_precision=1 if rng.random() > 0.15 else 2, place=_place(town, precision),
    )


def _report(rng: random.Random, index: int, start: date, days: int) -> SyntheticReport:
    town = rng.choice(_TOWNS)
    day = start + timedelta(days=rng.randrange(days))
    kinds = rng.sample(_KINDS, k=rng.choice((1, 1, 2)))
    pieces: list[str] = []
    spans: list[tuple[_Kind, Span, int]] = []
    offset = 0
    for kind in kinds:
        n = rng.choice((1, 2, 3, 4, 5, 7, 12))
        sentence = kind.sentence.format(a2=kind.a2 or "", town=town.name, n=n, day=day.strftime("%A %B %d"))
        spans.append((kind, Span(sentence, offset, offset + len(sentence)), n))
        filler = rng.choice(_FILLER)
        pieces.append(sentence + " " + filler)
        offset += len(sentence) + 1 + len(filler) + 2
    text = "\n\n".join(pieces)
    source = rng.choice(_SOURCES)
    doc = Document(id=content_id("d", text, str(index)), text=text, source=source, format="txt",
                   title=f"Violence and unrest in {town.name}", url=f"https://news.example.org/{index}",
                   published=day + timedelta(days=1))
    article = Article(id=f"{doc.id}-a0", doc_id=doc.id, index=0, title=doc.title, text=text,
                      published=doc.published, published_how="metadata", url=doc.url)
    events = []
    for n_mention, (kind, span, n) in enumerate(spans):
        coding = _coding(rng, kind, town, day, n)
        mention = EventMention(id=f"{article.id}-m{n_mention}", doc_id=doc.id, article_id=article.id,
                               sentence_index=2 * n_mention, evidence=span, coding=coding)
        events.append(Event(id=content_id("e", mention.id), coding=coding, mentions=(mention,)))
    return SyntheticReport(document=doc, article=article, events=tuple(events))


def generate_reports(
    count: int, *, seed: int = 7, start: date = date(2020, 1, 1), days: int = 1460
) -> Iterator[SyntheticReport]:
    """``count`` reports (1-2 events each) dated within ``days`` from ``start``; deterministic per seed."""
    rng = random.Random(seed)
    for index in range(count):
        yield _report(rng, index, start, days)
