"""`eventlens watch` (follow feeds and folders, coding what is new) and `eventlens feeds add/list/remove`."""

from __future__ import annotations

import json
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
)

if TYPE_CHECKING:
    from eventlens.store import FeedStatus

feeds_app = typer.Typer(help="The RSS/Atom feeds and folders `eventlens watch` follows.",
                        no_args_is_help=True)


#: `eventlens watch --help` (paragraphs as single lines: Typer keeps a docstring's line breaks)
WATCH_HELP = "\n\n".join((
    "Follow RSS/Atom feeds and drop folders: code each new item into the store, like `run`.",
    "Each poll fetches every feed (with ETag / Last-Modified, so an unchanged feed costs one small answer), "
    "records its new items, and fetches each new item's page once: robots.txt respected, one request per "
    "host every --fetch-delay seconds, a timeout and a size cap. The item keeps the feed's title, URL and "
    "publication time (its day becomes the document's published date). The pages and the folders' new "
    "files are coded with the same engine, caps and quarantine as `eventlens run`.",
    "Each poll prints one status line per feed and folder. A malformed or unreachable feed, or a page that "
    "fails (404, 500, timeout, too large), never stops the watch; `eventlens rejected` lists the items "
    "given up, `eventlens feeds list` each feed's last success and last error.",
    "Killed at any moment, a watch started again loses nothing and stores nothing twice: an item is "
    "fetched once (by URL) and stored once (by content hash). Without --feeds or --folder it polls every "
    "followed feed and folder (`eventlens feeds add`).",
))


def watch(
    feeds: Annotated[Path | None, typer.Option(
        "--feeds", metavar="FILE",
        help="Feed list: one RSS/Atom URL per line (# comments) or an OPML file. Its feeds are followed from "
             "now on (see `eventlens feeds list`).")] = None,
    folder: Annotated[list[Path] | None, typer.Option(
        "--folder", metavar="DIR",
        help="A drop folder to watch (repeatable): new and changed .txt/.html/.jsonl files are coded once "
             "they have not changed for watch_settle seconds.")] = None,
    every: Annotated[str, typer.Option(
        metavar="DURATION",
        help="Time between polls: 90s, 15m, 1h30m, 1d (a bare number is seconds).")] = "15m",
    once: Annotated[bool, typer.Option(
        "--once", help="Poll once and exit (exit code 3 if a feed failed or an item was given up); "
                       "for cron and tests.")] = False,
    db: DbOpt = None,
    url: UrlOpt = None,
    config: ConfigOpt = None,
    gazetteer: GazOpt = None,
    extractor: ExtractorOpt = None,
    spacy_model: SpacyOpt = None,
    workers: WorkersOpt = None,
    engine: EngineOpt = "local",
    fetch_delay: Annotated[float | None, typer.Option(
        help="Seconds between two requests to one host (default 1; robots.txt Crawl-delay may ask more).")
    ] = None,
    fetch_timeout: Annotated[float | None, typer.Option(
        help="Seconds to wait for a host to connect or send (default 20).")] = None,
    fetch_max_bytes: Annotated[int | None, typer.Option(
        help="Feeds and pages over this many bytes are not read (default 5,000,000).")] = None,
) -> None:
    """Follow RSS/Atom feeds and drop folders: code each new item into the store, like `run`."""
    from eventlens.engines import get_engine
    from eventlens.errors import ConfigError
    from eventlens.watch import Watcher, parse_every, read_feed_list
    from eventlens.watch import watch as watch_loop

    try:
        seconds = parse_every(every)
    except ConfigError as exc:
        raise typer.BadParameter(str(exc), param_hint="--every") from None
    settings = load_settings(
        config, db=db, database_url=url, gazetteer=gazetteer, extractor=extractor, spacy_model=spacy_model,
        workers=workers, fetch_delay=fetch_delay, fetch_timeout=fetch_timeout,
        fetch_max_bytes=fetch_max_bytes,
    )
    store = open_store(settings)
    only: list[str] | None = None
    if feeds is not None or folder:
        only = [store.add_feed(u, "feed").url for u in (read_feed_list(feeds) if feeds else [])]
        only += [store.add_feed(str(f.resolve()), "folder").url for f in folder or []]
    elif not store.feeds():
        raise typer.BadParameter("nothing to watch: give --feeds FILE or --folder DIR (or `eventlens feeds "
                                 "add` first)")
    watcher = Watcher(settings, store, get_engine(engine, settings, workers=workers), only=only)
    try:
        watch_loop(watcher, seconds, once=once, emit=typer.echo)
    except KeyboardInterrupt:
        err("watch stopped")
    finally:
        watcher.close()
        store.close()
    if once and watcher.failures:
        raise typer.Exit(EXIT_REJECTED)


