"""Request plumbing shared by the routes: app state, connections, who is asking, roles.

Who is asking: an ``Authorization: Bearer <token>`` header (API clients), else the dashboard
session cookie. Session-authenticated writes must also carry the session's CSRF token (form
field ``csrf_token`` or header ``X-CSRF-Token``); token-authenticated writes need none, since
a browser never attaches a bearer token by itself.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated

import sqlalchemy as sa
from fastapi import Depends, HTTPException, Request
from fastapi.templating import Jinja2Templates
from sqlalchemy.engine import Connection, Engine

from eventlens.auth import Session, User, authenticate_token, csrf_matches, has_role, load_session
from eventlens.config import Settings

__all__ = [
    "SESSION_COOKIE",
    "AppState",
    "Conn",
    "Identity",
    "IdentityDep",
    "WriteConn",
    "get_identity",
    "require_reader",
    "require_reviewer",
    "state_of",
]

SESSION_COOKIE = "eventlens_session"
STORE_WRITE_LOCK = 0x65766C74  # the key store.Store._write takes


@dataclass(frozen=True, slots=True)
class AppState:
    settings: Settings
    engine: Engine
    templates: Jinja2Templates
    read_requires_token: bool


@dataclass(frozen=True, slots=True)
class Identity:
    """The caller: a user (or None), and the session when they came in by cookie."""

    user: User | None
    session: Session | None = None

    @property
    def via_session(self) -> bool:
        return self.session is not None


def state_of(request: Request) -> AppState:
    state: AppState = request.app.state.eventlens
    return state


def _conn(request: Request) -> Iterator[Connection]:
    with state_of(request).engine.connect() as conn:
        yield conn


def _write_conn(request: Request) -> Iterator[Connection]:
    engine = state_of(request).engine
    with engine.connect().execution_options(eventlens_write=True) as conn, conn.begin():
        if conn.dialect.name == "postgresql":  # the store's writer lock, so edits queue behind runs
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": STORE_WRITE_LOCK})
        yield conn


Conn = Annotated[Connection, Depends(_conn)]
#: Committed when the endpoint returns, before the response is sent (scope="function"), so a
#: browser that follows the redirect after a POST always sees the change.
WriteConn = Annotated[Connection, Depends(_write_conn, scope="function")]


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


def get_identity(request: Request) -> Identity:
    """Resolve the caller once per request (cached on request.state)."""
    cached: Identity | None = getattr(request.state, "identity", None)
    if cached is not None:
        return cached
    engine = state_of(request).engine
    token = _bearer(request)
    identity = Identity(user=None)
    with engine.connect() as conn, conn.begin():
        if token is not None:
            user = authenticate_token(conn, token)
            if user is None:
                raise HTTPException(401, "invalid or revoked API token",
                                    headers={"WWW-Authenticate": "Bearer"})
            identity = Identity(user=user)
        elif sid := request.cookies.get(SESSION_COOKIE):
            session = load_session(conn, sid)
            if session is not None:
                identity = Identity(user=session.user, session=session)
    request.state.identity = identity
    return identity


IdentityDep = Annotated[Identity, Depends(get_identity)]


def require_reader(request: Request, identity: IdentityDep) -> Identity:
    """Reads are open unless the app was configured to need a token for them too."""
    if state_of(request).read_requires_token and identity.user is None:
        raise HTTPException(401, "this server requires an API token for reads",
                            headers={"WWW-Authenticate": "Bearer"})
    return identity


def _role(needed: str, request: Request, identity: Identity, csrf: str | None) -> User:
    if identity.user is None:
        raise HTTPException(401, "log in or send an API token (Authorization: Bearer ...)",
                            headers={"WWW-Authenticate": "Bearer"})
    if not has_role(identity.user, needed):
        raise HTTPException(403, f"this action needs the {needed!r} role; you are {identity.user.role!r}")
    if identity.session is not None:
        submitted = csrf or request.headers.get("x-csrf-token")
        if not csrf_matches(identity.session, submitted):
            raise HTTPException(403, "missing or wrong CSRF token; reload the page and try again")
    return identity.user


async def require_reviewer(request: Request, identity: IdentityDep) -> User:
    """A reviewer or admin, CSRF-checked when they came in by session cookie."""
    csrf = await _form_csrf(request)
    return _role("reviewer", request, identity, csrf)


async def require_admin(request: Request, identity: IdentityDep) -> User:
    csrf = await _form_csrf(request)
    return _role("admin", request, identity, csrf)


async def _form_csrf(request: Request) -> str | None:
    ctype = request.headers.get("content-type", "")
    if ctype.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        form = await request.form()
        value = form.get("csrf_token")
        return value if isinstance(value, str) else None
    return None


Reader = Annotated[Identity, Depends(require_reader)]
Reviewer = Annotated[User, Depends(require_reviewer)]
