"""Coding a batch so that one failing document is quarantined alone, whatever the engine.

If a batch raises, the documents not answered yet are coded again one at a time, so only the one
that raises is answered with a :class:`~eventlens.model.Rejection` naming the error; its batch-mates
still get their results.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from eventlens.model import Document, Rejection

if TYPE_CHECKING:
    from eventlens.pipeline import DocumentResult, Pipeline

__all__ = ["code_each"]

log = logging.getLogger(__name__)


def code_each(pipeline: Pipeline, docs: Sequence[Document]) -> Iterator[DocumentResult | Rejection]:
    """One answer per document, in order: its result, or a Rejection if coding it raised."""
    answered = 0
    try:
        for result in pipeline.process(docs):
            yield result
            answered += 1
        return
    except Exception as exc:  # a bug or pathological input: quarantine that document only
        if len(docs) - answered == 1:
            log.exception("failed on %s", docs[answered].source)
            yield Rejection(docs[answered].source, f"coding failed: {type(exc).__name__}: {exc}")
            return
    for doc in docs[answered:]:
        yield from code_each(pipeline, [doc])
