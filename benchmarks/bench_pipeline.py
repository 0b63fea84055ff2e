"""End-to-end throughput vs the bare spaCy parse of the same text, per-stage time, peak RSS.

    python benchmarks/bench_pipeline.py [--corpus muc4-dev|muc4|examples] [--limit N]
        [--repeat K] [--rounds R] [--processes P] [--store] [-o results.json]

Corpora: ``muc4-dev`` (default) is the MUC-4 dev split from ../shared/dev-data/muc4 (full wire
articles, all about political violence); ``muc4`` adds the test split after it; ``examples`` is the
project's own examples/. Typical news, where most sentences hold no event: ``voa`` is the 89 Voice
of America stories of ../shared/real-news (~4,200 characters each, mixed sections), ``wcep`` is
Wikipedia Current Events items from the same folder as short news (one to three sentences each,
every 100th item of the file, so all years and sections). ``--repeat`` runs the corpus K times over
per round (the VOA corpus is small).

The bare parse (spaCy's ``nlp.pipe`` over the same article texts: the stock pipeline, same batch
size, ``n_process=P``) and the full pipeline (in this process; with ``--processes`` P > 1 in P
supervised workers, as ``eventlens run --workers P`` codes, their start-up and model loads
included) run alternately, R rounds each, and the best round of each is compared, so the ratio
means something on a noisy machine. ``speedup_vs_bare`` is bare time / pipeline time (the issue's
target is >= 2); ``speedup_vs_bare_cpu`` the same in CPU seconds of this process (one process
only). Also reported: per-stage time of the pipeline (one process only), per-component time of its
spaCy pipeline on the text it really parses (separate pass), load average and peak RSS (JSON).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import resource
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator
from dataclasses import asdict, replace
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language

    from eventlens.model import Document

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
CORPORA = ("muc4-dev", "muc4", "examples", "voa", "wcep")
#: every WCEP_STEP-th item of wcep.jsonl.gz is one short news document
WCEP_STEP = 100


def load_corpus(limit: int, corpus: str = "muc4") -> list[Document]:
    """Documents of a corpus (see the module docstring), at most ``limit``."""
    from eventlens.config import Settings
    from eventlens.ingest import document_from_text, read_inputs
    from eventlens.ingest.jsonl import documents_from_lines
    from eventlens.model import Document

    docs: list[Document] = []
    if corpus == "examples":
        docs.extend(d for d in read_inputs([str(REPO / "examples")], Settings()) if isinstance(d, Document))
        return docs[:limit]
    if corpus in ("voa", "wcep"):
        docs.extend(d for d in documents_from_lines(news_lines(corpus), corpus) if isinstance(d, Document))
        return docs[:limit]
    for split in ("dev",) if corpus == "muc4-dev" else ("dev", "test"):
        path = SHARED / "dev-data" / "muc4" / f"{split}.json"
        if not path.is_file():
            raise SystemExit(f"{path} is missing: the MUC-4 corpora live in ../shared/dev-data")
        for key, rec in json.loads(path.read_text(encoding="utf-8")).items():
            docs.append(document_from_text(rec["doc"], source=f"muc4:{key}", fmt="txt"))
    return docs[:limit]


def news_lines(corpus: str) -> Iterator[str]:
    """JSONL records of the ``voa`` or ``wcep`` corpus, as eventlens reads them."""
    path = SHARED / "real-news" / ("voa_stories.jsonl" if corpus == "voa" else "wcep.jsonl.gz")
    if not path.is_file():
        raise SystemExit(f"{path} is missing: the news corpora live in ../shared/real-news")
    if corpus == "voa":
        yield from path.read_text(encoding="utf-8").splitlines()
        return
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            if i % WCEP_STEP == 0:
                rec = json.loads(line)
                yield json.dumps({"id": rec["id"], "text": rec["text"], "published": rec["date"]})


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def component_seconds(nlp: Language, texts: Iterable[str], batch_size: int) -> dict[str, float]:
    """Seconds per pipeline component (tokenizer first) over ``texts``."""
    out = {"tokenizer": time.perf_counter()}
    docs = [nlp.make_doc(t) for t in texts]
    out["tokenizer"] = time.perf_counter() - out["tokenizer"]
    for name, proc in nlp.pipeline:
        t0 = time.perf_counter()
        pipe = getattr(proc, "pipe", None)
        docs = list(pipe(docs, batch_size=batch_size)) if pipe else [proc(d) for d in docs]
        out[name] = time.perf_counter() - t0
    return {k: round(v, 3) for k, v in out.items()}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", choices=CORPORA, default="muc4-dev")
    ap.add_argument("--limit", type=int, default=400, help="documents to use")
    ap.add_argument("--repeat", type=int, default=1, help="passes over the corpus per round")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--processes", type=int, default=1, help="processes of the bare parse and the pipeline")
    ap.add_argument("--store", action="store_true", help="also write into a temporary SQLite store")
    ap.add_argument("-o", "--output", type=Path, default=REPO / "benchmarks" / "results" / "pipeline.json")
    args = ap.parse_args()

    import spacy

    from eventlens import clean
    from eventlens.config import Settings
    from eventlens.engines import get_engine
    from eventlens.model import Rejection
    from eventlens.nlp.prefilter import masked_text
    from eventlens.pipeline import Pipeline, StageTimes

    load_before = os.getloadavg()
    settings = Settings()
    docs = load_corpus(args.limit, args.corpus) * args.repeat
    articles = [a for d in docs for a in clean.segment(d, settings)]
    texts = [a.text for a in articles]
    bare_nlp = spacy.load(settings.spacy_model)  # stock spaCy, nothing of ours
    pipe = Pipeline(settings)
    n_sent = sum(1 for d in bare_nlp.pipe(texts[:50]) for _ in d.sents)  # warm-up
    list(pipe.process(docs[:20]))
    store = None
    if args.store:
        from eventlens.store import open_store

        tmp = tempfile.mkdtemp()
        store = open_store(f"sqlite:///{tmp}/bench.db")

    procs = max(1, args.processes)
    parallel = replace(settings, workers=procs)
    bare_s, full_s, bare_cpu, full_cpu, n_events = [], [], [], [], 0
    for _ in range(args.rounds):
        t0, c0 = time.perf_counter(), time.process_time()
        n_sent = sum(1 for d in bare_nlp.pipe(texts, batch_size=settings.batch_size, n_process=procs)
                     for _ in d.sents)
        bare_s.append(time.perf_counter() - t0)
        bare_cpu.append(time.process_time() - c0)
        pipe.times = StageTimes()
        t0, c0 = time.perf_counter(), time.process_time()
        n_events = 0
        results = pipe.process(docs) if procs == 1 else get_engine("local", parallel).code(docs)
        for result in results:
            if isinstance(result, Rejection):
                raise SystemExit(f"{result.source} was quarantined: {result.reason}")
            n_events += len(result.events)
            if store is not None and not store.has_document(result.document.id):
                store.write_document(result.document, result.articles, result.events)
        full_s.append(time.perf_counter() - t0)
        full_cpu.append(time.process_time() - c0)

    parsed_texts = [masked_text(t) if settings.prefilter else t for t in texts]
    bare, full = min(bare_s), min(full_s)
    report = {
        "machine": {"python": sys.version.split()[0], "platform": platform.platform(),
                    "cpus": os.cpu_count()},
        "load_average_before_after": [round(x, 2) for x in (*load_before, *os.getloadavg())],
        "corpus": {"name": args.corpus, "documents": len(docs), "repeat": args.repeat,
                   "articles": len(articles), "sentences": n_sent, "chars": sum(map(len, texts)),
                   "non_space_chars_parsed": round(sum(len(t.replace(" ", "")) for t in parsed_texts)
                                                   / max(1, sum(len(t.replace(" ", "")) for t in texts)), 4)},
        "processes": procs,
        "settings": {"extractor": settings.extractor, "prefilter": settings.prefilter,
                     "batch_size": settings.batch_size, "spacy_model": settings.spacy_model},
        "bare_parse_s": round(bare, 3),
        "pipeline_s": round(full, 3),
        "rounds_bare_s": [round(x, 3) for x in bare_s],
        "rounds_pipeline_s": [round(x, 3) for x in full_s],
        "speedup_vs_bare": round(bare / full, 3),
        # CPU seconds of this process (all its threads): less sensitive to other users' load
        "bare_cpu_s": round(min(bare_cpu), 3) if procs == 1 else None,
        "pipeline_cpu_s": round(min(full_cpu), 3) if procs == 1 else None,
        "speedup_vs_bare_cpu": round(min(bare_cpu) / min(full_cpu), 3) if procs == 1 else None,
        "articles_per_s": round(len(articles) / full, 2),
        "sentences_per_s": round(n_sent / full, 1),
        "bare_articles_per_s": round(len(articles) / bare, 2),
        "events": n_events,
        "stage_seconds_last_round": {k: round(v, 3) for k, v in asdict(pipe.times).items()}
        if procs == 1 else None,
        "parse_components_s": component_seconds(pipe.nlp, parsed_texts, settings.batch_size),
        "bare_components_s": component_seconds(bare_nlp, texts, settings.batch_size),
        "peak_rss_mb": round(peak_rss_mb(), 1),
        "with_store": bool(args.store),
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
