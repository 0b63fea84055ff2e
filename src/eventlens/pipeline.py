"""Composition of the stages: documents in, events out. No domain logic lives here.

    Document ─segment─▶ Article ─infer_published─▶ Article ─parse─▶ ParsedArticle
        ─extract─▶ EventMention ─resolve dates─▶ ─locate─▶ ─merge_within_article─▶ Event
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from itertools import islice
from time import perf_counter
from typing import TYPE_CHECKING

from eventlens import clean, dates
from eventlens.config import Settings
from eventlens.coref import merge_within_article
from eventlens.extract.arguments.actor_country import settle_actor_countries
from eventlens.geo.countries import load_country_table
from eventlens.model import Article, Document, Event
from eventlens.nlp import ParsedArticle, parse

if TYPE_CHECKING:
    from spacy.language import Language

    from eventlens.extract.registry import Extractor
    from eventlens.geo import Geocoder

__all__ = ["DocumentResult", "Pipeline", "StageTimes"]


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
