"""Re-measure the classifier and the coder's fatality counts; pin their floors in tests/eval_baseline.json.

    python scripts/update_eval_baseline.py                 # raise floors / re-pin hashes (never lowers one)
    python scripts/update_eval_baseline.py --allow-lower   # accept lower floors (say why when committing)
    python scripts/update_eval_baseline.py --fatalities-only  # re-pin only the fatality section

A floor is the measured score minus ``--margin`` points (default 1.0: room for int8 arithmetic differences
between CPUs, not for regressions). tests/test_evaluate.py fails when a score falls below its floor, or when
the dev data or the model artifact changed without this script being run.

The "fatalities" section pins the exact-fatality accuracy of the registered extractor (default: the one
already pinned, else the configured default) on the dev split of data/eval/fatalities.jsonl, with its own
margin (``--fatality-margin``, default 1.5 points = 3 of its ~200 examples: a relabelled snippet codes no
event and so no deaths). tests/test_eval_fatalities.py checks it.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BASELINE = ROOT / "tests" / "eval_baseline.json"
DATA = ROOT / "data" / "training" / "subevents.jsonl"
FATALITY_DATA = ROOT / "data" / "eval" / "fatalities.jsonl"
GATED = ("weighted_f1", "macro_f1", "event_type_accuracy", "none_precision", "none_recall")


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--allow-lower", action="store_true", help="accept floors below the current ones")
    ap.add_argument("--margin", type=float, default=1.0)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--fatality-margin", type=float, default=1.5)
    ap.add_argument("--extractor", help="extractor whose fatality counts are pinned (default: pinned one)")
    ap.add_argument("--fatalities-only", action="store_true", help="re-pin only the fatalities section")
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    old = json.loads(BASELINE.read_text(encoding="utf-8")) if BASELINE.exists() else {}
    old_fat = old.get("fatalities", {})
    fatalities = _fatalities(args.extractor or old_fat.get("extractor"), args.fatality_margin)
    lower: dict[str, tuple[float, float]] = {}
    if old_fat.get("extractor") == fatalities["extractor"]:
        was, now = old_fat["floors"]["fatality_accuracy"], fatalities["floors"]["fatality_accuracy"]
        if now < was:
            lower["fatality_accuracy"] = (was, now)
    baseline = dict(old) if args.fatalities_only else _classifier_baseline(args.threads, args.margin)
    if not args.fatalities_only:
        lower.update({k: (old["floors"][k], v) for k, v in baseline["floors"].items()
                      if k in old.get("floors", {}) and v < old["floors"][k]})
    if lower and not args.allow_lower:
        for k, (was, now) in lower.items():
            print(f"refusing to lower {k}: {was} -> {now} (re-run with --allow-lower if this is intended)")
        return 1
    baseline.pop("how_to_update", None)
    baseline["fatalities"] = fatalities
    baseline["how_to_update"] = "python scripts/update_eval_baseline.py [--allow-lower] [--fatalities-only]"
    BASELINE.write_text(json.dumps(baseline, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {BASELINE}")
    return 0


def _classifier_baseline(threads: int, margin: float) -> dict[str, Any]:
    """The shipped classifier's scores on the training dev split, and their floors."""
    from eventlens.evaluation.sentences import evaluate, format_report
    from eventlens.extract.classify.classifier import DEFAULT_MODEL_DIR, load_classifier

    report = evaluate(DATA, load_classifier(threads=threads), split="dev")
    print(format_report(report, per_label=False))
    measured = {k: round(float(getattr(report, k)), 2) for k in GATED}
    return {
        "data": str(DATA.relative_to(ROOT)),
        "split": "dev",
        "data_sha256": sha256(DATA),
        "model": str((DEFAULT_MODEL_DIR / "model.onnx").relative_to(ROOT)),
        "model_sha256": sha256(DEFAULT_MODEL_DIR / "model.onnx"),
        "examples": report.n,
        "measured": measured,
        "floors": {k: math.floor((v - margin) * 10) / 10 for k, v in measured.items()},
    }


def _fatalities(extractor: str | None, margin: float) -> dict[str, Any]:
    """Exact-fatality accuracy of an extractor on the fatality dev split, and its floor."""
    from eventlens.config import Settings
    from eventlens.evaluation.sentences import evaluate
    from eventlens.extract import get_extractor

    settings = Settings()
    name = extractor or settings.extractor
    report = evaluate(FATALITY_DATA, get_extractor(name, settings), split="dev")
    if report.fatality_accuracy is None:
        raise SystemExit(f"{FATALITY_DATA}: no dev rows with a fatality count")
    measured = round(report.fatality_accuracy, 2)
    print(f"fatalities exact ({name}, {FATALITY_DATA.name} dev): {measured} (n={report.fatality_n})")
    return {
        "data": str(FATALITY_DATA.relative_to(ROOT)),
        "split": "dev",
        "data_sha256": sha256(FATALITY_DATA),
        "extractor": name,
        "examples": report.fatality_n,
        "measured": {"fatality_accuracy": measured},
        "floors": {"fatality_accuracy": math.floor((measured - margin) * 10) / 10},
    }


if __name__ == "__main__":
    raise SystemExit(main())
