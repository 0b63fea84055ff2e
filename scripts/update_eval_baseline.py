"""Re-measure the shipped classifier on the dev split and pin the floors in tests/eval_baseline.json.

    python scripts/update_eval_baseline.py                 # raise floors / re-pin hashes (never lowers one)
    python scripts/update_eval_baseline.py --allow-lower   # accept lower floors (say why when committing)

A floor is the measured score minus ``--margin`` points (default 1.0: room for int8 arithmetic differences
between CPUs, not for regressions). tests/test_evaluate.py fails when a score falls below its floor, or when
the dev data or the model artifact changed without this script being run.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BASELINE = ROOT / "tests" / "eval_baseline.json"
DATA = ROOT / "data" / "training" / "subevents.jsonl"
GATED = ("weighted_f1", "macro_f1", "event_type_accuracy", "none_precision", "none_recall")


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--allow-lower", action="store_true", help="accept floors below the current ones")
    ap.add_argument("--margin", type=float, default=1.0)
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    from eventlens.evaluate import evaluate, format_report
    from eventlens.extract.classifier import DEFAULT_MODEL_DIR, load_classifier

    report = evaluate(DATA, load_classifier(threads=args.threads), split="dev")
    print(format_report(report, per_label=False))
    measured = {k: round(float(getattr(report, k)), 2) for k in GATED}
    floors = {k: math.floor((v - args.margin) * 10) / 10 for k, v in measured.items()}
    old = json.loads(BASELINE.read_text(encoding="utf-8")) if BASELINE.exists() else {}
    lower = {k: (old["floors"][k], v) for k, v in floors.items() if k in old.get("floors", {})
             and v < old["floors"][k]}
    if lower and not args.allow_lower:
        for k, (was, now) in lower.items():
            print(f"refusing to lower {k}: {was} -> {now} (re-run with --allow-lower if this is intended)")
        return 1
    baseline = {
        "data": str(DATA.relative_to(ROOT)),
        "split": "dev",
        "data_sha256": sha256(DATA),
        "model": str((DEFAULT_MODEL_DIR / "model.onnx").relative_to(ROOT)),
        "model_sha256": sha256(DEFAULT_MODEL_DIR / "model.onnx"),
        "examples": report.n,
        "measured": measured,
        "floors": floors,
        "how_to_update": "python scripts/update_eval_baseline.py [--allow-lower]",
    }
    BASELINE.write_text(json.dumps(baseline, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {BASELINE}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
