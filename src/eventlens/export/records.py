"""Flat records of events: the stable `eventlens extract` JSONL line, shared by exports.

The field names and their order are the evaluation interface (see docs/DESIGN.md); extra
fields may be added at the end, never renamed.
"""

from __future__ import annotations

from typing import Any

from eventlens.model import Event, EventCoding, EventMention

__all__ = ["EXTRACT_FIELDS", "acled_fatalities", "event_record"]

EXTRACT_FIELDS: tuple[str, ...] = (
    "doc_id", "event_id", "event_date", "time_precision", "event_type", "sub_event_type",
    "plover_event", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "country", "iso3", "admin1", "admin2", "location", "latitude", "longitude", "geo_precision",
    "fatalities", "injuries", "modality", "confidence", "evidence",
)


def acled_fatalities(coding: EventCoding) -> int:
    """Deaths as ACLED records them: 0 when no death is reported. (The coding keeps None there, so
    that merging reports of one event takes the figures that were given.)"""
    return coding.fatalities if coding.fatalities is not None else 0


def _evidence(m: EventMention) -> dict[str, Any]:
    return {"text": m.evidence.text, "start": m.evidence.start, "end": m.evidence.end}


def event_record(event: Event, doc_id: str | None = None) -> dict[str, Any]:
    """One event as the flat JSON object `eventlens extract` writes."""
    c = event.coding
    p = c.place
    first = event.mentions[0] if event.mentions else None
    rec: dict[str, Any] = {
        "doc_id": doc_id or (first.doc_id if first else None),
        "event_id": event.id,
        "event_date": c.event_date.isoformat() if c.event_date else None,
        "time_precision": c.time_precision,
        "event_type": c.event_type,
        "sub_event_type": c.sub_event_type,
        "plover_event": c.plover_event,
        "actor1": c.actor1.name if c.actor1 else None,
        "assoc_actor_1": c.assoc_actor_1,
        "inter1": c.actor1.inter if c.actor1 else None,
        "actor2": c.actor2.name if c.actor2 else None,
        "assoc_actor_2": c.assoc_actor_2,
        "inter2": c.actor2.inter if c.actor2 else None,
        "country": p.country if p else None,
        "iso3": p.iso3 if p else None,
        "admin1": p.admin1 if p else None,
        "admin2": p.admin2 if p else None,
        "location": p.location if p else c.location_text,
        "latitude": p.latitude if p else None,
        "longitude": p.longitude if p else None,
        "geo_precision": p.geo_precision if p else None,
        "fatalities": acled_fatalities(c),
        "injuries": c.injuries,
        "modality": c.modality.value,
        "confidence": round(c.confidence, 4),
        "evidence": _evidence(first) if first else None,
        "article_id": first.article_id if first else None,
        "location_text": c.location_text,
        "date_text": c.date_text,
        "mentions": [
            {"id": m.id, "article_id": m.article_id, "evidence": _evidence(m)} for m in event.mentions
        ],
    }
    return rec
