"""The supervisor quarantines documents that hang, bloat, crash or break the coder, and the
rest of the run completes, in input order."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from eventlens.config import Settings
from eventlens.engines.process import supervised
from eventlens.ingest import document_from_text
from eventlens.model import Rejection
from eventlens.pipeline import DocumentResult

#: supervised workers load spaCy and the gazetteer, and the caps wait out real timeouts
pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture()
def settings(monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.setenv("PYTHONPATH", f"{REPO}{os.pathsep}{os.environ.get('PYTHONPATH', '')}")
    return Settings.load(
        REPO / "no-such-config.toml",
        extractor="tests.plugins.hostile:test.hostile",
        workers=2,
        doc_timeout=8.0,
        doc_memory_mb=1500,
    )


def test_hostile_documents_are_quarantined_and_the_run_goes_on(settings: Settings) -> None:
    texts = [
        "Police arrested three men in Kirkuk on Monday.",
        "SLEEP-FOREVER in this story.",
        "Troops clashed with rebels near Gao.",
        "EAT-MEMORY in this story.",
        "CRASH-HARD in this story.",
        "RAISE-BUG in this story.",
        "Protesters marched in Basra on Friday.",
    ]
    docs = [document_from_text(t, source=f"doc{i}.txt", fmt="txt") for i, t in enumerate(texts)]
    out = list(supervised(docs, settings))
    assert [o.source if isinstance(o, Rejection) else o.document.source for o in out] == [
        d.source for d in docs
    ]
    rejected = {o.source: o.reason for o in out if isinstance(o, Rejection)}
    assert set(rejected) == {"doc1.txt", "doc3.txt", "doc4.txt", "doc5.txt"}
    assert "doc_timeout" in rejected["doc1.txt"]
    assert "doc_memory_mb" in rejected["doc3.txt"]
    assert "died" in rejected["doc4.txt"]
    assert "simulated coder bug" in rejected["doc5.txt"]
    assert sum(isinstance(o, DocumentResult) for o in out) == 3


def test_documents_queued_behind_a_hung_one_are_coded_and_large_ones_still_go_through(
    settings: Settings,
) -> None:
    """One worker holds the next document while it codes the current one: a document queued behind
    one that hangs is sent again to the fresh worker, not quarantined with it; a document too large
    to wait in a busy worker's pipe waits for an idle worker instead."""
    from dataclasses import replace

    large = "The weather stayed calm all week. " * 2_000  # ~68 KB, more than a pipe buffers
    texts = ["SLEEP-FOREVER in this story.", "Police arrested three men in Kirkuk.", large, "Calm day."]
    docs = [document_from_text(t, source=f"q{i}.txt", fmt="txt") for i, t in enumerate(texts)]
    out = list(supervised(docs, replace(settings, workers=1)))
    assert [o.source if isinstance(o, Rejection) else o.document.source for o in out] == [
        d.source for d in docs
    ]
    assert [o.reason if isinstance(o, Rejection) else None for o in out][1:] == [None, None, None]


def test_a_batch_that_breaks_a_cap_is_coded_again_one_document_at_a_time(
    settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    """Workers code documents in batches once warmed up; when a batch crashes its worker, blows the
    memory cap or raises, only the document responsible is quarantined and its batch-mates are
    coded."""
    from dataclasses import replace

    # one worker's batches hold documents 0, 1, 2-3, 4-7, 8-15 and 16-23: the crash and the memory
    # hog open a batch, so seven batch-mates are unanswered each time
    hostile = {8: "CRASH-HARD", 13: "RAISE-BUG", 16: "EAT-MEMORY"}
    texts = [f"{hostile.get(i, 'Police arrested')} {i} men in Kirkuk on Monday." for i in range(24)]
    docs = [document_from_text(t, source=f"b{i}.txt", fmt="txt") for i, t in enumerate(texts)]
    with caplog.at_level("INFO", logger="eventlens.engines.process"):
        out = list(supervised(docs, replace(settings, workers=1)))
    assert [o.source if isinstance(o, Rejection) else o.document.source for o in out] == [
        d.source for d in docs
    ]
    rejected = {o.source: o.reason for o in out if isinstance(o, Rejection)}
    assert set(rejected) == {"b8.txt", "b13.txt", "b16.txt"}
    assert "died" in rejected["b8.txt"]
    assert "simulated coder bug" in rejected["b13.txt"]
    assert "doc_memory_mb" in rejected["b16.txt"]
    assert sum("coding each of its documents alone" in r.getMessage() for r in caplog.records) == 2


def test_a_document_is_not_quarantined_for_the_time_its_batch_mates_took(settings: Settings) -> None:
    """Documents 4-7 form one batch; three take 3 s each, so the batch passes the 8 s cap while the
    last is being coded: that document is coded again alone, in time, and nothing is quarantined."""
    from dataclasses import replace

    texts = [f"{'SLOW-3S' if i >= 5 else 'Police arrested'} {i} men in Kirkuk." for i in range(8)]
    docs = [document_from_text(t, source=f"s{i}.txt", fmt="txt") for i, t in enumerate(texts)]
    out = list(supervised(docs, replace(settings, workers=1)))
    assert [o.document.source for o in out if isinstance(o, DocumentResult)] == [d.source for d in docs]
