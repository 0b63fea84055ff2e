"""Streaming exports of events: ACLED-style CSV, PLOVER JSONL, GeoJSON and Parquet.

Every writer takes an ``Iterable[Event]`` and writes as it goes, so exporting a million
events keeps memory flat: text formats write one row at a time, Parquet one row group at a
time. ``iter_export`` gives the same bytes as a generator (for HTTP streaming responses),
``write_export`` writes them to a binary stream (for the CLI).

Sources are not part of an :class:`~eventlens.model.Event` (its mentions only carry
document ids), so callers that know them pass ``source_of``: a function from a document id
to a :class:`SourceRef`.
"""

from __future__ import annotations

import csv
import io
import json
import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any, BinaryIO, Literal, TextIO, get_args

import pyarrow as pa
import pyarrow.parquet as pq

from eventlens.errors import ConfigError
from eventlens.model import Event, Modality

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from eventlens.store.filters import EventFilter

__all__ = [
    "ACLED_COLUMNS",
    "EXTRA_COLUMNS",
    "FORMATS",
    "MEDIA_TYPES",
    "ExportFormat",
    "SourceLookup",
    "SourceRef",
    "export_from_store",
    "iter_export",
    "iter_store_export",
    "store_source_lookup",
    "write_csv",
    "write_export",
    "write_geojson",
    "write_jsonl",
    "write_parquet",
]

logger = logging.getLogger(__name__)

ExportFormat = Literal["csv", "jsonl", "geojson", "parquet"]
FORMATS: tuple[str, ...] = get_args(ExportFormat)
MEDIA_TYPES: dict[str, str] = {
    "csv": "text/csv; charset=utf-8",
    "jsonl": "application/x-ndjson",
    "geojson": "application/geo+json",
    "parquet": "application/vnd.apache.parquet",
}

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
_INT_COLUMNS = frozenset(
    {"year", "time_precision", "inter1", "inter2", "interaction", "iso", "geo_precision", "fatalities",
     "timestamp", "injuries", "mention_count"}
)
_FLOAT_COLUMNS = frozenset({"latitude", "longitude", "confidence"})

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


def _no_sources(doc_id: str) -> SourceRef | None:
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


def _sources(event: Event, source_of: SourceLookup) -> list[SourceRef]:
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
        "fatalities": c.fatalities,
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


# ---------------------------------------------------------------- text formats


