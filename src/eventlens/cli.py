"""The `eventlens` command line: thin adapters over the library.

Heavy modules (spaCy, SQLAlchemy, FastAPI) are imported inside the commands so that
`eventlens --help` answers at once. Exit codes: 0 ok, 1 error, 2 usage, 3 finished but
some inputs were rejected.
"""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    from collections.abc import Iterator

    from eventlens.config import Settings
    from eventlens.model import Document
    from eventlens.pipeline import RunSummary
    from eventlens.store import EventFilter, Store

__all__ = ["app", "main"]

EXIT_REJECTED = 3

app = typer.Typer(
    name="eventlens",
    help="Raw news text in; coded, geolocated, deduplicated, source-linked political events out.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
gazetteer_app = typer.Typer(help="Build and inspect gazetteer indexes.", no_args_is_help=True)
user_app = typer.Typer(help="Manage dashboard users and API tokens.", no_args_is_help=True)
app.add_typer(gazetteer_app, name="gazetteer")
app.add_typer(user_app, name="user")

DbOpt = Annotated[str | None, typer.Option("--db", help="SQLite database file (default eventlens.db).")]
UrlOpt = Annotated[
    str | None,
    typer.Option("--url", help="Database URL, e.g. postgresql+psycopg://u@host/db (overrides --db)."),
]
ConfigOpt = Annotated[Path | None, typer.Option("--config", help="Settings file (TOML).")]
GazOpt = Annotated[
    str | None, typer.Option("--gazetteer", help="Gazetteer index built by `eventlens gazetteer build`.")
]


def _err(message: str) -> None:
    typer.echo(message, err=True)


def _settings(config: Path | None = None, **overrides: Any) -> Settings:
    from eventlens.config import Settings

    return Settings.load(config, **overrides)


def _open_store(settings: Settings) -> Store:
    from eventlens.store import open_store

    return open_store(settings.store_url)


@app.callback()
def _root(
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log progress details to stderr.")] = False,
) -> None:
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )


@app.command()
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
    engine: Annotated[str, typer.Option(help="local, or ray for a Ray cluster.")] = "local",
    address: Annotated[str | None, typer.Option(help="Ray cluster address (with --engine ray).")] = None,
    retry_rejected: Annotated[bool, typer.Option(help="Try previously rejected inputs again.")] = False,
) -> None:
    """The main job: ingest, clean, extract, geocode, dedup and store; prints a summary table."""
    from eventlens import pipeline

    settings = _settings(
        config, db=db, database_url=url, gazetteer=gazetteer, extractor=extractor,
        spacy_model=spacy_model, batch_size=batch_size, workers=workers,
    )
    store = _open_store(settings)
    retried: set[str] = set()
    if retry_rejected:
        retried, again = pipeline.rejected_inputs(store)
        paths = [*paths, *again]
    run_id = store.begin_run()  # the writer lock: a second run on this database refuses
    status = "failed"
    try:
        summary = _run_engine(paths, settings, store, engine, address, ray_actors=workers)
        status = "finished"
    finally:
        store.finish_run(run_id, _counts(summary if status == "finished" else None), status)
    pipeline.clear_recovered(store, retried, summary)
    _print_summary(summary, settings)
    if summary.rejections:
        raise typer.Exit(EXIT_REJECTED)


def _counts(summary: RunSummary | None) -> Any:
    from eventlens.store import RunCounts

    if summary is None:
        return RunCounts()
    return RunCounts(
        documents=summary.documents_new, skipped=summary.documents_skipped, articles=summary.articles,
        mentions=summary.mentions, events=summary.events, rejections=len(summary.rejections),
    )


def _run_engine(
    paths: list[str],
    settings: Settings,
    store: Store,
    engine: str,
    address: str | None,
    ray_actors: int | None = None,
) -> RunSummary:
    from eventlens.errors import ConfigError

    if engine == "ray":
        from eventlens.engine_ray import run_on_ray

        # Ray sizes its actor pool to the cluster's CPUs unless --workers says otherwise.
        return run_on_ray(paths, settings, store, address=address, workers=ray_actors)
    if engine != "local":
        raise ConfigError(f"unknown engine {engine!r}; use local or ray")
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from eventlens import pipeline
    from eventlens.ingest import read_inputs

    with Progress(
        SpinnerColumn(), TextColumn("{task.completed} inputs"), TimeElapsedColumn(),
        TextColumn("{task.description}"), transient=True, console=_stderr_console(),
    ) as bar:
        task = bar.add_task("", total=None)

        def tick(source: str) -> None:
            bar.update(task, advance=1, description=Path(source).name[-60:])

        return pipeline.run(read_inputs(paths, settings, stdin=sys.stdin), settings, store, on_item=tick)


