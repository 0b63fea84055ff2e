"""Agreement between two labelling passes over the same items (LABELLING.md pass 3).

    python scripts/real_gold/agreement.py PASS_A.jsonl [PASS_A2.jsonl ...] --second PASS_B.jsonl [--json OUT]

Per item, a pass's label is the set of sub-event types it coded (``none`` for no event); its
*primary* label is the first event's sub-type. Reports Cohen's kappa on the primary sub-type and
event type (``none`` a class of its own), exact agreement of the type sets, and the disagreement
pairs with their counts.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from validate import TYPES  # noqa: E402

NONE = "none"


def load(paths: Sequence[Path]) -> dict[str, dict[str, object]]:
    out: dict[str, dict[str, object]] = {}
    for path in paths:
        for line in path.open(encoding="utf-8"):
            if line.strip():
                rec = json.loads(line)
                out[rec["id"]] = rec
    return out


def primary(rec: dict[str, object]) -> str:
    events = rec["events"]
    assert isinstance(events, list)
    return str(events[0]["sub_event_type"]) if events else NONE


def type_set(rec: dict[str, object]) -> frozenset[str]:
    events = rec["events"]
    assert isinstance(events, list)
    return frozenset(str(e["sub_event_type"]) for e in events) or frozenset({NONE})


def kappa(a: Sequence[str], b: Sequence[str]) -> float:
    n = len(a)
    observed = sum(x == y for x, y in zip(a, b, strict=True)) / n
    ca, cb = Counter(a), Counter(b)
    expected = sum(ca[k] * cb[k] for k in ca) / (n * n)
    return (observed - expected) / (1 - expected) if expected < 1 else 1.0


def event_type(sub: str) -> str:
    return TYPES.get(sub, NONE)


def report(first: dict[str, dict[str, object]], second: dict[str, dict[str, object]]) -> dict[str, object]:
    ids = sorted(set(first) & set(second))
    pa = [primary(first[i]) for i in ids]
    pb = [primary(second[i]) for i in ids]
    # a multi-event item agrees on its primary label if the other pass coded that type anywhere
    pb_aligned = [a if a in type_set(second[i]) else b for a, b, i in zip(pa, pb, ids, strict=True)]
    pairs = Counter(tuple(sorted((a, b))) for a, b in zip(pa, pb_aligned, strict=True) if a != b)
    return {
        "items": len(ids),
        "kappa_sub_event_type": round(kappa(pa, pb_aligned), 3),
        "kappa_event_type": round(kappa([event_type(x) for x in pa], [event_type(x) for x in pb_aligned]), 3),
        "kappa_event_vs_none": round(kappa([x == NONE for x in pa], [x == NONE for x in pb]), 3),  # type: ignore[misc]
        "exact_type_sets": round(sum(type_set(first[i]) == type_set(second[i]) for i in ids) / len(ids), 3),
        "disagreements": [{"pair": list(k), "count": v} for k, v in pairs.most_common()],
        "disagreeing_ids": [i for i, a, b in zip(ids, pa, pb_aligned, strict=True) if a != b],
    }


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("first", type=Path, nargs="+")
    ap.add_argument("--second", type=Path, required=True)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    rep = report(load(args.first), load([args.second]))
    if args.json:
        args.json.write_text(json.dumps(rep, indent=1) + "\n", encoding="utf-8")
    print({k: v for k, v in rep.items() if k not in ("disagreements", "disagreeing_ids")})
    for d in rep["disagreements"][:25]:  # type: ignore[index]
        print(f"  {d['count']:3d}  {d['pair'][0]}  <>  {d['pair'][1]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
