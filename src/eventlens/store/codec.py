"""Rows <-> model objects: the flattening of EventCoding, Place, Actor and Span (store-internal)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from eventlens.model import Actor, Article, Document, EventCoding, EventMention, Modality, Place, Span

__all__ = [
    "article_from_row",
    "article_row",
    "coding_from_row",
    "coding_row",
    "date_key",
    "document_from_row",
    "mention_from_row",
    "mention_row",
]

Row = Mapping[Any, Any]

_PLACE_FIELDS = (
    "country",
    "iso3",
    "admin1",
    "admin2",
    "latitude",
    "longitude",
    "geo_precision",
    "feature",
    "gazetteer_id",
    "geo_reason",
)
_SPANS = ("trigger", "location_span", "date_span")


def date_key(d: date | None) -> int:
    """The integer sort key of an event date (0 sorts undated events first)."""
    return d.toordinal() if d is not None else 0


def coding_row(c: EventCoding) -> dict[str, Any]:
    """The flattened coding columns of ``c``."""
    row: dict[str, Any] = {
        "event_type": c.event_type,
        "sub_event_type": c.sub_event_type,
        "plover_event": c.plover_event,
        "assoc_actor_1": c.assoc_actor_1,
        "assoc_actor_2": c.assoc_actor_2,
        "fatalities": c.fatalities,
        "injuries": c.injuries,
        "modality": c.modality.value,
        "confidence": c.confidence,
        "location_text": c.location_text,
        "date_text": c.date_text,
        "event_date": c.event_date,
        "time_precision": c.time_precision,
    }
    for n, actor in (("1", c.actor1), ("2", c.actor2)):
        row[f"actor{n}"] = actor.name if actor else None
        row[f"inter{n}"] = actor.inter if actor else None
        row[f"actor{n}_surface"] = actor.surface if actor else None
    p = c.place
    row["location"] = p.location if p else None
    for f in _PLACE_FIELDS:
        row[f] = getattr(p, f) if p else None
    return row


def _actor(row: Row, n: str) -> Actor | None:
    name = row[f"actor{n}"]
    return None if name is None else Actor(name, row[f"inter{n}"], row[f"actor{n}_surface"])


def coding_from_row(row: Row) -> EventCoding:
    place = None
    if row["location"] is not None:
        place = Place(row["location"], **{f: row[f] for f in _PLACE_FIELDS})
    return EventCoding(
        event_type=row["event_type"],
        sub_event_type=row["sub_event_type"],
        plover_event=row["plover_event"],
        actor1=_actor(row, "1"),
        assoc_actor_1=row["assoc_actor_1"],
        actor2=_actor(row, "2"),
        assoc_actor_2=row["assoc_actor_2"],
        fatalities=row["fatalities"],
        injuries=row["injuries"],
        modality=Modality(row["modality"]),
        confidence=row["confidence"],
        location_text=row["location_text"],
        date_text=row["date_text"],
        event_date=row["event_date"],
        time_precision=row["time_precision"],
        place=place,
    )


def mention_row(m: EventMention, event_id: str, local_event_id: str) -> dict[str, Any]:
    row: dict[str, Any] = {
        "id": m.id,
        "event_id": event_id,
        "local_event_id": local_event_id,
        "doc_id": m.doc_id,
        "article_id": m.article_id,
        "sentence_index": m.sentence_index,
        "evidence_text": m.evidence.text,
        "evidence_start": m.evidence.start,
        "evidence_end": m.evidence.end,
    }
    for k in _SPANS:
        span: Span | None = getattr(m, k)
        row[f"{k}_text"] = span.text if span else None
        row[f"{k}_start"] = span.start if span else None
        row[f"{k}_end"] = span.end if span else None
    row.update(coding_row(m.coding))
    return row


def _span(row: Row, k: str) -> Span | None:
    text = row[f"{k}_text"]
    return None if text is None else Span(text, row[f"{k}_start"], row[f"{k}_end"])


def mention_from_row(row: Row) -> EventMention:
    return EventMention(
        id=row["id"],
        doc_id=row["doc_id"],
        article_id=row["article_id"],
        sentence_index=row["sentence_index"],
        evidence=Span(row["evidence_text"], row["evidence_start"], row["evidence_end"]),
        coding=coding_from_row(row),
        trigger=_span(row, "trigger"),
        location_span=_span(row, "location_span"),
        date_span=_span(row, "date_span"),
    )


def article_row(a: Article) -> dict[str, Any]:
    return {
        "id": a.id,
        "doc_id": a.doc_id,
        "idx": a.index,
        "title": a.title,
        "text": a.text,
        "captions": list(a.captions),
        "published": a.published,
        "published_how": a.published_how,
        "url": a.url,
    }


def article_from_row(row: Row) -> Article:
    return Article(
        id=row["id"],
        doc_id=row["doc_id"],
        index=row["idx"],
        title=row["title"],
        text=row["text"],
        captions=tuple(row["captions"] or ()),
        published=row["published"],
        published_how=row["published_how"],
        url=row["url"],
    )


def document_from_row(row: Row) -> Document:
    return Document(
        id=row["id"],
        text=row["text"],
        source=row["source"],
        format=row["format"],
        title=row["title"],
        url=row["url"],
        published=row["published"],
        external_id=row["external_id"],
    )
