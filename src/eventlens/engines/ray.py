"""The ``ray`` engine: the same pipeline in Ray Data actors, on a local instance or a cluster.

Ingest runs on the driver (it only reads files); parsing and coding run in a pool of Ray actors
that each load the models once; results stream back to the driver in input order, so the store
ends up what the local engines write. Ray Data's streaming executor gives backpressure: only a
few batches are in flight at any time, so memory stays flat however large the input. A document
whose coding raises is quarantined alone, as in every engine (:mod:`eventlens.engines.quarantine`).
"""

from __future__ import annotations

import logging
import pickle
from collections.abc import Iterable, Iterator
from dataclasses import replace
from itertools import islice
from typing import Any

from eventlens.config import Settings
from eventlens.engines.quarantine import code_each
from eventlens.errors import ConfigError
from eventlens.model import Document, Rejection
from eventlens.pipeline import DocumentResult, Pipeline

__all__ = ["RayEngine"]

log = logging.getLogger(__name__)

#: documents handed to Ray per dataset: bounds driver memory on huge inputs (~5 KB a news
#: document, so ~50 MB), while each new dataset's actors load the models again (a few seconds,
#: <1% of a chunk's work)
_CHUNK = 10_000


class _CodingActor:
    """One Ray actor: loads the pipeline once, then codes batches of pickled documents."""

    def __init__(self, settings: Settings) -> None:
        self.pipeline = Pipeline(settings, coders=settings.workers)

    def __call__(self, batch: dict[str, Any]) -> dict[str, Any]:
        docs = [pickle.loads(b) for b in batch["doc"]]
        return {"result": [pickle.dumps(r) for r in code_each(self.pipeline, docs)]}


class RayEngine:
    name = "ray"

    def __init__(self, settings: Settings, *, address: str | None = None, actors: int | None = None) -> None:
        self.settings = settings
        self.address = address
        self.actors = actors  # None: one per CPU of the cluster

    def code(self, documents: Iterable[Document]) -> Iterator[DocumentResult | Rejection]:
        try:
            import ray
            import ray.data
        except ImportError as exc:
            raise ConfigError("the ray engine needs the ray extra: pip install 'eventlens[ray]'") from exc
        started_here = not ray.is_initialized()
        if started_here:
            ray.init(address=self.address, include_dashboard=False, log_to_driver=False,
                     configure_logging=False)
        try:
            ctx = ray.data.DataContext.get_current()
            ctx.execution_options.preserve_order = True
            ctx.enable_progress_bars = False
            logging.getLogger("ray.data").setLevel(logging.WARNING)
            cpus = ray.cluster_resources().get("CPU", 1)  # type: ignore[no-untyped-call]
            n = self.actors or max(1, int(cpus))
            batch_size = self.settings.batch_size
            it = iter(documents)
            while chunk := [{"doc": pickle.dumps(d)} for d in islice(it, _CHUNK)]:
                ds = ray.data.from_items(chunk).map_batches(
                    _CodingActor,
                    # each actor holds one CPU: its classifier must not count on the node's others
                    fn_constructor_kwargs={"settings": replace(self.settings, workers=max(n, int(cpus)))},
                    batch_size=batch_size,
                    concurrency=n,
                    batch_format="numpy",
                )
                for batch in ds.iter_batches(batch_size=batch_size, batch_format="numpy"):
                    for blob in batch["result"]:
                        yield pickle.loads(blob)
        finally:
            if started_here:
                ray.shutdown()
