from __future__ import annotations

from pathlib import Path

import pytest

from eventlens.config import Settings
from eventlens.errors import ConfigError


def test_precedence_file_env_flags(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cfg = tmp_path / "eventlens.toml"
    cfg.write_text('db = "from-file.db"\nbatch_size = 8\nprefilter = false\n', encoding="utf-8")
    monkeypatch.setenv("EVENTLENS_BATCH_SIZE", "16")
    s = Settings.load(cfg)
    assert (s.db, s.batch_size, s.prefilter) == ("from-file.db", 16, False)
    assert Settings.load(cfg, db="flag.db").db == "flag.db"


def test_store_url_prefers_database_url(tmp_path: Path) -> None:
    s = Settings.load(tmp_path / "none.toml", db=str(tmp_path / "x.db"))
    assert s.store_url == f"sqlite:///{tmp_path / 'x.db'}"
    pg = "postgresql+psycopg://u@h/db"
    assert Settings.load(tmp_path / "none.toml", database_url=pg).store_url == pg


@pytest.mark.parametrize(("name", "value"), [("batch_size", "many"), ("prefilter", "maybe"), ("nope", 1)])
def test_bad_settings_name_the_setting(tmp_path: Path, name: str, value: object) -> None:
    with pytest.raises(ConfigError, match=name):
        Settings.load(tmp_path / "none.toml", **{name: value})


def test_describe_lists_every_setting() -> None:
    names = [n for n, _, _ in Settings.describe()]
    assert "spacy_model" in names and "gazetteer" in names


def test_default_workers_use_every_core_the_memory_allows(monkeypatch: pytest.MonkeyPatch) -> None:
    """One coding process per core, but no more than one per 1.5 GB of available memory (a
    worker holds ~450 MB of models and may grow to its doc_memory_mb cap), and always one."""
    from eventlens import config

    # (the default was taken at import: the memory available may have moved since)
    assert 1 <= Settings().workers <= config.usable_cores()
    assert 1 <= config.default_workers() <= config.usable_cores()
    monkeypatch.setattr(config, "usable_cores", lambda: 8)
    for available, expected in ((None, 8), (64_000.0, 8), (4_000.0, 2), (1_000.0, 1), (0.0, 1)):
        monkeypatch.setattr(config, "_available_mb", lambda a=available: a)
        assert config.default_workers() == expected, available
