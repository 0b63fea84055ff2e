"""One audit trail: CLI merges and splits (``merge_audit``) move into ``review_audit``.

``review_audit`` gains ``event_ids`` (every event an action touched; the first is its
``event_id``). Each ``merge_audit`` row becomes a ``review_audit`` row with its snapshots. An API
merge or split used to write a row to both tables; such a pair (same action, user, note and
events, at most a minute apart) becomes one row carrying the ``merge_audit`` snapshots. Then
``merge_audit`` is dropped. Downgrading recreates ``merge_audit`` from the merge and split rows
(which stay in ``review_audit`` too) and drops ``event_ids``.

Revision ID: 0008_one_audit_trail
Revises: 0007_rollup_fatalities
Create Date: 2026-12-08
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0008_one_audit_trail"
down_revision: str | None = "0007_rollup_fatalities"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: an API action's two rows were written in one transaction, microseconds apart
_SAME_ACTION = timedelta(minutes=1)


def _audit_table(name: str, *extra: sa.ColumnClause[Any]) -> sa.TableClause:
    """The two tables as this revision sees them (never the application's schema, which moves on)."""
    return sa.table(
        name, sa.column("id", sa.Integer()), sa.column("at", sa.DateTime(timezone=True)),
        sa.column("who", sa.Text()), sa.column("action", sa.String(16)), sa.column("note", sa.Text()),
        sa.column("before", sa.JSON()), sa.column("after", sa.JSON()), sa.column("event_ids", sa.JSON()),
        *extra,
    )


_review = _audit_table("review_audit", sa.column("event_id", sa.String(40)))
_merge = _audit_table("merge_audit")


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _touched(action: str, event_id: str, before: Any, after: Any) -> list[str]:
    """The events an API action touched, from what it recorded (0002-0007 rows)."""
    if action == "merge" and isinstance(before, dict) and before.get("event_ids"):
        return list(dict.fromkeys(str(i) for i in before["event_ids"]))
    if action == "split" and isinstance(after, dict) and after.get("event_ids"):
        return [str(i) for i in after["event_ids"]]
    return [event_id]


def upgrade() -> None:
    conn = op.get_bind()
    op.add_column("review_audit", sa.Column("event_ids", sa.JSON(), nullable=True))
    unmatched: dict[int, tuple[str, str, str | None, list[str], datetime]] = {}
    for r in conn.execute(sa.select(_review)).all():
        ids = _touched(r.action, r.event_id, r.before, r.after)
        conn.execute(sa.update(_review).where(_review.c.id == r.id).values(event_ids=ids))
        if r.action in ("merge", "split"):
            unmatched[r.id] = (r.action, r.who, r.note, ids, _utc(r.at))
    for m in conn.execute(sa.select(_merge).order_by(_merge.c.id)).all():
        ids, at = [str(i) for i in m.event_ids], _utc(m.at)
        twin = next((rid for rid, (action, who, note, got, when) in unmatched.items()
                     if (action, who, note, got) == (m.action, m.who, m.note, ids)
                     and abs(when - at) <= _SAME_ACTION), None)
        if twin is not None:  # the API's row of the same action: it keeps the snapshots
            del unmatched[twin]
            keep = {"before": m.before, "after": m.after}
            conn.execute(sa.update(_review).where(_review.c.id == twin).values(**keep))
        else:
            conn.execute(sa.insert(_review).values(
                at=m.at, who=m.who, action=m.action, event_id=ids[0], event_ids=ids, before=m.before,
                after=m.after, note=m.note))
    with op.batch_alter_table("review_audit") as batch:
        batch.alter_column("event_ids", existing_type=sa.JSON(), nullable=False)
    op.drop_index("ix_merge_audit_at", table_name="merge_audit")
    op.drop_table("merge_audit")


def downgrade() -> None:
    op.create_table(
        "merge_audit",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("who", sa.Text(), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("event_ids", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("before", sa.JSON(), nullable=False),
        sa.Column("after", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_merge_audit_at", "merge_audit", ["at"], unique=False)
    conn = op.get_bind()
    rows = conn.execute(sa.select(_review).where(_review.c.action.in_(("merge", "split")))
                        .order_by(_review.c.at, _review.c.id)).all()
    for r in rows:
        conn.execute(sa.insert(_merge).values(at=r.at, who=r.who, action=r.action, event_ids=r.event_ids,
                                              note=r.note, before=r.before, after=r.after))
    with op.batch_alter_table("review_audit") as batch:
        batch.drop_column("event_ids")
