"""Rollup tables: event counts, fatalities and positions pre-aggregated for the timeline and regions.

``rollup_day``   one row per (date_key, country, admin1, event_type)
``rollup_month`` one row per (month_key, country, admin1, event_type, sub_event_type, geo_precision)
                 with the counts and micro-degree sums of latitude and longitude (for mean positions)

``month_key`` is the ``date_key`` (proleptic ordinal) of the first day of the event's month, 0 for
undated events. Database triggers on ``events`` keep both tables equal to a GROUP BY over
``events`` on every write (pipeline inserts, canonical-coding updates, analyst edits, merges,
splits, deletes), whichever code path writes; rows whose count drops to zero are deleted. The
upgrade fills both tables from the events already stored. Analyst edits are written into the
``events`` row (and kept by later runs through ``locked_fields``), so the rollups see them too.

PostgreSQL needs version 15 or newer (``UNIQUE NULLS NOT DISTINCT`` makes the upsert exact for
NULL countries and regions).

Revision ID: 0003_rollups
Revises: 0002_auth_review
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0003_rollups"
down_revision: str | None = "0002_auth_review"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: (column, type, nullable) of each rollup's key
_KEYS: dict[str, tuple[tuple[str, str, bool], ...]] = {
    "rollup_day": (
        ("date_key", "INTEGER", False), ("country", "TEXT", True), ("admin1", "TEXT", True),
        ("event_type", "TEXT", False),
    ),
    "rollup_month": (
        ("month_key", "INTEGER", False), ("country", "TEXT", True), ("admin1", "TEXT", True),
        ("event_type", "TEXT", False), ("sub_event_type", "TEXT", False), ("geo_precision", "INTEGER", True),
    ),
}
_MEASURES: dict[str, tuple[str, ...]] = {
    "rollup_day": ("n", "fatalities"),
    "rollup_month": ("n", "fatalities", "lat_n", "lat_e6", "lon_n", "lon_e6"),
}
_EXTRA_INDEXES = {
    "ix_rollup_day_date": ("rollup_day", "date_key, n, fatalities"),
    "ix_rollup_day_country": ("rollup_day", "country, admin1, date_key, event_type, n, fatalities"),
    "ix_rollup_day_admin1": ("rollup_day", "admin1, date_key, n, fatalities"),
    "ix_rollup_month_region": ("rollup_month", "country, admin1, month_key"),
}
#: event columns the rollups read: an UPDATE touching none of them leaves the rollups alone
_WATCHED = ("date_key", "country", "admin1", "event_type", "sub_event_type", "geo_precision",
            "fatalities", "latitude", "longitude")


def _month(r: str, dialect: str) -> str:
    if dialect == "sqlite":
        start = f"julianday(date({r}.date_key + 1721424.5, 'start of month')) - 1721424.5"
        return f"(CASE WHEN {r}.date_key > 0 THEN CAST({start} AS INTEGER) ELSE 0 END)"
    day = f"(DATE '0001-01-01' + ({r}.date_key - 1))"
    return (f"(CASE WHEN {r}.date_key > 0 THEN "
            f"(date_trunc('month', {day})::date - DATE '0001-01-01') + 1 ELSE 0 END)")


def _key_exprs(table: str, r: str, dialect: str) -> list[str]:
    return [_month(r, dialect) if name == "month_key" else f"{r}.{name}" for name, _, _ in _KEYS[table]]


def _measure_exprs(table: str, r: str, dialect: str, sign: str = "") -> list[str]:
    micro = "INTEGER" if dialect == "sqlite" else "BIGINT"
    exprs = {
        "n": "1",
        "fatalities": f"COALESCE({r}.fatalities, 0)",
        "lat_n": f"(CASE WHEN {r}.latitude IS NULL THEN 0 ELSE 1 END)",
        "lat_e6": f"COALESCE(CAST(round({r}.latitude * 1000000) AS {micro}), 0)",
        "lon_n": f"(CASE WHEN {r}.longitude IS NULL THEN 0 ELSE 1 END)",
        "lon_e6": f"COALESCE(CAST(round({r}.longitude * 1000000) AS {micro}), 0)",
    }
    return [f"{sign}{exprs[m]}" for m in _MEASURES[table]]


def _create_tables(dialect: str) -> None:
    for table, keys in _KEYS.items():
        cols = [f"{name} {kind}{'' if nullable else ' NOT NULL'}" for name, kind, nullable in keys] + [
            f"{m} {'INTEGER' if m in ('n', 'lat_n', 'lon_n') else 'BIGINT'} NOT NULL"
            for m in _MEASURES[table]]
        op.execute(f"CREATE TABLE {table} ({', '.join(cols)})")
        nulls = " NULLS NOT DISTINCT" if dialect == "postgresql" else ""
        op.execute(f"CREATE UNIQUE INDEX ux_{table} ON {table} ({', '.join(n for n, _, _ in keys)}){nulls}")
        op.execute(f"CREATE INDEX ix_{table}_empty ON {table} (n) WHERE n = 0")
    for name, (table, columns) in _EXTRA_INDEXES.items():
        op.execute(f"CREATE INDEX {name} ON {table} ({columns})")


def _backfill(dialect: str) -> None:
    for table, keys in _KEYS.items():
        key_exprs = _key_exprs(table, "events", dialect)
        sums = [f"SUM({e})" if m != "n" else "COUNT(*)"
                for m, e in zip(_MEASURES[table], _measure_exprs(table, "events", dialect), strict=True)]
        cols = ", ".join([name for name, _, _ in keys] + list(_MEASURES[table]))
        op.execute(f"INSERT INTO {table} ({cols}) SELECT {', '.join(key_exprs + sums)} FROM events "
                   f"GROUP BY {', '.join(key_exprs)}")


# -- SQLite: one trigger per event change, statements in order: subtract old, add new, drop empty rows


def _sqlite_match(table: str, r: str) -> str:
    parts = []
    for (name, _, nullable), expr in zip(_KEYS[table], _key_exprs(table, r, "sqlite"), strict=True):
        parts.append(f"{name} {'IS' if nullable else '='} {expr}")
    return " AND ".join(parts)


def _sqlite_apply(table: str, r: str, sign: str) -> str:
    cols = [name for name, _, _ in _KEYS[table]] + list(_MEASURES[table])
    sets = ", ".join(f"{m} = {m} {sign} {e}"
                     for m, e in zip(_MEASURES[table], _measure_exprs(table, r, "sqlite"), strict=True))
    add_row = ""
    if sign == "+":
        zeros = ["0"] * len(_MEASURES[table])
        add_row = (f"INSERT INTO {table} ({', '.join(cols)}) "
                   f"SELECT {', '.join(_key_exprs(table, r, 'sqlite') + zeros)} "
                   f"WHERE NOT EXISTS (SELECT 1 FROM {table} WHERE {_sqlite_match(table, r)}); ")
    return f"{add_row}UPDATE {table} SET {sets} WHERE {_sqlite_match(table, r)};"


def _sqlite_body(old: bool, new: bool) -> str:
    parts = []
    for table in _KEYS:
        if old:
            parts.append(_sqlite_apply(table, "old", "-"))
        if new:
            parts.append(_sqlite_apply(table, "new", "+"))
        if old:
            parts.append(f"DELETE FROM {table} WHERE n = 0;")
    return " ".join(parts)


def _sqlite_triggers() -> None:
    changed = " OR ".join(f"old.{c} IS NOT new.{c}" for c in _WATCHED)
    for name, when, body in (("ai", "INSERT", _sqlite_body(False, True)),
                             ("ad", "DELETE", _sqlite_body(True, False))):
        op.execute(f"CREATE TRIGGER events_rollup_{name} AFTER {when} ON events BEGIN {body} END")
    op.execute(f"CREATE TRIGGER events_rollup_au AFTER UPDATE OF {', '.join(_WATCHED)} ON events "
               f"WHEN {changed} BEGIN {_sqlite_body(True, True)} END")


# -- PostgreSQL: one trigger function; an upsert adds (or subtracts) the row's contribution


def _pg_apply(table: str, r: str, sign: str) -> str:
    keys = [name for name, _, _ in _KEYS[table]]
    cols = ", ".join(keys + list(_MEASURES[table]))
    values = ", ".join(_key_exprs(table, r, "postgresql") + _measure_exprs(table, r, "postgresql", sign))
    sets = ", ".join(f"{m} = {table}.{m} + EXCLUDED.{m}" for m in _MEASURES[table])
    return (f"INSERT INTO {table} ({cols}) VALUES ({values}) "
            f"ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {sets};")


def _pg_triggers() -> None:
    old = " ".join(_pg_apply(t, "OLD", "-") for t in _KEYS)
    new = " ".join(_pg_apply(t, "NEW", "") for t in _KEYS)
    empty = " ".join(f"DELETE FROM {t} WHERE n = 0;" for t in _KEYS)
    op.execute(
        "CREATE OR REPLACE FUNCTION eventlens_rollup_events() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"BEGIN IF TG_OP <> 'INSERT' THEN {old} END IF; "
        f"IF TG_OP <> 'DELETE' THEN {new} END IF; {empty} RETURN NULL; END $$"
    )
    changed = " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in _WATCHED)
    op.execute("CREATE TRIGGER events_rollup_insdel AFTER INSERT OR DELETE ON events "
               "FOR EACH ROW EXECUTE FUNCTION eventlens_rollup_events()")
    op.execute(f"CREATE TRIGGER events_rollup_upd AFTER UPDATE OF {', '.join(_WATCHED)} ON events "
               f"FOR EACH ROW WHEN ({changed}) EXECUTE FUNCTION eventlens_rollup_events()")


def _check_postgres_version() -> None:
    version = int(op.get_bind().exec_driver_sql("SHOW server_version_num").scalar_one())
    if version < 150000:
        raise RuntimeError(f"eventlens needs PostgreSQL 15 or newer (this server is {version // 10000}); "
                           "upgrade the server, or use SQLite")


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        _check_postgres_version()
        # no write slips in between the backfill and the triggers
        op.execute("LOCK TABLE events IN SHARE ROW EXCLUSIVE MODE")
    _create_tables(dialect)
    _backfill(dialect)
    if dialect == "sqlite":
        _sqlite_triggers()
    elif dialect == "postgresql":
        _pg_triggers()


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for trigger in ("events_rollup_ai", "events_rollup_ad", "events_rollup_au"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    elif dialect == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS events_rollup_insdel ON events")
        op.execute("DROP TRIGGER IF EXISTS events_rollup_upd ON events")
        op.execute("DROP FUNCTION IF EXISTS eventlens_rollup_events()")
    for table in _KEYS:
        op.execute(f"DROP TABLE IF EXISTS {table}")
