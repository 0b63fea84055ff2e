"""The export entry points: any format by name, as a stream of byte chunks or into a binary stream."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from typing import BinaryIO, Literal, get_args

from eventlens.errors import ConfigError
from eventlens.export.fields import SourceLookup, no_sources
from eventlens.export.parquet import iter_parquet
from eventlens.export.text import iter_csv, iter_geojson, iter_jsonl
from eventlens.model import Event

logger = logging.getLogger(__name__)

ExportFormat = Literal["csv", "jsonl", "geojson", "parquet"]
FORMATS: tuple[str, ...] = get_args(ExportFormat)
MEDIA_TYPES: dict[str, str] = {
    "csv": "text/csv; charset=utf-8",
    "jsonl": "application/x-ndjson",
    "geojson": "application/geo+json",
    "parquet": "application/vnd.apache.parquet",
}

_TEXT_WRITERS: dict[str, Callable[[Iterable[Event], SourceLookup, int | None], Iterator[str]]] = {
    "csv": iter_csv,
    "jsonl": iter_jsonl,
    "geojson": iter_geojson,
}


def check_format(fmt: str) -> None:
    """Raise ConfigError, naming the formats there are, unless ``fmt`` is one of them."""
    if fmt not in FORMATS:
        raise ConfigError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")


def iter_export(
    fmt: str,
    events: Iterable[Event],
    *,
    source_of: SourceLookup = no_sources,
    timestamp: int | None = None,
    row_group_size: int = 10_000,
    chunk_bytes: int = 64 * 1024,
) -> Iterator[bytes]:
    """The export as a stream of byte chunks (about ``chunk_bytes`` each for text formats)."""
    check_format(fmt)
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
    source_of: SourceLookup = no_sources,
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
