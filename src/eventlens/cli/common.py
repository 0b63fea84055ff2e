"""What the command modules share: the common options, settings and store loading, the event filter.

Only light modules are imported here; everything heavy is imported inside the functions, so that
`eventlens --help` answers at once.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    from collections.abc import Iterable

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
ExtractorOpt = Annotated[str | None, typer.Option(help="Registered extractor, e.g. rules.v1.")]
SpacyOpt = Annotated[str | None, typer.Option(help="Installed spaCy pipeline to load.")]
WorkersOpt = Annotated[int | None, typer.Option(help="Worker processes (0 = in process).")]
EngineOpt = Annotated[
    str, typer.Option(help="local (worker processes; inline with --workers 0), inline, process or ray.")
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


def open_store(settings: Settings, *, existing: bool = False) -> Store:
    """The store of ``settings``; with ``existing``, a SQLite file that is not there is an error
    (commands that only read must not leave an empty database behind a mistyped --db)."""
    from eventlens.errors import ConfigError
    from eventlens.store import open_store as open_url

    url = settings.store_url
    if existing and url.startswith("sqlite:///") and ":memory:" not in url:
        path = Path(url.removeprefix("sqlite:///").split("?", 1)[0].removeprefix("file:"))  # URI mode too
        if not path.exists():
            raise ConfigError(f"no database at {path}; create it with `eventlens run PATH --db {path}` "
                              "or point --db / --url at an existing one")
    return open_url(url)


def stderr_console() -> Console:
    from rich.console import Console

    return Console(stderr=True)


def event_filter(**kwargs: Any) -> EventFilter:
    """The store's EventFilter from the filter flags (YYYY-MM-DD dates; None = not given); event
    types are checked against the codebook (any case), so a typo is an error, not "0 events"."""
    from eventlens.model import ACLED_TYPES, SUB_EVENT_TYPES
    from eventlens.store import EventFilter

    for key in ("date_from", "date_to"):
        kwargs[key] = _day(key, kwargs.get(key))
    if kwargs.get("new_since"):
        kwargs["new_since"] = _time(kwargs["new_since"])
    _codebook("event-type", kwargs.get("event_type"), ACLED_TYPES)
    _codebook("sub-event-type", kwargs.get("sub_event_type"), sorted(SUB_EVENT_TYPES))
    return EventFilter(**{k: v for k, v in kwargs.items() if v is not None})


def _codebook(flag: str, value: str | None, names: Iterable[str]) -> None:
    from eventlens.errors import ConfigError

    known = list(names)
    if value is not None and value.lower() not in {n.lower() for n in known}:
        raise ConfigError(f"--{flag} {value!r} is not in the codebook; choose one of: {'; '.join(known)}")


def _time(value: str) -> Any:
    """An ISO 8601 time (UTC when it has no offset)."""
    from datetime import UTC, datetime

    from eventlens.errors import ConfigError

    try:
        at = datetime.fromisoformat(value)
    except ValueError:
        raise ConfigError(f"--new-since {value!r} is not a time; write e.g. 2024-03-04T12:00") from None
    return at.replace(tzinfo=UTC) if at.tzinfo is None else at


def _day(flag: str, value: str | None) -> Any:
    from datetime import date

    from eventlens.errors import ConfigError

    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        raise ConfigError(f"--{flag.replace('_', '-')} {value!r} is not a date; write YYYY-MM-DD") from None
