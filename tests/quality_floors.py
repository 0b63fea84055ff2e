"""Read tests/quality_floors.json: every quality gate's floors, and the hashes of the files it is measured on.

    gate = load_gate("geocoder")
    gate.path("tests/geo_dev/dev_part1.psv")   # a pinned file ("../shared/..." honours EVENTLENS_SHARED_DIR)
    gate.assert_data_unchanged()               # fails when a pinned file changed since the floors were set
    gate.assert_meets({"country": 0.95, ...})  # hashes first, then every floor and ceiling, all at once
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.shared_data import REPO, shared_root

FLOORS_FILE = REPO / "tests" / "quality_floors.json"
_SHARED_PREFIX = "../shared/"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def resolve(name: str) -> Path:
    """A pinned file name (relative to the repository) as a path; ``../shared/`` means shared_root()."""
    if name.startswith(_SHARED_PREFIX):
        return shared_root() / name[len(_SHARED_PREFIX):]
    return REPO / name


@dataclass(frozen=True, slots=True)
class Gate:
    name: str
    floors: dict[str, float]
    ceilings: dict[str, float]
    sha256: dict[str, str]
    entry: dict[str, Any]

    def path(self, name: str) -> Path:
        """One of this gate's pinned files; a shared one that is absent skips the test."""
        if name not in self.sha256:
            raise KeyError(f"{name} is not pinned by quality gate {self.name!r}")
        path = resolve(name)
        if name.startswith(_SHARED_PREFIX) and not path.exists():
            pytest.skip(f"needs {path} (the ../shared data folder, set EVENTLENS_SHARED_DIR) which is absent")
        return path

    def changed_files(self) -> list[str]:
        return [name for name, digest in self.sha256.items() if sha256(self.path(name)) != digest]

    def assert_data_unchanged(self) -> None:
        changed = self.changed_files()
        assert not changed, (
            f"quality gate {self.name!r}: {', '.join(changed)} changed since its floors were set; re-measure "
            f"and update tests/quality_floors.json ({self.entry.get('test')})"
        )

    def assert_meets(self, scores: Mapping[str, float | None], detail: str = "") -> None:
        """Every floor met (score >= floor) and every ceiling kept (score <= ceiling), on unchanged data."""
        self.assert_data_unchanged()
        missing = sorted((self.floors.keys() | self.ceilings.keys()) - scores.keys())
        assert not missing, f"quality gate {self.name!r}: no score for {missing}"
        below = {k: (scores[k], v) for k, v in self.floors.items() if (s := scores[k]) is None or s < v}
        above = {k: (scores[k], v) for k, v in self.ceilings.items() if (s := scores[k]) is None or s > v}
        assert not below and not above, (
            f"quality gate {self.name!r}: below floor (score, floor) {below}; above ceiling (score, ceiling) "
            f"{above}\n{detail}"
        )


def load_all() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(FLOORS_FILE.read_text(encoding="utf-8"))
    return data


def load_gate(name: str) -> Gate:
    entry: dict[str, Any] = load_all()["gates"][name]
    return Gate(name, dict(entry["floors"]), dict(entry.get("ceilings", {})), dict(entry["sha256"]), entry)
