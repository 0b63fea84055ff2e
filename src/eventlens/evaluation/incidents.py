"""Score cross-report linking on real reports of labelled incidents (``eventlens eval`` on a file whose
records carry ``incident``, such as ``data/real/muc4_reports.jsonl``).

The file holds ids and labels only. A **report** record (``{"id", "source": "muc4/<split file>",
"incident", "main": {"date", "time_precision", "country", ...}, "report_date", "split"}``) names a wire
article whose text is read at run time from the shared MUC-4 folder; a **look-alike** record
(``{"look_alike": [incident, incident], "split"}``) names two incidents of the same kind, place and
time that must stay apart.

Every report is fed through the real pipeline into a fresh SQLite store, in id order, twice: with no
publication date (as scraped text often arrives) and with its labelled report date (the shared copy
has lost the wire datelines; the label is read from the text). Then, per run:

* **main incident stored**: reports that have a stored event, among those holding one of its
  mentions, in the right country and dated within the label's tolerance of the incident's date
  (3 days when the day is known, 7 for a week, 15 for a month); the closest such event is the
  report's **stored event** (a report without one is a cluster of its own);
* **B-cubed** precision / recall / F1 of the reports grouped by their stored event, against the
  labelled incidents;
* **records per incident**: distinct stored events of an incident's reports, over the incidents
  at least one report of which was stored (1.0 = one record per real incident);
* **look-alikes merged**: labelled pairs whose reports share a stored event;
* **events per report**: every stored event, over the reports.
"""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from eventlens.config import Settings
from eventlens.errors import InputError
from eventlens.evaluation.bcubed import bcubed
from eventlens.evaluation.labelled import read_labelled
from eventlens.model import Event

__all__ = [
    "IncidentGold", "IncidentScores", "Report", "evaluate_incidents", "format_incident_scores",
    "is_incident_gold", "read_incident_gold", "read_texts", "score_incidents", "store_reports",
]

TOLERANCE_DAYS = {1: 3, 2: 7, 3: 15}  # by time_precision: day, week, month
MODES = ("undated", "dateline")


@dataclass(frozen=True, slots=True)
class Report:
    id: str
    source: str
    incident: str
    date: dt.date
    time_precision: int
    country: str
    report_date: dt.date | None


@dataclass(frozen=True, slots=True)
class IncidentGold:
    reports: tuple[Report, ...]
    look_alikes: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class IncidentScores:
    mode: str
    reports: int
    incidents: int
    stored: float
    bcubed_precision: float
    bcubed_recall: float
    bcubed_f1: float
    records_per_incident: float
    found_incidents: int
    look_alikes: int
    look_alikes_merged: int
    events_per_report: float
    missed: tuple[str, ...]
    merged_pairs: tuple[str, ...] = ()

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2)


def is_incident_gold(path: Path) -> bool:
    """Whether ``path``'s first record labels a report's incident (has an ``incident`` key)."""
    try:
        with path.open(encoding="utf-8") as fh:
            first = next((line for line in fh if line.strip()), "")
        return "incident" in json.loads(first) if first else False
    except (OSError, ValueError, TypeError):
        return False


def read_incident_gold(path: Path, *, split: str | None = None) -> IncidentGold:
    """The reports and look-alike pairs of ``path`` (only those of ``split``, when given)."""

    def build(row: dict[str, Any]) -> Report | tuple[str, str]:
        if "look_alike" in row:
            a, b = row["look_alike"]
            return (str(a), str(b))
        main = row["main"]
        day = row.get("report_date")
        return Report(
            id=str(row["id"]), source=str(row["source"]), incident=str(row["incident"]),
            date=dt.date.fromisoformat(main["date"]), time_precision=int(main.get("time_precision") or 1),
            country=str(main["country"]), report_date=dt.date.fromisoformat(day) if day else None,
        )

    rows = read_labelled(path, build, split=split, record="report with 'id', 'incident', 'main'",
                         plural="labelled reports")
    reports = tuple(r for r in rows if isinstance(r, Report))
    pairs = tuple(r for r in rows if isinstance(r, tuple))
    incidents = {r.incident for r in reports}
    stray = [p for p in pairs if not set(p) <= incidents]
    if stray:
        raise InputError(str(path), f"look-alike pairs name incidents with no report: {stray}")
    return IncidentGold(reports, pairs)


