"""Setting up and serving: serve, gazetteer build, user add/token, config."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from eventlens.cli.common import ConfigOpt, DbOpt, UrlOpt, load_settings


def serve(
    db: DbOpt = None,
    url: UrlOpt = None,
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.")] = 8000,
    config: ConfigOpt = None,
) -> None:
    """Serve the HTTP API (OpenAPI at /docs) and the analyst dashboard."""
    from eventlens.api import serve as run_server

    run_server(load_settings(config, db=db, database_url=url), host=host, port=port)


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
    user = create_user(load_settings(db=db, database_url=url).store_url, name, role, password)
    typer.echo(f"created {user.name} ({user.role})")


def user_token(
    name: Annotated[str, typer.Argument(help="User the token acts as.")],
    label: Annotated[str | None, typer.Option(help="What the token is for.")] = None,
    db: DbOpt = None,
    url: UrlOpt = None,
) -> None:
    """Issue an API token (shown once; stored hashed). Send it as `Authorization: Bearer TOKEN`."""
    from eventlens.auth import create_token

    token = create_token(load_settings(db=db, database_url=url).store_url, name, label)
    typer.echo(token)


def show_config(config: ConfigOpt = None) -> None:
    """Show every setting: its value, default and help."""
    from eventlens.config import Settings

    current = load_settings(config)
    for name, default, help_ in Settings.describe():
        typer.echo(f"{name} = {getattr(current, name)!r}   (default {default}; env EVENTLENS_{name.upper()})")
        typer.echo(f"    {help_}")
