"""Re-measure the classifier and the coder's fatality counts; pin their gates in tests/quality_floors.json.

    python scripts/update_eval_baseline.py                 # raise floors / re-pin hashes (never lowers one)
    python scripts/update_eval_baseline.py --allow-lower   # accept lower floors (say why when committing)
    python scripts/update_eval_baseline.py --fatalities-only  # re-pin only the fatality section

A floor is the measured score minus ``--margin`` points (default 1.0: room for int8 arithmetic differences
between CPUs, not for regressions). tests/test_evaluate.py fails when a score falls below its floor, or when
the dev data or the model artifact changed without this script being run.

It rewrites the "classifier" and "fatalities" gates of tests/quality_floors.json (floors, measured scores,
the sha256 of the files they are measured on) and leaves every other gate as it is.

The "fatalities" gate pins the exact-fatality accuracy of the registered extractor (default: the one
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
FLOORS = ROOT / "tests" / "quality_floors.json"
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
    ap.add_argument("--fatalities-only", action="store_true", help="re-pin only the fatalities gate")
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    floors_file = json.loads(FLOORS.read_text(encoding="utf-8"))
    gates: dict[str, Any] = floors_file["gates"]
    old_fat = gates.get("fatalities", {})
    fatalities = _fatalities(args.extractor or old_fat.get("system"), args.fatality_margin)
    lower: dict[str, tuple[float, float]] = {}
    if old_fat.get("system") == fatalities["system"]:
        was, now = old_fat["floors"]["fatality_accuracy"], fatalities["floors"]["fatality_accuracy"]
        if now < was:
            lower["fatality_accuracy"] = (was, now)
    if not args.fatalities_only:
        classifier = _classifier_baseline(args.threads, args.margin)
        old_floors = gates.get("classifier", {}).get("floors", {})
        lower.update({k: (old_floors[k], v) for k, v in classifier["floors"].items()
                      if k in old_floors and v < old_floors[k]})
    if lower and not args.allow_lower:
        for k, (was, now) in lower.items():
            print(f"refusing to lower {k}: {was} -> {now} (re-run with --allow-lower if this is intended)")
        return 1
    if not args.fatalities_only:
        gates["classifier"] = classifier
    gates["fatalities"] = fatalities
    FLOORS.write_text(json.dumps(floors_file, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {FLOORS}")
    return 0


def _classifier_baseline(threads: int, margin: float) -> dict[str, Any]:
    """The shipped classifier's scores on the training dev split, and their floors."""
    from eventlens.evaluation.sentences import evaluate, format_report
    from eventlens.extract.classify.classifier import DEFAULT_MODEL_DIR, load_classifier

    report = evaluate(DATA, load_classifier(threads=threads), split="dev")
    print(format_report(report, per_label=False))
    measured = {k: round(float(getattr(report, k)), 2) for k in GATED}
    model = DEFAULT_MODEL_DIR / "model.onnx"
    return {
        "test": "tests/test_evaluate.py",
        "system": "shipped sub-event classifier (ONNX)",
        "split": "dev",
        "examples": report.n,
        "sha256": {str(DATA.relative_to(ROOT)): sha256(DATA), str(model.relative_to(ROOT)): sha256(model)},
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
        "test": "tests/test_eval_fatalities.py",
        "system": name,
        "split": "dev",
        "examples": report.fatality_n,
        "sha256": {str(FATALITY_DATA.relative_to(ROOT)): sha256(FATALITY_DATA)},
        "measured": {"fatality_accuracy": measured},
        "floors": {"fatality_accuracy": math.floor((measured - margin) * 10) / 10},
    }


if __name__ == "__main__":
    raise SystemExit(main())
