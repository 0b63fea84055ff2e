"""Dashboard pages: map + timeline (/), event page, review queue, login/logout; and the JSON the
dashboard draws from (``/api/dashboard/...``: timeline, breakdowns, pick-list counts, actors,
merge candidates).

Pages are Jinja templates with autoescaping on, so article text can never inject markup;
evidence is highlighted by cutting the text into segments (``detail.highlight``), each escaped.
Every POST form carries the session's CSRF token; the session cookie is HttpOnly and
SameSite=Strict.
"""

from __future__ import annotations

import hmac
import secrets
from datetime import timedelta
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import TypeAdapter

from eventlens.api.deps import (
    SESSION_COOKIE,
    Identity,
    IdentityDep,
    Reader,
    Reviewer,
    StoreDep,
    get_identity,
    state_of,
)
from eventlens.api.detail import disagreements, event_detail
from eventlens.api.routes import Filters
from eventlens.auth import authenticate_password, create_session, csrf_matches, delete_session, has_role
from eventlens.errors import ConfigError, ReviewError
from eventlens.model import ACLED_TYPES, DISORDER_TYPES, INTER_CODES, Event
from eventlens.store import (
    FACETS,
    OVERRIDABLE,
    ActorOption,
    Breakdown,
    EventFilter,
    EventSummary,
    FacetValue,
    Store,
    Timeline,
    country_names,
)

__all__ = ["api_router", "router"]

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
           "inter_codes": INTER_CODES, "disorder_types": DISORDER_TYPES,
           "can_review": has_role(identity.user, "reviewer"), **context}
    return templates.TemplateResponse(request, name, ctx)


#: What dashboard.js asks for first when the URL holds no filter (its ``refresh``), in its own
#: spelling. The page names them as preloads, so the answers travel while the scripts load and
#: lay out (a browser test checks that each preload is what the page then asks for, once).
FIRST_VIEW_DATA = (
    "/static/vendor/world-atlas/countries-110m.json",
    "/api/events?limit=100",
    "/api/dashboard/timeline?by=auto",
    "/api/events?limit=1000",
    "/api/dashboard/breakdown?dimension=event_type",
    "/api/dashboard/breakdown?dimension=region",
    "/api/dashboard/breakdown?dimension=actor",
    "/api/dashboard/facets?names=event_type&names=sub_event_type&names=disorder_type&names=country"
    "&names=admin1&names=geo_precision",
)


@router.get("/", response_class=HTMLResponse)
def dashboard(request: Request, identity: PageReader) -> HTMLResponse:
    preload = FIRST_VIEW_DATA if not request.url.query else FIRST_VIEW_DATA[:1]
    return _page(request, "dashboard.html", identity, preload=preload)


@router.get("/events/{event_id}", response_class=HTMLResponse)
def event_page(request: Request, event_id: str, identity: PageReader, store: StoreDep) -> HTMLResponse:
    detail = event_detail(store, event_id)
    if detail is None:
        raise HTTPException(404, f"no event {event_id}")
    candidates = _merge_candidates(store, detail.event) if has_role(identity.user, "reviewer") else []
    return _page(request, "event.html", identity, d=detail, ev=detail.event, c=detail.event.coding,
                 disagreements=disagreements(detail.event), candidates=candidates,
                 sources_by_doc={s.doc_id: s for s in detail.sources}, countries=country_names())


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
    _derive_inter(store, changes)
    try:
        store.edit(event_id, changes, user.name, note if isinstance(note, str) and note else None)
    except ReviewError as exc:
        raise HTTPException(400, str(exc)) from exc
    return _back(event_id, f"Saved {', '.join(sorted(changes))}.")


def _derive_inter(store: Store, changes: dict[str, Any]) -> None:
    """An actor changed without its inter code: take the code the actor's other events carry
    (ACLED codes an actor by what it is, so one name has one inter code), none for no actor."""
    for i in ("1", "2"):
        name = changes.get(f"actor{i}")
        if name is None or f"inter{i}" in changes:
            continue
        known = next((o for o in store.actor_options(name, 5) if o.name == name), None) if name else None
        if not name or (known is not None and known.inter is not None):
            changes[f"inter{i}"] = str(known.inter) if known is not None and known.inter else ""


@router.post("/review/merge")
def merge_form(user: Reviewer, store: StoreDep, event_ids: Annotated[list[str], Form()],
               note: Annotated[str | None, Form()] = None) -> RedirectResponse:
    ids = list(dict.fromkeys(i for value in event_ids for i in value.replace(",", " ").split()))
    if len(ids) < 2:
        raise HTTPException(400, "tick at least one other event to merge with")
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


