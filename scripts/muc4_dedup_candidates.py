"""Propose MUC-4 articles that may report the same incident, and look-alikes, for labelling
data/real/muc4_reports.jsonl (see data/real/MUC4_REPORTS_CARD.md).

Reads ../shared/dev-data/muc4/{train,dev}.json (never test.json) and uses the human-coded role fillers:

* **same-incident candidates**: articles joined by a shared named human target (a name of two or more
  words, matched on its last two words so "LUIS CARLOS GALAN" meets "LUIS CARLOS GALAN SARMIENTO") or a
  named physical target (a proper name, not "HOUSES"), then widened to every article whose text names
  that person or target, since many retellings are not templated;
* **look-alike candidates**: pairs of groups of the same incident kind (killing / bombing / kidnapping,
  from the instrument fillers and the lead's wording) whose leads name the same city, and whose articles
  sit close in the corpus order (the wire corpus is roughly chronological within its sections).

It prints each group with its articles' leads (for reading), or writes the groups as JSON with --json.
Nothing here decides a label: the labeller reads the articles.

    python scripts/muc4_dedup_candidates.py [--shared ../shared] [--min-size 2] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import re
from collections import defaultdict
from itertools import combinations
from pathlib import Path

SPLITS = ("train", "dev")  # never "test" (TST3/TST4)
GENERIC = {
    "HOUSES", "HOUSE", "BUS", "BUSES", "CAR", "CARS", "VEHICLE", "VEHICLES", "STORES", "STORE", "RESTAURANT",
    "BUILDING", "BUILDINGS", "HOTEL", "HOME", "HOMES", "RESIDENCE", "FACILITIES", "SHOPS", "ANIMALS",
    "PRIVATE PROPERTY", "TRANSPORTATION", "POWER LINES", "PYLONS", "TRANSFORMERS", "POWER TOWER", "OFFICES",
    "TELEPHONE EXCHANGE", "GAS STATION", "DRUGSTORE", "GROCERY STORE", "PUBLIC BUS", "ELECTRICITY SYSTEM",
    "TELEPHONE JUNCTION BOXES", "POLICE PATROL CAR", "FISHING BOAT", "STEEL FACTORY", "BRIDGE", "OFFICE",
}
CITIES = (
    "SAN SALVADOR", "BOGOTA", "MEDELLIN", "CALI", "LIMA", "GUATEMALA CITY", "TEGUCIGALPA", "SAN MIGUEL",
    "BARRANQUILLA", "CARTAGENA", "BUCARAMANGA", "SANTA ANA", "USULUTAN", "SOACHA", "LA PAZ", "QUITO",
    "SANTIAGO", "SAN PEDRO SULA", "MANAGUA", "HUANCAYO", "AYACUCHO", "CUSCO", "AREQUIPA", "MORAZAN",
    "CHALATENANGO", "SAN VICENTE", "SONSONATE", "LA LIBERTAD", "CUSCATLAN", "ZACAPA", "QUETZALTENANGO",
)
MAX_WIDEN = 30
KINDS = {
    "bombing": re.compile(r"\b(BOMB|DYNAMITE|EXPLOSIVE|EXPLOSION|BLAST|CAR BOMB)"),
    "kidnapping": re.compile(r"\b(KIDNAP|ABDUCT)"),
    "killing": re.compile(r"\b(MURDER|ASSASSINAT|KILLED|SHOT DEAD|GUNNED DOWN)"),
}


def load(shared: Path) -> dict[str, dict[str, object]]:
    docs: dict[str, dict[str, object]] = {}
    for split in SPLITS:
        for doc_id, rec in json.loads((shared / "dev-data" / "muc4" / f"{split}.json").read_text()).items():
            docs[doc_id] = {**rec, "split": split}
    return docs


def _lead(text: str, n: int = 420) -> str:
    return " ".join(text.split())[:n]


def _keys(rec: dict[str, object]) -> set[str]:
    roles = rec["roles"]
    assert isinstance(roles, dict)
    keys = set()
    for ent in roles["hum_tgt_name"]:
        words = ent[0].split()
        if len(words) >= 2:
            keys.add("P:" + " ".join(words[-2:]) if len(words) > 2 else "P:" + ent[0])
    for ent in roles["phys_tgt_id"]:
        if ent[0] not in GENERIC and len(ent[0]) > 3:
            keys.add("T:" + ent[0])
    return keys


def _kind(text: str) -> str:
    lead = " ".join(text.split()[:80])
    hits = {k: len(p.findall(lead)) for k, p in KINDS.items()}
    best = max(hits, key=lambda k: hits[k])
    return best if hits[best] else "other"


def groups(docs: dict[str, dict[str, object]], min_size: int) -> list[dict[str, object]]:
    by_key: dict[str, set[str]] = defaultdict(set)
    for doc_id, rec in docs.items():
        for key in _keys(rec):
            by_key[key].add(doc_id)
    # widen: articles whose text names the person (last word of the name, 5+ letters) or the target
    for key, ids in by_key.items():
        needle = key[2:].split()[-1] if key.startswith("P:") else key[2:]
        if len(needle) < 5:
            continue
        pat = re.compile(rf"\b{re.escape(needle)}\b")
        named = {d for d, rec in docs.items() if pat.search(str(rec["doc"]))}
        if len(named) <= MAX_WIDEN:  # a president or a party named everywhere is no incident's key
            ids.update(named)
    # keys named together in one article's templates belong to one group (union-find over keys)
    parent = {k: k for k in by_key}

    def find(k: str) -> str:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for rec in docs.values():
        first, *rest = sorted(_keys(rec)) or [""]
        for key in rest:
            parent[find(key)] = find(first)
    merged: dict[str, set[str]] = defaultdict(set)
    names: dict[str, set[str]] = defaultdict(set)
    for key, ids in by_key.items():
        merged[find(key)] |= ids
        names[find(key)].add(key)
    out = []
    for root, ids in merged.items():
        if len(ids) < min_size:
            continue
        leads = " ".join(str(docs[d]["doc"])[:300] for d in ids)
        out.append({
            "keys": sorted(names[root]),
            "articles": sorted(ids),
            "kind": _kind(leads),
            "cities": sorted(c for c in CITIES if c in leads),
        })
    return sorted(out, key=lambda g: -len(g["articles"]))  # type: ignore[arg-type]


def _order(doc_id: str) -> int:
    prefix, _, num = doc_id.rpartition("-")
    return {"DEV-MUC3": 0, "TST1-MUC3": 2000, "TST2-MUC4": 3000}.get(prefix, 4000) + int(num)


def look_alikes(found: list[dict[str, object]], window: int = 80) -> list[dict[str, object]]:
    pairs = []
    for a, b in combinations(found, 2):
        if a["kind"] != b["kind"] or a["kind"] == "other":
            continue
        cities = set(a["cities"]) & set(b["cities"])  # type: ignore[arg-type]
        arts_a, arts_b = a["articles"], b["articles"]
        gap = min(abs(_order(x) - _order(y)) for x in arts_a for y in arts_b)  # type: ignore[attr-defined]
        if cities and gap <= window:
            pairs.append({"a": a["keys"], "b": b["keys"], "kind": a["kind"], "cities": sorted(cities),
                          "gap": gap})
    return sorted(pairs, key=lambda p: p["gap"])  # type: ignore[arg-type, return-value]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[2] / "shared")
    ap.add_argument("--min-size", type=int, default=2)
    ap.add_argument("--json", type=Path, help="write the candidate groups and look-alike pairs here")
    ap.add_argument("--leads", action="store_true", help="print every candidate article's lead")
    args = ap.parse_args()
    docs = load(args.shared)
    found = groups(docs, args.min_size)
    pairs = look_alikes(found)
    if args.json:
        args.json.write_text(json.dumps({"groups": found, "look_alikes": pairs}, indent=1))
    for g in found:
        print(f"\n== {len(g['articles'])} {g['kind']} {g['cities']} {g['keys']}")  # type: ignore[arg-type]
        for d in g["articles"]:  # type: ignore[attr-defined]
            print(f"  {d}: {_lead(str(docs[d]['doc'])) if args.leads else ''}")
    print(f"\n{len(found)} groups, {len(pairs)} look-alike candidate pairs")
    for p in pairs[:60]:
        print(f"  {p['kind']:10} gap {p['gap']:3} {p['cities']} {p['a'][:2]} <> {p['b'][:2]}")


if __name__ == "__main__":
    main()
