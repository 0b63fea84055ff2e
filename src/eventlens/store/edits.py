"""Analyst field edits and confirmations: overrides that win over whatever the pipeline writes.

Field edits are kept twice on purpose. ``event_overrides`` holds the analyst's value and is
applied on every read (so it wins whatever the pipeline writes later); the same value is also
written into the ``events`` row and its name added to ``locked_fields``, which the store's
write path leaves alone, so filters and counts see the edited value too. Every action adds an
audit row (``store.audit``: who, when, before, after).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from eventlens.errors import InvalidEditError, ReviewError
from eventlens.model import ACLED_TYPES, INTER_CODES, PLOVER_TYPES, SUB_EVENT_TYPES, event_type_of
from eventlens.store.audit import add_audit
from eventlens.store.codec import date_key
from eventlens.store.queries import OVERRIDABLE, overrides_for
from eventlens.store.schema import event_overrides, events

__all__ = ["confirm", "country_names", "edit"]


def _jsonable(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def _event_row(conn: Connection, event_id: str) -> Mapping[str, Any]:
    row = conn.execute(sa.select(events).where(events.c.id == event_id)).mappings().first()
    if row is None:
        raise ReviewError(f"no event {event_id}")
    return dict(row)


def _set_override(conn: Connection, event_id: str, name: str, value: Any, who: str, now: datetime) -> None:
    eo = event_overrides.c
    conn.execute(event_overrides.delete().where(eo.event_id == event_id, eo.field == name))
    conn.execute(event_overrides.insert().values(event_id=event_id, field=name, value=_jsonable(value),
                                                 who=who, at=now))


def confirm(conn: Connection, event_id: str, who: str, note: str | None, now: datetime) -> None:
    """Mark an event as checked by an analyst (kept as-is by later runs)."""
    row = _event_row(conn, event_id)
    _set_override(conn, event_id, "review_status", "confirmed", who, now)
    stmt = events.update().where(events.c.id == event_id)
    conn.execute(stmt.values(review_status="confirmed", reviewed=True))
    add_audit(conn, now, who, "confirm", [event_id], {"review_status": row["review_status"]},
              {"review_status": "confirmed"}, note)


def _coerce(name: str, raw: Any) -> Any:
    kind = OVERRIDABLE.get(name)
    if kind is None:
        raise InvalidEditError(name, f"field {name!r} cannot be edited; editable: "
                                     f"{', '.join(sorted(OVERRIDABLE))}")
    if isinstance(raw, str):
        raw = raw.strip()
    if raw is None or raw == "":
        return None
    try:
        if kind is date:
            return raw if isinstance(raw, date) else date.fromisoformat(str(raw))
        if kind is int and (isinstance(raw, bool) or (isinstance(raw, float) and not raw.is_integer())):
            raise ValueError(raw)
        value = kind(raw)
    except (TypeError, ValueError, OverflowError) as exc:
        raise InvalidEditError(name, f"field {name!r}: {raw!r} is not a {_KIND_NAMES[kind]}") from exc
    if kind is float and not math.isfinite(value):
        raise InvalidEditError(name, f"field {name!r}: {raw!r} is not a finite number")
    return value


_KIND_NAMES: dict[type, str] = {date: "date (YYYY-MM-DD)", int: "whole number", float: "number", str: "text"}
_INTERS = ", ".join(f"{k} {v}" for k, v in INTER_CODES.items())
#: numeric fields -> (lowest, highest, what the range means)
_RANGES: dict[str, tuple[float, float, str]] = {
    "inter1": (1, 8, f"an ACLED inter code 1-8 ({_INTERS})"),
    "inter2": (0, 8, "an ACLED inter code 1-8, or 0 when there is no second actor"),
    "fatalities": (0, 1_000_000, "a count of deaths, 0 or more"),
    "injuries": (0, 1_000_000, "a count of injured, 0 or more"),
    "latitude": (-90.0, 90.0, "a latitude from -90 to 90"),
    "longitude": (-180.0, 180.0, "a longitude from -180 to 180"),
    "time_precision": (1, 3, "a time precision: 1 the day is known, 2 the week, 3 the month"),
    "geo_precision": (1, 3, "a geo precision: 1 the town, 2 near a town or part of a region, 3 a region"),
}
_FIRST_DAY = date(1900, 1, 1)
_STATUSES = ("auto", "confirmed", "edited", "split")
_MAX_TEXT = 200


def _one_of(name: str, value: Any, names: Iterable[str], sep: str = "; ") -> None:
    known = list(names)
    if value not in known:
        raise InvalidEditError(name, f"field {name!r}: {value!r} is not in the codebook; "
                                     f"one of: {sep.join(known)}")


def _check_value(name: str, value: Any) -> Any:
    """``value`` for ``name`` as stored (ISO3 upper-cased), or InvalidEditError saying what it must be."""
    if name in _RANGES:
        low, high, meaning = _RANGES[name]
        if not low <= value <= high:
            raise InvalidEditError(name, f"field {name!r}: {value!r} is out of range; it must be {meaning}")
    elif name == "plover_event":
        _one_of(name, value, PLOVER_TYPES, ", ")
    elif name == "review_status":
        _one_of(name, value, _STATUSES, ", ")
    elif name == "iso3":
        import pycountry

        value = value.upper()
        if len(value) != 3 or pycountry.countries.get(alpha_3=value) is None:
            raise InvalidEditError(name, f"field 'iso3': {value!r} is not an ISO 3166-1 alpha-3 code "
                                         "(e.g. IRQ)")
    elif name == "country":
        value = _country_name(value)
    elif name == "event_date":
        latest = datetime.now(UTC).date() + timedelta(days=1)  # a day ahead: time zones
        if not _FIRST_DAY <= value <= latest:
            raise InvalidEditError(name, f"field 'event_date': {value.isoformat()} is not a plausible event "
                                         f"date (from {_FIRST_DAY.isoformat()} to today)")
    elif isinstance(value, str) and len(value) > _MAX_TEXT:
        raise InvalidEditError(name, f"field {name!r} is {len(value)} characters long; at most {_MAX_TEXT}")
    return value


@lru_cache(maxsize=1)
def _countries() -> dict[str, tuple[str, str]]:
    """Every country eventlens writes, by its lower-cased name (also less a leading "the ") and by
    its ISO3 code -> (name, ISO3)."""
    from eventlens.geo.countries import load_country_table

    out: dict[str, tuple[str, str]] = {}
    for c in load_country_table().iso.values():
        name = c.name.strip()
        for key in (name.lower(), name.lower().removeprefix("the "), c.iso3.lower()):
            out.setdefault(key, (name, c.iso3))
    return out


@lru_cache(maxsize=1)
def country_names() -> list[str]:
    """The countries an edit accepts, as eventlens writes them, sorted (the edit form's pick-list)."""
    return sorted({name for name, _ in _countries().values()})


def _country_name(value: str) -> str:
    """The country name eventlens writes for ``value`` (a name, an alias or an ISO3 code: "irak"
    is refused, "iraq", "the DRC" and "IRQ" are countries), or InvalidEditError with the nearest names."""
    import difflib

    from eventlens.geo.countries import load_country_table

    known = _countries()
    text = value.strip()
    found = known.get(text.lower()) or known.get(text.lower().removeprefix("the "))
    if found is None and (alias := load_country_table().lookup(text)) is not None:
        found = known.get(alias.strip().lower())
    if found is not None:
        return found[0]
    near = difflib.get_close_matches(text.title(), country_names(), n=3, cutoff=0.6)
    hint = f"; did you mean {' or '.join(near)}?" if near else " (e.g. Iraq, Democratic Republic of Congo)"
    raise InvalidEditError("country", f"field 'country': {value!r} is not a country eventlens knows{hint}")


def _iso3_of(country: str) -> str | None:
    found = _countries().get(country.lower())
    return found[1] if found else None


def _validate(values: dict[str, Any]) -> dict[str, Any]:
    """Check every value against the codebook (ONTOLOGY.md names, inter codes, precisions) and
    physical ranges; InvalidEditError names the first field that fails and what it must be."""
    for name in ("event_type", "sub_event_type"):
        if name in values and values[name] is None:
            raise InvalidEditError(name, f"every event needs a {name}; it cannot be cleared")
    sub = values.get("sub_event_type")
    if sub is not None:
        _one_of("sub_event_type", sub, sorted(SUB_EVENT_TYPES))
        expected = event_type_of(sub)
        if values.setdefault("event_type", expected) != expected:
            raise InvalidEditError("sub_event_type",
                                   f"sub_event_type {sub!r} belongs to event_type {expected!r}")
    elif values.get("event_type") is not None:
        _one_of("event_type", values["event_type"], ACLED_TYPES)
    checked = {name: None if value is None else _check_value(name, value) for name, value in values.items()}
    country = checked.get("country")
    iso3 = _iso3_of(country) if country is not None else None
    # the ISO code follows the country, as the export's iso and id columns do
    if iso3 is not None and checked.setdefault("iso3", iso3) != iso3:
        raise InvalidEditError("iso3", f"field 'iso3': {checked['iso3']!r} is not the code of "
                                       f"{country} ({iso3})")
    return checked


def _check_type_of_sub(event_type: str, sub: str) -> None:
    """An event_type edited alone must be the one the event's sub_event_type belongs to."""
    if event_type_of(sub) != event_type:
        subs = "; ".join(ACLED_TYPES[event_type])
        raise InvalidEditError("event_type", f"event_type {event_type!r} needs one of its sub_event_types "
                                             f"({subs}); {sub!r} belongs to {event_type_of(sub)!r}")


def edit(conn: Connection, event_id: str, changes: Mapping[str, Any], who: str, note: str | None,
         now: datetime) -> dict[str, Any]:
    """Override fields of an event; returns the new values. Overrides survive re-processing."""
    if not changes:
        raise ReviewError("nothing to change")
    values = _validate({k: _coerce(k, v) for k, v in changes.items()})
    row = _event_row(conn, event_id)
    current = overrides_for(conn, [event_id]).get(event_id, {})
    if values.get("event_type") is not None and "sub_event_type" not in values:
        _check_type_of_sub(values["event_type"], current.get("sub_event_type", row["sub_event_type"]))
    before = {k: _jsonable(current.get(k, row[k])) for k in values}
    for name, value in values.items():
        _set_override(conn, event_id, name, value, who, now)
    _set_override(conn, event_id, "review_status", "edited", who, now)
    locked = sorted({*(row["locked_fields"] or ()), *values})
    update: dict[str, Any] = {**values, "locked_fields": locked, "review_status": "edited"}
    if "event_date" in values:
        update["date_key"] = date_key(values["event_date"])
    conn.execute(events.update().where(events.c.id == event_id).values(**update))
    after = {k: _jsonable(v) for k, v in values.items()}
    add_audit(conn, now, who, "edit", [event_id], before, after, note)
    return after
