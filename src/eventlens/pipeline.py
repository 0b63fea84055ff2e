"""Composition of the stages: documents in, events out. No domain logic lives here.

    Document ─segment─▶ Article ─infer_published─▶ Article ─parse─▶ ParsedArticle
        ─extract─▶ EventMention ─resolve dates─▶ ─locate─▶ ─merge_within_article─▶ Event
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from itertools import islice
from pathlib import Path
from time import perf_counter
from typing import TYPE_CHECKING

from eventlens import clean, dates
from eventlens.config import Settings
from eventlens.coref.within_article import merge_within_article
from eventlens.extract.arguments.actor_country import settle_actor_countries
from eventlens.extract.arguments.countries import load_country_table
from eventlens.model import Article, Document, Event, Rejection
from eventlens.nlp.parser import ParsedArticle, parse

if TYPE_CHECKING:
    from spacy.language import Language

    from eventlens.extract.registry import Extractor
    from eventlens.geo import Geocoder
    from eventlens.store import Store

__all__ = [
    "DocumentResult",
    "Pipeline",
    "RunSummary",
    "StageTimes",
    "clear_recovered",
    "code_documents",
    "new_documents",
    "rejected_inputs",
    "run",
    "store_result",
]

log = logging.getLogger(__name__)


@dataclass(slots=True)
class StageTimes:
    """Cumulative seconds spent in each stage (for benchmarks and `--verbose` runs)."""

    segment: float = 0.0
    parse: float = 0.0
    extract: float = 0.0
    dates: float = 0.0
    geo: float = 0.0
    coref: float = 0.0


@dataclass(frozen=True, slots=True)
class DocumentResult:
    """One document after every stage: its articles and its (within-article merged) events."""

    document: Document
    articles: tuple[Article, ...]
    events: tuple[Event, ...]


class Pipeline:
    """Holds the loaded models and runs documents through every stage, in batches.

    ``coders``: the coding processes that share this machine's cores, this one included. It is 1
    for a pipeline used in its own process; supervised workers and Ray actors pass their number,
    so that their classifiers' threads share the cores instead of fighting over them.
    """

    def __init__(
        self,
        settings: Settings,
        *,
        nlp: Language | None = None,
        extractor: Extractor | None = None,
        geocoder: Geocoder | None = None,
        coders: int = 1,
    ) -> None:
        from eventlens.extract import get_extractor
        from eventlens.geo import load_geocoder
        from eventlens.nlp.parser import load_pipeline

        self.settings = settings
        self.geocoder = geocoder or load_geocoder(settings)
        if nlp is None:
            nlp = load_pipeline(settings.spacy_model)
            self.geocoder.add_toponym_ruler(nlp)
        nlp.max_length = max(nlp.max_length, settings.max_article_chars + 1)
        self.nlp = nlp
        self.extractor = extractor or get_extractor(settings.extractor, replace(settings, workers=coders))
        self.countries = load_country_table()
        self.times = StageTimes()

    def process(self, documents: Iterable[Document]) -> Iterator[DocumentResult]:
        """Run documents through every stage; results come out in input order."""
        it = iter(documents)
        while batch := list(islice(it, self.settings.batch_size)):
            yield from self._process_batch(batch)

    def _process_batch(self, batch: Sequence[Document]) -> Iterator[DocumentResult]:
        t0 = perf_counter()
        segmented = [(doc, self._articles(doc)) for doc in batch]
        self.times.segment += perf_counter() - t0
        parsed = parse(
            self.nlp,
            (a for _, arts in segmented for a in arts),
            batch_size=self.settings.batch_size,
            prefilter=self.settings.prefilter,
        )
        for doc, articles in segmented:
            events: list[Event] = []
            t0 = perf_counter()
            for parsed_article in islice(parsed, len(articles)):
                self.times.parse += perf_counter() - t0
                events.extend(self._events(parsed_article))
                t0 = perf_counter()
            yield DocumentResult(doc, articles, tuple(events))

    def _articles(self, doc: Document) -> tuple[Article, ...]:
        return tuple(dates.infer_published(a, doc) for a in clean.segment(doc, self.settings))

    def _events(self, parsed: ParsedArticle) -> list[Event]:
        times = self.times
        t0 = perf_counter()
        mentions = self.extractor.extract(parsed)
        t1 = perf_counter()
        times.extract += t1 - t0
        if not mentions:
            return []
        mentions = dates.resolve_mentions(parsed, mentions)
        t2 = perf_counter()
        mentions = [settle_actor_countries(m, self.countries) for m in self.geocoder.locate(parsed, mentions)]
        t3 = perf_counter()
        events = merge_within_article(mentions)
        times.dates += t2 - t1
        times.geo += t3 - t2
        times.coref += perf_counter() - t3
        return events


@dataclass(slots=True)
class RunSummary:
    """What a run did, for the CLI's summary table and exit code."""

    documents_seen: int = 0
    documents_new: int = 0
    documents_skipped: int = 0
    articles: int = 0
    mentions: int = 0
    events: int = 0
    rejections: list[Rejection] = field(default_factory=list)


