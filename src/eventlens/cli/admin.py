"""Setting up and serving: serve, gazetteer build, user add/token/list/password/revoke, config."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from eventlens.cli.common import ConfigOpt, DbOpt, UrlOpt, err, load_settings


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
    typer.echo(f"wrote {report.places:,} places to {report.out} ({report.bytes / 1e6:.1f} MB) "
               f"in {report.seconds:.1f} s")
    for source in report.sources:
        typer.echo(f"  read    {source}")
    for source in report.skipped:
        typer.echo(f"  skipped {source}")
    typer.echo(f"use it with --gazetteer {report.out} or EVENTLENS_GAZETTEER={report.out}")


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


def user_list(db: DbOpt = None, url: UrlOpt = None) -> None:
    """List users, their roles and their API tokens (ids, labels, last use; never the secrets)."""
    from eventlens.store import open_store

    with open_store(load_settings(db=db, database_url=url).store_url) as store:
        accounts = store.accounts()
    if not accounts:
        err("no users; create one with `eventlens user add NAME --role reviewer`")
    for acc in accounts:
        flags = [acc.user.role, "password" if acc.has_password else "no password"]
        if acc.disabled:
            flags.append("disabled")
        live = sum(not t.revoked for t in acc.tokens)
        typer.echo(f"{acc.user.name}\t{', '.join(flags)}\t{live} live token(s)")
        for t in acc.tokens:
            used = f"last used {t.last_used_at:%Y-%m-%d %H:%M}" if t.last_used_at else "never used"
            state = "revoked" if t.revoked else used
            typer.echo(f"  token {t.id}\t{t.label or '-'}\tcreated {t.created_at:%Y-%m-%d}\t{state}")


def user_password(
    name: Annotated[str, typer.Argument(help="User name.")],
    password: Annotated[str | None, typer.Option(help="New password (prompted if omitted).")] = None,
    db: DbOpt = None,
    url: UrlOpt = None,
) -> None:
    """Change a user's dashboard password (their open sessions end)."""
    from eventlens.auth import change_password

    if password is None:
        password = typer.prompt("new password", hide_input=True, confirmation_prompt=True)
    change_password(load_settings(db=db, database_url=url).store_url, name, password)
    typer.echo(f"password of {name} changed; their dashboard sessions were ended")


def user_revoke(
    name: Annotated[str, typer.Argument(help="User whose tokens to revoke.")],
    token_id: Annotated[int | None, typer.Option("--id", help="Token to revoke (see `user list`).")] = None,
    all_tokens: Annotated[bool, typer.Option("--all", help="Revoke every live token of the user.")] = False,
    db: DbOpt = None,
    url: UrlOpt = None,
) -> None:
    """Revoke an API token (or all of a user's): requests with it get 401 at once."""
    from eventlens.store import open_store

    if (token_id is None) == (not all_tokens):
        err("error: say which token: --id N (ids from `eventlens user list`) or --all")
        raise typer.Exit(2)
    with open_store(load_settings(db=db, database_url=url).store_url) as store:
        count = store.revoke_tokens(name, token_id)
    typer.echo(f"revoked {count} token(s) of {name}")


def show_config(config: ConfigOpt = None) -> None:
    """Show every setting: its value, default and help."""
    from eventlens.config import Settings, redact_url

    current = load_settings(config)
    for name, default, help_ in Settings.describe():
        value = getattr(current, name)
        shown = repr(redact_url(value) if name == "database_url" and value else value)
        typer.echo(f"{name} = {shown}   (default {default}; env EVENTLENS_{name.upper()})")
        typer.echo(f"    {help_}")
