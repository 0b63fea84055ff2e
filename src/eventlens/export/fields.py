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

from eventlens.export.records import EventRecord
from eventlens.model import Event, Modality, disorder_type_of, interaction_code, is_civilian_targeting

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
    """One event as typed ACLED + eventlens column values (None where unknown): a projection of
    its :class:`EventRecord`, so it agrees with the `extract` line on every shared field."""
    r = EventRecord.of(event)
    return {
        "event_id_cnty": r.event_id,
        "event_date": r.event_date,
        "year": r.year,
        "time_precision": r.time_precision,
        "disorder_type": disorder_type_of(r.event_type, r.sub_event_type),
        "event_type": r.event_type,
        "sub_event_type": r.sub_event_type,
        "actor1": r.actor1,
        "assoc_actor_1": r.assoc_actor_1,
        "inter1": r.inter1,
        "actor2": r.actor2,
        "assoc_actor_2": r.assoc_actor_2,
        "inter2": r.inter2,
        "interaction": interaction_code(r.inter1, r.inter2),
        "civilian_targeting": "Civilian targeting" if is_civilian_targeting(r.event_type, r.inter2) else None,
        "iso": _iso_numeric(r.iso3) if r.iso3 else None,
        "region": None,
        "country": r.country,
        "admin1": r.admin1,
        "admin2": r.admin2,
        "admin3": None,
        "location": r.location,
        "latitude": r.latitude,
        "longitude": r.longitude,
        "geo_precision": r.geo_precision,
        "source": "; ".join(dict.fromkeys(s.name for s in sources)) or None,
        "source_scale": None,
        "notes": _notes(event) or None,
        "fatalities": r.fatalities,
        "tags": _tags(event) or None,
        "timestamp": timestamp,
        "iso3": r.iso3,
        "plover_event": r.plover_event,
        "injuries": r.injuries,
        "modality": r.modality.value,
        "confidence": r.confidence,
        "mention_count": len(r.mentions),
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
    r = EventRecord.of(event)
    record: dict[str, Any] = {
        "id": r.event_id,
        "plover_event": r.plover_event,
        "source_actor": r.actor1,
        "target_actor": r.actor2,
        "mode": r.modality.value,
    }
    record.update(event_fields(event, sources, timestamp))
    record["evidence"] = _evidence(event)
    record["sources"] = [
        {"doc_id": s.doc_id, "name": s.name, "url": s.url, "title": s.title} for s in sources
    ]
    return record
