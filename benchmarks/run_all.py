"""Run every benchmark harness in turn (`make bench`); each writes JSON to benchmarks/results/."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
#: (script, arguments): the pipeline in one process, then in two (the machine's cores); the
#: pre-filter's recall and a perfect filter's bound on MUC-4 dev
HARNESSES = [
    ("bench_pipeline.py", []),
    ("bench_pipeline.py", ["--corpus", "muc4", "--processes", "2", "-o", f"{HERE}/results/pipeline_2p.json"]),
    ("bench_prefilter.py", ["--oracle"]),
    ("bench_dedup.py", []),
    ("bench_api.py", []),
]


def main() -> int:
    failed = 0
    for name, args in HARNESSES:
        path = HERE / name
        if not path.is_file():
            continue
        print(f"== {name} {' '.join(args)}", flush=True)
        failed += subprocess.call([sys.executable, str(path), *args]) != 0
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
