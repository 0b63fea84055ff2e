"""Build eventlens' sub-event training data from the project's hand-written templates.

Deterministic: the same templates and seed always give byte-identical output.

    python scripts/make_training_data.py            # writes data/training/subevents.jsonl + CARD.md counts

Templates live in data/training/templates/*.txt (written by the project, see data/training/CARD.md):

    # Label name                         starts a class (an exact ACLED sub_event_type, or "none")
    a template with {slots} and [alternatives|like|this]
    = a fully hand-written example (no slots are filled)

Every template line gets an id (``<slug>-<n>``); the train/dev split is made BY TEMPLATE, so dev sentences
come from sentence structures the classifier never saw in training.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from training_slots import GENERIC, REGIONS, Region  # noqa: E402

TEMPLATE_DIR = ROOT / "data" / "training" / "templates"
OUT = ROOT / "data" / "training" / "subevents.jsonl"
SLOT = re.compile(r"\{([a-z_0-9]+)\}")
ALT = re.compile(r"\[([^\[\]]*\|[^\[\]]*)\]")
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
LOWERABLE = {
    "the",
    "a",
    "an",
    "unidentified",
    "unknown",
    "suspected",
    "security",
    "police",
    "government",
    "gunmen",
    "militants",
    "protesters",
    "hundreds",
    "dozens",
    "thousands",
    "several",
    "two",
    "three",
    "four",
    "five",
    "armed",
    "residents",
    "soldiers",
    "troops",
    "fighters",
    "members",
    "at",
    "local",
    "state",
    "students",
    "villagers",
    "rebels",
    "some",
    "about",
    "around",
    "more",
    "military",
    "army",
    "one",
    "pro-government",
    "rioters",
    "angry",
    "clashes",
    "fighting",
    "heavy",
    "people",
}
NUMBER_WORDS = {2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight", 9: "nine",
                11: "eleven", 12: "twelve", 14: "fourteen"}
BEFORE = [
    "Violence has surged in the area since the start of the year.",
    "Tension has been high in the region for weeks.",
    "The area is one of the most volatile in the country.",
    "Here is the latest from the region.",
    "This is a developing story.",
    "Security has deteriorated sharply in recent months.",
]
REPORTERS = ["Officials said", "Police said", "Witnesses said", "The army said", "Local sources said",
             "A spokesman said", "Residents told reporters", "Humanitarian workers said"]
LOWER_FIRST: set[str] = set()
CONTEXT = [
    "The area has seen repeated violence over the past year.",
    "It was not immediately possible to verify the account independently.",
    "The region has been under a state of emergency since last year.",
    "Communications in the area remain patchy.",
    "Local media carried similar reports.",
    "Officials did not respond to requests for comment.",
    "The incident comes amid rising tension in the province.",
    "Details remained sketchy late on {weekday}.",
    "The report could not be confirmed by independent sources.",
    "Residents said the situation was tense but calm by evening.",
]


@dataclass(frozen=True)
class Template:
    id: str
    label: str
    text: str
    fixed: bool


def slug(label: str) -> str:
    return re.sub(r"[^a-z]+", "-", label.lower()).strip("-")


def event_type(label: str) -> str:
    sys.path.insert(0, str(ROOT / "src"))
    from eventlens.model import event_type_of

    return "none" if label == "none" else event_type_of(label)


def read_templates() -> list[Template]:
    out: list[Template] = []
    counters: Counter[str] = Counter()
    for path in sorted(TEMPLATE_DIR.glob("*.txt")):
        label = ""
        for raw in path.read_text(encoding="utf-8").splitlines():
            line = raw.strip()
            if not line or line.startswith("//"):
                continue
            if line.startswith("# "):
                label = line[2:].strip()
                continue
            if not label:
                raise SystemExit(f"{path.name}: template before any '# Label' line: {line!r}")
            counters[label] += 1
            fixed = line.startswith("= ")
            out.append(
                Template(f"{slug(label)}-{counters[label]:03d}", label, line[2:] if fixed else line, fixed)
            )
    return out


def date_text(rng: random.Random) -> str:
    return (
        f"{rng.randint(1, 28)} {rng.choice(MONTHS)} {rng.choice([2019, 2020, 2021, 2022, 2023, 2024, 2025])}"
    )


def filler(name: str, region: Region, rng: random.Random, used: dict[str, str]) -> str:
    if name in used:
        return used[name]
    base = name.rstrip("0123456789")
    if base == "date":
        value = date_text(rng)
    elif base == "weekday":
        value = rng.choice(WEEKDAYS)
    elif base == "month":
        value = rng.choice(MONTHS)
    elif base == "n":
        k = rng.choice([2, 2, 3, 3, 4, 5, 6, 7, 8, 9, 11, 12, 14])
        value = NUMBER_WORDS[k] if rng.random() < 0.4 else str(k)
    elif base == "nn":
        value = str(rng.randint(15, 90))
    elif base == "nword":
        value = rng.choice(
            ["two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "a dozen"]
        )
    elif base == "year":
        value = str(rng.randint(1990, 2018))
    else:
        pool = region.slots.get(base) or GENERIC.get(base)
        if not pool:
            raise KeyError(f"no filler for slot {{{name}}}")
        value = rng.choice(pool)
        for _ in range(3):  # avoid the same filler for {x} and {x2}
            if value not in used.values():
                break
            value = rng.choice(pool)
        value = ALT.sub(lambda m: rng.choice(m.group(1).split("|")), value)
        value = SLOT.sub(lambda m: filler(m.group(1), region, rng, used), value)
    used[name] = value
    return value


def render(text: str, region: Region, rng: random.Random) -> str:
    used: dict[str, str] = {}
    while ALT.search(text):
        text = ALT.sub(lambda m: rng.choice(m.group(1).split("|")), text)
    text = SLOT.sub(lambda m: filler(m.group(1), region, rng, used), text)
    return re.sub(r"\s+([,.;:])", r"\1", re.sub(r"\s{2,}", " ", text)).strip()


def cap(text: str) -> str:
    return text[0].upper() + text[1:]


PROPER_FIRST = {"Russia", "Russian", "OPCW", "Wagner", "Kyiv", "Ukrainian", "Israeli", "Palestinian"}


def lowerable_first_words(templates: list[Template]) -> set[str]:
    """First words of templates that start with plain text: common words, safe to lower-case."""
    words = {t.text.split()[0] for t in templates if not t.fixed and not t.text.startswith(("{", "["))}
    return {w.lower() for w in words if w not in PROPER_FIRST} | LOWERABLE


def restyle(text: str, region: Region, rng: random.Random) -> str:
    """Vary the outer form: coder note, dateline, attribution tail, upper-case wire, context sentence."""
    r = rng.random()
    if r < 0.14 and not text.startswith("On "):
        first, _, rest = text.partition(" ")
        if first.lower() in LOWER_FIRST or first[:1].islower():
            first = first.lower()
        text = f"On {date_text(rng)}, {first} {rest}"
    elif r < 0.26:
        place = rng.choice(region.slots["place"]).upper()
        text = cap(text)
        month, day = rng.choice(MONTHS), rng.randint(1, 28)
        dash = rng.choice(["-", "—", "(AFP) -", "(dpa) -"])
        text = f"{place}, {month} {day} {dash} {text}"
    elif r < 0.33:
        first, _, rest = text.partition(" ")
        if first.lower() in LOWER_FIRST or first[:1].islower():
            first = first.lower()
        when = rng.choice(["", " on " + rng.choice(WEEKDAYS), ""])
        text = f"{rng.choice(REPORTERS)}{when} that {first} {rest}"
    if rng.random() < 0.15:
        text = f"{cap(text)} {render(rng.choice(CONTEXT), region, rng)}"
    elif rng.random() < 0.08:
        text = f"{rng.choice(BEFORE)} {cap(text)}"
    if rng.random() < 0.07:
        text = text.upper()
    elif rng.random() < 0.04:
        text = text.rstrip(".")
    return text


def generate(seed: int, per_template: int, per_none_template: int, dev_share: float) -> list[dict[str, str]]:
    rng = random.Random(seed)
    templates = read_templates()
    LOWER_FIRST.clear()
    LOWER_FIRST.update(lowerable_first_words(templates))
    by_label: dict[str, list[Template]] = {}
    for t in templates:
        by_label.setdefault(t.label, []).append(t)
    dev_ids: set[str] = set()
    for label, ts in sorted(by_label.items()):
        varied = [t for t in ts if not t.fixed]
        k = max(2, round(len(varied) * dev_share))
        dev_ids.update(t.id for t in random.Random(f"{seed}-{label}").sample(varied, k))
        fixed = [t for t in ts if t.fixed]
        dev_ids.update(t.id for t in random.Random(f"{seed}-{label}-fixed").sample(fixed, len(fixed) // 5))
    rows: list[dict[str, str]] = []
    seen: set[str] = set()
    for t in templates:
        n = 1 if t.fixed else (per_none_template if t.label == "none" else per_template)
        for _ in range(n * 4):
            if n <= 0:
                break
            region = rng.choice(REGIONS) if not t.fixed else REGIONS[0]
            text = t.text if t.fixed else cap(restyle(render(t.text, region, rng), region, rng))
            if text in seen:
                continue
            seen.add(text)
            n -= 1
            rows.append(
                {
                    "text": text,
                    "label": t.label,
                    "event_type": event_type(t.label),
                    "split": "dev" if t.id in dev_ids else "train",
                    "template_id": t.id,
                }
            )
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=20261125)
    ap.add_argument("--per-template", type=int, default=7)
    ap.add_argument("--per-none-template", type=int, default=16)
    ap.add_argument("--dev-share", type=float, default=0.2)
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    rows = generate(args.seed, args.per_template, args.per_none_template, args.dev_share)
    with args.out.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    counts = Counter((r["label"], r["split"]) for r in rows)
    tcount = Counter(t.label for t in read_templates())
    labels = sorted({r["label"] for r in rows})
    lines = ["| label | templates | train | dev |", "|---|---|---|---|"]
    lines += [
        f"| {lab} | {tcount[lab]} | {counts[(lab, 'train')]} | {counts[(lab, 'dev')]} |" for lab in labels
    ]
    total_train = sum(v for (_, s), v in counts.items() if s == "train")
    lines.append(f"| **total** | {sum(tcount.values())} | {total_train} | {len(rows) - total_train} |")
    (ROOT / "data" / "training" / "counts.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    digest = hashlib.sha256(args.out.read_bytes()).hexdigest()
    print(f"wrote {len(rows)} rows to {args.out} (sha256 {digest})")


if __name__ == "__main__":
    main()
