"""Dashboard pages: map + timeline (/), event page, review queue, login/logout.

Pages are Jinja templates with autoescaping on, so article text can never inject markup;
evidence is highlighted by cutting the text into segments (``detail.highlight``), each escaped.
Every POST form carries the session's CSRF token; the session cookie is HttpOnly and
SameSite=Strict.
"""

from __future__ import annotations

import hmac
import secrets
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from eventlens.api.deps import (
    SESSION_COOKIE,
    Identity,
    IdentityDep,
    Reviewer,
    StoreDep,
    get_identity,
    state_of,
)
from eventlens.api.detail import event_detail
from eventlens.auth import authenticate_password, create_session, csrf_matches, delete_session, has_role
from eventlens.errors import ReviewError
from eventlens.model import ACLED_TYPES
from eventlens.store import OVERRIDABLE

__all__ = ["router"]

def _page_reader(request: Request) -> Identity:
    """Like the API's reader check, but sends a browser to the login page instead of a 401."""
    identity = get_identity(request)
    if state_of(request).read_requires_token and identity.user is None:
        target = quote(request.url.path)
        raise HTTPException(303, "log in to read", headers={"Location": f"/login?next={target}"})
    return identity


PageReader = Annotated[Identity, Depends(_page_reader)]

router = APIRouter(include_in_schema=False)
LOGIN_CSRF_COOKIE = "eventlens_login_csrf"


def _page(request: Request, name: str, identity: Identity, **context: Any) -> HTMLResponse:
    templates = state_of(request).templates
    csrf = identity.session.csrf_token if identity.session else ""
    ctx = {"user": identity.user, "csrf_token": csrf, "acled_types": ACLED_TYPES,
           "can_review": has_role(identity.user, "reviewer"), **context}
    return templates.TemplateResponse(request, name, ctx)


@router.get("/", response_class=HTMLResponse)
def dashboard(request: Request, identity: PageReader) -> HTMLResponse:
    return _page(request, "dashboard.html", identity)


@router.get("/events/{event_id}", response_class=HTMLResponse)
def event_page(request: Request, event_id: str, identity: PageReader, store: StoreDep) -> HTMLResponse:
    detail = event_detail(store, event_id)
    if detail is None:
        raise HTTPException(404, f"no event {event_id}")
    return _page(request, "event.html", identity, d=detail, ev=detail.event, c=detail.event.coding)


@router.get("/review", response_class=HTMLResponse)
def review_page(request: Request, identity: PageReader, store: StoreDep) -> HTMLResponse:
    items = store.review_queue(limit=100)
    return _page(request, "review.html", identity, items=items,
                 audit=store.audit(newest_first=True, limit=20))


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, identity: IdentityDep, next: str = "/") -> HTMLResponse:
    token = secrets.token_urlsafe(24)
    page = _page(request, "login.html", identity, next=_safe_next(next), error=None, login_csrf=token)
    page.set_cookie(LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict",
                    secure=request.url.scheme == "https", max_age=3600)
    return page


def _safe_next(target: str) -> str:
    """Only local paths: never redirect to another site after login."""
    return target if target.startswith("/") and not target.startswith("//") and "\\" not in target else "/"


@router.post("/login", response_model=None)
def login(request: Request, identity: IdentityDep, store: StoreDep, username: Annotated[str, Form()],
          password: Annotated[str, Form()], next: Annotated[str, Form()] = "/",
          login_csrf: Annotated[str, Form()] = "") -> Response:
    expected = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not expected or not hmac.compare_digest(expected, login_csrf):
        raise HTTPException(403, "the login form expired; reload it and try again")
    user = authenticate_password(store, username, password)
    if user is None:
        page = _page(request, "login.html", identity, next=_safe_next(next),
                     error="Wrong user name or password.", login_csrf=login_csrf)
        page.status_code = 401
        return page
    sid, _ = create_session(store, user)
    resp = RedirectResponse(_safe_next(next), status_code=303)
    resp.set_cookie(SESSION_COOKIE, sid, httponly=True, samesite="strict",
                    secure=request.url.scheme == "https", max_age=12 * 3600)
    resp.delete_cookie(LOGIN_CSRF_COOKIE)
    return resp


@router.post("/logout")
def logout(request: Request, identity: IdentityDep, store: StoreDep,
           csrf_token: Annotated[str, Form()] = "") -> RedirectResponse:
    sid = request.cookies.get(SESSION_COOKIE)
    if identity.session is not None and sid:
        if not csrf_matches(identity.session, csrf_token):
            raise HTTPException(403, "missing or wrong CSRF token; reload the page and try again")
        delete_session(store, sid)
    resp = RedirectResponse("/", status_code=303)
    resp.delete_cookie(SESSION_COOKIE)
    return resp


def _back(event_id: str, message: str) -> RedirectResponse:
    return RedirectResponse(f"/events/{quote(event_id)}?msg={quote(message)}", status_code=303)


@router.post("/review/{event_id}/confirm")
def confirm_form(event_id: str, user: Reviewer, store: StoreDep,
                 note: Annotated[str | None, Form()] = None) -> RedirectResponse:
    try:
        store.confirm(event_id, user.name, note or None)
    except ReviewError as exc:
        raise HTTPException(400, str(exc)) from exc
    return _back(event_id, "Confirmed.")


@router.post("/review/{event_id}/edit")
async def edit_form(request: Request, event_id: str, user: Reviewer, store: StoreDep) -> RedirectResponse:
    form = await request.form()
    note = form.get("note")
    original = {k[5:]: v for k, v in form.items() if k.startswith("orig_")}
    changes = {k: v for k, v in form.items()
               if k in OVERRIDABLE and isinstance(v, str) and v != original.get(k)}
    if not changes:
        return _back(event_id, "Nothing changed.")
    try:
        store.edit(event_id, changes, user.name, note if isinstance(note, str) and note else None)
    except ReviewError as exc:
        raise HTTPException(400, str(exc)) from exc
    return _back(event_id, f"Saved {', '.join(sorted(changes))}.")


@router.post("/review/merge")
def merge_form(user: Reviewer, store: StoreDep, event_ids: Annotated[str, Form()],
               note: Annotated[str | None, Form()] = None) -> RedirectResponse:
    ids = [i for i in event_ids.replace(",", " ").split() if i]
    try:
        kept = store.merge(ids, user.name, note or None)
    except ReviewError as exc:
        raise HTTPException(400, str(exc)) from exc
    return _back(kept.id, "Merged.")


@router.post("/review/{event_id}/split")
def split_form(event_id: str, user: Reviewer, store: StoreDep, mention_ids: Annotated[list[str], Form()],
               note: Annotated[str | None, Form()] = None) -> RedirectResponse:
    try:
        new = store.split(event_id, mention_ids, user.name, note or None)
    except ReviewError as exc:
        raise HTTPException(400, str(exc)) from exc
    return _back(new.id, f"Split off from {event_id}.")