def _stderr_console() -> Any:
    from rich.console import Console

    return Console(stderr=True)


def _print_summary(summary: RunSummary, settings: Settings) -> None:
    from rich.table import Table

    table = Table(title="eventlens run", show_header=False)
    rows = [
        ("documents read", summary.documents_seen),
        ("new documents", summary.documents_new),
        ("already stored (skipped)", summary.documents_skipped),
        ("articles", summary.articles),
        ("events written", summary.events),
        ("rejected inputs", len(summary.rejections)),
        ("store", settings.database_url or settings.db),
    ]
    for name, value in rows:
        table.add_row(name, str(value))
    _stderr_console().print(table)
    for rej in summary.rejections:
        _err(f"rejected: {rej.source}: {rej.reason}")


@app.command()
def extract(
    input: Annotated[str, typer.Argument(help="JSONL documents (or .txt/.html files); - = stdin.")] = "-",
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Output JSONL (stdout).")] = None,
    config: ConfigOpt = None,
    gazetteer: GazOpt = None,
    extractor: Annotated[str | None, typer.Option(help="Registered extractor.")] = None,
    spacy_model: Annotated[str | None, typer.Option(help="Installed spaCy pipeline to load.")] = None,
    workers: Annotated[int | None, typer.Option(help="Worker processes (0 = in process).")] = None,
) -> None:
    """Stateless: documents in, one JSONL line per event out; touches no database."""
    from eventlens.ingest import read_inputs
    from eventlens.model import Rejection
    from eventlens.pipeline import code_documents
    from eventlens.records import event_record

    settings = _settings(config, gazetteer=gazetteer, extractor=extractor, spacy_model=spacy_model,
                         workers=workers)
    rejected = 0

    def documents() -> Iterator[Document]:
        nonlocal rejected
        for item in read_inputs([input], settings, stdin=sys.stdin):
            if isinstance(item, Rejection):
                rejected += 1
                _err(f"rejected: {item.source}: {item.reason}")
            else:
                yield item

    out = output.open("w", encoding="utf-8") if output else sys.stdout
    try:
        for result in code_documents(documents(), settings):
            if isinstance(result, Rejection):
                rejected += 1
                _err(f"rejected: {result.source}: {result.reason}")
                continue
            doc_id = result.document.external_id or result.document.id
            for event in result.events:
                out.write(json.dumps(event_record(event, doc_id), ensure_ascii=False) + "\n")
            out.flush()
    finally:
        if output:
            out.close()
    if rejected:
        raise typer.Exit(EXIT_REJECTED)


def _filter(**kwargs: Any) -> EventFilter:
    from eventlens.store import EventFilter

    for key in ("date_from", "date_to"):
        kwargs[key] = _day(kwargs.get(key))
    return EventFilter(**{k: v for k, v in kwargs.items() if v is not None})


_FILTER_HELP = {
    "country": "Country name or ISO3 code (any case).",
    "event_type": "Event type (any case).",
    "sub_event_type": "Sub-event type (any case).",
    "actor": "Substring of actor1/actor2 (any case).",
    "text": "Substring of some mention's evidence (any case).",
}


@app.command()
def events(
    db: DbOpt = None,
    url: UrlOpt = None,
    date_from: Annotated[str | None, typer.Option(help="YYYY-MM-DD")] = None,
    date_to: Annotated[str | None, typer.Option(help="YYYY-MM-DD")] = None,
    country: Annotated[str | None, typer.Option(help=_FILTER_HELP["country"])] = None,
    event_type: Annotated[str | None, typer.Option(help=_FILTER_HELP["event_type"])] = None,
    sub_event_type: Annotated[str | None, typer.Option(help=_FILTER_HELP["sub_event_type"])] = None,
    actor: Annotated[str | None, typer.Option(help=_FILTER_HELP["actor"])] = None,
    text: Annotated[str | None, typer.Option(help=_FILTER_HELP["text"])] = None,
    limit: Annotated[int, typer.Option(help="At most this many events.")] = 100,
    as_json: Annotated[bool, typer.Option("--json", help="JSONL instead of a table.")] = False,
) -> None:
    """List stored events, filtered (the API's filters and semantics), oldest first."""
    from eventlens.records import event_record

    store = _open_store(_settings(db=db, database_url=url))
    flt = _filter(date_from=date_from, date_to=date_to, country=country, event_type=event_type,
                  sub_event_type=sub_event_type, actor=actor, text=text)
    found = list(store.iter_events(flt, limit=limit))
    if as_json:
        for ev in found:
            typer.echo(json.dumps(event_record(ev), ensure_ascii=False))
        return
    _print_events([event_record(ev) for ev in found])