def iter_csv(
    events: Iterable[Event], source_of: SourceLookup = _no_sources, timestamp: int | None = None
) -> Iterator[str]:
    """CSV text, header first, one chunk per event; empty cells where we know nothing."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    columns = ACLED_COLUMNS + EXTRA_COLUMNS
    writer.writerow(columns)
    for event in events:
        row = event_fields(event, _sources(event, source_of), timestamp)
        writer.writerow(["" if row[k] is None else row[k] for k in columns])
        yield buf.getvalue()
        buf.seek(0)
        buf.truncate()
    if buf.tell():
        yield buf.getvalue()


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


def iter_jsonl(
    events: Iterable[Event], source_of: SourceLookup = _no_sources, timestamp: int | None = None
) -> Iterator[str]:
    """One JSON object per line (PLOVER fields + eventlens fields + evidence)."""
    for event in events:
        rec = plover_record(event, _sources(event, source_of), timestamp)
        yield json.dumps(rec, ensure_ascii=False) + "\n"


def iter_geojson(
    events: Iterable[Event], source_of: SourceLookup = _no_sources, timestamp: int | None = None
) -> Iterator[str]:
    """A GeoJSON FeatureCollection, one Feature per event (geometry null when not located)."""
    yield '{"type":"FeatureCollection","features":['
    sep = "\n"
    for event in events:
        props = plover_record(event, _sources(event, source_of), timestamp)
        lat, lon = props["latitude"], props["longitude"]
        located = lat is not None and lon is not None
        geometry = {"type": "Point", "coordinates": [lon, lat]} if located else None
        feature = {"type": "Feature", "id": event.id, "geometry": geometry, "properties": props}
        yield sep + json.dumps(feature, ensure_ascii=False)
        sep = ",\n"
    yield "\n]}\n"


# ---------------------------------------------------------------- parquet


def parquet_schema() -> pa.Schema:
    """Typed Parquet columns: ACLED + eventlens columns, and the evidence texts as a list."""
    cols = []
    for name in ACLED_COLUMNS + EXTRA_COLUMNS:
        if name == "event_date":
            typ = pa.date32()
        elif name in _INT_COLUMNS:
            typ = pa.int64()
        elif name in _FLOAT_COLUMNS:
            typ = pa.float64()
        else:
            typ = pa.string()
        cols.append(pa.field(name, typ))
    cols.append(pa.field("evidence", pa.list_(pa.string())))
    return pa.schema(cols)


class _Drain(io.RawIOBase):
    """A write-only sink whose bytes are taken out after each row group (for streaming)."""

    def __init__(self) -> None:
        self._chunks: list[bytes] = []
        self._pos = 0

    def writable(self) -> bool:
        return True

    def write(self, b: Any) -> int:
        data = bytes(b)
        self._chunks.append(data)
        self._pos += len(data)
        return len(data)

    def tell(self) -> int:
        return self._pos

    def take(self) -> bytes:
        data = b"".join(self._chunks)
        self._chunks.clear()
        return data


def _row_group(rows: list[dict[str, Any]], schema: pa.Schema) -> pa.Table:
    from datetime import date

    columns: dict[str, list[Any]] = {f.name: [] for f in schema}
    for row in rows:
        for name, values in columns.items():
            value = row.get(name)
            if name == "event_date" and value is not None:
                value = date.fromisoformat(value)
            values.append(value)
    return pa.Table.from_pydict(columns, schema=schema)


def iter_parquet(
    events: Iterable[Event],
    source_of: SourceLookup = _no_sources,
    timestamp: int | None = None,
    row_group_size: int = 10_000,
) -> Iterator[bytes]:
    """Parquet bytes, written and handed out one row group at a time."""
    schema = parquet_schema()
    sink = _Drain()
    with pq.ParquetWriter(sink, schema, compression="zstd") as writer:
        rows: list[dict[str, Any]] = []
        for event in events:
            row = event_fields(event, _sources(event, source_of), timestamp)
            row["evidence"] = [m.evidence.text for m in event.mentions]
            rows.append(row)
            if len(rows) >= row_group_size:
                writer.write_table(_row_group(rows, schema), row_group_size=row_group_size)
                rows.clear()
                yield sink.take()
        if rows:
            writer.write_table(_row_group(rows, schema), row_group_size=row_group_size)
    yield sink.take()


# ---------------------------------------------------------------- entry points

_TEXT_WRITERS: dict[str, Callable[[Iterable[Event], SourceLookup, int | None], Iterator[str]]] = {
    "csv": iter_csv,
    "jsonl": iter_jsonl,
    "geojson": iter_geojson,
}


def _check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise ConfigError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")


def iter_export(
    fmt: str,
    events: Iterable[Event],
    *,
    source_of: SourceLookup = _no_sources,
    timestamp: int | None = None,
    row_group_size: int = 10_000,
    chunk_bytes: int = 64 * 1024,
) -> Iterator[bytes]:
    """The export as a stream of byte chunks (about ``chunk_bytes`` each for text formats)."""
    _check_format(fmt)
    if fmt == "parquet":
        yield from (b for b in iter_parquet(events, source_of, timestamp, row_group_size) if b)
        return
    pending: list[bytes] = []
    size = 0
    for piece in _TEXT_WRITERS[fmt](events, source_of, timestamp):
        data = piece.encode("utf-8")
        pending.append(data)
        size += len(data)
        if size >= chunk_bytes:
            yield b"".join(pending)
            pending.clear()
            size = 0
    if pending:
        yield b"".join(pending)


def write_export(
    fmt: str,
    events: Iterable[Event],
    out: BinaryIO,
    *,
    source_of: SourceLookup = _no_sources,
    timestamp: int | None = None,
    row_group_size: int = 10_000,
) -> int:
    """Write the export to a binary stream; returns the number of bytes written."""
    written = 0
    for chunk in iter_export(fmt, events, source_of=source_of, timestamp=timestamp,
                             row_group_size=row_group_size):
        out.write(chunk)
        written += len(chunk)
    logger.info("exported %d bytes of %s", written, fmt)
    return written


def _write_text(pieces: Iterator[str], out: TextIO) -> int:
    count = 0
    for piece in pieces:
        out.write(piece)
        count += 1
    return count


def write_csv(events: Iterable[Event], out: TextIO, *, source_of: SourceLookup = _no_sources,
              timestamp: int | None = None) -> None:
    """ACLED-column CSV to a text stream (open it with ``newline=""``)."""
    _write_text(iter_csv(events, source_of, timestamp), out)


def write_jsonl(events: Iterable[Event], out: TextIO, *, source_of: SourceLookup = _no_sources,
                timestamp: int | None = None) -> None:
    """PLOVER + eventlens JSON lines to a text stream."""
    _write_text(iter_jsonl(events, source_of, timestamp), out)


def write_geojson(events: Iterable[Event], out: TextIO, *, source_of: SourceLookup = _no_sources,
                  timestamp: int | None = None) -> None:
    """A GeoJSON FeatureCollection to a text stream."""
    _write_text(iter_geojson(events, source_of, timestamp), out)


def write_parquet(events: Iterable[Event], out: BinaryIO, *, source_of: SourceLookup = _no_sources,
                  timestamp: int | None = None, row_group_size: int = 10_000) -> None:
    """Parquet to a binary stream, one row group per ``row_group_size`` events."""
    for chunk in iter_parquet(events, source_of, timestamp, row_group_size):
        out.write(chunk)


def store_source_lookup(engine: Engine) -> SourceLookup:
    """A cached document id -> SourceRef lookup over a store's ``documents`` table."""
    import sqlalchemy as sa

    from eventlens.store.schema import documents

    @lru_cache(maxsize=4096)
    def source_of(doc_id: str) -> SourceRef | None:
        with engine.connect() as c:
            r = c.execute(sa.select(documents.c.source, documents.c.url, documents.c.title)
                          .where(documents.c.id == doc_id)).first()
        return SourceRef(doc_id, r.source, r.url, r.title) if r is not None else None

    return source_of


def iter_store_export(engine: Engine, fmt: str, query: EventFilter | None = None, *,
                      row_group_size: int = 10_000) -> Iterator[bytes]:
    """The export of a store's events (analyst overrides applied, sources filled in) as byte chunks."""
    from eventlens.store.filters import EventFilter
    from eventlens.store.queries import iter_full_events

    _check_format(fmt)
    with engine.connect() as conn:
        events = iter_full_events(conn, query or EventFilter())
        lookup = store_source_lookup(engine)
        yield from iter_export(fmt, events, source_of=lookup, row_group_size=row_group_size)


def export_from_store(engine: Engine, fmt: str, out: BinaryIO, query: EventFilter | None = None, *,
                      row_group_size: int = 10_000) -> int:
    """Write a store's events to ``out`` (what `eventlens export` calls); returns bytes written.

    ``engine`` is ``Store.engine``; ``query`` (``store.filters.EventFilter``, the filter of the CLI
    and the API) selects the events (default: every event).
    """
    written = 0
    for chunk in iter_store_export(engine, fmt, query, row_group_size=row_group_size):
        out.write(chunk)
        written += len(chunk)
    return written
