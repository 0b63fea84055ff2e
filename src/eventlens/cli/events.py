"""The commands over stored events: list them, list rejected inputs, merge/split (analyst edits), export."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from eventlens.cli.common import (
    ActorOpt,
    BackgroundOpt,
    CountryOpt,
    DayOpt,
    DbOpt,
    EventTypeOpt,
    SubEventTypeOpt,
    TextOpt,
    UrlOpt,
    err,
    event_filter,
    load_settings,
    open_store,
)


def events(
    db: DbOpt = None,
    url: UrlOpt = None,
    date_from: DayOpt = None,
    date_to: DayOpt = None,
    country: CountryOpt = None,
    event_type: EventTypeOpt = None,
    sub_event_type: SubEventTypeOpt = None,
    actor: ActorOpt = None,
    text: TextOpt = None,
    new_since: Annotated[str | None, typer.Option(
        help="Only events first stored at or after this time (ISO 8601, UTC if no offset), e.g. "
             "what `eventlens watch` found since then.")] = None,
    background: BackgroundOpt = False,
    limit: Annotated[int, typer.Option(min=0, help="At most this many events (0 = all).")] = 100,
    as_json: Annotated[bool, typer.Option("--json", help="JSONL instead of a table.")] = False,
) -> None:
    """List stored events, filtered (the API's filters and semantics), oldest first, analyst edits applied.

    Dates show their time precision as (p1) the day is known, (p2) only the week, (p3) only the month."""
    from eventlens.export import store_source_lookup
    from eventlens.export.records import event_record

    flt = event_filter(date_from=date_from, date_to=date_to, country=country, event_type=event_type,
                       sub_event_type=sub_event_type, actor=actor, text=text, new_since=new_since,
                       background=background)
    store = open_store(load_settings(db=db, database_url=url), existing=True)
    found = list(store.iter_events(flt, order="oldest", limit=limit or None))
    if as_json:
        in_input = store_source_lookup(store).evidence
        for ev in found:
            typer.echo(json.dumps(event_record(ev, in_input=in_input), ensure_ascii=False))
        return
    total = len(found) if not limit or len(found) < limit else store.count_events(flt)
    _print_events([event_record(ev) for ev in found], total)
    if total > len(found):
        err(f"showing the first {len(found)} of {total} events; --limit 0 lists them all")


def _print_events(records: list[dict[str, Any]], total: int) -> None:
    from rich.console import Console
    from rich.table import Table

    title = f"{len(records)} events" if total == len(records) else f"{len(records)} of {total} events"
    table = Table(title=title, caption="(p1) day known · (p2) week known · (p3) month known")
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


def rejected(db: DbOpt = None, url: UrlOpt = None) -> None:
    """List quarantined inputs with their reasons (retry with `run --retry-rejected`)."""

    rows = open_store(load_settings(db=db, database_url=url), existing=True).rejections()
    for r in rows:
        typer.echo(f"{r.source}\t{r.reason}")
    if not rows:
        err("no rejected inputs")


def merge(
    event_ids: Annotated[list[str], typer.Argument(help="Two or more event ids to merge into one.")],
    user: Annotated[str, typer.Option(help="Who decides (recorded in the audit trail).")],
    note: Annotated[str, typer.Option(help="Why.")] = "",
    db: DbOpt = None,
    url: UrlOpt = None,
) -> None:
    """Merge events into one (an analyst decision that re-runs never undo)."""

    kept = open_store(load_settings(db=db, database_url=url), existing=True).merge(event_ids, user, note)
    typer.echo(kept.id)


def split(
    event_id: Annotated[str, typer.Argument(help="The event to split.")],
    mention_ids: Annotated[list[str], typer.Argument(help="Mentions to move into a new event.")],
    user: Annotated[str, typer.Option(help="Who decides (recorded in the audit trail).")],
    note: Annotated[str, typer.Option(help="Why.")] = "",
    db: DbOpt = None,
    url: UrlOpt = None,
) -> None:
    """Split mentions out of an event into a new one (re-runs never undo it)."""

    store = open_store(load_settings(db=db, database_url=url), existing=True)
    new = store.split(event_id, mention_ids, user, note)
    typer.echo(new.id)


def export(
    format: Annotated[
        str, typer.Option("--format", "-f", help="csv (ACLED columns), jsonl (PLOVER), geojson, parquet.")
    ] = "csv",
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Output file (stdout).")] = None,
    db: DbOpt = None,
    url: UrlOpt = None,
    date_from: DayOpt = None,
    date_to: DayOpt = None,
    country: CountryOpt = None,
    event_type: EventTypeOpt = None,
    sub_event_type: SubEventTypeOpt = None,
    actor: ActorOpt = None,
    text: TextOpt = None,
    background: BackgroundOpt = False,
) -> None:
    """Export stored events, streaming (constant memory for millions of events); analyst edits applied."""
    from eventlens.export import export_from_store
    from eventlens.export.stream import check_format

    check_format(format)  # before any file is created
    query = event_filter(date_from=date_from, date_to=date_to, country=country, event_type=event_type,
                         sub_event_type=sub_event_type, actor=actor, text=text, background=background)
    store = open_store(load_settings(db=db, database_url=url), existing=True)
    if output is None:
        export_from_store(store, format, sys.stdout.buffer, query)
        return
    try:
        with output.open("wb") as out:
            export_from_store(store, format, out, query)
    except BaseException:
        output.unlink(missing_ok=True)  # no half-written file left behind
        raise
