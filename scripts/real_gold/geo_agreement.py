"""Agreement of two independent place-labelling passes over the same items (geo gold, issue 19).

    python scripts/real_gold/geo_agreement.py --village village.sqlite \\
        [--first data/real/geo_labels.psv] --second PASS_B.psv [--json data/real/geo_agreement.json]

Both files are ``id | location | country | admin1 | geo_precision`` (``SKIP`` for no single
place). Each label is resolved to a gazetteer entry exactly as ``geo_assemble.py`` resolves the
gold (built-in index, then the village index). Reports, over the items both passes labelled:
the country agreed; the level agreed (a town, precision 1-2, or an area, precision 3) with Cohen's
kappa; exact precision; admin1 where both name one; and for items both place in a town, the
distance between the two towns (within 25 km / 161 km). Lists every disagreement for adjudication.
"""

from __future__ import annotations

import argparse
import json
import math
from collections import Counter
from pathlib import Path

from geo_assemble import REAL, Label, Resolver, read_labels

from eventlens.evaluation.places import same_admin


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    (la1, lo1), (la2, lo2) = (tuple(map(math.radians, p)) for p in (a, b))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, h)))


def _kappa(pairs: list[tuple[str, str]]) -> float:
    n = len(pairs)
    observed = sum(a == b for a, b in pairs) / n
    first, second = Counter(a for a, _ in pairs), Counter(b for _, b in pairs)
    expected = sum(first[k] * second[k] for k in first) / (n * n)
    return 1.0 if expected == 1 else (observed - expected) / (1 - expected)


def _level(label: Label | None) -> str:
    if label is None:
        return "skip"
    return "town" if label[3] in ("1", "2") else "area"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--village", required=True, type=Path, help="village index (eventlens gazetteer build)")
    ap.add_argument("--first", type=Path, default=REAL / "geo_labels.psv")
    ap.add_argument("--second", required=True, type=Path)
    ap.add_argument("--json", type=Path, help="write the figures and disagreements here")
    args = ap.parse_args()
    first, second = read_labels(args.first), read_labels(args.second)
    both = [i for i in second if i in first]
    resolve = Resolver(args.village)
    country = admin1_pairs = admin1_same = precision = 0
    towns, within25, within161 = 0, 0, 0
    levels: list[tuple[str, str]] = []
    disagree: list[dict[str, object]] = []
    for item_id in both:
        a, b = first[item_id], second[item_id]
        levels.append((_level(a), _level(b)))
        why = []
        if a is None or b is None:
            if (a is None) != (b is None):
                why.append("skip")
        else:
            (cc_a, rec_a), (cc_b, rec_b) = resolve(a[0], a[1], a[2]), resolve(b[0], b[1], b[2])
            if cc_a == cc_b and cc_a is not None:
                country += 1
            else:
                why.append("country")
            precision += a[3] == b[3]
            if a[2] and b[2]:
                admin1_pairs += 1
                if same_admin(a[2], b[2]):
                    admin1_same += 1
                else:
                    why.append("admin1")
            if _level(a) == _level(b) == "town":
                towns += 1
                if rec_a and rec_b and None not in (rec_a.lat, rec_a.lon, rec_b.lat, rec_b.lon):
                    km = _km((rec_a.lat, rec_a.lon), (rec_b.lat, rec_b.lon))  # type: ignore[arg-type]
                    within25 += km <= 25
                    within161 += km <= 161
                    if km > 25:
                        why.append(f"town {km:.0f} km apart")
                else:
                    why.append("town not resolved")
            elif _level(a) != _level(b):
                why.append("level")
        if why:
            disagree.append({"id": item_id, "why": why, "first": a, "second": b})
    n = len(both)
    labelled = sum(1 for i in both if first[i] is not None and second[i] is not None)
    result = {
        "items": n,
        "country_agreed": round(100 * country / max(1, labelled), 1),
        "level_agreed": round(100 * sum(x == y for x, y in levels) / max(1, n), 1),
        "level_kappa": round(_kappa(levels), 3) if n else None,
        "precision_exact": round(100 * precision / max(1, labelled), 1),
        "admin1_agreed": round(100 * admin1_same / max(1, admin1_pairs), 1), "admin1_pairs": admin1_pairs,
        "town_pairs": towns,
        "town_within_25km": round(100 * within25 / max(1, towns), 1),
        "town_within_161km": round(100 * within161 / max(1, towns), 1),
        "disagreements": disagree,
    }
    print(json.dumps({k: v for k, v in result.items() if k != "disagreements"}, indent=1))
    for d in disagree:
        print(d["id"], "; ".join(d["why"]), "|", d["first"], "|", d["second"])  # type: ignore[arg-type]
    if args.json:
        args.json.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
