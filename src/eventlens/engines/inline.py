"""The inline engine: documents coded in this process, in batches, a failing one quarantined alone.

No time or memory cap can be enforced on the process that holds the run: use the ``process``
engine (the default with workers > 0) for inputs you do not trust.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice

from eventlens.config import Settings
from eventlens.engines.quarantine import code_each
from eventlens.model import Document, Rejection
from eventlens.pipeline import DocumentResult, Pipeline

__all__ = ["InlineEngine"]


class InlineEngine:
    name = "inline"

    def __init__(self, settings: Settings, pipeline: Pipeline | None = None) -> None:
        self.settings = settings
        self._pipeline = pipeline

    @property
    def pipeline(self) -> Pipeline:
        """The loaded pipeline (loaded on first use)."""
        if self._pipeline is None:
            self._pipeline = Pipeline(self.settings)
        return self._pipeline

    def code(self, documents: Iterable[Document]) -> Iterator[DocumentResult | Rejection]:
        it = iter(documents)
        while batch := list(islice(it, self.settings.batch_size)):
            yield from code_each(self.pipeline, batch)
