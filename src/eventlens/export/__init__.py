"""Streaming exports of events: ACLED-style CSV, PLOVER JSONL, GeoJSON and Parquet.

Every writer takes an ``Iterable[Event]`` and writes as it goes, so exporting a million
events keeps memory flat: text formats write one row at a time, Parquet one row group at a
time. ``iter_export`` gives the same bytes as a generator (for HTTP streaming responses),
``write_export`` writes them to a binary stream (for the CLI).

Sources are not part of an :class:`~eventlens.model.Event` (its mentions only carry
document ids), so callers that know them pass ``source_of``: a function from a document id
to a :class:`SourceRef`.

Modules: :mod:`~eventlens.export.fields` (the columns and records of one event),
:mod:`~eventlens.export.text` (CSV, JSONL, GeoJSON), :mod:`~eventlens.export.parquet`,
:mod:`~eventlens.export.stream` (any format by name) and :mod:`~eventlens.export.store`
(a store's events, sources filled in).
"""

from eventlens.export.fields import ACLED_COLUMNS, EXTRA_COLUMNS, SourceLookup, SourceRef
from eventlens.export.parquet import write_parquet
from eventlens.export.store import export_from_store, iter_store_export, store_source_lookup
from eventlens.export.stream import FORMATS, MEDIA_TYPES, ExportFormat, iter_export, write_export
from eventlens.export.text import write_csv, write_geojson, write_jsonl

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
