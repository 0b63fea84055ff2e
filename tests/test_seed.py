"""The seed file, end to end through `eventlens extract`: what a careful coder records from
../shared/examples/000_ebaf6d294540f65e.txt (seed-expected.json), and none of its must_not cases."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]

# A keyword that must appear in one of the event's evidence spans, per seed event (in file order).
KEYS = [
    "Reham Yacoub", "Tahseen Oussama", "four others", "protests", "Hashemi", "arrested 14", "joint statement",
]


@pytest.fixture(scope="module")
def seed_events(shared_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    text = (shared_dir / "examples" / "000_ebaf6d294540f65e.txt").read_text(encoding="utf-8")
    tmp = tmp_path_factory.mktemp("seed")
    (tmp / "in.jsonl").write_text(json.dumps({"id": "seed", "text": text}) + "\n", encoding="utf-8")
    out = tmp / "out.jsonl"
    subprocess.run(
        [sys.executable, "-m", "eventlens.cli", "extract", str(tmp / "in.jsonl"), "-o", str(out)],
        check=True, cwd=tmp,
    )
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def expected(shared_dir: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((shared_dir / "examples" / "seed-expected.json").read_text("utf-8"))
    return data


def _find(events: list[dict[str, Any]], key: str) -> list[dict[str, Any]]:
    return [
        e for e in events
        if any(key in m["evidence"]["text"] for m in e["mentions"]) or key in e["evidence"]["text"]
    ]


@pytest.mark.slow
@pytest.mark.parametrize("index", range(7))
def test_seed_event_found_with_its_coding(
    index: int, seed_events: list[dict[str, Any]], expected: dict[str, Any]
) -> None:
    want = expected["events"][index]
    found = [
        e for e in _find(seed_events, KEYS[index])
        if e["event_type"] == want["event_type"]
        and e["sub_event_type"] == want.get("sub_event_type", e["sub_event_type"])
    ]
    assert found, f"missing: {want['what']}"
    ev = found[0]
    for field in ("event_date", "location", "country", "fatalities", "time_precision"):
        if field in want:
            assert ev[field] == want[field], (field, want["what"], ev)
    assert all(e["doc_id"] == "seed" for e in seed_events)


@pytest.mark.slow
def test_seed_must_not(seed_events: list[dict[str, Any]]) -> None:
    # nothing planned coded as if it had happened: no event dated in 2025 or 2026
    assert not [e for e in seed_events if (e["event_date"] or "").startswith(("2025", "2026"))]
    # the re-mention of Yacoub's and Oussama's killings adds no events
    assert len(_find(seed_events, "Reham Yacoub")) == 1
    assert len(_find(seed_events, "Tahseen Oussama")) == 1
    # nothing from the photo captions (they are metadata, not body text)
    texts = [e["evidence"]["text"] for e in seed_events]
    assert not [t for t in texts if "REUTERS/" in t or "AFP file photo" in t]
    # no year invented for the second article's "Friday"
    second = [e for e in seed_events if e["article_id"].endswith("-a1")]
    assert second and all(e["event_date"] is None for e in second)
    # every evidence span is a real slice of the article text: offsets are consistent
    for e in seed_events:
        ev = e["evidence"]
        assert ev["end"] - ev["start"] == len(ev["text"])