def _print_events(records: list[dict[str, Any]]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"{len(records)} events")
    for col in ("date", "type / sub-type", "actors", "location", "deaths", "evidence"):
        table.add_column(col, overflow="fold")
    for r in records:
        date_ = f"{r['event_date'] or '?'} (p{r['time_precision'] or '-'})"
        actors = " / ".join(a for a in (r["actor1"], r["actor2"]) if a)
        place = ", ".join(str(x) for x in (r["location"], r["admin1"], r["country"]) if x)
        ev = r["evidence"]["text"] if r["evidence"] else ""
        table.add_row(date_, f"{r['event_type']} / {r['sub_event_type']}", actors, place,
                      "" if r["fatalities"] is None else str(r["fatalities"]), ev[:160])
    Console(width=200).print(table)


@app.command()
def rejected(db: DbOpt = None, url: UrlOpt = None) -> None:
    """List quarantined inputs with their reasons (retry with `run --retry-rejected`)."""

    rows = _open_store(_settings(db=db, database_url=url)).rejections()
    for r in rows:
        typer.echo(f"{r.source}\t{r.reason}")
    if not rows:
        _err("no rejected inputs")


@app.command()
def merge(
    event_ids: Annotated[list[str], typer.Argument(help="Two or more event ids to merge into one.")],
    user: Annotated[str, typer.Option(help="Who decides (recorded in the audit trail).")],
    note: Annotated[str, typer.Option(help="Why.")] = "",
    db: DbOpt = None,
    url: UrlOpt = None,
) -> None:
    """Merge events into one (an analyst decision that re-runs never undo)."""

    kept = _open_store(_settings(db=db, database_url=url)).merge(event_ids, user, note)
    typer.echo(kept.id)


@app.command()
def split(
    event_id: Annotated[str, typer.Argument(help="The event to split.")],
    mention_ids: Annotated[list[str], typer.Argument(help="Mentions to move into a new event.")],
    user: Annotated[str, typer.Option(help="Who decides (recorded in the audit trail).")],
    note: Annotated[str, typer.Option(help="Why.")] = "",
    db: DbOpt = None,
    url: UrlOpt = None,
) -> None:
    """Split mentions out of an event into a new one (re-runs never undo it)."""

    new = _open_store(_settings(db=db, database_url=url)).split(event_id, mention_ids, user, note)
    typer.echo(new.id)


@app.command()
def export(
    format: Annotated[
        str, typer.Option("--format", "-f", help="csv (ACLED columns), jsonl (PLOVER), geojson, parquet.")
    ] = "csv",
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Output file (stdout).")] = None,
    db: DbOpt = None,
    url: UrlOpt = None,
    date_from: Annotated[str | None, typer.Option(help="YYYY-MM-DD")] = None,
    date_to: Annotated[str | None, typer.Option(help="YYYY-MM-DD")] = None,
    country: Annotated[str | None, typer.Option(help=_FILTER_HELP["country"])] = None,
    event_type: Annotated[str | None, typer.Option(help=_FILTER_HELP["event_type"])] = None,
    sub_event_type: Annotated[str | None, typer.Option(help=_FILTER_HELP["sub_event_type"])] = None,
    actor: Annotated[str | None, typer.Option(help=_FILTER_HELP["actor"])] = None,
    text: Annotated[str | None, typer.Option(help=_FILTER_HELP["text"])] = None,
) -> None:
    """Export stored events, streaming (constant memory for millions of events); analyst edits applied."""
    from eventlens.export import export_from_store

    store = _open_store(_settings(db=db, database_url=url))
    query = _filter(date_from=date_from, date_to=date_to, country=country, event_type=event_type,
                    sub_event_type=sub_event_type, actor=actor, text=text)
    out = output.open("wb") if output else sys.stdout.buffer
    try:
        export_from_store(store.engine, format, out, query)
    finally:
        if output:
            out.close()


