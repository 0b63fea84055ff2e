"""Compare rules, classifier, rules+classifier, hybrid.v1 and hybrid.v2 on labelled JSONL (dev split).

    python scripts/eval_systems.py [--data data/training/subevents.jsonl] [--split dev] [--limit N]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=ROOT / "data" / "training" / "subevents.jsonl")
    ap.add_argument("--split", default="dev")
    ap.add_argument("--limit", type=int, default=0, help="score a seeded random sample of this many rows")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--per-label", action="store_true")
    ap.add_argument("--system", action="append", help="score only these systems (rules, classifier, "
                    "rules+classifier, hybrid); repeatable; default all")
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    from eventlens.config import Settings
    from eventlens.evaluation.sentences import evaluate, format_report
    from eventlens.extract.classify.classifier import load_classifier
    from eventlens.extract.classify.hybrid import V1_POLICY, HybridExtractor
    from eventlens.extract.rules.coder import RuleExtractor
    from eventlens.nlp.parser import load_pipeline

    data = args.data
    if args.limit:
        tag = f'"split": "{args.split}"'
        lines = [ln for ln in data.read_text(encoding="utf-8").splitlines() if tag in ln]
        sample = random.Random(7).sample(lines, min(args.limit, len(lines)))
        tmp = Path(tempfile.mkdtemp()) / "sample.jsonl"
        tmp.write_text("\n".join(sample) + "\n", encoding="utf-8")
        data = tmp
    nlp = load_pipeline(Settings().spacy_model)
    clf = load_classifier(threads=args.threads)
    systems = [("rules", "rules.v1", RuleExtractor()), ("classifier", "classifier", clf),
               ("rules+classifier", "rules.v1+classifier", RuleExtractor(clf)),
               ("hybrid.v1", "hybrid.v1", HybridExtractor(clf, policy=V1_POLICY, name="hybrid.v1")),
               ("hybrid", "hybrid.v2", HybridExtractor(clf))]
    for key, name, system in systems:
        if args.system and key not in args.system:
            continue
        report = evaluate(data, system, split=args.split, nlp=nlp, name=name)
        print(format_report(report, per_label=args.per_label))
        print()


if __name__ == "__main__":
    main()
