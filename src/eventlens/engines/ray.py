"""Scale-out engine: the same pipeline on Ray Data.

Ingest runs on the driver (it only reads files), parsing + coding run in a pool of Ray actors
that each load the models once, and results stream back to the driver, which writes them to
the same store in input order. Ray Data's streaming executor gives backpressure: only a few
batches are in flight at any time, so memory stays flat however large the input.

Order is preserved, so the store ends up byte for byte what the local engine writes.
"""

from __future__ import annotations

import logging
import pickle
from dataclasses import replace
from itertools import islice
from typing import TYPE_CHECKING, Any

from eventlens.config import Settings
from eventlens.errors import ConfigError
from eventlens.ingest import read_inputs
from eventlens.pipeline import DocumentResult, Pipeline, RunSummary, new_documents, store_result

if TYPE_CHECKING:
    from eventlens.store import Store

__all__ = ["run_on_ray"]

log = logging.getLogger(__name__)

#: documents handed to Ray per dataset: bounds driver memory on huge inputs (~5 KB a news
#: document, so ~50 MB), while each new dataset's actors load the models again (a few seconds,
#: <1% of a chunk's work)
_CHUNK = 10_000


class _ExtractActor:
    """One Ray actor: loads the pipeline once, then processes batches of pickled documents."""

    def __init__(self, settings: Settings) -> None:
        self.pipeline = Pipeline(settings, coders=settings.workers)

    def __call__(self, batch: dict[str, Any]) -> dict[str, Any]:
        docs = [pickle.loads(b) for b in batch["doc"]]
        results = [pickle.dumps(r) for r in self.pipeline.process(docs)]
        return {"result": results}


def run_on_ray(
    paths: list[str],
    settings: Settings,
    store: Store,
    *,
    address: str | None = None,
    workers: int | None = None,
) -> RunSummary:
    """Run ingest → extract → store with extraction on a Ray cluster (local if no address)."""
    try:
        import ray
        import ray.data
    except ImportError as exc:
        raise ConfigError("the ray engine needs the ray extra: pip install 'eventlens[ray]'") from exc

    summary = RunSummary()
    fresh = new_documents(read_inputs(paths, settings), store, summary)
    started_here = not ray.is_initialized()
    if started_here:
        ray.init(address=address, include_dashboard=False, log_to_driver=False,
                 configure_logging=False)
    try:
        ctx = ray.data.DataContext.get_current()
        ctx.execution_options.preserve_order = True
        ctx.enable_progress_bars = False
        logging.getLogger("ray.data").setLevel(logging.WARNING)
        cpus = ray.cluster_resources().get("CPU", 1)  # type: ignore[no-untyped-call]
        n = workers or max(1, int(cpus))
        while chunk := [{"doc": pickle.dumps(d)} for d in islice(fresh, _CHUNK)]:
            ds = ray.data.from_items(chunk).map_batches(
                _ExtractActor,
                # each actor holds one CPU: its classifier must not count on the node's others
                fn_constructor_kwargs={"settings": replace(settings, workers=max(n, int(cpus)))},
                batch_size=settings.batch_size,
                concurrency=n,
                batch_format="numpy",
            )
            for batch in ds.iter_batches(batch_size=settings.batch_size, batch_format="numpy"):
                for blob in batch["result"]:
                    result: DocumentResult = pickle.loads(blob)
                    store_result(result, store, summary)
    finally:
        if started_here:
            ray.shutdown()
    return summary