@feeds_app.command("add")
def feeds_add(
    sources: Annotated[list[str] | None, typer.Argument(help="Feed URLs, or folders to watch.")] = None,
    from_file: Annotated[Path | None, typer.Option(
        "--from", help="A feed list: one URL per line, or an OPML file.")] = None,
    db: DbOpt = None,
    url: UrlOpt = None,
) -> None:
    """Follow feeds (http(s) URLs) and folders; `eventlens watch` then polls them."""
    from eventlens.watch import read_feed_list
    from eventlens.watch.feeds import is_web_url

    items = list(sources or []) + (read_feed_list(from_file) if from_file else [])
    if not items:
        raise typer.BadParameter("give feed URLs or folders, or --from FILE")
    store = open_store(load_settings(db=db, database_url=url))
    for item in items:
        if is_web_url(item):
            typer.echo(f"following feed {store.add_feed(item, 'feed').url}")
        elif Path(item).is_dir():
            typer.echo(f"following folder {store.add_feed(str(Path(item).resolve()), 'folder').url}")
        else:
            raise typer.BadParameter(f"{item}: neither an http(s) URL nor an existing folder")


@feeds_app.command("list")
def feeds_list(
    db: DbOpt = None,
    url: UrlOpt = None,
    include_removed: Annotated[bool, typer.Option("--all", help="Removed ones too.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line.")] = False,
) -> None:
    """Followed feeds and folders: last success, last error, items seen, stored, failed, pending."""
    from dataclasses import asdict

    store = open_store(load_settings(db=db, database_url=url))
    found = store.feeds(include_removed=include_removed)
    if as_json:
        for f in found:
            typer.echo(json.dumps(asdict(f), default=str, ensure_ascii=False))
        return
    _print_feeds(found)


def _print_feeds(found: list[FeedStatus]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"{len(found)} feeds and folders")
    for col in ("feed", "title", "last success", "last error", "seen", "stored", "failed", "pending"):
        table.add_column(col)
    for f in found:
        error = f"{_when(f.last_error_at)} {f.last_error}" if f.last_error else ""
        name = f.url if f.active else f"{f.url} (removed)"
        table.add_row(name, f.title or "", _when(f.last_success), error, str(f.items_seen), str(f.stored),
                      str(f.failed), str(f.pending))
    Console().print(table)


def _when(at: object) -> str:
    return at.strftime("%Y-%m-%d %H:%M UTC") if hasattr(at, "strftime") else "never"


@feeds_app.command("remove")
def feeds_remove(
    sources: Annotated[list[str], typer.Argument(help="Feed URLs or folders to stop following.")],
    db: DbOpt = None,
    url: UrlOpt = None,
) -> None:
    """Stop following feeds or folders (their items stay stored and are never fetched again)."""
    store = open_store(load_settings(db=db, database_url=url))
    missing = []
    for item in sources:
        name = item if "://" in item else str(Path(item).resolve())
        if store.remove_feed(name):
            typer.echo(f"stopped following {name}")
        else:
            missing.append(name)
    if missing:
        err(f"not followed: {', '.join(missing)}")
        raise typer.Exit(1)
