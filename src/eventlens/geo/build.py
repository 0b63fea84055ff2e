"""``eventlens gazetteer build``: GeoNames dumps and Who's On First extracts → one SQLite index.

Sources may be files or folders (a folder's files and those of its sub-folders, e.g. the whole
``gazetteer-data`` tree):

* GeoNames dumps in GeoNames' own format: ``allCountries.zip``, ``XX.zip``, ``XX.txt`` or ``XX.txt.gz``
  (feature classes P, A.ADM1/ADM2/PCLI and a few S codes: bases, airports, camps);
* ``admin1CodesASCII.txt[.gz]`` and ``admin2Codes.txt[.gz]`` (region and district names);
* Who's On First flattened extracts ``xx.tsv[.gz]`` (header ``id name placetype ...``).

Admin code tables are read first, so region names agree with the built-in tier's GeoNames names.
The index (schema in :mod:`eventlens.geo.index`) is written to ``out`` with an attribution table.
"""

from __future__ import annotations

import csv
import gzip
import io
import logging
import time
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from eventlens.errors import GazetteerError
from eventlens.geo.build_extras import EXTRA_KINDS, add_extra, extra_kind, read_states
from eventlens.geo.index import IndexWriter
from eventlens.geo.normalize import name_key, strip_marks

__all__ = ["BuildReport", "build_index", "display_name"]

log = logging.getLogger(__name__)
csv.field_size_limit(10_000_000)

_SUFFIXES = (" Governorate", " Province", " Region", " State", " Oblast", " Department", " Division",
             " Prefecture", " District", " Muhafazat", " Wilayah", " Territory", " County")
_GN_FEATURES = {"ADM1": "ADM1", "ADM2": "ADM2", "PCLI": "PCL", "AIRB": "AIRB", "AIRF": "AIRB",
                "AIRP": "AIRB", "MILB": "AIRB", "CMPRF": "CAMP", "CMP": "CAMP"}
_WOF_FEATURES = {"locality": "PPL", "county": "ADM2", "region": "ADM1", "campus": "AIRB",
                 "neighbourhood": "NBHD"}
_WOF_HEADER = "id\tname\tplacetype"
_MAX_ALIASES = 12


@dataclass(frozen=True, slots=True)
class BuildReport:
    """What a build read and wrote."""

    out: Path
    places: int
    sources: tuple[str, ...]
    seconds: float
    bytes: int
    skipped: tuple[str, ...] = field(default=())


@dataclass(slots=True)
class _AdminNames:
    admin1: dict[tuple[str, str], str] = field(default_factory=dict)  # (cc, code) -> name
    admin1_by_gid: dict[str, str] = field(default_factory=dict)  # geonameid -> name
    admin1_by_key: dict[tuple[str, str], str] = field(default_factory=dict)  # (cc, name_key) -> name
    admin2: dict[tuple[str, str, str], str] = field(default_factory=dict)

    def region(self, cc: str, name: str) -> str:
        """A region name in the GeoNames admin1 spelling when the key matches one, else cleaned."""
        shown = display_name(name)
        return self.admin1_by_key.get((cc, name_key(shown)), shown)


def display_name(name: str) -> str:
    """A clean display name: no diacritics or ayn marks, no administrative suffix."""
    text = strip_marks(name)
    for mark in "ʼʻʿʾ‘":
        text = text.replace(mark, "")
    text = text.replace("’", "'").replace("`", "'").strip()
    if text.lower().startswith("muhafazat ") and len(text) > 14:
        text = text[10:]
    for suffix in _SUFFIXES:
        if text.lower().endswith(suffix.lower()) and len(text) > len(suffix) + 2:
            return text[: -len(suffix)].strip()
    return text


def _open_text(path: Path) -> TextIO:
    if path.suffix == ".gz":
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8", newline="")
    return path.open(encoding="utf-8", newline="")


def _expand(sources: Sequence[Path]) -> list[Path]:
    files: list[Path] = []
    for src in sources:
        if src.is_dir():
            files.extend(sorted(p for p in src.iterdir() if p.is_file()))
            for sub in sorted(p for p in src.iterdir() if p.is_dir() and not p.name.startswith(".")):
                files.extend(sorted(p for p in sub.iterdir() if p.is_file()))
        elif src.is_file():
            files.append(src)
        else:
            raise GazetteerError(f"{src}: gazetteer source not found")
    return files


def _kind(path: Path) -> str:
    name = path.name.lower()
    if name.startswith("admin1codes"):
        return "admin1"
    if name.startswith("admin2codes"):
        return "admin2"
    if name.endswith((".zip", ".txt", ".txt.gz")) and not name.startswith(("readme", "license")):
        return "geonames"
    if name.endswith((".tsv", ".tsv.gz", ".csv", ".csv.gz")):
        with _open_text(path) as fh:
            line = fh.readline()
        return "wof" if line.startswith(_WOF_HEADER) else extra_kind(line) or "unknown"
    return "unknown"


def _read_admin(path: Path, names: _AdminNames, level: int) -> None:
    with _open_text(path) as fh:
        for line in fh:
            parts = line.rstrip("\n").split("\t")
            if len(parts) < 4:
                continue
            code, name, _ascii, gid = parts[:4]
            codes = code.split(".")
            shown = display_name(name)
            if level == 1 and len(codes) == 2:
                names.admin1[(codes[0], codes[1])] = shown
                names.admin1_by_gid[gid] = shown
                names.admin1_by_key[(codes[0], name_key(shown))] = shown
            elif level == 2 and len(codes) == 3:
                names.admin2[(codes[0], codes[1], codes[2])] = shown


