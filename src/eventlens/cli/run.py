"""The commands that run the coder: ``run`` (into a store), ``extract`` (stateless, JSONL out) and
``eval`` (scored on labelled data)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from eventlens.cli.common import (
    EXIT_REJECTED,
    ConfigOpt,
    DbOpt,
    EngineOpt,
    ExtractorOpt,
    GazOpt,
    SpacyOpt,
    UrlOpt,
    WorkersOpt,
    err,
    load_settings,
    open_store,
    stderr_console,
)
from eventlens.cli.progress import progress

if TYPE_CHECKING:
    from collections.abc import Iterator

    from eventlens.config import Settings
    from eventlens.model import Document
    from eventlens.store import RunCounts


def run(
    paths: Annotated[list[str], typer.Argument(help="Files or folders (.txt .html .jsonl), or - for stdin.")],
    db: DbOpt = None,
    url: UrlOpt = None,
    config: ConfigOpt = None,
    gazetteer: GazOpt = None,
    extractor: ExtractorOpt = None,
    spacy_model: SpacyOpt = None,
    batch_size: Annotated[int | None, typer.Option(help="Documents per batch/transaction.")] = None,
    workers: WorkersOpt = None,
    engine: EngineOpt = "local",
    address: Annotated[str | None, typer.Option(help="Ray cluster address (with --engine ray).")] = None,
    retry_rejected: Annotated[bool, typer.Option(help="Try previously rejected inputs again.")] = False,
) -> None:
    """The main job: ingest, clean, extract, geocode, dedup and store; prints a summary table."""
    from eventlens.engines import get_engine
    from eventlens.ingest import count_inputs, missing_paths

    settings = load_settings(
        config, db=db, database_url=url, gazetteer=gazetteer, extractor=extractor,
        spacy_model=spacy_model, batch_size=batch_size, workers=workers,
    )
    total = count_inputs([p for p in paths if p not in missing_paths(paths)])
    if total == 0 and not retry_rejected:
        _nothing_to_read(paths)
    # The engine first: its workers start loading while the store is opened.
    # Ray sizes its actor pool to the cluster's CPUs unless --workers says otherwise.
    coder = get_engine(engine, settings, address=address, workers=workers)
    from eventlens.engines.runner import run_job

    store = open_store(settings)
    with progress(total) as tick:
        summary = run_job(paths, settings, store, coder, retry_rejected=retry_rejected, stdin=sys.stdin,
                          on_item=tick)
    _print_summary(summary, settings)
    if summary.rejections:
        raise typer.Exit(EXIT_REJECTED)


def _nothing_to_read(paths: list[str]) -> None:
    """End a run that has no input at all with one line per reason, touching no database."""
    from eventlens.ingest import missing_paths
    from eventlens.ingest.files import SUPPORTED

    missing = missing_paths(paths)
    for path in missing:
        err(f"rejected: {path}: no such file or folder; check the path")
    if missing:
        raise typer.Exit(EXIT_REJECTED)
    err(f"error: no input files in {', '.join(paths)}; eventlens reads {SUPPORTED} files")
    raise typer.Exit(1)


def _print_summary(summary: RunCounts, settings: Settings) -> None:
    from rich.table import Table

    table = Table(title="eventlens run", show_header=False,
                  caption="events written: events coded from the new documents, before merging the "
                          "reports of one event across articles (`eventlens events` lists the merged ones)")
    rows = [
        ("documents read", summary.read),
        ("new documents", summary.documents),
        ("already stored (skipped)", summary.skipped),
        ("articles", summary.articles),
        ("events written", summary.events),
        ("rejected inputs", summary.rejections),
        ("store", settings.store_shown if settings.database_url else settings.db),
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
    spacy_model: SpacyOpt = None,
    workers: WorkersOpt = None,
    background: Annotated[
        bool, typer.Option(help="Also write earlier incidents told as background (\"background\": true).")
    ] = False,
) -> None:
    """Stateless: documents in, one JSONL line per event out; touches no database."""
    from eventlens.engines import get_engine
    from eventlens.export.evidence import EvidenceLocator
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
            in_input = EvidenceLocator.of_articles(result.document.text, result.articles)
            for event in result.events:
                if event.background and not background:
                    continue
                line = event_record(event, doc_id, in_input)
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
    gazetteer: GazOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON report instead of text.")] = False,
    shared: Annotated[
        Path | None,
        typer.Option(help="Shared data folder holding the texts of id-only sets "
                          "(default: $EVENTLENS_SHARED_DIR or ../shared)."),
    ] = None,
    lead_date: Annotated[
        str | None,
        typer.Option(help="Reports labelled event by event only: write each item's day at its head, "
                          "'numeric' (03/14/2016: ...) or 'written' (On 14 March 2016, ...), and withhold "
                          "its publication date, to measure report-date anchors."),
    ] = None,
) -> None:
    """Score the coder on labelled data: weighted/macro F1 per label, confusions, accuracy.

    Data labelled event by event (records with an "events" list, e.g. data/real/wcep_gold.jsonl) is
    coded by the whole pipeline, as `extract` codes it, and scored on detection, types, actors,
    countries, tolls and calibration. Reports labelled by incident (records with an "incident", e.g.
    data/real/muc4_reports.jsonl) are run into fresh stores, undated and dated, and scored on how
    their incidents are stored and linked. Data with a gold "place" per report (data/real/geo_gold.jsonl)
    is scored on country, admin1, distance and precision, for the geocoder alone and the pipeline."""
    from eventlens.evaluation.incidents import is_incident_gold
    from eventlens.evaluation.places import is_place_gold
    from eventlens.evaluation.reports import is_report_gold
    from eventlens.evaluation.sentences import evaluate as run_eval
    from eventlens.evaluation.sentences import format_report

    settings = load_settings(extractor=extractor, gazetteer=gazetteer, workers=0)  # in this process
    if is_incident_gold(data):
        _evaluate_incidents(data, split, settings, shared, as_json=as_json)
        return
    if is_place_gold(data):
        _evaluate_places(data, split, settings, as_json=as_json)
        return
    if is_report_gold(data):
        from eventlens.evaluation.reports import (
            LEAD_FORMS,
            code_items,
            format_scores,
            read_gold,
            score_reports,
            with_lead_date,
        )

        items = read_gold(data, split=split)
        if lead_date is not None:
            if lead_date not in LEAD_FORMS:
                raise typer.BadParameter(f"{lead_date!r}: use one of {', '.join(LEAD_FORMS)}",
                                         param_hint="--lead-date")
            items = with_lead_date(items, lead_date)
        scores = score_reports(items, code_items(items, settings))
        name = f"{data} [{split or 'all'}]" + (f" lead date {lead_date}" if lead_date else "")
        typer.echo(scores.to_json() if as_json else format_scores(scores, name=name))
        return
    if system == "classifier":
        from eventlens.extract.classify.classifier import load_classifier

        report = run_eval(data, load_classifier(), split=split)
    else:
        from eventlens.extract import get_extractor

        report = run_eval(data, get_extractor(settings.extractor, settings), split=split)
    typer.echo(report.to_json() if as_json else format_report(report))


def _evaluate_places(data: Path, split: str | None, settings: Settings, *, as_json: bool) -> None:
    from eventlens.evaluation.places import format_place_scores, place_gold_scores, read_place_gold

    scored = place_gold_scores(read_place_gold(data, split=split), settings)
    if as_json:
        typer.echo(json.dumps({k: s.rates() | {"n": s.n, "town_n": s.town_n, "admin1_n": s.admin1_n}
                               for k, s in scored.items()}, indent=2))
        return
    tier = "built-in + village" if settings.gazetteer else "built-in"
    typer.echo("\n".join(format_place_scores(s, name=f"{data} [{split or 'all'}] {k} ({tier})")
                         for k, s in scored.items()))


def _evaluate_incidents(data: Path, split: str | None, settings: Settings, shared: Path | None, *,
                        as_json: bool) -> None:
    import os

    from eventlens.evaluation.incidents import (
        evaluate_incidents,
        format_incident_scores,
        read_incident_gold,
        read_texts,
    )

    gold = read_incident_gold(data, split=split)
    folder = shared or Path(os.environ.get("EVENTLENS_SHARED_DIR") or "../shared")
    scores = evaluate_incidents(gold, read_texts(gold.reports, folder), settings)
    if as_json:
        typer.echo(json.dumps([json.loads(s.to_json()) for s in scores], indent=2))
    else:
        typer.echo(format_incident_scores(scores, name=f"{data} [{split or 'all'}]"))
