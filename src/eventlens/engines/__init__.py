"""Engines: where documents are coded. One protocol, three engines, one runner.

* ``inline``: in this process (tests, ``--workers 0``, a pipeline already loaded);
* ``process``: supervised worker processes on this machine, each document under a time and
  memory cap (:mod:`eventlens.engines.process`);
* ``ray``: Ray actors on a local instance or a cluster (:mod:`eventlens.engines.ray`).

Every engine answers each document, in input order, with its
:class:`~eventlens.pipeline.DocumentResult` or a :class:`~eventlens.model.Rejection` that
quarantines it (a document whose coding raises never takes its batch-mates with it:
:mod:`eventlens.engines.quarantine`). :mod:`eventlens.engines.runner` owns a run's lifecycle
(run record, skipping stored documents, rejections, retries) whatever the engine.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Protocol

from eventlens.errors import ConfigError

if TYPE_CHECKING:
    from eventlens.config import Settings
    from eventlens.model import Document, Rejection
    from eventlens.pipeline import DocumentResult, Pipeline

__all__ = ["ENGINES", "Engine", "get_engine"]

ENGINES = ("local", "inline", "process", "ray")


class Engine(Protocol):
    """Codes documents; one answer per document, in input order."""

    name: str

    def code(self, documents: Iterable[Document]) -> Iterator[DocumentResult | Rejection]: ...


def get_engine(
    name: str,
    settings: Settings,
    *,
    pipeline: Pipeline | None = None,
    address: str | None = None,
    workers: int | None = None,
) -> Engine:
    """The engine called ``name``. ``local`` is ``process`` when ``settings.workers`` > 0 and no
    loaded ``pipeline`` is given, else ``inline``. ``address``/``workers`` are Ray's (cluster, actors)."""
    if name == "local":
        name = "process" if settings.workers > 0 and pipeline is None else "inline"
    if name == "inline":
        from eventlens.engines.inline import InlineEngine

        return InlineEngine(settings, pipeline)
    if name == "process":
        from eventlens.engines.process import ProcessEngine

        return ProcessEngine(settings)
    if name == "ray":
        from eventlens.engines.ray import RayEngine

        return RayEngine(settings, address=address, actors=workers)
    raise ConfigError(f"unknown engine {name!r}; use one of {', '.join(ENGINES)}")
