"""The store's near-duplicate article index: stored MinHash signatures, loaded lazily per process.

The first write in a process loads every stored signature into an in-memory LSH index; later
writes load only articles stored since (by ``articles.seq``, which also covers other processes
writing the same database), then check and add their own articles.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence, Set
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from eventlens.dedup import ArticleDeduper
from eventlens.dedup.articles import signature_from_bytes, signature_to_bytes
from eventlens.model import Article
from eventlens.store.codec import article_row
from eventlens.store.schema import articles

__all__ = ["ArticleIndex"]

log = logging.getLogger(__name__)


class ArticleIndex:
    def __init__(self) -> None:
        self._deduper = ArticleDeduper()
        self._last_seq = 0

    def reset(self) -> None:
        """Forget everything (after a rolled-back write); the next write reloads from the database."""
        self._deduper = ArticleDeduper()
        self._last_seq = 0

    def refresh(self, conn: Connection) -> None:
        q = (
            sa.select(articles.c.id, articles.c.minhash, articles.c.canonical_article_id, articles.c.seq)
            .where(articles.c.seq > self._last_seq)
            .order_by(articles.c.seq)
        )
        n = 0
        for row in conn.execute(q):
            if row.minhash is not None:
                self._deduper.add(row.id, signature_from_bytes(row.minhash), row.canonical_article_id)
            self._last_seq = row.seq
            n += 1
        if n:
            log.debug("article index: loaded %d stored signatures", n)

    def insert_articles(self, conn: Connection, arts: Sequence[Article]) -> dict[str, Set[str]]:
        """Insert ``arts`` with their signatures and canonical links.

        Returns, per article, the ids of stored articles in its near-duplicate group (empty for
        originals), whose events its own events should join.
        """
        self.refresh(conn)
        seq = int(conn.execute(sa.select(sa.func.coalesce(sa.func.max(articles.c.seq), 0))).scalar_one())
        rows: list[dict[str, Any]] = []
        canon: dict[str, str] = {}
        for a in arts:
            seq += 1
            sig, match = self._deduper.check(a.id, a.text)
            row = article_row(a)
            row.update(
                minhash=None if sig is None else signature_to_bytes(sig),
                canonical_article_id=match.canonical_id if match else None,
                dedup_score=match.similarity if match else None,
                seq=seq,
            )
            rows.append(row)
            if match:
                canon[a.id] = match.canonical_id
        conn.execute(sa.insert(articles), rows)
        self._last_seq = seq
        return {a.id: self._group(conn, a.id, canon.get(a.id)) for a in arts}

    @staticmethod
    def _group(conn: Connection, article_id: str, canonical: str | None) -> Set[str]:
        if canonical is None:
            return frozenset()
        q = sa.select(articles.c.id).where(
            sa.or_(articles.c.id == canonical, articles.c.canonical_article_id == canonical),
            articles.c.id != article_id,
        )
        return frozenset(conn.execute(q).scalars())
