"""The gazetteer index: one SQLite file of places and their normalised names.

The built-in index (shipped under ``eventlens/data/places``) and a village index built by
``eventlens gazetteer build`` share this schema, so one reader serves both tiers. Files are
opened read-only and memory-mapped; lookups go through the ``name.key`` / ``name.skel`` indexes.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from eventlens.errors import GazetteerError
from eventlens.geo.normalize import is_latin, name_key, skeleton

__all__ = ["SCHEMA", "SKELETON_INDEX", "GazetteerIndex", "GeoRecord", "IndexWriter"]

SCHEMA = """
CREATE TABLE place(
    id INTEGER PRIMARY KEY, name TEXT NOT NULL, cc TEXT NOT NULL, admin1 TEXT, admin2 TEXT,
    lat REAL, lon REAL, population INTEGER NOT NULL DEFAULT 0, feature TEXT NOT NULL, gid TEXT);
CREATE TABLE name(key TEXT NOT NULL, skel TEXT NOT NULL, place INTEGER NOT NULL,
    PRIMARY KEY (key, place)) WITHOUT ROWID;
CREATE TABLE meta(k TEXT PRIMARY KEY, v TEXT NOT NULL);
CREATE TABLE attribution(source TEXT NOT NULL, licence TEXT NOT NULL, credit TEXT NOT NULL,
    records INTEGER NOT NULL);
"""
SKELETON_INDEX = "CREATE INDEX IF NOT EXISTS name_skel ON name(skel)"
_COLUMNS = "p.id, p.name, p.cc, p.admin1, p.admin2, p.lat, p.lon, p.population, p.feature, p.gid"

#: Feature codes: populated places, admin units, country, and curated non-town places.
ADMIN_FEATURES = frozenset({"ADM1", "ADM2", "PCL"})


@dataclass(frozen=True, slots=True)
class GeoRecord:
    """One gazetteer entry; ``cc`` is ISO 3166-1 alpha-2."""

    id: int
    name: str
    cc: str
    admin1: str | None
    admin2: str | None
    lat: float | None
    lon: float | None
    population: int
    feature: str
    gid: str | None
    tier: str = ""

    @property
    def is_admin(self) -> bool:
        return self.feature in ADMIN_FEATURES


class IndexWriter:
    """Writes a fresh index file; names are normalised here so every source agrees."""

    def __init__(self, out: Path) -> None:
        if out.exists():
            out.unlink()
        out.parent.mkdir(parents=True, exist_ok=True)
        self.path = out
        self.con = sqlite3.connect(out)
        self.con.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + SCHEMA)
        self._next = 1
        self._names: list[tuple[str, str, int]] = []

    def add_place(
        self, name: str, cc: str, admin1: str | None, admin2: str | None, lat: float | None,
        lon: float | None, population: int, feature: str, gid: str | None,
        aliases: Iterable[str] = (),
    ) -> int:
        pid = self._next
        self._next += 1
        self.con.execute(
            "INSERT INTO place VALUES (?,?,?,?,?,?,?,?,?,?)",
            (pid, name, cc, admin1 or None, admin2 or None, lat, lon, population, feature, gid),
        )
        self.add_names(pid, [name, *aliases])
        if len(self._names) > 200_000:
            self._flush()
        return pid

    def add_names(self, pid: int, names: Iterable[str]) -> None:
        for key in {name_key(n) for n in names if n and is_latin(n)}:
            if key:
                self._names.append((key, skeleton(key), pid))

    def _flush(self) -> None:
        self.con.executemany("INSERT OR IGNORE INTO name VALUES (?,?,?)", self._names)
        self._names.clear()

    def attribute(self, source: str, licence: str, credit: str, records: int) -> None:
        self.con.execute("INSERT INTO attribution VALUES (?,?,?,?)", (source, licence, credit, records))

    def finish(self, meta: dict[str, str], *, skeleton_index: bool = True) -> int:
        """Write names, indexes and meta; compact the file; return the number of places.

        ``skeleton_index=False`` leaves the fuzzy-key index out (smaller file to ship);
        :func:`add_skeleton_index` adds it after unpacking.
        """
        self._flush()
        if skeleton_index:
            self.con.execute(SKELETON_INDEX)
        self.con.executemany("INSERT OR REPLACE INTO meta VALUES (?,?)", sorted(meta.items()))
        self.con.commit()
        self.con.execute("VACUUM")
        self.con.close()
        return self._next - 1


class GazetteerIndex:
    """Read-only access to one index file."""

    def __init__(self, path: Path, tier: str) -> None:
        if not path.is_file():
            raise GazetteerError(
                f"{path}: gazetteer index not found; build it with `eventlens gazetteer build`"
            )
        try:
            self.con = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True, check_same_thread=False)
            self.con.execute("PRAGMA mmap_size=268435456")
            self.meta = dict(self.con.execute("SELECT k, v FROM meta").fetchall())
        except sqlite3.DatabaseError as exc:
            raise GazetteerError(f"{path}: not a gazetteer index ({exc}); rebuild it") from exc
        self.path = path
        self.tier = tier

    def _rows(self, sql: str, args: Sequence[object]) -> list[GeoRecord]:
        return [
            GeoRecord(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], self.tier)
            for r in self.con.execute(sql, tuple(args))
        ]

    def by_key(self, key: str) -> list[GeoRecord]:
        return self._rows(
            f"SELECT {_COLUMNS} FROM name n JOIN place p ON p.id = n.place WHERE n.key = ?", [key]
        )

    def by_skeleton(self, skel: str) -> list[GeoRecord]:
        return self._rows(
            f"SELECT DISTINCT {_COLUMNS} FROM name n JOIN place p ON p.id = n.place "
            "WHERE n.skel = ? LIMIT 200",
            [skel],
        )

    def admin1(self, cc: str, name: str) -> GeoRecord | None:
        rows = self._rows(
            f"SELECT {_COLUMNS} FROM place p WHERE p.cc = ? AND p.feature = 'ADM1' AND p.name = ?",
            [cc, name],
        )
        return rows[0] if rows else None

    def country(self, cc: str) -> GeoRecord | None:
        rows = self._rows(f"SELECT {_COLUMNS} FROM place p WHERE p.cc = ? AND p.feature = 'PCL'", [cc])
        return rows[0] if rows else None

    def countries(self) -> dict[str, GeoRecord]:
        """Every country record of this tier by ISO code (one pass over the table)."""
        return {r.cc: r for r in self._rows(f"SELECT {_COLUMNS} FROM place p WHERE p.feature = 'PCL'", [])}

    def keys_for_ruler(self, min_population: int) -> dict[str, tuple[str, int, str]]:
        """Keys of places important enough for the toponym ruler → (feature, population, primary
        name) of the most populous place with that name."""
        sql = (
            "SELECT n.key, p.feature, p.population, p.name FROM name n JOIN place p ON p.id = n.place "
            "WHERE p.population >= ? OR p.feature NOT IN ('PPL', 'ADM2', 'NBHD') OR p.gid LIKE 'curated:%' "
            "ORDER BY p.population DESC"
        )
        out: dict[str, tuple[str, int, str]] = {}
        for key, feature, population, name in self.con.execute(sql, (min_population,)):
            out.setdefault(key, (feature, population, name))
        return out

    def close(self) -> None:
        self.con.close()
