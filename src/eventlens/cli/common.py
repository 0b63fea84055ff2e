"""What the command modules share: the common options, settings and store loading, the event filter.

Only light modules are imported here; everything heavy is imported inside the functions, so that
`eventlens --help` answers at once.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    from rich.console import Console

    from eventlens.config import Settings
    from eventlens.store import EventFilter, Store

#: exit code of a command that finished but rejected some inputs
EXIT_REJECTED = 3

DbOpt = Annotated[str | None, typer.Option("--db", help="SQLite database file (default eventlens.db).")]
UrlOpt = Annotated[
    str | None,
    typer.Option("--url", help="Database URL, e.g. postgresql+psycopg://u@host/db (overrides --db)."),
]
ConfigOpt = Annotated[Path | None, typer.Option("--config", help="Settings file (TOML).")]
GazOpt = Annotated[
    str | None, typer.Option("--gazetteer", help="Gazetteer index built by `eventlens gazetteer build`.")
]

# the event filter flags, shared by `events` and `export` (the API's filters and semantics)
DayOpt = Annotated[str | None, typer.Option(help="YYYY-MM-DD")]
CountryOpt = Annotated[str | None, typer.Option(help="Country name or ISO3 code (any case).")]
EventTypeOpt = Annotated[str | None, typer.Option(help="Event type (any case).")]
SubEventTypeOpt = Annotated[str | None, typer.Option(help="Sub-event type (any case).")]
ActorOpt = Annotated[str | None, typer.Option(help="Substring of actor1/actor2 (any case).")]
TextOpt = Annotated[str | None, typer.Option(help="Substring of some mention's evidence (any case).")]
BackgroundOpt = Annotated[
    bool, typer.Option(help="Also events told only as background (\"a bombing last month\").")
]


def err(message: str) -> None:
    """One line to stderr."""
    typer.echo(message, err=True)


def load_settings(config: Path | None = None, **overrides: Any) -> Settings:
    """The settings from ``config``, the environment and the given flags (None = not given)."""
    from eventlens.config import Settings

    return Settings.load(config, **overrides)


def open_store(settings: Settings) -> Store:
    from eventlens.store import open_store as open_url

    return open_url(settings.store_url)


def stderr_console() -> Console:
    from rich.console import Console

    return Console(stderr=True)


def event_filter(**kwargs: Any) -> EventFilter:
    """The store's EventFilter from the filter flags (YYYY-MM-DD dates; None = not given)."""
    from eventlens.store import EventFilter

    for key in ("date_from", "date_to"):
        kwargs[key] = _day(kwargs.get(key))
    return EventFilter(**{k: v for k, v in kwargs.items() if v is not None})


def _day(value: str | None) -> Any:
    from datetime import date

    return date.fromisoformat(value) if value else None
