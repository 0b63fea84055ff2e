"""The built-in gazetteer tier: the index shipped in ``eventlens/data/places``.

The package ships ``builtin.sqlite.gz`` (GeoNames towns >= 500 people, regions, countries and the
curated conflict places). The first use unpacks it once into a cache folder (file name keyed by
the archive's hash, so an upgrade never reads a stale copy) and adds the fuzzy-key index;
later loads just open the cached file read-only.
"""

from __future__ import annotations

import gzip
import hashlib
import logging
import os
import shutil
import sqlite3
import tempfile
from functools import lru_cache
from importlib import resources
from pathlib import Path

from eventlens.errors import GazetteerError
from eventlens.geo.index import SKELETON_INDEX
from eventlens.geo.normalize import name_key

__all__ = ["admin1_aliases", "builtin_index_path", "cache_dir", "data_file"]

log = logging.getLogger(__name__)
_ARCHIVE = "builtin.sqlite.gz"
ALIASES = "admin1_aliases.tsv"


def data_file(name: str) -> Path:
    """A file of ``eventlens/data/places`` as a real path."""
    path = Path(str(resources.files("eventlens").joinpath("data", "places", name)))
    if not path.is_file():
        raise GazetteerError(f"{path}: packaged gazetteer data missing; reinstall eventlens")
    return path


def cache_dir() -> Path:
    """``$EVENTLENS_CACHE_DIR``, else ``$XDG_CACHE_HOME/eventlens``, else ``~/.cache/eventlens``."""
    explicit = os.environ.get("EVENTLENS_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "eventlens"


def _digest(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()[:16]


def _unpack(archive: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=".builtin-", suffix=".sqlite", dir=target.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as dst, gzip.open(archive, "rb") as src:
            shutil.copyfileobj(src, dst, 1 << 20)
        con = sqlite3.connect(tmp)
        con.execute(SKELETON_INDEX)
        con.commit()
        con.close()
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def builtin_index_path() -> Path:
    """The unpacked built-in index, unpacking it on first use (cache folder, else temp folder)."""
    archive = data_file(_ARCHIVE)
    name = f"builtin-{_digest(archive)}.sqlite"
    for folder in (cache_dir(), Path(tempfile.gettempdir()) / "eventlens"):
        target = folder / name
        if target.is_file():
            return target
        try:
            log.info("unpacking the built-in gazetteer to %s", target)
            _unpack(archive, target)
            return target
        except OSError as exc:
            log.warning("cannot unpack the built-in gazetteer into %s (%s)", folder, exc)
    raise GazetteerError(
        "cannot unpack the built-in gazetteer: no writable cache folder; set EVENTLENS_CACHE_DIR"
    )


@lru_cache(maxsize=1)
def admin1_aliases() -> dict[str, tuple[tuple[str, str, str], ...]]:
    """Name key -> (cc, built-in admin1 name, the other name) of the regions so called in reports
    ("Oromia" for Oromiya, "North Darfur" for Northern Darfur), from ``admin1_aliases.tsv``."""
    out: dict[str, list[tuple[str, str, str]]] = {}
    for line in data_file(ALIASES).read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith(("#", "cc\t")):
            continue
        cc, admin1, aliases = line.split("\t")
        for alias in aliases.split("|"):
            out.setdefault(name_key(alias), []).append((cc, admin1, alias))
    return {key: tuple(regions) for key, regions in out.items()}
