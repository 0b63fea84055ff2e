"""End-to-end throughput vs the bare spaCy parse of the same text, per-stage time, peak RSS.

    python benchmarks/bench_pipeline.py [--limit N] [--rounds R] [--store] [-o results.json]

Corpus: the MUC-4 dev/test articles from ../shared/dev-data/muc4 (full wire articles) plus the
project's examples/. The bare parse (`nlp.pipe` over the same article texts, same batch size and
processes) and the full pipeline run alternately, R rounds each, so the ratio is meaningful on a
noisy machine. Results are written as JSON.
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import sys
import tempfile
import time
from dataclasses import asdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


def load_corpus(limit: int) -> list[object]:
    from eventlens.config import Settings
    from eventlens.ingest import document_from_text, read_inputs
    from eventlens.model import Document

    docs: list[Document] = []
    for split in ("dev", "test"):
        path = SHARED / "dev-data" / "muc4" / f"{split}.json"
        if path.is_file():
            for key, rec in json.loads(path.read_text(encoding="utf-8")).items():
                docs.append(document_from_text(rec["doc"], source=f"muc4:{key}", fmt="txt"))
    docs.extend(d for d in read_inputs([str(REPO / "examples")], Settings()) if isinstance(d, Document))
    return list(docs[:limit])


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--limit", type=int, default=400, help="articles (documents) to use")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--store", action="store_true", help="also write into a temporary SQLite store")
    ap.add_argument("-o", "--output", type=Path, default=REPO / "benchmarks" / "results" / "pipeline.json")
    args = ap.parse_args()

    from eventlens import clean
    from eventlens.config import Settings
    from eventlens.nlp import load_pipeline
    from eventlens.pipeline import Pipeline, StageTimes

    settings = Settings()
    docs = load_corpus(args.limit)
    articles = [a for d in docs for a in clean.segment(d, settings)]  # type: ignore[arg-type]
    texts = [a.text for a in articles]
    bare_nlp = load_pipeline(settings.spacy_model)
    pipe = Pipeline(settings)
    n_sent = sum(1 for d in bare_nlp.pipe(texts[:50]) for _ in d.sents)  # warm-up
    store = None
    if args.store:
        from eventlens.store import open_store

        tmp = tempfile.mkdtemp()
        store = open_store(f"sqlite:///{tmp}/bench.db")

    bare_s, full_s, n_events = [], [], 0
    for _ in range(args.rounds):
        t0 = time.perf_counter()
        n_sent = sum(1 for d in bare_nlp.pipe(texts, batch_size=settings.batch_size) for _ in d.sents)
        bare_s.append(time.perf_counter() - t0)
        pipe.times = StageTimes()
        t0 = time.perf_counter()
        n_events = 0
        for result in pipe.process(docs):  # type: ignore[arg-type]
            n_events += len(result.events)
            if store is not None and not store.has_document(result.document.id):
                store.write_document(result.document, result.articles, result.events)
        full_s.append(time.perf_counter() - t0)

    bare, full = min(bare_s), min(full_s)
    report = {
        "machine": {"python": sys.version.split()[0], "platform": platform.platform()},
        "corpus": {"documents": len(docs), "articles": len(articles), "sentences": n_sent,
                   "chars": sum(map(len, texts))},
        "bare_parse_s": round(bare, 3),
        "pipeline_s": round(full, 3),
        "ratio_pipeline_over_bare": round(full / bare, 3),
        "articles_per_s": round(len(articles) / full, 2),
        "sentences_per_s": round(n_sent / full, 1),
        "bare_articles_per_s": round(len(articles) / bare, 2),
        "events": n_events,
        "stage_seconds_last_round": {k: round(v, 3) for k, v in asdict(pipe.times).items()},
        "peak_rss_mb": round(peak_rss_mb(), 1),
        "with_store": bool(args.store),
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
