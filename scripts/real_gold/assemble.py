"""Assemble the real-text gold set: pass-A labels, adjudications over them, splits by story.

    python scripts/real_gold/assemble.py --gold-dir /tmp/gold -o data/real/wcep_gold.jsonl

Reads the screened candidates (``selected.jsonl``), pass-A labels (``labels/a*.jsonl``) and the
adjudicated records (``labels/adjudicated.jsonl``: disagreements with pass B settled by the codebook, and
project-wide decisions; the latest line per id wins), and writes one record per item with its split.

Project decisions applied by rule after labelling (see data/real/CARD.md): D6, state forces acting
outside their own country are External/other forces (inter 8), as ACLED codes them; the labellers'
brief had said 1.

Splits are by story: items of one day under one Current Events heading stay together (they often
tell one incident), and groups are dealt to train / dev / lockbox (2 : 1 : 1) round-robin within the
strata of their first item's label, in a seeded order, so each split has every type in proportion.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
from collections import defaultdict
from pathlib import Path

SPLIT_CYCLE = ("train", "dev", "train", "lockbox")


def read(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]


_STATE = re.compile(r"^(?:Military|Police) Forces of (?:the )?(.+?)(?: \(.*\))?$")
_SAME_COUNTRY = {"palestine": {"palestine", "gaza", "west bank"}}


def foreign_state_forces(events: list[dict[str, object]]) -> int:
    """D6: a state's forces acting outside their country are inter 8. Returns the count changed."""
    changed = 0
    for ev in events:
        country = str(ev.get("country") or "").lower()
        for side in ("1", "2"):
            m = _STATE.match(str(ev.get("actor" + side) or ""))
            home = m.group(1).lower() if m else ""
            if m and country and ev.get("inter" + side) == 1 and home != country \
                    and country not in _SAME_COUNTRY.get(home, set()):
                ev["inter" + side] = 8
                changed += 1
    return changed


def label_of(events: list[dict[str, object]]) -> str:
    return str(events[0]["sub_event_type"]) if events else "none"


def assign_splits(records: list[dict[str, object]]) -> None:
    groups: dict[str, list[dict[str, object]]] = defaultdict(list)
    for rec in records:
        groups[f"{rec['date']}|{rec['topic'] or rec['id']}"].append(rec)
    strata: dict[str, list[str]] = defaultdict(list)
    for key, members in groups.items():
        strata[str(members[0]["label"])].append(key)
    for label in sorted(strata):
        keys = sorted(strata[label], key=lambda k: hashlib.sha256(f"{label}|{k}".encode()).hexdigest())
        for i, key in enumerate(keys):
            for rec in groups[key]:
                rec["split"] = SPLIT_CYCLE[i % len(SPLIT_CYCLE)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gold-dir", type=Path, required=True)
    ap.add_argument("-o", "--output", type=Path, required=True)
    args = ap.parse_args()
    items = {str(r["id"]): r for name in ("selected.jsonl", "selected2.jsonl")
             for r in read(args.gold_dir / name)}
    labels: dict[str, dict[str, object]] = {}
    for path in sorted((args.gold_dir / "labels").glob("[ac]*.jsonl")):
        for rec in read(path):
            labels[str(rec["id"])] = {**rec, "annotator": f"A:{path.stem}", "adjudicated": False}
    second = {str(r["id"]) for r in read(args.gold_dir / "labels" / "b.jsonl")}
    adjudicated = args.gold_dir / "labels" / "adjudicated.jsonl"
    if adjudicated.exists():
        for rec in read(adjudicated):
            labels[str(rec["id"])] = {**rec, "annotator": labels[str(rec["id"])]["annotator"],
                                      "adjudicated": True}
    out: list[dict[str, object]] = []
    d6 = 0
    for item_id, item in items.items():
        lab = labels[item_id]
        events = lab["events"]
        assert isinstance(events, list)
        d6 += foreign_state_forces(events)
        out.append({
            "id": item_id, "source": "wcep", "date": item["date"], "category": item["category"],
            "topic": item["topic"], "text": item["text"], "screen": item["screen"],
            "label": label_of(events), "events": events,
            "annotator": lab["annotator"], "second_pass": item_id in second,
            "adjudicated": lab["adjudicated"], "adjudication": lab.get("reason", ""),
            "notes": lab.get("notes", ""),
        })
    assign_splits(out)
    out.sort(key=lambda r: str(r["id"]))
    args.output.parent.mkdir(parents=True, exist_ok=True)
    with args.output.open("w", encoding="utf-8") as fh:
        for rec in out:
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    print(f"{len(out)} items -> {args.output}; D6 changed {d6} inter codes to 8")


if __name__ == "__main__":
    main()
