"""The `eventlens` command line: thin adapters over the library.

Heavy modules (spaCy, SQLAlchemy, FastAPI) are imported inside the commands so that
`eventlens --help` answers at once. Exit codes: 0 ok, 1 error, 2 usage, 3 finished but
some inputs were rejected.

The commands live in :mod:`~eventlens.cli.run` (run, extract, eval), :mod:`~eventlens.cli.events`
(events, rejected, merge, split, export), :mod:`~eventlens.cli.watch` (watch, feeds) and
:mod:`~eventlens.cli.admin` (serve, gazetteer, user, config); this module assembles them into one Typer app.
"""

from __future__ import annotations

import logging
import sys
from typing import Annotated, Any

import typer
import typer.core

from eventlens import __version__
from eventlens.cli import admin, events, run, watch
from eventlens.cli.common import EXIT_REJECTED, err

__all__ = ["EXIT_REJECTED", "app", "main"]

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
app.add_typer(watch.feeds_app, name="feeds")


_option_type = typer.core.TyperOption.display_type_rich


def _flag_type(self: typer.core.TyperOption, ctx: Any) -> str | None:
    """Help shows a value type only for options that take a value (no ``<bool>`` beside flags)."""
    return None if self.is_flag else _option_type(self, ctx)


typer.core.TyperOption.display_type_rich = _flag_type  # type: ignore[method-assign]


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"eventlens {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log progress details to stderr.")] = False,
    version: Annotated[bool, typer.Option("--version", is_eager=True, callback=_print_version,
                                          help="Print the version and exit.")] = False,
) -> None:
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )


app.command()(run.run)
app.command()(run.extract)
app.command(help=watch.WATCH_HELP)(watch.watch)
app.command()(events.events)
app.command()(events.rejected)
app.command()(events.merge)
app.command()(events.split)
app.command()(events.export)
app.command("eval")(run.evaluate)
app.command()(admin.serve)
gazetteer_app.command("build")(admin.gazetteer_build)
user_app.command("add")(admin.user_add)
user_app.command("token")(admin.user_token)
user_app.command("list")(admin.user_list)
user_app.command("password")(admin.user_password)
user_app.command("revoke")(admin.user_revoke)
app.command("config")(admin.show_config)


def main() -> None:
    """Console-script entry point: expected errors become one `error:` line and exit code 1."""
    from eventlens.errors import EventlensError

    try:
        app()
    except (EventlensError, OSError, ValueError) as exc:
        logging.getLogger(__name__).debug("failed", exc_info=True)
        err(f"error: {exc}")
        raise SystemExit(1) from None
