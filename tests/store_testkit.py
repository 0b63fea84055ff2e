"""Builders for store and dedup tests: documents, articles and events from plain values,
and the loader of tests/dedup_corpus (reports with coded events and gold cluster ids)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

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

CORPUS = Path(__file__).resolve().parent / "dedup_corpus" / "reports.jsonl"


@dataclass(frozen=True)
class Report:
    doc: Document
    article: Article
    events: tuple[Event, ...]
    gold: dict[str, str]  # mention id -> gold cluster id


def make_doc(text: str, source: str = "test.txt", published: date | None = None) -> tuple[Document, Article]:
    doc = Document(content_id("d", text), text, source, "txt", published=published)
    return doc, Article(f"{doc.id}-a0", doc.id, 0, None, text, published=published)


def make_coding(
    sub_event_type: str = "Attack",
    event_date: date | None = date(2024, 5, 7),
    place: Place | None = None,
    **kw: Any,
) -> EventCoding:
    return EventCoding(
        event_type_of(sub_event_type), sub_event_type, event_date=event_date, place=place, **kw
    )


def make_event(article: Article, evidences: list[str], coding: EventCoding, first_n: int = 0) -> Event:
    mentions = []
    for n, ev in enumerate(evidences, start=first_n):
        start = article.text.index(ev)
        mentions.append(
            EventMention(
                f"{article.id}-m{n}", article.doc_id, article.id, n, Span(ev, start, start + len(ev)), coding
            )
        )
    return Event(content_id("e", mentions[0].id), coding, tuple(mentions))


def _actor(v: list[Any] | None) -> Actor | None:
    return None if v is None else Actor(v[0], v[1])


def _coding(e: dict[str, Any]) -> EventCoding:
    p = e["place"]
    place = Place(
        p["location"], p["country"], p["iso3"], p["admin1"], None, p["lat"], p["lon"], p["geo_precision"]
    )
    return EventCoding(
        event_type=e["event_type"],
        sub_event_type=e["sub_event_type"],
        actor1=_actor(e["actor1"]),
        actor2=_actor(e["actor2"]),
        fatalities=e["fatalities"],
        modality=Modality(e["modality"]),
        confidence=e["confidence"],
        location_text=e["location_text"],
        event_date=date.fromisoformat(e["event_date"]),
        time_precision=e["time_precision"],
        place=place,
    )


def load_corpus(path: Path = CORPUS) -> list[Report]:
    reports = []
    for line in path.read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        published = date.fromisoformat(r["published"])
        doc, art = make_doc(r["text"], r["source"], published)
        events, gold = [], {}
        for n, e in enumerate(r["events"]):
            ev = make_event(art, [e["evidence"]], _coding(e), first_n=n)
            events.append(ev)
            gold.update({m.id: e["gold"] for m in ev.mentions})
        reports.append(Report(doc, art, tuple(events), gold))
    return reports
