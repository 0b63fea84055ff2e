"""Request plumbing shared by the routes: app state, the store, who is asking, roles.

Who is asking: an ``Authorization: Bearer <token>`` header (API clients), else the dashboard
session cookie. Session-authenticated writes must also carry the session's CSRF token (form
field ``csrf_token`` or header ``X-CSRF-Token``); token-authenticated writes need none, since
a browser never attaches a bearer token by itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.templating import Jinja2Templates

from eventlens.auth import Session, User, authenticate_token, csrf_matches, has_role, load_session
from eventlens.config import Settings
from eventlens.store import Store

__all__ = [
    "SESSION_COOKIE",
    "AppState",
    "Identity",
    "IdentityDep",
    "StoreDep",
    "get_identity",
    "require_reader",
    "require_reviewer",
    "state_of",
]

SESSION_COOKIE = "eventlens_session"


@dataclass(frozen=True, slots=True)
class AppState:
    settings: Settings
    store: Store
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


def _store(request: Request) -> Store:
    return state_of(request).store


#: The app's Store: every read and write goes through it (each write commits before the route
#: returns, so a browser that follows the redirect after a POST always sees the change).
StoreDep = Annotated[Store, Depends(_store)]


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


def get_identity(request: Request) -> Identity:
    """Resolve the caller once per request (cached on request.state)."""
    cached: Identity | None = getattr(request.state, "identity", None)
    if cached is not None:
        return cached
    store = state_of(request).store
    token = _bearer(request)
    identity = Identity(user=None)
    if token is not None:
        user = authenticate_token(store, token)
        if user is None:
            raise HTTPException(401, "invalid or revoked API token",
                                headers={"WWW-Authenticate": "Bearer"})
        identity = Identity(user=user)
    elif sid := request.cookies.get(SESSION_COOKIE):
        session = load_session(store, sid)
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
