"""The one typed event record: every flat view of an event is a projection of :class:`EventRecord`.

`eventlens extract` JSONL (:func:`event_record`), `eventlens events --json` (the same line) and every
export (:mod:`eventlens.export.fields`: CSV, JSONL, GeoJSON, Parquet) read their shared fields from
an ``EventRecord``, so they agree field for field: an event without a place has ``location`` None
everywhere (the raw words stay in ``location_text``), fatalities are ACLED's (0 when none is
reported), confidence is rounded to 4 places.

The extract line's field names and their order are the evaluation interface (see docs/DESIGN.md);
extra fields may be added at the end, never renamed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from eventlens.export.evidence import InputEvidence, evidence_dict
from eventlens.model import Event, EventCoding, EventMention, Modality

__all__ = ["EXTRACT_FIELDS", "EventRecord", "acled_fatalities", "event_record"]

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


@dataclass(frozen=True, slots=True)
class EventRecord:
    """One event, flat and typed: the values every output writes under the same names."""

    event_id: str
    doc_id: str | None
    event_date: str | None  # YYYY-MM-DD
    year: int | None
    time_precision: int | None
    event_type: str
    sub_event_type: str
    plover_event: str | None
    actor1: str | None
    assoc_actor_1: str | None
    inter1: int | None
    actor2: str | None
    assoc_actor_2: str | None
    inter2: int | None
    country: str | None
    iso3: str | None
    admin1: str | None
    admin2: str | None
    location: str | None  # the gazetteer place's name; None without a place (codebook)
    latitude: float | None
    longitude: float | None
    geo_precision: int | None
    geo_reason: str | None  # why the geocoder chose the place (Place.geo_reason)
    fatalities: int
    injuries: int | None
    modality: Modality
    confidence: float
    location_text: str | None  # the words the location was read from
    date_text: str | None
    mentions: tuple[EventMention, ...]

    @classmethod
    def of(cls, event: Event, doc_id: str | None = None) -> EventRecord:
        """``event``'s record; ``doc_id`` defaults to its first mention's document."""
        c, p = event.coding, event.coding.place
        first = event.mentions[0] if event.mentions else None
        return cls(
            event_id=event.id, doc_id=doc_id or (first.doc_id if first else None),
            event_date=c.event_date.isoformat() if c.event_date else None,
            year=c.event_date.year if c.event_date else None, time_precision=c.time_precision,
            event_type=c.event_type, sub_event_type=c.sub_event_type, plover_event=c.plover_event,
            actor1=c.actor1.name if c.actor1 else None, assoc_actor_1=c.assoc_actor_1,
            inter1=c.actor1.inter if c.actor1 else None,
            actor2=c.actor2.name if c.actor2 else None, assoc_actor_2=c.assoc_actor_2,
            inter2=c.actor2.inter if c.actor2 else None,
            country=p.country if p else None, iso3=p.iso3 if p else None,
            admin1=p.admin1 if p else None, admin2=p.admin2 if p else None,
            location=p.location if p else None,
            latitude=p.latitude if p else None, longitude=p.longitude if p else None,
            geo_precision=p.geo_precision if p else None, geo_reason=p.geo_reason if p else None,
            fatalities=acled_fatalities(c), injuries=c.injuries, modality=c.modality,
            confidence=round(c.confidence, 4), location_text=c.location_text, date_text=c.date_text,
            mentions=event.mentions,
        )


def _article_evidence(m: EventMention) -> dict[str, Any]:
    return {"text": m.evidence.text, "start": m.evidence.start, "end": m.evidence.end}


def extract_line(r: EventRecord, in_input: InputEvidence | None = None) -> dict[str, Any]:
    """The record as the flat JSON object `eventlens extract` writes (and `events --json`).

    ``evidence`` points into the document the user supplied (``in_input`` finds it there; see
    :mod:`eventlens.export.evidence`); ``article_evidence`` into the clean article text."""
    first = r.mentions[0] if r.mentions else None
    line = {f: getattr(r, f) for f in EXTRACT_FIELDS[:-1]}
    return {
        **line,
        "modality": r.modality.value,
        "evidence": evidence_dict(first, in_input) if first else None,
        "article_id": first.article_id if first else None,
        "location_text": r.location_text,
        "geo_reason": r.geo_reason,
        "date_text": r.date_text,
        "mentions": [{"id": m.id, "doc_id": m.doc_id, "article_id": m.article_id,
                      "evidence": evidence_dict(m, in_input), "article_evidence": _article_evidence(m)}
                     for m in r.mentions],
        "article_evidence": _article_evidence(first) if first else None,
    }


def event_record(event: Event, doc_id: str | None = None,
                 in_input: InputEvidence | None = None) -> dict[str, Any]:
    """One event as the flat JSON object `eventlens extract` writes."""
    return extract_line(EventRecord.of(event, doc_id), in_input)
