"""Second, independent labelling pass on a sample of data/real/muc4_reports.jsonl, and agreement.

    python scripts/muc4_agreement.py sample [--n 40] [--seed 7]   # print the blind reading sheet
    python scripts/muc4_agreement.py score                         # agreement of pass B with pass A

``sample`` draws reports of the dev split (never the lockbox), shuffles them into a reading order unlike
the first pass's (which went incident by incident), and prints each one's id and text (read from the
shared MUC-4 folder) with no label. The second pass writes, for every sampled report and from its text
alone, its main incident (date, country, sub-type) and a free incident key, to
data/real/muc4_reports_passB.jsonl (``{"id", "incident_b", "date", "country", "sub_event_type"}``).

``score`` compares the two passes on the sampled reports:

* **same-incident pairs**: every pair of sampled reports is "same" or "different" in each pass;
  observed agreement and Cohen's kappa over the pairs, and the disagreeing pairs;
* **sub-type**: Cohen's kappa on each report's main-incident sub-event type;
* **country** and **date** (within 3 days): share of reports where the passes agree.
"""

from __future__ import annotations

import argparse
import json
import random
from collections import Counter
from datetime import date
from itertools import combinations
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
GOLD = REPO / "data" / "real" / "muc4_reports.jsonl"
PASS_B = REPO / "data" / "real" / "muc4_reports_passB.jsonl"


def _rows(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def kappa(a: list[object], b: list[object]) -> float:
    """Cohen's kappa of two label sequences over the same items."""
    n = len(a)
    observed = sum(x == y for x, y in zip(a, b, strict=True)) / n
    ca, cb = Counter(a), Counter(b)
    expected = sum(ca[k] * cb.get(k, 0) for k in ca) / (n * n)
    return (observed - expected) / (1 - expected) if expected < 1 else 1.0


def sample(n: int, seed: int, shared: Path) -> None:
    reports = [r for r in _rows(GOLD) if "id" in r and r["split"] == "dev"]
    rng = random.Random(seed)
    picked = rng.sample(reports, min(n, len(reports)))
    docs: dict[str, str] = {}
    for source in {str(r["source"]) for r in picked}:
        data = json.loads((shared / "dev-data" / f"{source}.json").read_text(encoding="utf-8"))
        docs.update({k: str(v["doc"]) for k, v in data.items()})
    for r in picked:
        print(f"### {r['id']}\n{' '.join(docs[str(r['id'])].split())[:1500]}\n")


def score() -> dict[str, object]:
    gold = {str(r["id"]): r for r in _rows(GOLD) if "id" in r}
    second = {str(r["id"]): r for r in _rows(PASS_B)}
    ids = sorted(second)
    same_a = [gold[x]["incident"] == gold[y]["incident"] for x, y in combinations(ids, 2)]
    same_b = [second[x]["incident_b"] == second[y]["incident_b"] for x, y in combinations(ids, 2)]
    disagree = [
        (x, y, "A same" if sa else "B same")
        for (x, y), sa, sb in zip(combinations(ids, 2), same_a, same_b, strict=True) if sa != sb
    ]
    main = {i: gold[i]["main"] for i in ids}
    sub_a = [main[i]["sub_event_type"] for i in ids]  # type: ignore[index]
    sub_b = [second[i]["sub_event_type"] for i in ids]
    country = sum(main[i]["country"] == second[i]["country"] for i in ids)  # type: ignore[index]
    dated = sum(
        second[i]["date"] is not None
        and abs((date.fromisoformat(str(main[i]["date"])) - date.fromisoformat(str(second[i]["date"]))).days)  # type: ignore[index]
        <= 3
        for i in ids
    )
    return {
        "reports": len(ids),
        "incidents_a": len({gold[i]["incident"] for i in ids}),
        "incidents_b": len({second[i]["incident_b"] for i in ids}),
        "pairs": len(same_a),
        "same_pairs_a": sum(same_a),
        "same_pairs_b": sum(same_b),
        "pair_agreement": round(sum(a == b for a, b in zip(same_a, same_b, strict=True)) / len(same_a), 4),
        "pair_kappa": round(kappa(list(same_a), list(same_b)), 4),
        "disagreeing_pairs": disagree,
        "sub_event_kappa": round(kappa(list(sub_a), list(sub_b)), 4),
        "sub_event_disagreements": sorted(
            Counter((a, b) for a, b in zip(sub_a, sub_b, strict=True) if a != b).items(), key=str
        ),
        "country_agreement": round(country / len(ids), 4),
        "date_within_3_days": round(dated / len(ids), 4),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("sample")
    s.add_argument("--n", type=int, default=40)
    s.add_argument("--seed", type=int, default=7)
    s.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    sub.add_parser("score")
    args = ap.parse_args()
    if args.cmd == "sample":
        sample(args.n, args.seed, args.shared)
    else:
        print(json.dumps(score(), indent=2))


if __name__ == "__main__":
    main()
