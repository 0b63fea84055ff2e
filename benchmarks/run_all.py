"""Run every benchmark harness in turn (`make bench`); each writes JSON to benchmarks/results/."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
#: (script, arguments): the pipeline in one process, then in two (the machine's cores); the
#: pre-filter's recall and a perfect filter's bound on MUC-4 dev; then the same on typical news
#: (89 VOA stories three times over; 1,199 Wikipedia Current Events items as short news)
HARNESSES = [
    ("bench_pipeline.py", []),
    ("bench_pipeline.py", ["--corpus", "muc4", "--processes", "2", "-o", f"{RESULTS}/pipeline_2p.json"]),
    ("bench_prefilter.py", ["--oracle"]),
    ("bench_pipeline.py", ["--corpus", "voa", "--repeat", "3", "-o", f"{RESULTS}/news_voa.json"]),
    ("bench_pipeline.py", ["--corpus", "voa", "--repeat", "3", "--processes", "2",
                           "-o", f"{RESULTS}/news_voa_2p.json"]),
    ("bench_pipeline.py", ["--corpus", "wcep", "--limit", "2000", "-o", f"{RESULTS}/news_wcep.json"]),
    ("bench_prefilter.py", ["--corpus", "voa", "-o", f"{RESULTS}/prefilter_voa.json"]),
    ("bench_prefilter.py", ["--corpus", "wcep", "--limit", "2000", "-o", f"{RESULTS}/prefilter_wcep.json"]),
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
