"""Assemble the real-text geo gold set from hand-read place labels.

    python scripts/real_gold/geo_assemble.py --village village.sqlite -o data/real/geo_gold.jsonl

Reads ``data/real/geo_labels.psv`` (``id | location | country | admin1 | geo_precision``, written by
reading each item's text; ``SKIP`` lines are items whose text names no single event place) and the
items' texts from ``data/real/wcep_gold.jsonl`` / ``voa_gold.jsonl``, and resolves each label to one
gazetteer entry (the built-in index, then the village index built by ``eventlens gazetteer build
../shared/gazetteer-data``): the named place in the labelled country (and admin1, when it agrees),
the populated place before an admin unit (a spelling variant by its consonant skeleton when
no name matches exactly), the larger before the smaller. An empty location is the
labelled admin1 (or the country) itself. A label that matches no entry stops the run: the labeller
then picks the nearest named town by hand (see the card).

Splits: dev / lockbox about 70 : 30 by a hash of the story (VOA stories of one incident share one),
fixed, so re-assembling never moves an item between splits.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

from eventlens.evaluation.places import same_admin
from eventlens.geo.builtin import builtin_index_path
from eventlens.geo.countries import load_country_table
from eventlens.geo.index import GazetteerIndex, GeoRecord
from eventlens.geo.normalize import name_key, skeleton

ROOT = Path(__file__).resolve().parents[2]
REAL = ROOT / "data" / "real"
_ADMIN = ("ADM1", "ADM2", "PCL")


def _story(item_id: str) -> str:
    """VOA stories in the set are all from one week of one incident family: one story group each day."""
    return item_id if item_id.startswith("wcep-") else "voa"


def split_of(item_id: str) -> str:
    digest = int(hashlib.sha256(_story(item_id).encode()).hexdigest()[:8], 16)
    return "lockbox" if _story(item_id) != "voa" and digest % 10 < 3 else "dev"


Label = tuple[str, str, str, str]  # location, country, admin1, geo_precision


def read_labels(path: Path) -> dict[str, Label | None]:
    """``id -> (location, country, admin1, geo_precision)`` from a ``|``-separated label file
    (None for SKIP: the text names no single event place)."""
    out: dict[str, Label | None] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        item_id, *rest = (p.strip() for p in line.split("|"))
        out[item_id] = None if rest[0] == "SKIP" else (rest[0], rest[1], rest[2], rest[3])
    return out


class Resolver:
    """A label to one gazetteer entry: the built-in index, then the village index."""

    def __init__(self, village: Path) -> None:
        self.table = load_country_table()
        self.by_name = {c.name.lower(): c.cc for c in self.table.iso.values()}
        self.indexes = [GazetteerIndex(builtin_index_path(), "builtin"), GazetteerIndex(village, "village")]

    def __call__(self, location: str, country: str, admin1: str) -> tuple[str | None, GeoRecord | None]:
        """(ISO2 of the labelled country, the entry) -- either None when nothing matches."""
        cc = (self.by_name.get((self.table.lookup(country) or country).lower())
              or self.by_name.get(country.lower()))
        return cc, (self._entry(location, cc, admin1) if cc else None)

    def _entry(self, location: str, cc: str, admin1: str) -> GeoRecord | None:
        indexes = self.indexes
        if not location and not admin1:
            return indexes[0].country(cc)
        if not location:
            found = [r for ix in indexes for r in ix.by_key(name_key(admin1))
                     if r.cc == cc and r.feature == "ADM1"]
            return found[0] if found else next((a for ix in indexes if (a := ix.admin1(cc, admin1))), None)
        found = [r for ix in indexes for r in ix.by_key(name_key(location)) if r.cc == cc] or [
            r for ix in indexes for r in ix.by_skeleton(skeleton(name_key(location))) if r.cc == cc]
        agree = [r for r in found if same_admin(admin1, r.admin1)] if admin1 else []
        found = agree or found
        found.sort(key=lambda r: (r.feature in _ADMIN, -r.population, r.tier != "builtin"))
        return found[0] if found else None


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--village", required=True, type=Path, help="village index (eventlens gazetteer build)")
    ap.add_argument("--labels", type=Path, default=REAL / "geo_labels.psv")
    ap.add_argument("-o", "--output", type=Path, default=REAL / "geo_gold.jsonl")
    args = ap.parse_args()
    texts = {}
    for name in ("wcep_gold.jsonl", "voa_gold.jsonl"):
        for line in (REAL / name).open(encoding="utf-8"):
            row = json.loads(line)
            texts[row["id"]] = row
    table = load_country_table()
    resolve = Resolver(args.village)
    out, missing = [], []
    for item_id, label in read_labels(args.labels).items():
        if label is None:
            continue
        location, country, admin1, precision = label
        cc, rec = resolve(location, country, admin1)
        if rec is None or rec.lat is None or rec.lon is None:
            missing.append(f"{item_id}|{'|'.join(label)}")
            continue
        item = texts[item_id]
        named = location or (rec.admin1 or rec.name if admin1 else "")
        out.append({
            "id": item_id, "source": item_id.split("-")[0], "date": item["date"], "text": item["text"],
            "place": {
                "location": named or table.get(cc).name,  # type: ignore[union-attr]
                "country": table.get(cc).name,  # type: ignore[union-attr]
                "admin1": (rec.admin1 or admin1) if (location or admin1) else "",
                "latitude": round(rec.lat, 4), "longitude": round(rec.lon, 4),
                "geo_precision": int(precision), "gazetteer_id": rec.gid, "gazetteer_name": rec.name,
                "gazetteer_tier": rec.tier,
            },
            "split": split_of(item_id),
        })
    if missing:
        sys.exit("no gazetteer entry for:\n" + "\n".join(missing))
    args.output.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in out), encoding="utf-8")
    print(f"{len(out)} items -> {args.output}: "
          f"{sum(r['split'] == 'dev' for r in out)} dev, {sum(r['split'] == 'lockbox' for r in out)} lockbox")


if __name__ == "__main__":
    main()