def new_documents(
    inputs: Iterable[Document | Rejection],
    store: Store,
    summary: RunSummary,
    on_item: Callable[[str], None] | None = None,
) -> Iterator[Document]:
    """Documents not stored yet; rejections are recorded in the store and the summary."""
    seen: set[str] = set()
    for item in inputs:
        if on_item is not None:
            on_item(item.source)
        if isinstance(item, Rejection):
            log.info("rejected %s: %s", item.source, item.reason)
            store.add_rejection(item)
            summary.rejections.append(item)
            continue
        summary.documents_seen += 1
        if item.id in seen or store.has_document(item.id):
            summary.documents_skipped += 1
            continue
        seen.add(item.id)
        yield item


def store_result(result: DocumentResult, store: Store, summary: RunSummary) -> None:
    """Write one processed document (one transaction) and count it."""
    store.write_document(result.document, result.articles, result.events)
    summary.documents_new += 1
    summary.articles += len(result.articles)
    summary.events += len(result.events)
    summary.mentions += sum(len(e.mentions) for e in result.events)


def code_documents(
    documents: Iterable[Document], settings: Settings, pipeline: Pipeline | None = None
) -> Iterator[DocumentResult | Rejection]:
    """Code documents in capped worker processes (``settings.workers``), or in this process
    when ``workers`` is 0 or a loaded ``pipeline`` is given. Results come in input order."""
    if pipeline is None and settings.workers > 0:
        from eventlens.engines.process import supervised

        return supervised(documents, settings)
    return (pipeline or Pipeline(settings)).process(documents)


def run(
    inputs: Iterable[Document | Rejection],
    settings: Settings,
    store: Store,
    *,
    pipeline: Pipeline | None = None,
    on_item: Callable[[str], None] | None = None,
) -> RunSummary:
    """Ingested inputs → coding → store. Documents already stored are skipped (resumable);
    documents that break a cap are quarantined in the store with their reason."""
    summary = RunSummary()
    fresh = new_documents(inputs, store, summary, on_item)
    for result in code_documents(fresh, settings, pipeline):
        if isinstance(result, Rejection):
            store.add_rejection(result)
            summary.rejections.append(result)
        else:
            store_result(result, store, summary)
    return summary


def _input_path(source: str) -> str:
    """The file a rejection's source names ("file.jsonl:12" -> "file.jsonl")."""
    if Path(source).exists():
        return source
    head, sep, tail = source.rpartition(":")
    return head if sep and tail.isdigit() else source


def rejected_inputs(store: Store) -> tuple[set[str], list[str]]:
    """Previously rejected sources, and the existing input files to read again for them."""
    sources = {r.source for r in store.rejections()}
    return sources, sorted({p for p in map(_input_path, sources) if Path(p).exists()})


def clear_recovered(store: Store, retried: set[str], summary: RunSummary) -> int:
    """Forget the rejections of retried sources that went through this time."""
    still = {r.source for r in summary.rejections}
    recovered = [s for s in retried - still if Path(_input_path(s)).exists()]
    for source in recovered:
        store.clear_rejection(source)
    return len(recovered)
