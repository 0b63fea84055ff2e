"""Check a labeller's JSONL against the labelling schema (LABELLING.md) and the codebook's exact names.

    python scripts/real_gold/validate.py LABELS.jsonl [--candidates CANDIDATES.jsonl]

Prints one line per problem (line number, id, reason) and a summary; exits 1 when any line is invalid.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

TYPES: dict[str, str] = {
    "Armed clash": "Battles", "Government regains territory": "Battles",
    "Non-state actor overtakes territory": "Battles",
    "Chemical weapon": "Explosions/Remote violence", "Air/drone strike": "Explosions/Remote violence",
    "Suicide bomb": "Explosions/Remote violence", "Shelling/artillery/missile attack": "Explosions/Remote violence",
    "Remote explosive/landmine/IED": "Explosions/Remote violence", "Grenade": "Explosions/Remote violence",
    "Sexual violence": "Violence against civilians", "Attack": "Violence against civilians",
    "Abduction/forced disappearance": "Violence against civilians",
    "Peaceful protest": "Protests", "Protest with intervention": "Protests",
    "Excessive force against protesters": "Protests",
    "Violent demonstration": "Riots", "Mob violence": "Riots",
    "Agreement": "Strategic developments", "Arrests": "Strategic developments",
    "Change to group/activity": "Strategic developments", "Disrupted weapons use": "Strategic developments",
    "Headquarters or base established": "Strategic developments",
    "Looting/property destruction": "Strategic developments",
    "Non-violent transfer of territory": "Strategic developments", "Other": "Strategic developments",
}
EVENT_KEYS = {"event_type", "sub_event_type", "actor1", "inter1", "actor2", "inter2", "fatalities", "injuries",
              "location", "country", "quote", "why"}
OPTIONAL_KEYS = {"event_date"}  # article-level labels (VOA) date each event


def _count_ok(v: object) -> bool:
    return v is None or (isinstance(v, int) and not isinstance(v, bool) and v >= 0)


def check_event(ev: object, text: str | None) -> list[str]:
    if not isinstance(ev, dict):
        return ["event is not an object"]
    errs = [f"missing key {k}" for k in sorted(EVENT_KEYS - ev.keys())]
    errs += [f"unknown key {k}" for k in sorted(ev.keys() - EVENT_KEYS - OPTIONAL_KEYS)]
    sub = ev.get("sub_event_type")
    if sub not in TYPES:
        errs.append(f"sub_event_type {sub!r} is not a codebook name")
    elif ev.get("event_type") != TYPES[str(sub)]:
        errs.append(f"event_type {ev.get('event_type')!r} does not match {sub!r} ({TYPES[str(sub)]})")
    for side in ("1", "2"):
        inter, actor = ev.get("inter" + side), ev.get("actor" + side)
        if not isinstance(inter, int) or not 0 <= inter <= 8:
            errs.append(f"inter{side} must be an integer 0-8")
        if not isinstance(actor, str):
            errs.append(f"actor{side} must be a string")
        elif (actor == "") != (inter == 0):
            errs.append(f"actor{side} empty exactly when inter{side} is 0")
    if ev.get("inter1") == 0:
        errs.append("actor1 is required")
    for k in ("fatalities", "injuries"):
        if not _count_ok(ev.get(k)):
            errs.append(f"{k} must be a non-negative integer or null")
    quote = ev.get("quote")
    if not isinstance(quote, str) or not quote:
        errs.append("quote is required")
    elif text is not None and quote not in text:
        errs.append("quote is not an exact substring of the text")
    return errs


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("labels", type=Path)
    ap.add_argument("--candidates", type=Path)
    args = ap.parse_args()
    texts: dict[str, str] = {}
    if args.candidates:
        for line in args.candidates.open(encoding="utf-8"):
            c = json.loads(line)
            texts[c["id"]] = c["text"]
    seen: set[str] = set()
    bad = 0
    n = 0
    for i, line in enumerate(args.labels.open(encoding="utf-8"), 1):
        if not line.strip():
            continue
        n += 1
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as exc:
            print(f"line {i}: not JSON ({exc})")
            bad += 1
            continue
        rid = rec.get("id")
        errs: list[str] = []
        if rid in seen:
            errs.append("duplicate id")
        seen.add(str(rid))
        if texts and rid not in texts:
            errs.append("id not among the candidates")
        if not isinstance(rec.get("events"), list):
            errs.append("events must be a list")
        else:
            for j, ev in enumerate(rec["events"]):
                errs += [f"event {j}: {e}" for e in check_event(ev, texts.get(str(rid)))]
        for e in errs:
            print(f"line {i} id {rid}: {e}")
        bad += bool(errs)
    print(f"{n} records, {bad} invalid")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
