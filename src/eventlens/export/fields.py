"""What one exported event says: ACLED's columns, eventlens' extra columns and a PLOVER record.

Sources are not part of an :class:`~eventlens.model.Event` (its mentions only carry document
ids), so callers that know them pass ``source_of``: a function from a document id to a
:class:`SourceRef`. Every format writer (:mod:`eventlens.export.text`,
:mod:`eventlens.export.parquet`) builds its rows here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from eventlens.export.records import acled_fatalities
from eventlens.model import Event, Modality

#: ACLED's column names, in ACLED's order.
ACLED_COLUMNS: tuple[str, ...] = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3",
    "location", "latitude", "longitude", "geo_precision", "source", "source_scale", "notes",
    "fatalities", "tags", "timestamp",
)
#: eventlens columns appended after ACLED's.
EXTRA_COLUMNS: tuple[str, ...] = (
    "iso3", "plover_event", "injuries", "modality", "confidence", "mention_count", "source_urls",
)

_DISORDER = {
    "Battles": "Political violence",
    "Explosions/Remote violence": "Political violence",
    "Violence against civilians": "Political violence",
    "Protests": "Demonstrations",
    "Riots": "Demonstrations",
    "Strategic developments": "Strategic developments",
}
_DISORDER_BY_SUB = {
    "Excessive force against protesters": "Political violence; Demonstrations",
    "Mob violence": "Political violence",
}


@dataclass(frozen=True, slots=True)
class SourceRef:
    """Where a document came from: the source name, and its URL and title when known."""

    doc_id: str
    name: str
    url: str | None = None
    title: str | None = None


SourceLookup = Callable[[str], "SourceRef | None"]


def no_sources(doc_id: str) -> SourceRef | None:
    """The default lookup: no source known (a source is then named by its document id)."""
    return None


@lru_cache(maxsize=512)
def _iso_numeric(iso3: str) -> int | None:
    import pycountry

    country = pycountry.countries.get(alpha_3=iso3.upper())
    return int(country.numeric) if country is not None else None


def _interaction(inter1: int | None, inter2: int | None) -> int | None:
    """ACLED's numeric interaction code: the two inter codes, lower first; sole actor = inter1 * 10."""
    if inter1 is None:
        return None
    if inter2 is None:
        return inter1 * 10
    low, high = sorted((inter1, inter2))
    return low * 10 + high


def event_sources(event: Event, source_of: SourceLookup) -> list[SourceRef]:
    """One SourceRef per document that tells the event, in mention order."""
    refs: list[SourceRef] = []
    for doc_id in event.doc_ids:
        ref = source_of(doc_id)
        refs.append(ref if ref is not None else SourceRef(doc_id=doc_id, name=doc_id))
    return refs


def _notes(event: Event) -> str:
    return " ".join(dict.fromkeys(m.evidence.text.strip() for m in event.mentions))


def _tags(event: Event) -> str:
    tags = []
    if event.coding.modality != Modality.ASSERTED:
        tags.append(f"modality={event.coding.modality.value}")
    if event.coding.injuries:
        tags.append(f"injuries={event.coding.injuries}")
    return "; ".join(tags)


def event_fields(event: Event, sources: Sequence[SourceRef], timestamp: int | None = None) -> dict[str, Any]:
    """One event as typed ACLED + eventlens column values (None where unknown)."""
    c, p = event.coding, event.coding.place
    inter1 = c.actor1.inter if c.actor1 else None
    inter2 = c.actor2.inter if c.actor2 else None
    civ = inter2 == 7 or c.event_type == "Violence against civilians"
    return {
        "event_id_cnty": event.id,
        "event_date": c.event_date.isoformat() if c.event_date else None,
        "year": c.event_date.year if c.event_date else None,
        "time_precision": c.time_precision,
        "disorder_type": _DISORDER_BY_SUB.get(c.sub_event_type, _DISORDER.get(c.event_type)),
        "event_type": c.event_type,
        "sub_event_type": c.sub_event_type,
        "actor1": c.actor1.name if c.actor1 else None,
        "assoc_actor_1": c.assoc_actor_1,
        "inter1": inter1,
        "actor2": c.actor2.name if c.actor2 else None,
        "assoc_actor_2": c.assoc_actor_2,
        "inter2": inter2,
        "interaction": _interaction(inter1, inter2),
        "civilian_targeting": "Civilian targeting" if civ else None,
        "iso": _iso_numeric(p.iso3) if p and p.iso3 else None,
        "region": None,
        "country": p.country if p else None,
        "admin1": p.admin1 if p else None,
        "admin2": p.admin2 if p else None,
        "admin3": None,
        "location": p.location if p else None,
        "latitude": p.latitude if p else None,
        "longitude": p.longitude if p else None,
        "geo_precision": p.geo_precision if p else None,
        "source": "; ".join(dict.fromkeys(s.name for s in sources)) or None,
        "source_scale": None,
        "notes": _notes(event) or None,
        "fatalities": acled_fatalities(c),
        "tags": _tags(event) or None,
        "timestamp": timestamp,
        "iso3": p.iso3 if p else None,
        "plover_event": c.plover_event,
        "injuries": c.injuries,
        "modality": c.modality.value,
        "confidence": c.confidence,
        "mention_count": len(event.mentions),
        "source_urls": " ".join(dict.fromkeys(s.url for s in sources if s.url)) or None,
    }


def _evidence(event: Event) -> list[dict[str, Any]]:
    return [
        {"mention_id": m.id, "doc_id": m.doc_id, "article_id": m.article_id, "text": m.evidence.text,
         "start": m.evidence.start, "end": m.evidence.end}
        for m in event.mentions
    ]


def plover_record(event: Event, sources: Sequence[SourceRef], timestamp: int | None = None) -> dict[str, Any]:
    """One event as a PLOVER-style record plus the ACLED/eventlens fields and its evidence."""
    c = event.coding
    record: dict[str, Any] = {
        "id": event.id,
        "plover_event": c.plover_event,
        "source_actor": c.actor1.name if c.actor1 else None,
        "target_actor": c.actor2.name if c.actor2 else None,
        "mode": c.modality.value,
    }
    record.update(event_fields(event, sources, timestamp))
    record["evidence"] = _evidence(event)
    record["sources"] = [
        {"doc_id": s.doc_id, "name": s.name, "url": s.url, "title": s.title} for s in sources
    ]
    return record
