"""Actor rollups: counts and fatalities per actor pair, for timelines and regions filtered by actor.

``rollup_actor_month`` one row per (month_key, actor1, actor2, country, admin1, event_type), with
                       micro-degree position sums like ``rollup_month``
``rollup_actor_day``   one row per (date_key, actor1, actor2, country)

Timelines and the region table filtered by actor read ``events`` (2.5-2.8 s at 1M events). The
API resolves an actor substring to the stored actor names first (``store.filters``), so the
filter becomes ``actor1 IN names OR actor2 IN names``, which these tables answer exactly: each
row is one group of events, so an event whose two actors both match is counted once. Kept equal
to GROUP BYs over ``events`` by triggers, as the 0003 rollups are (same NULL handling, rows at
zero deleted), and filled from the stored events.

Revision ID: 0005_rollup_actor
Revises: 0004_rollup_date
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0005_rollup_actor"
down_revision: str | None = "0004_rollup_date"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: (column, type, nullable) of each table's key, and its measures
_KEYS: dict[str, tuple[tuple[str, str, bool], ...]] = {
    "rollup_actor_month": (
        ("month_key", "INTEGER", False), ("actor1", "TEXT", True), ("actor2", "TEXT", True),
        ("country", "TEXT", True), ("admin1", "TEXT", True), ("event_type", "TEXT", False),
    ),
    "rollup_actor_day": (
        ("date_key", "INTEGER", False), ("actor1", "TEXT", True), ("actor2", "TEXT", True),
        ("country", "TEXT", True),
    ),
}
_MEASURES: dict[str, tuple[str, ...]] = {
    "rollup_actor_month": ("n", "fatalities", "lat_n", "lat_e6", "lon_n", "lon_e6"),
    "rollup_actor_day": ("n", "fatalities"),
}
#: event columns the tables read: an UPDATE touching none of them leaves them alone
_WATCHED = ("date_key", "actor1", "actor2", "country", "admin1", "event_type", "fatalities",
            "latitude", "longitude")


def _month(r: str, dialect: str) -> str:
    """As in 0003: the date_key of the first day of the month, 0 when undated."""
    if dialect == "sqlite":
        start = f"julianday(date({r}.date_key + 1721424.5, 'start of month')) - 1721424.5"
        return f"(CASE WHEN {r}.date_key > 0 THEN CAST({start} AS INTEGER) ELSE 0 END)"
    day = f"(DATE '0001-01-01' + ({r}.date_key - 1))"
    return (f"(CASE WHEN {r}.date_key > 0 THEN "
            f"(date_trunc('month', {day})::date - DATE '0001-01-01') + 1 ELSE 0 END)")


def _keys(table: str, r: str, dialect: str) -> list[str]:
    return [_month(r, dialect) if name == "month_key" else f"{r}.{name}" for name, _, _ in _KEYS[table]]


def _measures(table: str, r: str, dialect: str, sign: str = "") -> list[str]:
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


def _names(table: str) -> str:
    return ", ".join([name for name, _, _ in _KEYS[table]] + list(_MEASURES[table]))


def _key_names(table: str) -> str:
    return ", ".join(name for name, _, _ in _KEYS[table])


def _create_and_fill(dialect: str) -> None:
    for table, keys in _KEYS.items():
        key = keys[0][0]
        cols = [f"{name} {kind}{'' if nullable else ' NOT NULL'}" for name, kind, nullable in keys]
        cols += [f"{m} {'INTEGER' if m in ('n', 'lat_n', 'lon_n') else 'BIGINT'} NOT NULL"
                 for m in _MEASURES[table]]
        op.execute(f"CREATE TABLE {table} ({', '.join(cols)})")
        nulls = " NULLS NOT DISTINCT" if dialect == "postgresql" else ""
        op.execute(f"CREATE UNIQUE INDEX ux_{table} ON {table} ({_key_names(table)}){nulls}")
        op.execute(f"CREATE INDEX ix_{table}_actor1 ON {table} (actor1, {key})")
        op.execute(f"CREATE INDEX ix_{table}_actor2 ON {table} (actor2, {key})")
        exprs = _keys(table, "events", dialect)
        sums = ["COUNT(*)"] + [f"SUM({e})" for e in _measures(table, "events", dialect)[1:]]
        op.execute(f"INSERT INTO {table} ({_names(table)}) SELECT {', '.join(exprs + sums)} FROM events "
                   f"GROUP BY {', '.join(exprs)}")


def _sqlite_apply(table: str, r: str, sign: str) -> str:
    keys = zip(_KEYS[table], _keys(table, r, "sqlite"), strict=True)
    match = " AND ".join(f"{name} {'IS' if nullable else '='} {expr}" for (name, _, nullable), expr in keys)
    sets = ", ".join(f"{m} = {m} {sign} {e}"
                     for m, e in zip(_MEASURES[table], _measures(table, r, "sqlite"), strict=True))
    add_row = ""
    if sign == "+":
        zeros = ["0"] * len(_MEASURES[table])
        values = ", ".join(_keys(table, r, "sqlite") + zeros)
        add_row = (f"INSERT INTO {table} ({_names(table)}) SELECT {values} "
                   f"WHERE NOT EXISTS (SELECT 1 FROM {table} WHERE {match}); ")
    return f"{add_row}UPDATE {table} SET {sets} WHERE {match};"


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
    for name, when, body in (("ai", "INSERT", _sqlite_body(False, True)),
                             ("ad", "DELETE", _sqlite_body(True, False))):
        op.execute(f"CREATE TRIGGER events_rollup_actor_{name} AFTER {when} ON events BEGIN {body} END")
    changed = " OR ".join(f"old.{c} IS NOT new.{c}" for c in _WATCHED)
    op.execute(f"CREATE TRIGGER events_rollup_actor_au AFTER UPDATE OF {', '.join(_WATCHED)} ON events "
               f"WHEN {changed} BEGIN {_sqlite_body(True, True)} END")


def _pg_apply(table: str, r: str, sign: str) -> str:
    values = ", ".join(_keys(table, r, "postgresql") + _measures(table, r, "postgresql", sign))
    sets = ", ".join(f"{m} = {table}.{m} + EXCLUDED.{m}" for m in _MEASURES[table])
    return (f"INSERT INTO {table} ({_names(table)}) VALUES ({values}) "
            f"ON CONFLICT ({_key_names(table)}) DO UPDATE SET {sets};")


def _pg_triggers() -> None:
    old = " ".join(_pg_apply(t, "OLD", "-") for t in _KEYS)
    new = " ".join(_pg_apply(t, "NEW", "") for t in _KEYS)
    empty = " ".join(f"DELETE FROM {t} WHERE n = 0;" for t in _KEYS)
    op.execute(
        "CREATE OR REPLACE FUNCTION eventlens_rollup_actor() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"BEGIN IF TG_OP <> 'INSERT' THEN {old} END IF; "
        f"IF TG_OP <> 'DELETE' THEN {new} END IF; {empty} RETURN NULL; END $$"
    )
    changed = " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in _WATCHED)
    op.execute("CREATE TRIGGER events_rollup_actor_insdel AFTER INSERT OR DELETE ON events "
               "FOR EACH ROW EXECUTE FUNCTION eventlens_rollup_actor()")
    op.execute(f"CREATE TRIGGER events_rollup_actor_upd AFTER UPDATE OF {', '.join(_WATCHED)} ON events "
               f"FOR EACH ROW WHEN ({changed}) EXECUTE FUNCTION eventlens_rollup_actor()")


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute("LOCK TABLE events IN SHARE ROW EXCLUSIVE MODE")
    _create_and_fill(dialect)
    if dialect == "sqlite":
        _sqlite_triggers()
    elif dialect == "postgresql":
        _pg_triggers()


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for trigger in ("events_rollup_actor_ai", "events_rollup_actor_ad", "events_rollup_actor_au"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    elif dialect == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS events_rollup_actor_insdel ON events")
        op.execute("DROP TRIGGER IF EXISTS events_rollup_actor_upd ON events")
        op.execute("DROP FUNCTION IF EXISTS eventlens_rollup_actor()")
    for table in _KEYS:
        op.execute(f"DROP TABLE IF EXISTS {table}")
