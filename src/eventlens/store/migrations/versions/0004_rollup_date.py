"""Rollup per date: event count and fatalities per ``date_key``, for unfiltered timelines.

``rollup_day`` (0003) holds ~200k rows at 1M events, so a timeline over everything still read
them all; ``rollup_date`` holds one row per date (1,460 for four years). Kept equal to
``SELECT date_key, COUNT(*), SUM(COALESCE(fatalities, 0)) FROM events GROUP BY date_key`` by
triggers on ``events`` like the 0003 rollups (its key is never NULL, so a plain upsert does),
and filled from the stored events. Also gives ``rollup_day`` a covering index for country +
event type filters in place of one the planner did not use.

Revision ID: 0004_rollup_date
Revises: 0003_rollups
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0004_rollup_date"
down_revision: str | None = "0003_rollups"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _add(r: str) -> str:
    return (f"INSERT INTO rollup_date (date_key, n, fatalities) "
            f"VALUES ({r}.date_key, 1, COALESCE({r}.fatalities, 0)) "
            "ON CONFLICT (date_key) DO UPDATE SET n = rollup_date.n + EXCLUDED.n, "
            "fatalities = rollup_date.fatalities + EXCLUDED.fatalities;")


def _subtract(r: str) -> str:
    return (f"UPDATE rollup_date SET n = n - 1, fatalities = fatalities - COALESCE({r}.fatalities, 0) "
            f"WHERE date_key = {r}.date_key; "
            f"DELETE FROM rollup_date WHERE date_key = {r}.date_key AND n = 0;")


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute("LOCK TABLE events IN SHARE ROW EXCLUSIVE MODE")
    op.execute("CREATE TABLE rollup_date (date_key INTEGER NOT NULL PRIMARY KEY, n INTEGER NOT NULL, "
               "fatalities BIGINT NOT NULL)")
    op.execute("INSERT INTO rollup_date (date_key, n, fatalities) "
               "SELECT date_key, COUNT(*), SUM(COALESCE(fatalities, 0)) FROM events GROUP BY date_key")
    op.execute("DROP INDEX ix_rollup_day_country")
    op.execute("CREATE INDEX ix_rollup_day_country_type ON rollup_day "
               "(country, event_type, date_key, n, fatalities)")
    if dialect == "sqlite":
        changed = "old.date_key IS NOT new.date_key OR old.fatalities IS NOT new.fatalities"
        op.execute(f"CREATE TRIGGER events_rollup_date_ai AFTER INSERT ON events BEGIN {_add('new')} END")
        op.execute(f"CREATE TRIGGER events_rollup_date_ad AFTER DELETE ON events "
                   f"BEGIN {_subtract('old')} END")
        op.execute(f"CREATE TRIGGER events_rollup_date_au AFTER UPDATE OF date_key, fatalities ON events "
                   f"WHEN {changed} BEGIN {_subtract('old')} {_add('new')} END")
    elif dialect == "postgresql":
        op.execute(
            "CREATE OR REPLACE FUNCTION eventlens_rollup_date() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN IF TG_OP <> 'INSERT' THEN {_subtract('OLD')} END IF; "
            f"IF TG_OP <> 'DELETE' THEN {_add('NEW')} END IF; RETURN NULL; END $$"
        )
        changed = ("OLD.date_key IS DISTINCT FROM NEW.date_key "
                   "OR OLD.fatalities IS DISTINCT FROM NEW.fatalities")
        op.execute("CREATE TRIGGER events_rollup_date_insdel AFTER INSERT OR DELETE ON events "
                   "FOR EACH ROW EXECUTE FUNCTION eventlens_rollup_date()")
        op.execute(f"CREATE TRIGGER events_rollup_date_upd AFTER UPDATE OF date_key, fatalities ON events "
                   f"FOR EACH ROW WHEN ({changed}) EXECUTE FUNCTION eventlens_rollup_date()")


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for trigger in ("events_rollup_date_ai", "events_rollup_date_ad", "events_rollup_date_au"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    elif dialect == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS events_rollup_date_insdel ON events")
        op.execute("DROP TRIGGER IF EXISTS events_rollup_date_upd ON events")
        op.execute("DROP FUNCTION IF EXISTS eventlens_rollup_date()")
    op.execute("DROP INDEX IF EXISTS ix_rollup_day_country_type")
    op.execute("CREATE INDEX ix_rollup_day_country ON rollup_day "
               "(country, admin1, date_key, event_type, n, fatalities)")
    op.execute("DROP TABLE IF EXISTS rollup_date")
