"""Where the sibling data folder ``../shared`` is (dev-data, real-news, examples, gazetteer-data).

It is never copied into the repository, so a plain clone does not have it: tests that need it ask
:func:`shared_path` (or the ``shared_dir`` / ``seed_file`` fixtures), which skip with a reason when it
is absent instead of erroring. ``EVENTLENS_SHARED_DIR`` points elsewhere (or at a missing folder, to
check that every such test skips).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SEED_NAME = "000_ebaf6d294540f65e.txt"


def shared_root() -> Path:
    """The shared folder: ``$EVENTLENS_SHARED_DIR``, else ``shared`` beside the repository."""
    configured = os.environ.get("EVENTLENS_SHARED_DIR")
    return Path(configured).expanduser() if configured else REPO.parent / "shared"


def shared_available(*parts: str) -> bool:
    return (shared_root().joinpath(*parts)).exists()


def shared_path(*parts: str) -> Path:
    """``shared_root() / parts``; skips the calling test when that path does not exist."""
    path = shared_root().joinpath(*parts)
    if not path.exists():
        pytest.skip(f"needs {path} (the ../shared data folder, set EVENTLENS_SHARED_DIR) which is absent")
    return path


def seed_path() -> Path:
    """The seed article ../shared/examples/000_ebaf6d294540f65e.txt (skips when absent)."""
    return shared_path("examples", SEED_NAME)
