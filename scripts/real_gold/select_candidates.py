"""Screen pass (LABELLING.md pass 1): pick real news items to label, recall-oriented.

Reads `../shared/real-news/wcep.jsonl.gz` (Wikipedia Current Events, CC BY-SA) and writes candidate items
(id, source, date, category, topic, text) in a seeded, deterministic order. The mix:

* a pure random sample of all items, so ordinary news and its frequencies stay visible;
* a random sample of the conflict and crime sections;
* hunts for every sub-event type by broad keyword patterns (rare types get their own), over-including;
* hard non-events: disasters, accidents, sport, business, diplomacy, statements that use violent words.

Nothing from the coder is used: the selection is keyword and section based, so the labels cannot copy it.

    python scripts/real_gold/select_candidates.py --out /tmp/gold/candidates.jsonl
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
from pathlib import Path

SHARED = Path(__file__).resolve().parents[3] / "shared" / "real-news"

# (name, pattern, how many to draw). Patterns are broad on purpose: labellers decide.
HUNTS: list[tuple[str, str, int]] = [
    ("chemical", r"chemical (weapon|attack|agent)|chlorine|sarin|mustard gas|nerve agent|toxic gas|poison gas", 140),
    ("hq_base", r"(establish|set up|sets up|open|opens|build|builds)\w* (a |an |its |new )?(military |army |naval |air )?(base|headquarters|outpost)|headquarters in|new base", 160),
    ("transfer", r"hand(s|ed)? over|handover|withdraw\w* from|pull\w* out of|without a fight|without resistance|abandon\w*|take\w* control of|took control of|hand control", 220),
    ("sexual", r"\brap(e|ed|es|ing)\b|sexual(ly)? (violence|assault|abuse)|sex slave", 140),
    ("grenade", r"grenade", 160),
    ("disrupted", r"defus\w*|bomb disposal|arms cache|weapons cache|cache of|seiz\w* (weapons|arms|explosives)|foil\w*|thwart\w*|intercept\w*|shot down|shoots down|dismantl\w*", 220),
    ("mob", r"\bmob\b|lynch\w*|vigilante|communal (violence|clash)|sectarian (violence|clash)|villagers|clan", 200),
    ("agreement", r"ceasefire|cease-fire|truce|peace (deal|agreement|accord)|prisoner (exchange|swap)|surrender\w*", 200),
    ("looting", r"loot\w*|set (on )?fire to|torch\w*|burn\w* (down )?(houses|homes|shops|villages|churches|mosques)|vandali\w*|demolish\w*", 160),
    ("suicide", r"suicide", 160),
    ("ied", r"roadside bomb|car bomb|improvised explosive|\bied\b|landmine|land mine|bomb explode|bomb blast|explosive device", 180),
    ("air", r"air ?strike|airstrike|drone|warplane|fighter jet|bombing raid|helicopter gunship|aerial", 180),
    ("shelling", r"shell(s|ed|ing)\b|artillery|mortar|rocket|missile", 200),
    ("clash", r"clash\w*|gunfight|firefight|ambush\w*|fighting|battle|exchange of fire|gun battle", 200),
    ("territory", r"recaptur\w*|retak\w*|regain\w*|liberat\w*|captur\w* the (town|city|village)|seiz\w* (the )?(town|city|village|control)|overrun|capture\w* of", 220),
    ("attack_civ", r"gunmen|massacre|shot dead|killed .* civilians|open\w* fire on|stabbed|kill\w* (at least )?\w+ (people|villagers|civilians)", 200),
    ("abduction", r"kidnap\w*|abduct\w*|hostage|taken captive|forced disappearance", 180),
    ("arrest", r"\barrest\w*|detain\w*|round(ed)? up|taken into custody", 200),
    ("protest", r"protest\w*|demonstrat\w*|rally|rallies|march(ed|es)?\b|sit-in|strike\b|tear gas|riot\w*", 300),
    ("change", r"deploy\w*|reinforcement\w*|curfew|troops (arrive|withdraw|leave)|state of emergency|redeploy\w*|merge\w*|splinter|disband\w*|pledge\w* allegiance", 200),
]
CONFLICT_SECTIONS = {"Armed conflicts and attacks", "Armed conflict and attacks", "Law and crime",
                     "Syrian civil war", "Arab Spring"}
HARD_NONE_SECTIONS = {"Disasters and accidents", "Disasters", "International relations", "Business and economy",
                      "Sport", "Sports", "Politics and elections", "Health and environment",
                      "Science and technology", "Arts and culture"}
VIOLENT_WORDS = re.compile(r"attack|kill|clash|bomb|explo|fire|strike|shoot|war|fight|battle|dead|blast|crash",
                           re.I)


def load() -> list[dict[str, object]]:
    with gzip.open(SHARED / "wcep.jsonl.gz", "rt", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def select(items: list[dict[str, object]], seed: int) -> list[tuple[str, dict[str, object]]]:
    rng = random.Random(seed)
    items = [it for it in items if 40 <= len(str(it["text"])) <= 700]
    chosen: dict[str, tuple[str, dict[str, object]]] = {}

    def take(name: str, pool: list[dict[str, object]], n: int) -> None:
        pool = [it for it in pool if it["id"] not in chosen]
        for it in rng.sample(pool, min(n, len(pool))):
            chosen[str(it["id"])] = (name, it)

    take("random", items, 700)
    take("conflict_section", [it for it in items if it["category"] in CONFLICT_SECTIONS], 800)
    for name, pattern, n in HUNTS:
        rx = re.compile(pattern, re.I)
        take(name, [it for it in items if rx.search(str(it["text"]))], n)
    hard = [it for it in items
            if it["category"] in HARD_NONE_SECTIONS and VIOLENT_WORDS.search(str(it["text"]))]
    take("hard_none", hard, 450)
    out = list(chosen.values())
    rng.shuffle(out)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--seed", type=int, default=20261207)
    args = ap.parse_args()
    picked = select(load(), args.seed)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", encoding="utf-8") as fh:
        for i, (why, it) in enumerate(picked):
            fh.write(json.dumps({"n": i, "id": it["id"], "source": "wcep", "screen": why, "date": it["date"],
                                 "category": it["category"], "topic": it["topic"], "text": it["text"]},
                                ensure_ascii=False) + "\n")
    print(f"{len(picked)} candidates -> {args.out}")


if __name__ == "__main__":
    main()
