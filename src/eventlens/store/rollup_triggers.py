"""SQL for trigger-maintained rollup tables, shared by migrations 0003 and 0005.

A rollup is one table per key: its rows are the GROUP BY of ``events`` over the key columns, with
measures ``n`` (count), ``fatalities`` and optionally micro-degree position sums. Triggers on
``events`` add each new row's contribution and subtract each old one's, on SQLite and PostgreSQL,
and delete rows whose count reaches zero.

Migrations depend on this module as it is: change what it emits only by adding new functions, never
by editing these, or upgrading an old database would build different tables than it once did.
"""

from __future__ import annotations

from dataclasses import dataclass

from alembic import op

__all__ = ["Rollups"]

#: (column, SQL type, nullable)
Key = tuple[str, str, bool]


def _month(r: str, dialect: str) -> str:
    """The date_key of the first day of the row's month, 0 when undated."""
    if dialect == "sqlite":
        start = f"julianday(date({r}.date_key + 1721424.5, 'start of month')) - 1721424.5"
        return f"(CASE WHEN {r}.date_key > 0 THEN CAST({start} AS INTEGER) ELSE 0 END)"
    day = f"(DATE '0001-01-01' + ({r}.date_key - 1))"
    return (f"(CASE WHEN {r}.date_key > 0 THEN "
            f"(date_trunc('month', {day})::date - DATE '0001-01-01') + 1 ELSE 0 END)")