def _day(value: str | None) -> Any:
    from datetime import date

    return date.fromisoformat(value) if value else None


@app.command("eval")
def evaluate(
    data: Annotated[Path, typer.Argument(help="Labelled JSONL: {text, label[, fatalities, actor1 ...]}.")],
    system: Annotated[
        str, typer.Option(help="extractor (the full coder), or classifier (the model alone).")
    ] = "extractor",
    split: Annotated[str | None, typer.Option(help="Only examples with this split value (e.g. dev).")] = None,
    extractor: Annotated[str | None, typer.Option(help="Registered extractor to score.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON report instead of text.")] = False,
) -> None:
    """Score the coder on labelled data: weighted/macro F1 per label, confusions, accuracy."""
    from eventlens.evaluate import evaluate as run_eval
    from eventlens.evaluate import format_report

    settings = _settings(extractor=extractor)
    if system == "classifier":
        from eventlens.extract.classifier import load_classifier

        report = run_eval(data, load_classifier(), split=split)
    else:
        from eventlens.extract import get_extractor

        report = run_eval(data, get_extractor(settings.extractor, settings), split=split)
    typer.echo(report.to_json() if as_json else format_report(report))


@app.command()
def serve(
    db: DbOpt = None,
    url: UrlOpt = None,
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.")] = 8000,
    config: ConfigOpt = None,
) -> None:
    """Serve the HTTP API (OpenAPI at /docs) and the analyst dashboard."""
    from eventlens.api import serve as run_server

    run_server(_settings(config, db=db, database_url=url), host=host, port=port)


@gazetteer_app.command("build")
def gazetteer_build(
    sources: Annotated[list[Path], typer.Argument(help="GeoNames dumps (allCountries.zip, XX.txt) and/or "
                                                       "Who's On First extract folders/files.")],
    output: Annotated[
        Path, typer.Option("-o", "--output", help="Index file to write.")
    ] = Path("gazetteer.sqlite"),
) -> None:
    """Build a village-level gazetteer index; point EVENTLENS_GAZETTEER (or --gazetteer) at it."""
    from eventlens.geo.build import build_index

    report = build_index(sources, output)
    typer.echo(str(report))


@user_app.command("add")
def user_add(
    name: Annotated[str, typer.Argument(help="User name.")],
    role: Annotated[str, typer.Option(help="viewer, reviewer or admin.")] = "viewer",
    password: Annotated[str | None, typer.Option(help="Dashboard password (prompted if omitted).")] = None,
    db: DbOpt = None,
    url: UrlOpt = None,
) -> None:
    """Create a user (passwords are stored as argon2 hashes)."""
    from eventlens.auth import create_user

    if password is None:
        password = typer.prompt("password", hide_input=True, confirmation_prompt=True)
    user = create_user(_settings(db=db, database_url=url).store_url, name, role, password)
    typer.echo(f"created {user.name} ({user.role})")


@user_app.command("token")
def user_token(
    name: Annotated[str, typer.Argument(help="User the token acts as.")],
    label: Annotated[str | None, typer.Option(help="What the token is for.")] = None,
    db: DbOpt = None,
    url: UrlOpt = None,
) -> None:
    """Issue an API token (shown once; stored hashed). Send it as `Authorization: Bearer TOKEN`."""
    from eventlens.auth import create_token

    token = create_token(_settings(db=db, database_url=url).store_url, name, label)
    typer.echo(token)


@app.command("config")
def show_config(config: ConfigOpt = None) -> None:
    """Show every setting: its value, default and help."""
    from eventlens.config import Settings

    current = _settings(config)
    for name, default, help_ in Settings.describe():
        typer.echo(f"{name} = {getattr(current, name)!r}   (default {default}; env EVENTLENS_{name.upper()})")
        typer.echo(f"    {help_}")


def main() -> None:
    """Console-script entry point: expected errors become one `error:` line and exit code 1."""
    from eventlens.errors import EventlensError

    try:
        app()
    except (EventlensError, OSError, ValueError) as exc:
        logging.getLogger(__name__).debug("failed", exc_info=True)
        _err(f"error: {exc}")
        raise SystemExit(1) from None


if __name__ == "__main__":
    main()
