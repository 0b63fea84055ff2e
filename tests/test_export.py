"""Exports: ACLED CSV, PLOVER JSONL, GeoJSON and Parquet, all streaming in constant memory."""

from __future__ import annotations

import csv
import io
import json
import tracemalloc
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from eventlens.api.synthetic import generate_reports
from eventlens.errors import ConfigError
from eventlens.export import (
    ACLED_COLUMNS,
    FORMATS,
    SourceRef,
    iter_export,
    write_csv,
    write_export,
    write_geojson,
    write_jsonl,
    write_parquet,
)
from eventlens.export.fields import event_fields, plover_record
from eventlens.export.records import event_record
from eventlens.model import Event, Place
from tests.store_testkit import make_coding, make_doc, make_event


def _events(n_reports: int, seed: int = 3) -> Iterator[Event]:
    for report in generate_reports(n_reports, seed=seed):
        yield from report.events


def _source_of(doc_id: str) -> SourceRef | None:
    return SourceRef(doc_id=doc_id, name="Daily Monitor", url=f"https://example.org/{doc_id}")


def test_csv_has_acled_columns_and_values() -> None:
    events = list(_events(50))
    out = io.StringIO(newline="")
    write_csv(events, out, source_of=_source_of)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert tuple(rows[0].keys())[: len(ACLED_COLUMNS)] == ACLED_COLUMNS
    assert len(rows) == len(events)
    first, ev = rows[0], events[0]
    assert first["event_id"] == ev.id
    iso3 = ev.coding.place.iso3 if ev.coding.place else None
    assert first["event_id_cnty"] == f"{iso3 or 'XXX'}{int(ev.id[1:], 16)}"
    assert first["sub_event_type"] == ev.coding.sub_event_type
    assert first["notes"].startswith(" ".join(ev.mentions[0].evidence.text.split())[:40])
    assert first["source"] == "example.org"  # the outlet: the site of the source URL
    assert first["year"] == str(ev.coding.event_date.year if ev.coding.event_date else "")
    assert first["admin3"] == ""
    iraq = next(r for r in rows if r["iso3"] == "IRQ")
    assert iraq["iso"] == "368"


def test_an_event_without_reported_deaths_has_zero_fatalities_as_in_acled() -> None:
    event = next(e for e in _events(40) if e.coding.sub_event_type == "Attack")
    unreported = replace(event, coding=replace(event.coding, fatalities=None))
    row = next(csv.DictReader(io.StringIO(b"".join(iter_export("csv", [unreported])).decode())))
    assert row["fatalities"] == "0"
    assert event_record(unreported)["fatalities"] == 0  # the `eventlens extract` line


@pytest.mark.parametrize("placed", [True, False], ids=["with-place", "without-place"])
def test_extract_line_and_exports_agree_field_for_field(placed: bool) -> None:
    """The extract line, `events --json` (the same line) and every export are projections of one
    EventRecord: each field they share has the same value, with a place and without one."""
    event = next(e for e in _events(40) if e.coding.place is not None)
    coding = replace(event.coding, location_text="near the old market", confidence=0.123456789)
    if not placed:
        coding = replace(coding, place=None)
    event = replace(event, coding=coding)
    line = event_record(event)
    row = event_fields(event, [])
    plover = plover_record(event, [])
    shared = (set(line) & set(row)) - {"evidence"}
    assert {"location", "country", "fatalities", "confidence", "inter1", "modality"} <= shared
    assert {f: line[f] for f in shared} == {f: row[f] for f in shared}
    assert {f: line[f] for f in shared} == {f: plover[f] for f in shared}
    assert line["event_id"] == row["event_id"] == plover["id"]
    assert line["location_text"] == "near the old market"
    assert line["location"] == (coding.place.location if coding.place else None)


def test_csv_interaction_and_civilian_targeting() -> None:
    rows = list(csv.DictReader(io.StringIO(b"".join(iter_export("csv", _events(80))).decode())))
    attack = next(r for r in rows if r["sub_event_type"] == "Attack")
    assert attack["civilian_targeting"] == "Civilian targeting"
    assert attack["interaction"] == "37"
    protest = next(r for r in rows if r["sub_event_type"] == "Peaceful protest")
    assert protest["interaction"] == "60"
    assert protest["disorder_type"] == "Demonstrations"


def test_jsonl_has_plover_fields_and_evidence() -> None:
    events = list(_events(20))
    out = io.StringIO()
    write_jsonl(events, out, source_of=_source_of)
    records = [json.loads(line) for line in out.getvalue().splitlines()]
    assert len(records) == len(events)
    rec, ev = records[0], events[0]
    assert rec["plover_event"] == ev.coding.plover_event
    assert rec["source_actor"] == (ev.coding.actor1.name if ev.coding.actor1 else None)
    assert rec["evidence"][0]["text"] == ev.mentions[0].evidence.text
    assert rec["sources"][0]["url"].startswith("https://example.org/")


