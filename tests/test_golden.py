"""Golden files: tests/golden/<case>/ holds the input (input.txt, or input.path naming a file
relative to the repository's parent folder) and expected.json, the articles and the stored events
a real run must produce: the input goes through the runner and the inline engine into a SQLite
store, and the events are read back through the store's public API (actors, inter codes, counts,
places and coordinates included). `pytest tests/test_golden.py --update-golden` rewrites
expected.json; review the diff before committing it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from eventlens.config import Settings
from eventlens.engines.inline import InlineEngine
from eventlens.engines.runner import run
from eventlens.ingest import document_from_text
from eventlens.model import Actor
from eventlens.pipeline import Pipeline
from eventlens.store import open_store
from tests.shared_data import shared_root

REPO = Path(__file__).resolve().parents[1]
CASES = sorted(p for p in (REPO / "tests" / "golden").iterdir() if p.is_dir())


def _input(case: Path) -> Path:
    """input.txt, or the file input.path names ("shared/..." is under ../shared or $EVENTLENS_SHARED_DIR)."""
    if (case / "input.txt").is_file():
        return case / "input.txt"
    named = Path((case / "input.path").read_text(encoding="utf-8").strip())
    if named.parts[0] == "shared":
        return shared_root().joinpath(*named.parts[1:])
    return REPO.parent / named


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline(Settings.load(REPO / "no-such-config.toml", workers=0))


def _actor(actor: Actor | None) -> list[object] | None:
    return [actor.name, actor.inter] if actor else None


def summarise(pipeline: Pipeline, text: str, db: Path) -> dict[str, Any]:
    doc = document_from_text(text, source="golden", fmt="txt")
    store = open_store(f"sqlite:///{db}")
    summary = run([doc], store, InlineEngine(pipeline.settings, pipeline))
    assert not summary.rejections
    articles = []
    while (article := store.get_article(f"{doc.id}-a{len(articles)}")) is not None:
        articles.append(article)
    events = []
    for ev in store.iter_events():
        c, p = ev.coding, ev.coding.place
        events.append({
            "article": int(ev.mentions[0].article_id.rsplit("-a", 1)[1]),
            "sub_event_type": c.sub_event_type,
            "event_type": c.event_type,
            "event_date": c.event_date.isoformat() if c.event_date else None,
            "time_precision": c.time_precision,
            "actor1": _actor(c.actor1),
            "actor2": _actor(c.actor2),
            "location": p.location if p else None,
            "admin1": p.admin1 if p else None,
            "country": p.country if p else None,
            "coordinates": [round(p.latitude, 2), round(p.longitude, 2)] if p and p.latitude is not None
            and p.longitude is not None else None,
            "geo_precision": p.geo_precision if p else None,
            "fatalities": c.fatalities,
            "injuries": c.injuries,
            "modality": c.modality.value,
            "mentions": len(ev.mentions),
            "evidence": ev.mentions[0].evidence.text,
        })
    events.sort(key=lambda e: (e["article"], e["evidence"]))
    return {
        "articles": [
            {"title": a.title, "published": a.published.isoformat() if a.published else None,
             "starts": a.text[:60]}
            for a in articles
        ],
        "events": events,
    }


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_golden(case: Path, pipeline: Pipeline, request: pytest.FixtureRequest, tmp_path: Path) -> None:
    source = _input(case)
    if not source.is_file():
        pytest.skip(f"{source} is not available")
    got = summarise(pipeline, source.read_text(encoding="utf-8"), tmp_path / "golden.db")
    expected_path = case / "expected.json"
    if request.config.getoption("--update-golden"):
        expected_path.write_text(json.dumps(got, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    assert expected_path.is_file(), f"{expected_path} missing: run pytest with --update-golden"
    assert got == json.loads(expected_path.read_text(encoding="utf-8"))
