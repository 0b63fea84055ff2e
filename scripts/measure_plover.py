"""Measure the sub-event classifier on outside text: the PLOVER gold-standard sentences (measurement only).

    python scripts/measure_plover.py [--data ../shared/dev-data/plover_gsr/PLOVER_GSR_CAMEO.json]

Prints, per PLOVER event type, how many sentences the classifier calls an ACLED event (vs "none") and which
ACLED event types it picks. Nothing from the PLOVER file is written anywhere (CC BY-SA; never trained on).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ROOT.parent / "shared" / "dev-data" / "plover_gsr" / "PLOVER_GSR_CAMEO.json"
VIOLENT = {"ASSAULT", "FIGHT"}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT)
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    from eventlens.extract.classify.classifier import load_classifier
    from eventlens.model import event_type_of

    records = [r for r in json.loads(args.data.read_text(encoding="utf-8")) if r.get("event") != "DOCUMENT"]
    preds = load_classifier(threads=2).predict([r["text"] for r in records])
    by_type: dict[str, Counter[str]] = defaultdict(Counter)
    for rec, pred in zip(records, preds, strict=True):
        by_type[rec["event"]][event_type_of(pred.label) if pred.label != "none" else "none"] += 1
    print(f"{'PLOVER type':<12}{'n':>4}{'event%':>8}  ACLED event types predicted")
    groups: dict[str, list[int]] = {"violent (ASSAULT, FIGHT)": [0, 0], "PROTEST": [0, 0], "other": [0, 0]}
    for ptype, counts in sorted(by_type.items(), key=lambda kv: -sum(kv[1].values())):
        n = sum(counts.values())
        ev = n - counts["none"]
        top = ", ".join(f"{k} {v}" for k, v in counts.most_common() if k != "none")
        print(f"{ptype:<12}{n:>4}{100 * ev / n:>7.0f}%  {top}")
        key = "violent (ASSAULT, FIGHT)" if ptype in VIOLENT else "PROTEST" if ptype == "PROTEST" else "other"
        groups[key][0] += ev
        groups[key][1] += n
    for key, (ev, n) in groups.items():
        print(f"{key}: {ev}/{n} called events ({100 * ev / max(n, 1):.0f}%)")


if __name__ == "__main__":
    main()