def test_geojson_is_a_feature_collection() -> None:
    events = list(_events(30))
    out = io.StringIO()
    write_geojson(events, out)
    data = json.loads(out.getvalue())
    assert data["type"] == "FeatureCollection"
    assert len(data["features"]) == len(events)
    feat = data["features"][0]
    place = events[0].coding.place
    assert place is not None
    assert feat["geometry"]["coordinates"] == [place.longitude, place.latitude]
    assert feat["properties"]["geo_precision"] == place.geo_precision


def test_geojson_of_nothing_is_valid() -> None:
    assert json.loads(b"".join(iter_export("geojson", [])))["features"] == []


def test_parquet_round_trip_in_row_groups() -> None:
    events = list(_events(300))
    out = io.BytesIO()
    write_parquet(events, out, row_group_size=100)
    out.seek(0)
    pf = pq.ParquetFile(out)
    assert pf.metadata.num_rows == len(events)
    assert pf.metadata.num_row_groups >= 3
    table = pf.read()
    assert table.column("event_id").to_pylist() == [e.id for e in events]
    assert table.column("evidence").to_pylist()[0] == [events[0].mentions[0].evidence.text]


def test_write_export_rejects_unknown_format() -> None:
    with pytest.raises(ConfigError, match="unknown export format"):
        write_export("xlsx", [], io.BytesIO())


class _Counter(io.RawIOBase):
    def __init__(self) -> None:
        self.n = 0

    def writable(self) -> bool:
        return True

    def write(self, b: object) -> int:
        size = len(b)  # type: ignore[arg-type]
        self.n += size
        return size


def _peak(fmt: str, n_reports: int) -> int:
    sink = _Counter()
    tracemalloc.start()
    try:
        write_export(fmt, _events(n_reports, seed=11), sink, row_group_size=500)  # type: ignore[arg-type]
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert sink.n > 0
    return peak


@pytest.mark.slow
@pytest.mark.parametrize("fmt", FORMATS)
def test_export_memory_does_not_grow_with_event_count(fmt: str) -> None:
    _peak(fmt, 50)  # warm up imports and caches
    small, large = _peak(fmt, 1_000), _peak(fmt, 10_000)
    # Ten times the events must not take meaningfully more memory: streaming, not buffering.
    assert large < small * 1.5 + 256 * 1024, (small, large)


def test_acled_columns_are_filled_as_acled_fills_them() -> None:
    """event_id_cnty = ISO3 + a number (stable, one per event), region from the country, notes
    as readable sentences, source = the outlet (else the title, else the file name, never a path),
    timestamp as given."""
    from eventlens.export.fields import event_id_cnty

    doc, art = make_doc("gunmen killed two guards in Gao\n\nA second report said three died", "in/gao.txt")
    ev = make_event(art, ["gunmen killed two guards in Gao", "A second report said three died"],
                    make_coding("Armed clash", place=Place(country="Mali", iso3="MLI", location="Gao")))
    refs = {"web": SourceRef(doc.id, "in/dump.jsonl:3", "https://www.reuters.com/world/x", "Gao attack"),
            "titled": SourceRef(doc.id, "/data/in/dump.jsonl:4", None, "Gao attack"),
            "file": SourceRef(doc.id, "/data/in/gao.txt")}
    shown = {k: event_fields(ev, [ref], timestamp=1_700_000_000)["source"] for k, ref in refs.items()}
    assert shown == {"web": "reuters.com", "titled": "Gao attack", "file": "gao.txt"}
    row = event_fields(ev, [refs["web"]], timestamp=1_700_000_000)
    assert row["event_id_cnty"] == f"MLI{int(ev.id[1:], 16)}" == event_id_cnty(ev.id, "mli")
    assert row["region"] == "Western Africa" and row["timestamp"] == 1_700_000_000
    assert row["notes"] == "Gunmen killed two guards in Gao. A second report said three died."
    assert event_id_cnty("split-7", None).startswith("XXX") and event_id_cnty("split-7", None)[3:].isdigit()


def test_store_exports_are_stamped_with_the_export_time(tmp_path: Path) -> None:
    import time

    from eventlens.export import iter_store_export
    from eventlens.store import open_store

    with open_store(f"sqlite:///{tmp_path / 'x.db'}") as store:
        for r in generate_reports(3, seed=2):
            store.write_document(r.document, [r.article], list(r.events))
        before = int(time.time())
        rows = list(csv.DictReader(io.StringIO(b"".join(iter_store_export(store, "csv")).decode())))
    assert rows and all(before <= int(r["timestamp"]) <= int(time.time()) for r in rows)
