"""Recall and savings of the relevance pre-filter, measured against the full parse.

    python benchmarks/bench_prefilter.py [--corpus muc4-dev|muc4|examples] [--limit N] [-o results.json]

Runs the same documents through the pipeline twice — every sentence parsed, then only the
pre-filter's sentences — and reports the share of characters parsed and event recall: an event
of the full path counts as found when the filtered path has an event of the same sub-event type
whose evidence overlaps it. ``same_fields`` is the share of found events that also agree on place,
date, both actors and fatalities; ``missed`` lists what the filtered path lost
(document, type, evidence offsets).

``--oracle`` adds a bound: a perfect filter that keeps exactly the sentences holding the full path's
evidence (with 1 or 0 neighbours), timed against the bare spaCy parse of the same articles. It shows
how much of the text any sentence filter must still parse on this corpus, and the speed-up it buys.
"""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import replace
from pathlib import Path
from unittest import mock

from bench_pipeline import CORPORA, REPO, load_corpus

from eventlens import clean
from eventlens.config import Settings
from eventlens.model import Document, Event
from eventlens.nlp import prefilter as relevance
from eventlens.nlp.prefilter import masked_text
from eventlens.pipeline import Pipeline


def events_by_doc(pipe: Pipeline, docs: list[Document]) -> tuple[dict[str, list[Event]], float]:
    t0 = time.perf_counter()
    out = {r.document.id: list(r.events) for r in pipe.process(docs)}
    return out, time.perf_counter() - t0


def overlaps(a: Event, b: Event) -> bool:
    sa = {(m.article_id, m.evidence.start, m.evidence.end) for m in a.mentions}
    for art, start, end in sa:
        for m in b.mentions:
            if m.article_id == art and m.evidence.start < end and start < m.evidence.end:
                return True
    return False


def fields(e: Event) -> tuple[object, ...]:
    c = e.coding
    return (c.place.location if c.place else None, c.event_date,
            c.actor1.name if c.actor1 else None, c.actor2.name if c.actor2 else None, c.fatalities)


def compare(full: dict[str, list[Event]], fast: dict[str, list[Event]]) -> tuple[int, int, int, list[str]]:
    """Events of the full path, how many the filtered path found, how many with the same fields,
    and the missed ones."""
    n_full = found = same = 0
    missed = []
    for doc, evs in full.items():
        for e in evs:
            n_full += 1
            hits = [f for f in fast.get(doc, []) if f.coding.sub_event_type == e.coding.sub_event_type
                    and overlaps(e, f)]
            found += bool(hits)
            same += any(fields(f) == fields(e) for f in hits)
            if not hits:
                span = e.mentions[0].evidence  # offsets, not text: results are committed
                missed.append(f"{doc}: {e.coding.sub_event_type}: chars {span.start}-{span.end}")
    return n_full, found, same, missed


def oracle_report(docs: list[Document], full: dict[str, list[Event]], fast_pipe: Pipeline,
                  fast_s: float) -> dict[str, object]:
    """The perfect sentence filter's share of text parsed, recall and speed-up vs the bare parse."""
    import spacy

    settings = fast_pipe.settings
    articles = [a for d in docs for a in clean.segment(d, settings)]
    by_article: dict[str, list[tuple[int, int]]] = {}
    for evs in full.values():
        for e in evs:
            for m in e.mentions:
                by_article.setdefault(m.article_id, []).append((m.evidence.start, m.evidence.end))
    evidence: dict[str, list[tuple[int, int]]] = {}
    for a in articles:
        evidence.setdefault(a.text, []).extend(by_article.get(a.id, []))
    texts = [a.text for a in articles]
    bare = spacy.load(settings.spacy_model)  # stock spaCy, as in bench_pipeline.py
    list(bare.pipe(texts[:20]))
    t0 = time.perf_counter()
    list(bare.pipe(texts, batch_size=settings.batch_size))
    bare_s = time.perf_counter() - t0
    visible = sum(len(t.replace(" ", "")) for t in texts)
    out: dict[str, object] = {
        "bare_parse_s": round(bare_s, 2),
        "shipped_filter_speedup_vs_bare": round(bare_s / fast_s, 3),
    }
    for n in (1, 0):
        def perfect(text: str, neighbours: int = n, **_: object) -> str:
            spans = evidence.get(text, [])
            return masked_text(text, neighbours=neighbours,
                               relevant=lambda s: any(s.start < b and a < s.end for a, b in spans))

        with mock.patch.object(relevance, "masked_text", perfect):
            got, secs = events_by_doc(fast_pipe, docs)
            kept = sum(len(relevance.masked_text(t).replace(" ", "")) for t in texts)
        n_full, found, same, _ = compare(full, got)
        out[f"neighbours_{n}"] = {
            "non_space_chars_kept": round(kept / max(1, visible), 4),
            "recall_vs_full_path": round(found / n_full, 4) if n_full else None,
            "same_fields": round(same / found, 4) if found else None,
            "seconds": round(secs, 2),
            "speedup_vs_bare": round(bare_s / secs, 3),
        }
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", choices=CORPORA, default="muc4-dev")
    ap.add_argument("--limit", type=int, default=400)
    ap.add_argument("--oracle", action="store_true", help="also time a perfect sentence filter")
    ap.add_argument("-o", "--output", type=Path, default=REPO / "benchmarks" / "results" / "prefilter.json")
    args = ap.parse_args()
    docs = load_corpus(args.limit, args.corpus)
    base = Settings.load(REPO / "no-such-config.toml", workers=0)
    full_pipe = Pipeline(replace(base, prefilter=False))
    fast_pipe = Pipeline(replace(base, prefilter=True), nlp=full_pipe.nlp, geocoder=full_pipe.geocoder)
    full, full_s = events_by_doc(full_pipe, docs)
    fast, fast_s = events_by_doc(fast_pipe, docs)
    n_full, found, same, missed = compare(full, fast)
    chars = sum(len(d.text) for d in docs)
    kept = sum(len(masked_text(d.text).replace(" ", "")) for d in docs)
    visible = sum(len(d.text.replace(" ", "")) for d in docs)
    report = {
        "corpus": args.corpus,
        "documents": len(docs),
        "extractor": base.extractor,
        "events_full_path": n_full,
        "events_prefiltered": sum(len(v) for v in fast.values()),
        "recall_vs_full_path": round(found / n_full, 4) if n_full else None,
        "same_fields": round(same / found, 4) if found else None,
        "non_space_chars_kept": round(kept / max(1, visible), 4),
        "chars": chars,
        "full_path_s": round(full_s, 2),
        "prefiltered_s": round(fast_s, 2),
        "speedup": round(full_s / fast_s, 3),
        "oracle": oracle_report(docs, full, fast_pipe, fast_s) if args.oracle else None,
        "missed": missed,
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
