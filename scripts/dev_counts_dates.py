"""Dev-only error listing for counts and dates on the real-text gold (never the lockbox).

    PYTHONPATH=src python scripts/dev_counts_dates.py data/real/wcep_gold.jsonl --split dev
    PYTHONPATH=src python scripts/dev_counts_dates.py data/real/voa_gold.jsonl --split dev

Prints fatalities / injuries exact on one-incident items (as ``eventlens eval`` scores them) with every
miss, and, for gold events that carry ``event_date`` (VOA), date exact over gold events matched to an
emitted event of the same sub-event type (the nearest date among them), with every miss.
"""

from __future__ import annotations

import argparse
import json
from datetime import date
from pathlib import Path
from typing import Any

from eventlens.config import Settings
from eventlens.evaluation.reports import code_items, read_gold


def _n(value: Any) -> int:
    return int(value or 0)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("gold", type=Path)
    ap.add_argument("--split", default="dev")
    ap.add_argument("--quiet", action="store_true")
    args = ap.parse_args()
    if args.split == "lockbox":
        raise SystemExit("the lockbox is scored once, by eventlens eval, never listed")
    items = read_gold(args.gold, split=args.split)
    coded = code_items(items, Settings())
    fat = inj = single = 0
    date_n = date_ok = 0
    for item in items:
        events = coded.get(item.id, [])
        if not item.events or not events:
            continue
        if len(item.events) == 1:
            single += 1
            top = max(events, key=lambda e: float(e.get("confidence") or 0.0))
            g = item.events[0]
            if top["sub_event_type"] != g["sub_event_type"]:
                g = next((e for e in item.events if e["sub_event_type"] == top["sub_event_type"]), g)
            f_ok = _n(top.get("fatalities")) == _n(g.get("fatalities"))
            i_ok = _n(top.get("injuries")) == _n(g.get("injuries"))
            fat += f_ok
            inj += i_ok
            if not (f_ok and i_ok) and not args.quiet:
                print(f"COUNT {item.id} gold f={g.get('fatalities')} i={g.get('injuries')} "
                      f"got f={top.get('fatalities')} i={top.get('injuries')} (n events {len(events)})")
                print(f"   {item.text[:400]}")
        for g in item.events:
            if not g.get("event_date"):
                continue
            gold_day = date.fromisoformat(g["event_date"])
            same = [e for e in events if e["sub_event_type"] == g["sub_event_type"] and e.get("event_date")]
            if not same:
                continue
            date_n += 1
            got = min((date.fromisoformat(str(e["event_date"])) for e in same),
                      key=lambda d: abs((d - gold_day).days))
            date_ok += got == gold_day
            if got != gold_day and not args.quiet:
                print(f"DATE {item.id} {g['sub_event_type']} gold {gold_day} got {got} pub {item.published}"
                      f" quote: {g.get('quote', '')[:150]}")
    print(json.dumps({
        "one_incident": single,
        "fatalities_exact": round(100 * fat / single, 1) if single else None,
        "injuries_exact": round(100 * inj / single, 1) if single else None,
        "dated_events_matched": date_n,
        "date_exact": round(100 * date_ok / date_n, 1) if date_n else None,
    }))


if __name__ == "__main__":
    main()
