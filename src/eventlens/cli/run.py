"""The commands that run the coder: ``run`` (into a store), ``extract`` (stateless, JSONL out) and
``eval`` (scored on labelled data)."""

from __future__ import annotations

import json
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from eventlens.cli.common import (
    EXIT_REJECTED,
    ConfigOpt,
    DbOpt,
    GazOpt,
    UrlOpt,
    err,
    load_settings,
    open_store,
    stderr_console,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from eventlens.config import Settings
    from eventlens.model import Document
    from eventlens.store import RunCounts


def run(
    paths: Annotated[list[str], typer.Argument(help="Files or folders (.txt .html .jsonl), or - for stdin.")],
    db: DbOpt = None,
    url: UrlOpt = None,
    config: ConfigOpt = None,
    gazetteer: GazOpt = None,
    extractor: Annotated[str | None, typer.Option(help="Registered extractor, e.g. rules.v1.")] = None,
    spacy_model: Annotated[str | None, typer.Option(help="Installed spaCy pipeline to load.")] = None,
    batch_size: Annotated[int | None, typer.Option(help="Documents per batch/transaction.")] = None,
    workers: Annotated[int | None, typer.Option(help="Worker processes (0 = in process).")] = None,
    engine: Annotated[
        str, typer.Option(help="local (worker processes; inline with --workers 0), inline, process or ray.")
    ] = "local",
    address: Annotated[str | None, typer.Option(help="Ray cluster address (with --engine ray).")] = None,
    retry_rejected: Annotated[bool, typer.Option(help="Try previously rejected inputs again.")] = False,
) -> None:
    """The main job: ingest, clean, extract, geocode, dedup and store; prints a summary table."""
    from eventlens.engines import get_engine
    from eventlens.engines.runner import run_job

    settings = load_settings(
        config, db=db, database_url=url, gazetteer=gazetteer, extractor=extractor,
        spacy_model=spacy_model, batch_size=batch_size, workers=workers,
    )
    store = open_store(settings)
    # Ray sizes its actor pool to the cluster's CPUs unless --workers says otherwise.
    coder = get_engine(engine, settings, address=address, workers=workers)
    with _progress() as tick:
        summary = run_job(paths, settings, store, coder, retry_rejected=retry_rejected, stdin=sys.stdin,
                          on_item=tick)
    _print_summary(summary, settings)
    if summary.rejections:
        raise typer.Exit(EXIT_REJECTED)


@contextmanager
def _progress() -> Iterator[Callable[[str], None]]:
    """A spinner with the count of inputs read, on stderr; yields the function that advances it."""
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    with Progress(
        SpinnerColumn(), TextColumn("{task.completed} inputs"), TimeElapsedColumn(),
        TextColumn("{task.description}"), transient=True, console=stderr_console(),
    ) as bar:
        task = bar.add_task("", total=None)

        def tick(source: str) -> None:
            bar.update(task, advance=1, description=Path(source).name[-60:])

        yield tick


def _print_summary(summary: RunCounts, settings: Settings) -> None:
    from rich.table import Table

    table = Table(title="eventlens run", show_header=False)
    rows = [
        ("documents read", summary.read),
        ("new documents", summary.documents),
        ("already stored (skipped)", summary.skipped),
        ("articles", summary.articles),
        ("events written", summary.events),
        ("rejected inputs", summary.rejections),
        ("store", settings.database_url or settings.db),
    ]
    for name, value in rows:
        table.add_row(name, str(value))
    stderr_console().print(table)
    for rej in summary.rejected:
        err(f"rejected: {rej.source}: {rej.reason}")


def extract(
    input: Annotated[str, typer.Argument(help="JSONL documents (or .txt/.html files); - = stdin.")] = "-",
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Output JSONL (stdout).")] = None,
    config: ConfigOpt = None,
    gazetteer: GazOpt = None,
    extractor: Annotated[str | None, typer.Option(help="Registered extractor.")] = None,
    spacy_model: Annotated[str | None, typer.Option(help="Installed spaCy pipeline to load.")] = None,
    workers: Annotated[int | None, typer.Option(help="Worker processes (0 = in process).")] = None,
    background: Annotated[
        bool, typer.Option(help="Also write earlier incidents told as background (\"background\": true).")
    ] = False,
) -> None:
    """Stateless: documents in, one JSONL line per event out; touches no database."""
    from eventlens.engines import get_engine
    from eventlens.export.records import event_record
    from eventlens.ingest import read_inputs
    from eventlens.model import Rejection

    settings = load_settings(config, gazetteer=gazetteer, extractor=extractor, spacy_model=spacy_model,
                         workers=workers)
    rejected = 0

    def documents() -> Iterator[Document]:
        nonlocal rejected
        for item in read_inputs([input], settings, stdin=sys.stdin):
            if isinstance(item, Rejection):
                rejected += 1
                err(f"rejected: {item.source}: {item.reason}")
            else:
                yield item

    out = output.open("w", encoding="utf-8") if output else sys.stdout
    try:
        for result in get_engine("local", settings).code(documents()):
            if isinstance(result, Rejection):
                rejected += 1
                err(f"rejected: {result.source}: {result.reason}")
                continue
            doc_id = result.document.external_id or result.document.id
            for event in result.events:
                if event.background and not background:
                    continue
                line = event_record(event, doc_id)
                if event.background:
                    line["background"] = True
                out.write(json.dumps(line, ensure_ascii=False) + "\n")
            out.flush()
    finally:
        if output:
            out.close()
    if rejected:
        raise typer.Exit(EXIT_REJECTED)


def evaluate(
    data: Annotated[Path, typer.Argument(help="Labelled JSONL: {text, label[, fatalities, actor1 ...]}.")],
    system: Annotated[
        str, typer.Option(help="extractor (the full coder), or classifier (the model alone).")
    ] = "extractor",
    split: Annotated[str | None, typer.Option(help="Only examples with this split value (e.g. dev).")] = None,
    extractor: Annotated[str | None, typer.Option(help="Registered extractor to score.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON report instead of text.")] = False,
) -> None:
    """Score the coder on labelled data: weighted/macro F1 per label, confusions, accuracy.

    Data labelled event by event (records with an "events" list, e.g. data/real/wcep_gold.jsonl) is
    coded by the whole pipeline, as `extract` codes it, and scored on detection, types, actors,
    countries, tolls and calibration."""
    from eventlens.evaluation.reports import is_report_gold
    from eventlens.evaluation.sentences import evaluate as run_eval
    from eventlens.evaluation.sentences import format_report

    settings = load_settings(extractor=extractor, workers=0)  # coded in this process, on every core
    if is_report_gold(data):
        from eventlens.evaluation.reports import code_items, format_scores, read_gold, score_reports

        items = read_gold(data, split=split)
        scores = score_reports(items, code_items(items, settings))
        typer.echo(scores.to_json() if as_json else format_scores(scores, name=f"{data} [{split or 'all'}]"))
        return
    if system == "classifier":
        from eventlens.extract.classify.classifier import load_classifier

        report = run_eval(data, load_classifier(), split=split)
    else:
        from eventlens.extract import get_extractor

        report = run_eval(data, get_extractor(settings.extractor, settings), split=split)
    typer.echo(report.to_json() if as_json else format_report(report))
