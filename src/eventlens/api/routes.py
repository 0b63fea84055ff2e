"""The JSON API under /api: events, aggregates, documents, articles, exports, review actions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, HTTPException, Query
from fastapi.responses import Response, StreamingResponse
from pydantic import BaseModel, Field, TypeAdapter

from eventlens.api.deps import Reader, Reviewer, StoreDep
from eventlens.api.detail import EventDetail, event_detail
from eventlens.errors import ConfigError, InvalidEditError, ReviewError
from eventlens.export import MEDIA_TYPES, iter_store_export
from eventlens.model import Article, Document
from eventlens.store import (
    AuditRecord,
    BBox,
    EventFilter,
    EventSummary,
    FeedStatus,
    PeriodCount,
    QueueItem,
    RegionCount,
)

__all__ = ["Filters", "router"]

router = APIRouter(prefix="/api")


@dataclass(frozen=True, slots=True)
class EventList:
    items: list[EventSummary]
    next_cursor: str | None
    count: int | None
    count_exact: bool


@dataclass(frozen=True, slots=True)
class Aggregates:
    by: str
    periods: list[PeriodCount]
    regions: list[RegionCount]


@dataclass(frozen=True, slots=True)
class Me:
    name: str | None
    role: str | None


Many = Annotated[list[str] | None, Query(description="repeat for any of several values")]


def _many(values: list[str] | None) -> str | tuple[str, ...] | None:
    kept = tuple(dict.fromkeys(v for v in values or () if v))
    return None if not kept else kept[0] if len(kept) == 1 else kept


def _query(
    date_from: date | None = None, date_to: date | None = None, country: Many = None,
    admin1: Many = None, location: str | None = None,
    bbox: Annotated[str | None, Query(description="minlon,minlat,maxlon,maxlat")] = None,
    event_type: Many = None, sub_event_type: Many = None,
    actor: Annotated[str | None, Query(description="substring of actor1 or actor2")] = None,
    inter: Annotated[list[Annotated[int, Field(ge=1, le=8)]] | None,
                     Query(description="inter1 or inter2 (repeatable)")] = None,
    min_fatalities: Annotated[int | None, Query(ge=0)] = None,
    max_fatalities: Annotated[int | None, Query(ge=0)] = None,
    geo_precision: Annotated[int | None, Query(ge=1, le=3)] = None,
    source: str | None = None,
    q: Annotated[str | None, Query(description="free text over evidence")] = None,
    new_since: Annotated[datetime | None, Query(
        description="only events first stored at or after this time (ISO 8601; UTC when no offset)")] = None,
    interaction: Annotated[list[Annotated[int, Field(ge=10, le=88)]] | None,
                           Query(description="ACLED interaction code (repeatable)")] = None,
    civilian_targeting: bool | None = None,
    disorder_type: Many = None,
    undated: Annotated[bool | None, Query(description="true: only undated events; false: only dated")] = None,
    background: Annotated[bool, Query(description="also events only told as background")] = False,
) -> EventFilter:
    try:
        box = BBox.parse(bbox) if bbox else None
    except ConfigError as exc:
        raise HTTPException(422, str(exc)) from exc
    inters = tuple(dict.fromkeys(inter or ()))
    disorders = _many(disorder_type)
    return EventFilter(date_from=date_from, date_to=date_to, country=_many(country), admin1=_many(admin1),
                       location=location or None, bbox=box, event_type=_many(event_type),
                       sub_event_type=_many(sub_event_type), actor=actor or None,
                       inter=None if not inters else inters[0] if len(inters) == 1 else inters,
                       min_fatalities=min_fatalities, max_fatalities=max_fatalities,
                       geo_precision=geo_precision, source=source or None, text=q or None,
                       new_since=_utc(new_since),
                       interaction=tuple(dict.fromkeys(interaction)) if interaction else None,
                       civilian_targeting=civilian_targeting,
                       disorder_type=(disorders,) if isinstance(disorders, str) else disorders,
                       undated=undated,
                       background=background)


def _utc(at: datetime | None) -> datetime | None:
    return at.replace(tzinfo=UTC) if at is not None and at.tzinfo is None else at


Filters = Annotated[EventFilter, Depends(_query)]


def _json(adapter: TypeAdapter[Any], value: object) -> Response:
    """``value`` serialised by pydantic in one pass (FastAPI would validate it again and walk it
    with jsonable_encoder: most of the time of a 500-event page); the route's response_model
    still documents the schema."""
    return Response(adapter.dump_json(value), media_type="application/json")


_EVENT_LIST: TypeAdapter[EventList] = TypeAdapter(EventList)
_AGGREGATES: TypeAdapter[Aggregates] = TypeAdapter(Aggregates)


@router.get("/events", response_model=EventList)
def get_events(_: Reader, store: StoreDep, flt: Filters, cursor: str | None = None,
               limit: Annotated[int, Query(ge=1, le=1000)] = 50) -> Response:
    """Events matching the filters, newest first; follow ``next_cursor`` for the next page.

    ``count`` (first page only) is exact up to 1,000 matches and capped above that
    (``count_exact`` false); it is null on later pages and when ``q`` holds a common word.
    """
    try:
        page = store.event_page(flt, limit=limit, cursor=cursor, count=cursor is None)
    except ConfigError as exc:
        raise HTTPException(400, str(exc)) from exc
    return _json(_EVENT_LIST, EventList(items=page.items, next_cursor=page.next_cursor, count=page.count,
                                        count_exact=page.count_exact))


@router.get("/events/{event_id}", response_model=EventDetail)
def get_event(event_id: str, _: Reader, store: StoreDep) -> EventDetail:
    """One event with its mentions, evidence spans, article texts, sources and review history."""
    found = event_detail(store, event_id)
    if found is None:
        raise HTTPException(404, f"no event {event_id}")
    return found


@router.get("/aggregates", response_model=Aggregates)
def get_aggregates(_: Reader, store: StoreDep, flt: Filters,
                   by: Annotated[str, Query(pattern="^(day|week|month|admin1)$")] = "month") -> Response:
    """Event counts and fatalities per day / week / month, or per admin1 region."""
    if by == "admin1":
        return _json(_AGGREGATES, Aggregates(by=by, periods=[], regions=store.aggregate_by_admin1(flt)))
    return _json(_AGGREGATES, Aggregates(by=by, periods=store.aggregate_by_period(flt, by), regions=[]))


@router.get("/documents/{doc_id}", response_model=Document)
def get_document(doc_id: str, _: Reader, store: StoreDep) -> Document:
    found = store.get_document(doc_id)
    if found is None:
        raise HTTPException(404, f"no document {doc_id}")
    return found


@router.get("/articles/{article_id}", response_model=Article)
def get_article(article_id: str, _: Reader, store: StoreDep) -> Article:
    found = store.get_article(article_id)
    if found is None:
        raise HTTPException(404, f"no article {article_id}")
    return found


@router.get("/export")
def export(store: StoreDep, _: Reader, flt: Filters,
           format: Annotated[str, Query(pattern="^(csv|jsonl|geojson|parquet)$")] = "csv",
           ) -> StreamingResponse:
    """The matching events as a streamed download (csv, jsonl, geojson or parquet)."""
    chunks = iter_store_export(store, format, flt)
    name = f"eventlens-events.{format}"
    return StreamingResponse(chunks, media_type=MEDIA_TYPES[format],
                             headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.get("/feeds", response_model=list[FeedStatus])
def get_feeds(_: Reader, store: StoreDep) -> list[FeedStatus]:
    """The feeds and folders `eventlens watch` follows: last poll, last success, last error (one
    line), and items seen, stored, failed and still pending."""
    return store.feeds()


@router.get("/me", response_model=Me)
def me(identity: Reader) -> Me:
    """Who the server thinks you are (name and role, or nulls when anonymous)."""
    user = identity.user
    return Me(name=user.name if user else None, role=user.role if user else None)


# ---------------------------------------------------------------- review


class EditBody(BaseModel):
    changes: dict[str, Any] = Field(description="field -> new value (null clears it)")
    note: str | None = None


class MergeBody(BaseModel):
    event_ids: list[str] = Field(min_length=2)
    note: str | None = None


class SplitBody(BaseModel):
    mention_ids: list[str] = Field(min_length=1)
    note: str | None = None


class NoteBody(BaseModel):
    note: str | None = None


@dataclass(frozen=True, slots=True)
class ActionResult:
    event_id: str
    action: str
    changes: dict[str, Any] | None = None


def _review_error(exc: ReviewError) -> HTTPException:
    """404 for a missing event, 422 for a value the codebook or physics rules out, else 400."""
    if isinstance(exc, InvalidEditError):
        return HTTPException(422, str(exc))
    return HTTPException(404 if str(exc).startswith("no event") else 400, str(exc))


@router.get("/review/queue", response_model=list[QueueItem])
def review_queue(_: Reader, store: StoreDep,
                 limit: Annotated[int, Query(ge=1, le=500)] = 50) -> list[QueueItem]:
    """Conflicting and low-confidence events, most in need of an analyst first."""
    return store.review_queue(limit=limit)


@router.get("/review/audit", response_model=list[AuditRecord])
def review_audit(_: Reader, store: StoreDep, event_id: str | None = None) -> list[AuditRecord]:
    """Analyst actions, newest first: confirms, edits, merges and splits, from the API and the CLI."""
    return store.audit(event_id, newest_first=True, limit=100)


@router.post("/events/{event_id}/confirm", response_model=ActionResult)
def confirm_event(event_id: str, user: Reviewer, store: StoreDep,
                  body: Annotated[NoteBody | None, Body()] = None) -> ActionResult:
    try:
        store.confirm(event_id, user.name, body.note if body else None)
    except ReviewError as exc:
        raise _review_error(exc) from exc
    return ActionResult(event_id=event_id, action="confirm")


@router.patch("/events/{event_id}", response_model=ActionResult)
def edit_event(event_id: str, body: EditBody, user: Reviewer, store: StoreDep) -> ActionResult:
    """Override fields of an event (kept across re-processing; audited). Values are checked against
    the codebook (event types, PLOVER, inter codes, precisions, ISO3) and physical ranges
    (fatalities >= 0, latitude -90..90, longitude -180..180, a date from 1900 to today): 422 names
    the field and what it must be."""
    try:
        changes = store.edit(event_id, body.changes, user.name, body.note)
    except ReviewError as exc:
        raise _review_error(exc) from exc
    return ActionResult(event_id=event_id, action="edit", changes=changes)


@router.post("/events/merge", response_model=ActionResult)
def merge_events(body: MergeBody, user: Reviewer, store: StoreDep) -> ActionResult:
    try:
        kept = store.merge(body.event_ids, user.name, body.note)
    except ReviewError as exc:
        raise _review_error(exc) from exc
    return ActionResult(event_id=kept.id, action="merge")


@router.post("/events/{event_id}/split", response_model=ActionResult)
def split_event(event_id: str, body: SplitBody, user: Reviewer, store: StoreDep) -> ActionResult:
    try:
        new = store.split(event_id, body.mention_ids, user.name, body.note)
    except ReviewError as exc:
        raise _review_error(exc) from exc
    return ActionResult(event_id=new.id, action="split")
