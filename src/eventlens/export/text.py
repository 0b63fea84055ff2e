"""The text formats: ACLED-column CSV, PLOVER JSON lines and GeoJSON, one event at a time.

Each ``iter_*`` yields text chunks as it goes (memory stays flat however many events);
each ``write_*`` writes them to a text stream.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from typing import TextIO

from eventlens.export.fields import (
    ACLED_COLUMNS,
    EXTRA_COLUMNS,
    SourceLookup,
    event_fields,
    event_sources,
    no_sources,
    plover_record,
)
from eventlens.model import Event


def iter_csv(
    events: Iterable[Event], source_of: SourceLookup = no_sources, timestamp: int | None = None
) -> Iterator[str]:
    """CSV text, header first, one chunk per event; empty cells where we know nothing."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    columns = ACLED_COLUMNS + EXTRA_COLUMNS
    writer.writerow(columns)
    for event in events:
        row = event_fields(event, event_sources(event, source_of), timestamp)
        writer.writerow(["" if row[k] is None else row[k] for k in columns])
        yield buf.getvalue()
        buf.seek(0)
        buf.truncate()
    if buf.tell():
        yield buf.getvalue()


def iter_jsonl(
    events: Iterable[Event], source_of: SourceLookup = no_sources, timestamp: int | None = None
) -> Iterator[str]:
    """One JSON object per line (PLOVER fields + eventlens fields + evidence)."""
    for event in events:
        rec = plover_record(event, event_sources(event, source_of), timestamp)
        yield json.dumps(rec, ensure_ascii=False) + "\n"


def iter_geojson(
    events: Iterable[Event], source_of: SourceLookup = no_sources, timestamp: int | None = None
) -> Iterator[str]:
    """A GeoJSON FeatureCollection, one Feature per event (geometry null when not located)."""
    yield '{"type":"FeatureCollection","features":['
    sep = "\n"
    for event in events:
        props = plover_record(event, event_sources(event, source_of), timestamp)
        lat, lon = props["latitude"], props["longitude"]
        located = lat is not None and lon is not None
        geometry = {"type": "Point", "coordinates": [lon, lat]} if located else None
        feature = {"type": "Feature", "id": event.id, "geometry": geometry, "properties": props}
        yield sep + json.dumps(feature, ensure_ascii=False)
        sep = ",\n"
    yield "\n]}\n"


def _write_text(pieces: Iterator[str], out: TextIO) -> int:
    count = 0
    for piece in pieces:
        out.write(piece)
        count += 1
    return count


def write_csv(events: Iterable[Event], out: TextIO, *, source_of: SourceLookup = no_sources,
              timestamp: int | None = None) -> None:
    """ACLED-column CSV to a text stream (open it with ``newline=""``)."""
    _write_text(iter_csv(events, source_of, timestamp), out)


def write_jsonl(events: Iterable[Event], out: TextIO, *, source_of: SourceLookup = no_sources,
                timestamp: int | None = None) -> None:
    """PLOVER + eventlens JSON lines to a text stream."""
    _write_text(iter_jsonl(events, source_of, timestamp), out)


def write_geojson(events: Iterable[Event], out: TextIO, *, source_of: SourceLookup = no_sources,
                  timestamp: int | None = None) -> None:
    """A GeoJSON FeatureCollection to a text stream."""
    _write_text(iter_geojson(events, source_of, timestamp), out)
