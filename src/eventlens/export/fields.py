"""What one exported event says: ACLED's columns, eventlens' extra columns and a PLOVER record.

Sources are not part of an :class:`~eventlens.model.Event` (its mentions only carry document
ids), so callers that know them pass ``source_of``: a function from a document id to a
:class:`SourceRef`. Every format writer (:mod:`eventlens.export.text`,
:mod:`eventlens.export.parquet`) builds its rows here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from eventlens.export.evidence import InputEvidence, evidence_dict
from eventlens.export.records import EventRecord
from eventlens.export.regions import region_of
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
    "event_id", "iso3", "plover_event", "injuries", "modality", "confidence", "mention_count", "source_urls",
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
    """Where a document came from: the source name, and its URL and title when known; ``evidence``
    finds a mention's evidence in the document's text as supplied (None: the text is not at hand)."""

    doc_id: str
    name: str
    url: str | None = None
    title: str | None = None
    evidence: InputEvidence | None = field(default=None, compare=False, repr=False)


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


#: at most this many report sentences in ``notes``; the rest are counted
_NOTE_SENTENCES = 3


def _sentence(text: str) -> str:
    """Evidence as a sentence of its own: one line, capitalised, ending in punctuation."""
    line = " ".join(text.split())
    if not line:
        return ""
    line = line[0].upper() + line[1:]
    return line if line.endswith((".", "!", "?", '"', "'", ")")) else line + "."


def _notes(event: Event) -> str:
    """ACLED-style notes: the reports' distinct sentences, each a sentence, then how many reports."""
    sentences = [s for s in dict.fromkeys(_sentence(m.evidence.text) for m in event.mentions) if s]
    notes = " ".join(sentences[:_NOTE_SENTENCES])
    if len(sentences) > _NOTE_SENTENCES:
        notes += f" (+{len(sentences) - _NOTE_SENTENCES} more reports.)"
    sources = len(event.doc_ids)
    if sources > 1:
        notes += f" [{sources} sources]"
    return notes


def event_id_cnty(event_id: str, iso3: str | None) -> str:
    """ACLED's event_id_cnty: the country's ISO3 and a number, here the event's content hash as a
    decimal (so it is stable across exports and one-to-one with ``event_id``); XXX without a country."""
    digits = event_id[1:] if event_id[:1] == "e" else ""
    try:
        number = int(digits, 16) if len(digits) == 16 else int(_sha16(event_id), 16)
    except ValueError:
        number = int(_sha16(event_id), 16)
    return f"{(iso3 or 'XXX').upper()}{number}"


def _sha16(text: str) -> str:
    import hashlib

    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def outlet(ref: SourceRef) -> str:
    """ACLED's ``source``: the outlet (the URL's site), else the title, else the file's name."""
    if ref.url:
        from urllib.parse import urlsplit

        host = urlsplit(ref.url).hostname or ""
        if host:
            return host.removeprefix("www.")
    if ref.title:
        return ref.title
    return ref.name.replace("\\", "/").rsplit("/", 1)[-1]


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
    civ = r.inter2 == 7 or r.event_type == "Violence against civilians"
    return {
        "event_id_cnty": event_id_cnty(r.event_id, r.iso3),
        "event_date": r.event_date,
        "year": r.year,
        "time_precision": r.time_precision,
        "disorder_type": _DISORDER_BY_SUB.get(r.sub_event_type, _DISORDER.get(r.event_type)),
        "event_type": r.event_type,
        "sub_event_type": r.sub_event_type,
        "actor1": r.actor1,
        "assoc_actor_1": r.assoc_actor_1,
        "inter1": r.inter1,
        "actor2": r.actor2,
        "assoc_actor_2": r.assoc_actor_2,
        "inter2": r.inter2,
        "interaction": _interaction(r.inter1, r.inter2),
        "civilian_targeting": "Civilian targeting" if civ else None,
        "iso": _iso_numeric(r.iso3) if r.iso3 else None,
        "region": region_of(r.iso3),
        "country": r.country,
        "admin1": r.admin1,
        "admin2": r.admin2,
        "admin3": None,
        "location": r.location,
        "latitude": r.latitude,
        "longitude": r.longitude,
        "geo_precision": r.geo_precision,
        "source": "; ".join(dict.fromkeys(outlet(s) for s in sources)) or None,
        "source_scale": None,
        "notes": _notes(event) or None,
        "fatalities": r.fatalities,
        "tags": _tags(event) or None,
        "timestamp": timestamp,
        "event_id": r.event_id,
        "iso3": r.iso3,
        "plover_event": r.plover_event,
        "injuries": r.injuries,
        "modality": r.modality.value,
        "confidence": r.confidence,
        "mention_count": len(r.mentions),
        "source_urls": " ".join(dict.fromkeys(s.url for s in sources if s.url)) or None,
    }


def event_evidence(event: Event, sources: Sequence[SourceRef]) -> list[dict[str, Any]]:
    """Each mention's evidence, in its input document where that is known (``in`` says where)."""
    found = {s.doc_id: s.evidence for s in sources}
    return [{"mention_id": m.id, "doc_id": m.doc_id, "article_id": m.article_id,
             **evidence_dict(m, found.get(m.doc_id))} for m in event.mentions]


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
    record["evidence"] = event_evidence(event, sources)
    record["sources"] = [
        {"doc_id": s.doc_id, "name": s.name, "url": s.url, "title": s.title} for s in sources
    ]
    return record