@dataclass(frozen=True)
class Rollups:
    """Rollup tables kept by one set of triggers named ``trigger`` (and PostgreSQL function
    ``function``), reading the ``watched`` event columns."""

    keys: dict[str, tuple[Key, ...]]
    measures: dict[str, tuple[str, ...]]
    watched: tuple[str, ...]
    trigger: str
    function: str

    def key_names(self, table: str) -> list[str]:
        return [name for name, _, _ in self.keys[table]]

    def columns(self, table: str) -> str:
        return ", ".join(self.key_names(table) + list(self.measures[table]))

    def key_exprs(self, table: str, r: str, dialect: str) -> list[str]:
        names = self.key_names(table)
        return [_month(r, dialect) if name == "month_key" else f"{r}.{name}" for name in names]

    def measure_exprs(self, table: str, r: str, dialect: str, sign: str = "") -> list[str]:
        micro = "INTEGER" if dialect == "sqlite" else "BIGINT"
        exprs = {
            "n": "1",
            "fatalities": f"COALESCE({r}.fatalities, 0)",
            "lat_n": f"(CASE WHEN {r}.latitude IS NULL THEN 0 ELSE 1 END)",
            "lat_e6": f"COALESCE(CAST(round({r}.latitude * 1000000) AS {micro}), 0)",
            "lon_n": f"(CASE WHEN {r}.longitude IS NULL THEN 0 ELSE 1 END)",
            "lon_e6": f"COALESCE(CAST(round({r}.longitude * 1000000) AS {micro}), 0)",
        }
        return [f"{sign}{exprs[m]}" for m in self.measures[table]]

    def create_and_fill(self, dialect: str) -> None:
        """Each table with its unique key index, filled from the events already stored."""
        for table, keys in self.keys.items():
            cols = [f"{name} {kind}{'' if nullable else ' NOT NULL'}" for name, kind, nullable in keys]
            cols += [f"{m} {'INTEGER' if m in ('n', 'lat_n', 'lon_n') else 'BIGINT'} NOT NULL"
                     for m in self.measures[table]]
            op.execute(f"CREATE TABLE {table} ({', '.join(cols)})")
            nulls = " NULLS NOT DISTINCT" if dialect == "postgresql" else ""
            key = ", ".join(self.key_names(table))
            op.execute(f"CREATE UNIQUE INDEX ux_{table} ON {table} ({key}){nulls}")
        for table in self.keys:
            exprs = self.key_exprs(table, "events", dialect)
            sums = [f"SUM({e})" if m != "n" else "COUNT(*)"
                    for m, e in zip(self.measures[table], self.measure_exprs(table, "events", dialect),
                                    strict=True)]
            op.execute(f"INSERT INTO {table} ({self.columns(table)}) SELECT {', '.join(exprs + sums)} "
                       f"FROM events GROUP BY {', '.join(exprs)}")

    def create_triggers(self, dialect: str) -> None:
        if dialect == "sqlite":
            self._sqlite_triggers()
        elif dialect == "postgresql":
            self._pg_triggers()

    def drop(self, dialect: str) -> None:
        """Triggers, function and tables."""
        if dialect == "sqlite":
            for suffix in ("ai", "ad", "au"):
                op.execute(f"DROP TRIGGER IF EXISTS {self.trigger}_{suffix}")
        elif dialect == "postgresql":
            op.execute(f"DROP TRIGGER IF EXISTS {self.trigger}_insdel ON events")
            op.execute(f"DROP TRIGGER IF EXISTS {self.trigger}_upd ON events")
            op.execute(f"DROP FUNCTION IF EXISTS {self.function}()")
        for table in self.keys:
            op.execute(f"DROP TABLE IF EXISTS {table}")

    # -- SQLite: one trigger per event change, statements in order: subtract old, add new, drop empty

    def _sqlite_apply(self, table: str, r: str, sign: str) -> str:
        keys = zip(self.keys[table], self.key_exprs(table, r, "sqlite"), strict=True)
        match = " AND ".join(
            f"{name} {'IS' if nullable else '='} {expr}" for (name, _, nullable), expr in keys
        )
        sets = ", ".join(f"{m} = {m} {sign} {e}"
                         for m, e in zip(self.measures[table], self.measure_exprs(table, r, "sqlite"),
                                         strict=True))
        add_row = ""
        if sign == "+":
            values = ", ".join(self.key_exprs(table, r, "sqlite") + ["0"] * len(self.measures[table]))
            add_row = (f"INSERT INTO {table} ({self.columns(table)}) SELECT {values} "
                       f"WHERE NOT EXISTS (SELECT 1 FROM {table} WHERE {match}); ")
        return f"{add_row}UPDATE {table} SET {sets} WHERE {match};"

    def _sqlite_body(self, old: bool, new: bool) -> str:
        parts = []
        for table in self.keys:
            if old:
                parts.append(self._sqlite_apply(table, "old", "-"))
            if new:
                parts.append(self._sqlite_apply(table, "new", "+"))
            if old:
                parts.append(f"DELETE FROM {table} WHERE n = 0;")
        return " ".join(parts)

    def _sqlite_triggers(self) -> None:
        for suffix, when, body in (("ai", "INSERT", self._sqlite_body(False, True)),
                                   ("ad", "DELETE", self._sqlite_body(True, False))):
            op.execute(f"CREATE TRIGGER {self.trigger}_{suffix} AFTER {when} ON events BEGIN {body} END")
        changed = " OR ".join(f"old.{c} IS NOT new.{c}" for c in self.watched)
        op.execute(f"CREATE TRIGGER {self.trigger}_au AFTER UPDATE OF {', '.join(self.watched)} ON events "
                   f"WHEN {changed} BEGIN {self._sqlite_body(True, True)} END")

    # -- PostgreSQL: one trigger function; an upsert adds (or subtracts) the row's contribution

    def _pg_apply(self, table: str, r: str, sign: str) -> str:
        values = ", ".join(self.key_exprs(table, r, "postgresql")
                           + self.measure_exprs(table, r, "postgresql", sign))
        sets = ", ".join(f"{m} = {table}.{m} + EXCLUDED.{m}" for m in self.measures[table])
        return (f"INSERT INTO {table} ({self.columns(table)}) VALUES ({values}) "
                f"ON CONFLICT ({', '.join(self.key_names(table))}) DO UPDATE SET {sets};")

    def _pg_triggers(self) -> None:
        old = " ".join(self._pg_apply(t, "OLD", "-") for t in self.keys)
        new = " ".join(self._pg_apply(t, "NEW", "") for t in self.keys)
        empty = " ".join(f"DELETE FROM {t} WHERE n = 0;" for t in self.keys)
        op.execute(
            f"CREATE OR REPLACE FUNCTION {self.function}() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN IF TG_OP <> 'INSERT' THEN {old} END IF; "
            f"IF TG_OP <> 'DELETE' THEN {new} END IF; {empty} RETURN NULL; END $$"
        )
        changed = " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in self.watched)
        op.execute(f"CREATE TRIGGER {self.trigger}_insdel AFTER INSERT OR DELETE ON events "
                   f"FOR EACH ROW EXECUTE FUNCTION {self.function}()")
        op.execute(f"CREATE TRIGGER {self.trigger}_upd AFTER UPDATE OF {', '.join(self.watched)} ON events "
                   f"FOR EACH ROW WHEN ({changed}) EXECUTE FUNCTION {self.function}()")
