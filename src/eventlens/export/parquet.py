"""Parquet: typed ACLED + eventlens columns, written and handed out one row group at a time."""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from typing import Any, BinaryIO

import pyarrow as pa
import pyarrow.parquet as pq

from eventlens.export.fields import (
    ACLED_COLUMNS,
    EXTRA_COLUMNS,
    SourceLookup,
    event_evidence,
    event_fields,
    event_sources,
    no_sources,
)
from eventlens.model import Event

_INT_COLUMNS = frozenset(
    {"year", "time_precision", "inter1", "inter2", "interaction", "iso", "geo_precision", "fatalities",
     "timestamp", "injuries", "mention_count"}
)
_FLOAT_COLUMNS = frozenset({"latitude", "longitude", "confidence"})


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
    source_of: SourceLookup = no_sources,
    timestamp: int | None = None,
    row_group_size: int = 10_000,
) -> Iterator[bytes]:
    """Parquet bytes, written and handed out one row group at a time."""
    schema = parquet_schema()
    sink = _Drain()
    with pq.ParquetWriter(sink, schema, compression="zstd") as writer:
        rows: list[dict[str, Any]] = []
        for event in events:
            sources = event_sources(event, source_of)
            row = event_fields(event, sources, timestamp)
            row["evidence"] = [e["text"] for e in event_evidence(event, sources)]
            rows.append(row)
            if len(rows) >= row_group_size:
                writer.write_table(_row_group(rows, schema), row_group_size=row_group_size)
                rows.clear()
                yield sink.take()
        if rows:
            writer.write_table(_row_group(rows, schema), row_group_size=row_group_size)
    yield sink.take()


def write_parquet(events: Iterable[Event], out: BinaryIO, *, source_of: SourceLookup = no_sources,
                  timestamp: int | None = None, row_group_size: int = 10_000) -> None:
    """Parquet to a binary stream, one row group per ``row_group_size`` events."""
    for chunk in iter_parquet(events, source_of, timestamp, row_group_size):
        out.write(chunk)