def read_texts(reports: Iterable[Report], shared: Path) -> dict[str, str]:
    """Each report's article text, from ``shared/dev-data/<source>.json`` (MUC-4's train and dev files)."""
    by_file: dict[str, list[str]] = defaultdict(list)
    for r in reports:
        by_file[r.source].append(r.id)
    texts: dict[str, str] = {}
    for source, ids in by_file.items():
        path = shared / "dev-data" / f"{source}.json"
        try:
            docs = json.loads(path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise InputError(str(path), "the report texts are not in the repository: point --shared (or "
                             "EVENTLENS_SHARED_DIR) at the shared data folder") from exc
        missing = [i for i in ids if i not in docs]
        if missing:
            raise InputError(str(path), f"no article with id {', '.join(missing[:5])}")
        texts.update({i: str(docs[i]["doc"]) for i in ids})
    return texts


def store_reports(
    reports: Sequence[Report], texts: Mapping[str, str], settings: Settings, *, dated: bool
) -> dict[str, list[Event]]:
    """Run every report through the pipeline into a fresh SQLite store (in id order, dated with its
    report date when ``dated``); each report's id -> the stored events holding one of its mentions,
    plus every stored event under the key ``""``."""
    from eventlens.engines import get_engine
    from eventlens.engines.runner import run
    from eventlens.ingest import document_from_text
    from eventlens.store import open_store

    docs = [
        document_from_text(texts[r.id], source=f"{r.source}:{r.id}", fmt="txt",
                           published=r.report_date if dated else None, external_id=r.id)
        for r in sorted(reports, key=lambda r: r.id)
    ]
    report_of = {d.id: str(d.external_id) for d in docs}
    with tempfile.TemporaryDirectory(prefix="eventlens-eval-") as tmp:
        store = open_store(f"sqlite:///{Path(tmp) / 'eval.db'}")
        try:
            run(docs, store, get_engine("local", settings))
            events = list(store.iter_events())
        finally:
            store.close()
    out: dict[str, list[Event]] = defaultdict(list)
    out[""] = events
    for ev in events:
        for rid in {report_of[m.doc_id] for m in ev.mentions if m.doc_id in report_of}:
            out[rid].append(ev)
    return out


def _stored_event(report: Report, events: Sequence[Event]) -> Event | None:
    """The event of ``events`` that stores the report's main incident: right country, closest date
    within the tolerance (ties: the event with more mentions)."""
    tol = TOLERANCE_DAYS.get(report.time_precision, 3)
    fits = [
        (abs((ev.coding.event_date - report.date).days), -len(ev.mentions), ev.id, ev)
        for ev in events
        if ev.coding.event_date is not None and ev.coding.place is not None
        and (ev.coding.place.country or "").lower() == report.country.lower()
        and abs((ev.coding.event_date - report.date).days) <= tol
    ]
    return min(fits)[-1] if fits else None


def score_incidents(
    gold: IncidentGold, stored: Mapping[str, Sequence[Event]], *, mode: str
) -> IncidentScores:
    """Score the stored events of each report (``store_reports``) against the labelled incidents."""
    reports = gold.reports
    assigned: dict[str, str] = {}
    missed: list[str] = []
    for r in reports:
        ev = _stored_event(r, stored.get(r.id, ()))
        if ev is None:
            missed.append(r.id)
        assigned[r.id] = ev.id if ev else f"missing:{r.id}"
    truth = {r.id: r.incident for r in reports}
    b3 = bcubed(assigned, truth)
    found: dict[str, set[str]] = defaultdict(set)
    for r in reports:
        if r.id not in missed:
            found[r.incident].add(assigned[r.id])
    merged = tuple(f"{a}~{b}" for a, b in gold.look_alikes if found.get(a, set()) & found.get(b, set()))
    n = len(reports)
    return IncidentScores(
        mode=mode,
        reports=n,
        incidents=len(set(truth.values())),
        stored=100.0 * (n - len(missed)) / n if n else 0.0,
        bcubed_precision=100.0 * b3.precision,
        bcubed_recall=100.0 * b3.recall,
        bcubed_f1=100.0 * b3.f1,
        records_per_incident=sum(len(s) for s in found.values()) / len(found) if found else 0.0,
        found_incidents=len(found),
        look_alikes=len(gold.look_alikes),
        look_alikes_merged=len(merged),
        events_per_report=len(stored.get("", ())) / n if n else 0.0,
        missed=tuple(sorted(missed)),
        merged_pairs=merged,
    )


def evaluate_incidents(
    gold: IncidentGold, texts: Mapping[str, str], settings: Settings
) -> list[IncidentScores]:
    """Both runs (no publication date, then the labelled report date), scored."""
    return [
        score_incidents(gold, store_reports(gold.reports, texts, settings, dated=m == "dateline"), mode=m)
        for m in MODES
    ]


def format_incident_scores(scores: Sequence[IncidentScores], *, name: str = "") -> str:
    """A plain-text table of :func:`score_incidents` results, one column per run."""
    if not scores:
        return name
    first = scores[0]
    rows = [
        ("main incident stored (%)", "stored", "{:.1f}"),
        ("B-cubed F1", "bcubed_f1", "{:.1f}"),
        ("B-cubed precision", "bcubed_precision", "{:.1f}"),
        ("B-cubed recall", "bcubed_recall", "{:.1f}"),
        ("records per incident (found)", "records_per_incident", "{:.2f}"),
        ("found incidents", "found_incidents", "{}"),
        (f"look-alikes merged (of {first.look_alikes})", "look_alikes_merged", "{}"),
        ("stored events per report", "events_per_report", "{:.2f}"),
    ]
    lines = [
        f"{name}  reports: {first.reports}, incidents: {first.incidents}, "
        f"look-alike pairs: {first.look_alikes}",
        f"{'':34}" + "".join(f"{s.mode:>12}" for s in scores),
    ]
    for label, key, fmt in rows:
        lines.append(f"{label:34}" + "".join(f"{fmt.format(getattr(s, key)):>12}" for s in scores))
    for s in scores:
        lines.append(f"look-alikes merged ({s.mode}): {', '.join(s.merged_pairs) or '-'}")
        lines.append(f"not stored ({s.mode}): {', '.join(s.missed) or '-'}")
    return "\n".join(lines)
