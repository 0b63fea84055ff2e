"""Fit the confidence calibration (Platt scaling) of the coder's top event on the TRAIN split of the
real-text gold, and report the expected calibration error before and after on train and dev.

    python scripts/real_gold/calibrate.py [--gold data/real/wcep_gold.jsonl]

Prints the two constants for ``eventlens.evaluation``-independent use in
``src/eventlens/extract/calibration.py`` (PLATT_A, PLATT_B). The lockbox split is never read.
"""

from __future__ import annotations

import argparse
import math
from pathlib import Path

from eventlens.config import Settings
from eventlens.evaluation.reports import code_items, read_gold


def _logit(c: float) -> float:
    c = min(max(c, 1e-4), 1 - 1e-4)
    return math.log(c / (1 - c))


def _points(path: Path, split: str) -> list[tuple[float, bool]]:
    items = read_gold(path, split=split)
    coded = code_items(items, Settings(workers=0))
    out = []
    for item in items:
        events = coded[item.id]
        if events:
            top = max(events, key=lambda e: float(e["confidence"] or 0.0))
            out.append((float(top["confidence"] or 0.0), top["sub_event_type"] in item.types))
    return out


def ece(points: list[tuple[float, bool]], bins: int = 10) -> float:
    buckets: list[list[tuple[float, bool]]] = [[] for _ in range(bins)]
    for c, r in points:
        buckets[min(bins - 1, int(c * bins))].append((c, r))
    return 100 * sum(abs(sum(c for c, _ in b) - sum(r for _, r in b)) for b in buckets if b) / len(points)


def fit(points: list[tuple[float, bool]], steps: int = 3000, rate: float = 0.5) -> tuple[float, float]:
    a, b = 1.0, 0.0
    for _ in range(steps):
        ga = gb = 0.0
        for c, r in points:
            p = 1 / (1 + math.exp(-(a * _logit(c) + b)))
            ga += (p - r) * _logit(c)
            gb += p - r
        a -= rate * ga / len(points)
        b -= rate * gb / len(points)
    return a, b


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gold", type=Path, default=Path("data/real/wcep_gold.jsonl"))
    args = ap.parse_args()
    train, dev = _points(args.gold, "train"), _points(args.gold, "dev")
    a, b = fit(train)

    def cal(p: list[tuple[float, bool]]) -> list[tuple[float, bool]]:
        return [(1 / (1 + math.exp(-(a * _logit(c) + b))), r) for c, r in p]

    print(f"PLATT_A = {a:.4f}\nPLATT_B = {b:.4f}")
    print(f"ECE train {ece(train):.1f} -> {ece(cal(train)):.1f}; dev {ece(dev):.1f} -> {ece(cal(dev)):.1f}")


if __name__ == "__main__":
    main()
