"""Migration 0008: the CLI's merge_audit rows move into review_audit, the one audit trail; an
API action's pair of rows becomes one; downgrading gives merge_audit back (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from eventlens.store.migrate import alembic_config, current_revision, upgrade
from eventlens.store.schema import metadata
from tests.store_backends import BACKENDS, store_url

AT = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
SNAP = [{"id": "e1", "mention_ids": ["m1"]}, {"id": "e2", "mention_ids": ["m2"]}]
AFTER = [{"id": "e1", "mention_ids": ["m1", "m2"]}]


def _merge_audit(conn: sa.Connection, at: datetime, who: str, action: str, ids: list[str],
                 note: str | None) -> None:
    conn.execute(sa.text("INSERT INTO merge_audit (at, who, action, event_ids, note, before, after) "
                         "VALUES (:at, :who, :action, :ids, :note, :before, :after)")
                 .bindparams(sa.bindparam("ids", type_=sa.JSON), sa.bindparam("before", type_=sa.JSON),
                             sa.bindparam("after", type_=sa.JSON),
                             sa.bindparam("at", type_=sa.DateTime(True))),
                 {"at": at, "who": who, "action": action, "ids": ids, "note": note, "before": SNAP,
                  "after": AFTER})


def _review_audit(conn: sa.Connection, at: datetime, who: str, action: str, event_id: str,
                  before: object, after: object) -> None:
    conn.execute(sa.text("INSERT INTO review_audit (at, who, action, event_id, before, after, note) "
                         "VALUES (:at, :who, :action, :event_id, :before, :after, NULL)")
                 .bindparams(sa.bindparam("before", type_=sa.JSON), sa.bindparam("after", type_=sa.JSON),
                             sa.bindparam("at", type_=sa.DateTime(True))),
                 {"at": at, "who": who, "action": action, "event_id": event_id, "before": before,
                  "after": after})


@pytest.mark.parametrize("backend", BACKENDS)
def test_0008_folds_merge_audit_into_review_audit_and_back(backend: str, tmp_path: Path) -> None:
    engine = sa.create_engine(store_url(backend, tmp_path))
    with engine.connect() as conn:
        upgrade(conn, "0007_rollup_fatalities")
        _merge_audit(conn, AT, "cli-ana", "merge", ["e1", "e2"], "same attack")  # a CLI merge
        _review_audit(conn, AT + timedelta(minutes=5), "rui", "confirm", "e9",
                      {"review_status": "auto"}, {"review_status": "confirmed"})
        # an API merge: one row in each table, microseconds apart
        _merge_audit(conn, AT + timedelta(hours=1), "rui", "merge", ["e3", "e4"], None)
        _review_audit(conn, AT + timedelta(hours=1, microseconds=40), "rui", "merge", "e3",
                      {"event_ids": ["e3", "e4"]}, {"event_id": "e3"})
        conn.commit()
        upgrade(conn)
        assert "merge_audit" not in sa.inspect(conn).get_table_names()
        rows = conn.execute(sa.text("SELECT who, action, event_id, event_ids, before, after, note "
                                    "FROM review_audit ORDER BY at").columns(
            event_ids=sa.JSON, before=sa.JSON, after=sa.JSON)).all()
        assert [tuple(r) for r in rows] == [
            ("cli-ana", "merge", "e1", ["e1", "e2"], SNAP, AFTER, "same attack"),
            ("rui", "confirm", "e9", ["e9"], {"review_status": "auto"}, {"review_status": "confirmed"}, None),
            ("rui", "merge", "e3", ["e3", "e4"], SNAP, AFTER, None),  # the pair, with the snapshots
        ]
        opts = {"compare_type": True,
                "include_object": lambda _o, n, t, _r, _c: t != "table" or n == "review_audit"}
        assert compare_metadata(MigrationContext.configure(conn, opts=opts), metadata) == []
        command.downgrade(alembic_config(conn), "0007_rollup_fatalities")
        conn.commit()
        assert current_revision(conn) == "0007_rollup_fatalities"
        back = conn.execute(sa.text("SELECT who, event_ids FROM merge_audit ORDER BY at")
                            .columns(event_ids=sa.JSON)).all()
        assert [tuple(r) for r in back] == [("cli-ana", ["e1", "e2"]), ("rui", ["e3", "e4"])]
        assert "event_ids" not in {c["name"] for c in sa.inspect(conn).get_columns("review_audit")}
    engine.dispose()