def _geonames_lines(path: Path) -> Iterator[str]:
    if path.suffix == ".zip":
        with zipfile.ZipFile(path) as zf:
            for member in zf.namelist():
                if member.endswith(".txt") and not member.lower().startswith("readme"):
                    with zf.open(member) as raw:
                        yield from io.TextIOWrapper(raw, encoding="utf-8")
        return
    with _open_text(path) as fh:
        yield from fh


def _aliases(names: Sequence[str]) -> list[str]:
    return [n for n in names if n][:_MAX_ALIASES]


def _add_geonames(path: Path, writer: IndexWriter, admin: _AdminNames) -> int:
    count = 0
    for line in _geonames_lines(path):
        p = line.rstrip("\n").split("\t")
        if len(p) < 15:
            continue
        fclass, fcode, cc = p[6], p[7], p[8]
        if fclass == "P":
            feature = "PPLC" if fcode == "PPLC" else "PPL"
        elif fcode in _GN_FEATURES:
            feature = _GN_FEATURES[fcode]
        else:
            continue
        a1 = admin.admin1.get((cc, p[10]))
        a2 = admin.admin2.get((cc, p[10], p[11]))
        name = display_name(p[1]) if feature in ("ADM1", "ADM2") else p[1]
        if feature == "ADM1":
            a1 = admin.admin1.get((cc, p[10]), name)
        writer.add_place(name, cc, a1, a2 if feature != "ADM1" else None, float(p[4]), float(p[5]),
                         int(p[14] or 0), feature, f"geonames:{p[0]}",
                         aliases=[p[1], p[2], *_aliases(p[3].split(","))])
        count += 1
    return count


def _region_name(row: dict[str, str], admin: _AdminNames) -> str:
    by_gid = admin.admin1_by_gid.get(row["gn_id"])
    if by_gid:
        return by_gid
    shown = display_name(row["name"])
    return admin.admin1_by_key.get((row["country"], name_key(shown)), shown)


def _wof_usable(row: dict[str, str]) -> bool:
    return (not row["deprecated"] and row["is_current"] != "0" and not row["superseded_by"]
            and row["placetype"] in _WOF_FEATURES and bool(row["lat"]) and bool(row["lon"]))


def _add_wof(path: Path, writer: IndexWriter, admin: _AdminNames) -> int:
    with _open_text(path) as fh:
        rows = [r for r in csv.DictReader(fh, delimiter="\t") if _wof_usable(r)]
    regions = {r["id"]: _region_name(r, admin) for r in rows if r["placetype"] == "region"}
    for r in rows:
        if r["region_id"] and r["region_id"] not in regions and r["region"]:
            regions[r["region_id"]] = _region_name(
                {"gn_id": "", "name": r["region"], "country": r["country"]}, admin)
    count = 0
    for r in rows:
        feature = _WOF_FEATURES[r["placetype"]]
        a1 = regions.get(r["region_id"]) or None
        name = (a1 or r["name"]) if feature == "ADM1" else r["name"]
        a2 = display_name(r["county"]) if r["county"] and feature != "ADM1" else None
        gid = f"geonames:{r['gn_id']}" if r["gn_id"] and feature == "PPL" else f"wof:{r['id']}"
        pop = int(float(r["population"])) if r["population"] else 0
        writer.add_place(name, r["country"], a1, a2, float(r["lat"]), float(r["lon"]), pop, feature, gid,
                         aliases=[r["name"], *_aliases(r["alt_names"].split("|"))])
        count += 1
    return count


def build_index(sources: Sequence[Path], out: Path) -> BuildReport:
    """Build one SQLite gazetteer index from GeoNames dumps and WOF extracts (see module doc)."""
    started = time.perf_counter()
    files = _expand([Path(s) for s in sources])
    kinds = {f: _kind(f) for f in files}
    admin = _AdminNames()
    for f in files:
        if kinds[f] in ("admin1", "admin2"):
            _read_admin(f, admin, 1 if kinds[f] == "admin1" else 2)
    states = {k: v for f in files if kinds[f] == "brazil_states" for k, v in read_states(f).items()}
    writer = IndexWriter(out)
    used: list[str] = []
    counts = dict.fromkeys(["geonames", "wof", *EXTRA_KINDS], 0)
    for f in files:
        kind = kinds[f]
        if kind not in counts:
            continue
        if kind == "geonames":
            n = _add_geonames(f, writer, admin)
        elif kind == "wof":
            n = _add_wof(f, writer, admin)
        else:
            n = add_extra(kind, f, writer, admin.region, states)
        counts[kind] += n
        used.append(f.name)
        log.info("gazetteer build: %s: %d places", f, n)
    if not used:
        writer.finish({"tier": "village"})
        raise GazetteerError("no GeoNames dump or Who's On First extract among the sources; nothing to index")
    if counts["geonames"]:
        writer.attribute("GeoNames", "CC BY 4.0", "Contains GeoNames data (geonames.org), CC BY 4.0",
                         counts["geonames"])
    if counts["wof"]:
        writer.attribute("Who's On First", "CC BY 4.0 (WOF CC0 + GeoNames CC BY)",
                         "Data from Who's On First (https://whosonfirst.org/docs/licenses/); "
                         "contains GeoNames data (geonames.org), CC BY 4.0", counts["wof"])
    for kind, (source, licence, credit) in EXTRA_KINDS.items():
        if counts[kind]:
            writer.attribute(source, licence, credit, counts[kind])
    places = writer.finish({"tier": "village", "schema": "1", "sources": " ".join(used)})
    skipped = tuple(f.name for f in files if kinds[f] == "unknown")
    if skipped:
        log.info("gazetteer build: skipped files of unknown format: %s", ", ".join(skipped))
    return BuildReport(out, places, tuple(used), time.perf_counter() - started, out.stat().st_size, skipped)
