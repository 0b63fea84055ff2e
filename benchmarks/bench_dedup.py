"""Near-duplicate article dedup at scale: 100,000 synthetic articles with reprint variants.

Run: ``.venv/bin/python benchmarks/bench_dedup.py [--n 100000] [-o out.json]``. Prints (and
writes to benchmarks/results/dedup.json) one JSON object:
seconds for dedup (signature + LSH query + insert per article; generation is not timed),
articles per second, and precision/recall of the reprint links against the generator's truth.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from eventlens.dedup import ArticleDeduper

REPO = Path(__file__).resolve().parents[1]
VOCAB_SIZE = 20_000
WORDS = 250


def _vocab(rng: random.Random) -> list[str]:
    letters = "abcdefghijklmnopqrstuvwxyz"
    return ["".join(rng.choice(letters) for _ in range(rng.randint(3, 9))) for _ in range(VOCAB_SIZE)]


def _variant(words: list[str], rng: random.Random, vocab: list[str]) -> list[str]:
    """A reprint: a few words changed, a sentence dropped, a byline added."""
    out = list(words)
    for _ in range(rng.randint(1, 6)):
        out[rng.randrange(len(out))] = rng.choice(vocab)
    cut = rng.randrange(len(out) - 15)
    del out[cut : cut + rng.randint(0, 12)]
    return [*rng.sample(vocab, 3), *out, *rng.sample(vocab, 4)]


def generate(n: int, reprint_share: float, seed: int) -> tuple[list[tuple[str, str]], dict[str, str]]:
    """``n`` (id, text) articles and, for each reprint, the id of its original."""
    rng = random.Random(seed)
    vocab = _vocab(rng)
    originals: list[tuple[str, list[str]]] = []
    truth: dict[str, str] = {}
    out: list[tuple[str, str]] = []
    for i in range(n):
        aid = f"a{i}"
        if originals and rng.random() < reprint_share:
            src_id, src = rng.choice(originals[-5000:])
            words = _variant(src, rng, vocab)
            truth[aid] = src_id
        else:
            words = [rng.choice(vocab) for _ in range(WORDS)]
            originals.append((aid, words))
        out.append((aid, " ".join(words)))
    return out, truth


def bench_store(articles: list[tuple[str, str]]) -> dict[str, float | int]:
    """Write documents (one article, one event each) through a SQLite Store; docs per second."""
    from eventlens.model import Article, Document, Event, EventCoding, EventMention, Place, Span, content_id
    from eventlens.store import open_store

    rng = random.Random(3)
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(f"sqlite:///{Path(tmp) / 'bench.db'}")
        t0 = time.perf_counter()
        for _, text in articles:
            doc = Document(content_id("d", text), text, "bench", "txt")
            art = Article(f"{doc.id}-a0", doc.id, 0, None, text)
            lat = rng.uniform(-30, 30)
            place = Place("X", f"Country {rng.randrange(50)}", None, None, None, lat, rng.uniform(-30, 30), 1)
            day = date(2024, 1, 1) + timedelta(days=rng.randrange(365))
            coding = EventCoding("Battles", "Armed clash", event_date=day, time_precision=1, place=place)
            m = EventMention(f"{art.id}-m0", doc.id, art.id, 0, Span(text[:80], 0, 80), coding)
            store.write_document(doc, [art], [Event(content_id("e", m.id), coding, (m,))])
        seconds = time.perf_counter() - t0
        stats = store.stats()
        store.close()
    return {
        "store_documents": len(articles),
        "store_seconds": round(seconds, 2),
        "store_documents_per_second": round(len(articles) / seconds, 1),
        "store_events": stats.events,
        "store_near_duplicates": stats.near_duplicate_articles,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--reprints", type=float, default=0.3, help="share of articles that are reprints")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("-o", "--output", type=Path, default=REPO / "benchmarks" / "results" / "dedup.json")
    ap.add_argument(
        "--store", type=int, default=0, help="also write this many documents through a SQLite Store"
    )
    args = ap.parse_args(argv)
    articles, truth = generate(args.n, args.reprints, args.seed)
    store_figures = bench_store(articles[: args.store]) if args.store else {}
    dd = ArticleDeduper()
    found: dict[str, str] = {}
    t0 = time.perf_counter()
    for aid, text in articles:
        _, match = dd.check(aid, text)
        if match is not None:
            found[aid] = match.matched_id
    seconds = time.perf_counter() - t0
    true_links = sum(
        1
        for a, src in found.items()
        if truth.get(a) == src or dd.canonical_of(truth.get(a, "")) == dd.canonical_of(src)
    )
    result = {
        "benchmark": "dedup_articles",
        "articles": args.n,
        "reprints": len(truth),
        "seconds": round(seconds, 2),
        "articles_per_second": round(args.n / seconds, 1),
        "links_found": len(found),
        "precision": round(true_links / len(found), 4) if found else None,
        "recall": round(sum(1 for a in truth if a in found) / len(truth), 4) if truth else None,
        "limit_seconds": 120,
        **store_figures,
    }
    line = json.dumps(result)
    sys.stdout.write(line + "\n")
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(line + "\n", encoding="utf-8")
    return 0 if seconds < 120 else 1


if __name__ == "__main__":
    raise SystemExit(main())