# ---------------------------------------------------------------- the dashboard's JSON

api_router = APIRouter(prefix="/api/dashboard", tags=["dashboard"])
_TIMELINE: TypeAdapter[Timeline] = TypeAdapter(Timeline)
_BREAKDOWN: TypeAdapter[Breakdown] = TypeAdapter(Breakdown)
_FACETS: TypeAdapter[dict[str, list[FacetValue]]] = TypeAdapter(dict[str, list[FacetValue]])
_SUMMARIES: TypeAdapter[list[EventSummary]] = TypeAdapter(list[EventSummary])


def _dump(adapter: TypeAdapter[Any], value: object) -> Response:
    return Response(adapter.dump_json(value), media_type="application/json")


def _checked(call: Any) -> Response:
    try:
        return call()  # type: ignore[no-any-return]
    except ConfigError as exc:
        raise HTTPException(400, str(exc)) from exc


@api_router.get("/timeline", response_model=Timeline)
def timeline(_: Reader, store: StoreDep, flt: Filters,
             by: Annotated[str, Query(pattern="^(auto|day|week|month|year)$")] = "auto") -> Response:
    """Events and fatalities per period stacked by event type, every period of the span (zeros
    too), and the undated events apart. ``auto`` picks the finest grain of at most ~120 bars."""
    return _checked(lambda: _dump(_TIMELINE, store.timeline(flt, by)))


@api_router.get("/breakdown", response_model=Breakdown)
def breakdown(_: Reader, store: StoreDep, flt: Filters,
              dimension: Annotated[str, Query(pattern="^(event_type|country|region|actor)$")] = "event_type",
              limit: Annotated[int, Query(ge=1, le=100)] = 10) -> Response:
    """The largest groups (events, fatalities), and the same groups in the previous period of
    equal length when the filter has a date range."""
    return _checked(lambda: _dump(_BREAKDOWN, store.breakdown(flt, dimension, limit)))


_DEFAULT_FACETS = ["event_type", "sub_event_type", "disorder_type", "country", "admin1", "geo_precision"]


@api_router.get("/facets", response_model=dict[str, list[FacetValue]])
def facets(_: Reader, store: StoreDep, flt: Filters,
           names: Annotated[list[str] | None, Query(description=f"any of {', '.join(FACETS)}")] = None,
           ) -> Response:
    """Pick-list values with how many events match the filter without that pick-list's own choice."""
    return _checked(lambda: _dump(_FACETS, store.facets(flt, names or _DEFAULT_FACETS)))


@api_router.get("/actors", response_model=list[ActorOption])
def actors(_: Reader, store: StoreDep, q: Annotated[str, Query(min_length=1, max_length=200)],
           limit: Annotated[int, Query(ge=1, le=50)] = 20) -> list[ActorOption]:
    """Stored actor names containing ``q``, each with the inter code its events carry."""
    return store.actor_options(q, limit)


@api_router.get("/merge-candidates/{event_id}", response_model=list[EventSummary])
def merge_candidates(event_id: str, _: Reader, store: StoreDep,
                     limit: Annotated[int, Query(ge=1, le=50)] = 10) -> Response:
    """Events that may tell the same story: same country, within a week; same admin1, type and
    date first."""
    event = store.get_event(event_id)
    if event is None:
        raise HTTPException(404, f"no event {event_id}")
    return _dump(_SUMMARIES, _merge_candidates(store, event, limit))


def _merge_candidates(store: Store, event: Event, limit: int = 10) -> list[EventSummary]:
    c, place = event.coding, event.coding.place
    if c.event_date is None or place is None or place.country is None:
        flt = EventFilter(country=place.country if place else None, undated=c.event_date is None)
    else:
        week = timedelta(days=7)
        flt = EventFilter(country=place.country, date_from=c.event_date - week, date_to=c.event_date + week)
    found = [e for e in store.event_page(flt, limit=200, count=False).items if e.id != event.id]

    def closeness(e: EventSummary) -> tuple[int, int, int, int]:
        days = abs((e.event_date - c.event_date).days) if e.event_date and c.event_date else 99
        return (e.admin1 != (place.admin1 if place else None), e.event_type != c.event_type,
                e.location != (place.location if place else None), days)

    return sorted(found, key=closeness)[:limit]
