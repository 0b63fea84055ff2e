"""Score the whole pipeline on real reports labelled event by event (``eventlens eval`` on a file whose
records carry ``events``, such as ``data/real/wcep_gold.jsonl``).

Each labelled item (``{"id", "text", "date"?, "events": [{sub_event_type, inter1, inter2, fatalities,
injuries, country, ...}], "split"?}``) is coded as a one-document input dated ``date``, exactly as
``eventlens extract`` codes it, and its output events are compared with the labels:

* **detection**: items with labelled events that get at least one event; **none recall**: items
  with no labelled event that get none (every emitted event counts, whatever its modality);
* **sub-event type** weighted and macro F1 over items: the prediction is the sub-type of the most
  confident event (or ``none``); the gold label is that sub-type when the item holds it among its
  events (an item may tell several incidents), else the item's first event's sub-type;
* on items with labelled events and an emitted one, the gold event matched to the top event (same
  sub-type, else the first): **event type** accuracy, **inter pair** ({inter1, inter2} as a
  multiset, 0 for a missing actor), **country**; on items that tell exactly one incident:
  **fatalities** and **injuries** exact (a missing figure is 0, as ACLED records it) and
  **events per incident** (1.0 is one record for one incident);
* events told only as background to a report's own incident (``Event.background``: "a bombing last
  month") are not the report's events and are not scored, as ``extract`` leaves them out;
* **event precision / recall**: every emitted event matched one-to-one to a labelled event of the same
  item and event type (most confident first), for articles that tell several incidents;
* **date exact**: items with a day (``date``) and an emitted event whose top event is dated that
  day; with ``eventlens eval --lead-date`` each item is rewritten with its day at its head and no
  publication date (:func:`with_lead_date`), which measures the report-date anchor;
* **calibration**: the expected calibration error of the top event's confidence against its
  sub-type being right (10 equal-width bins).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path
from typing import Any

from eventlens.config import Settings
from eventlens.evaluation.labelled import read_labelled
from eventlens.evaluation.sentences import _event_type, _label_scores

__all__ = [
    "LEAD_FORMS", "GoldItem", "ReportScores", "code_items", "format_scores", "is_report_gold", "read_gold",
    "score_reports", "with_lead_date",
]

NONE = "none"


@dataclass(frozen=True, slots=True)
class GoldItem:
    id: str
    text: str
    published: date | None
    events: tuple[Mapping[str, Any], ...]
    #: the item's own day (its ``date``), kept when the publication date is withheld
    day: date | None = None

    @property
    def types(self) -> set[str]:
        return {str(e["sub_event_type"]) for e in self.events}


@dataclass(frozen=True, slots=True)
class ReportScores:
    items: int
    event_items: int
    none_items: int
    detection: float
    none_recall: float
    sub_event_weighted_f1: float
    sub_event_macro_f1: float
    event_type_accuracy: float
    inter_pair_accuracy: float
    country_accuracy: float
    country_n: int
    fatalities_exact: float
    injuries_exact: float
    single_incident_n: int
    events_per_incident: float
    calibration_error: float
    event_precision: float
    event_recall: float
    #: items with a day and an emitted event whose top event is dated that day
    date_exact: float
    per_label: tuple[tuple[str, float, float, float, int], ...]
    confusions: tuple[tuple[str, str, int], ...]

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2)


def is_report_gold(path: Path) -> bool:
    """Whether ``path``'s first record is labelled event by event (has an ``events`` list)."""
    try:
        with path.open(encoding="utf-8") as fh:
            first = next((line for line in fh if line.strip()), "")
        return isinstance(json.loads(first).get("events"), list) if first else False
    except (OSError, ValueError, AttributeError):
        return False


def read_gold(path: Path, *, split: str | None = None) -> list[GoldItem]:
    """Labelled items of ``path`` (only those whose ``split`` equals ``split``, when given)."""

    def build(row: dict[str, Any]) -> GoldItem:
        day = date.fromisoformat(row["date"][:10]) if row.get("date") else None
        return GoldItem(str(row["id"]), str(row["text"]), day, tuple(row["events"]), day)

    return read_labelled(
        path, build, split=split, record="labelled report with 'id', 'text', 'events'",
        plural="labelled reports",
    )


#: how :func:`with_lead_date` writes an item's day at its head
LEAD_FORMS = ("numeric", "written")


def with_lead_date(items: Sequence[GoldItem], form: str) -> list[GoldItem]:
    """The items as incident summaries ("03/14/2016: ...", ``numeric``) or event descriptions ("On
    14 March 2016, ...", ``written``) of their own day, with no publication date: what the report's
    date anchor must carry to every event. Items without a day are left as they are."""
    from spacy.lang.en.stop_words import STOP_WORDS

    if form not in LEAD_FORMS:
        raise ValueError(f"lead-date form must be one of {', '.join(LEAD_FORMS)}, not {form!r}")
    out = []
    for item in items:
        d, text = item.day, item.text
        if d is None or not text:
            out.append(item)
            continue
        if form == "numeric":
            text = f"{d.month:02d}/{d.day:02d}/{d.year}: {text}"
        else:  # a capital only a sentence start gave ("The", "At least") goes; a name's stays
            first = text.split()[0]
            lead = text[0].lower() + text[1:] if first.lower() in STOP_WORDS else text
            text = f"On {d.day} {d.strftime('%B')} {d.year}, {lead}"
        out.append(GoldItem(item.id, text, None, item.events, d))
    return out


def code_items(items: Sequence[GoldItem], settings: Settings) -> dict[str, list[dict[str, Any]]]:
    """Each item's event records, coded as ``eventlens extract`` codes a JSONL line with this date."""
    from eventlens.engines import get_engine
    from eventlens.export.records import event_record
    from eventlens.ingest import document_from_text
    from eventlens.model import Rejection

    docs = [
        document_from_text(i.text, source=f"gold:{i.id}", fmt="txt", published=i.published, external_id=i.id)
        for i in items
    ]
    out: dict[str, list[dict[str, Any]]] = {i.id: [] for i in items}
    for result in get_engine("local", settings).code(docs):
        if isinstance(result, Rejection):
            continue
        doc_id = str(result.document.external_id)
        out[doc_id] = [event_record(e, doc_id) for e in result.events if not e.background]
    return out


def _pct(num: float, den: float) -> float:
    return 100.0 * num / den if den else 0.0


def _matched(item: GoldItem, sub_type: str) -> Mapping[str, Any]:
    return next((e for e in item.events if e["sub_event_type"] == sub_type), item.events[0])


def _matched_events(item: GoldItem, events: Sequence[Mapping[str, Any]]) -> int:
    """Emitted events matched one-to-one to labelled ones of the same event type."""
    open_types = [_event_type(str(e["sub_event_type"])) for e in item.events]
    hits = 0
    for ev in sorted(events, key=lambda e: -float(e.get("confidence") or 0.0)):
        kind = _event_type(str(ev["sub_event_type"]))
        if kind in open_types:
            open_types.remove(kind)
            hits += 1
    return hits


def _pair(a: object, b: object) -> tuple[int, int]:
    x, y = int(a or 0), int(b or 0)  # type: ignore[call-overload]
    return (min(x, y), max(x, y))


def _ece(points: Iterable[tuple[float, bool]], bins: int = 10) -> float:
    buckets: list[list[tuple[float, bool]]] = [[] for _ in range(bins)]
    for conf, right in points:
        buckets[min(bins - 1, int(conf * bins))].append((conf, right))
    total = sum(len(b) for b in buckets)
    if not total:
        return 0.0
    gap = sum(abs(sum(c for c, _ in b) - sum(r for _, r in b)) for b in buckets if b)
    return 100.0 * gap / total


def score_reports(
    items: Sequence[GoldItem], predicted: Mapping[str, Sequence[Mapping[str, Any]]]
) -> ReportScores:
    """Compare each item's labelled events with the event records coded for it (by item id)."""
    gold_labels: list[str] = []
    pred_labels: list[str] = []
    etype = inter = country = fat = inj = dated = 0
    country_n = single_n = emitted_n = single_events = day_n = 0
    calib: list[tuple[float, bool]] = []
    for item in items:
        events = list(predicted.get(item.id, ()))
        top = max(events, key=lambda e: float(e.get("confidence") or 0.0)) if events else None
        pred = str(top["sub_event_type"]) if top else NONE
        gold = NONE
        if item.events:
            gold = pred if pred in item.types else str(item.events[0]["sub_event_type"])
        gold_labels.append(gold)
        pred_labels.append(pred)
        if top is not None:
            calib.append((float(top.get("confidence") or 0.0), gold == pred))
        if not item.events or top is None:
            continue
        g = _matched(item, pred)
        emitted_n += 1
        if item.day is not None:
            day_n += 1
            dated += str(top.get("event_date")) == item.day.isoformat()
        etype += any(_event_type(pred) == _event_type(str(e["sub_event_type"])) for e in item.events)
        inter += _pair(top.get("inter1"), top.get("inter2")) == _pair(g.get("inter1"), g.get("inter2"))
        if g.get("country"):
            country_n += 1
            country += (top.get("country") or "").lower() == str(g["country"]).lower()
        if len(item.events) == 1:
            single_n += 1
            single_events += len(events)
            fat += int(top.get("fatalities") or 0) == int(g.get("fatalities") or 0)
            inj += int(top.get("injuries") or 0) == int(g.get("injuries") or 0)
    matched = sum(_matched_events(item, predicted.get(item.id, ())) for item in items)
    emitted = sum(len(predicted.get(item.id, ())) for item in items)
    labelled = sum(len(item.events) for item in items)
    per = _label_scores(gold_labels, pred_labels)
    support = [s for s in per if s.support]
    n = len(items)
    event_items = [i for i in items if i.events]
    none_items = [i for i in items if not i.events]
    wrong = Counter((g, p) for g, p in zip(gold_labels, pred_labels, strict=True) if g != p)
    return ReportScores(
        items=n,
        event_items=len(event_items),
        none_items=len(none_items),
        detection=_pct(sum(bool(predicted.get(i.id)) for i in event_items), len(event_items)),
        none_recall=_pct(sum(not predicted.get(i.id) for i in none_items), len(none_items)),
        sub_event_weighted_f1=sum(s.f1 * s.support for s in support) / n if n else 0.0,
        sub_event_macro_f1=sum(s.f1 for s in support) / len(support) if support else 0.0,
        event_type_accuracy=_pct(etype, emitted_n),
        inter_pair_accuracy=_pct(inter, emitted_n),
        country_accuracy=_pct(country, country_n),
        country_n=country_n,
        fatalities_exact=_pct(fat, single_n),
        injuries_exact=_pct(inj, single_n),
        single_incident_n=single_n,
        events_per_incident=single_events / single_n if single_n else 0.0,
        calibration_error=_ece(calib),
        event_precision=_pct(matched, emitted),
        event_recall=_pct(matched, labelled),
        date_exact=_pct(dated, day_n),
        per_label=tuple((s.label, s.precision, s.recall, s.f1, s.support) for s in per),
        confusions=tuple((g, p, c) for (g, p), c in wrong.most_common(15)),
    )


def format_scores(scores: ReportScores, *, name: str = "") -> str:
    """A plain-text report of :func:`score_reports`."""
    s = scores
    lines = [
        f"{name}  items: {s.items} ({s.event_items} with events, {s.none_items} without)",
        f"sub-event type: weighted F1 {s.sub_event_weighted_f1:.1f}, macro F1 {s.sub_event_macro_f1:.1f}",
        f"detection {s.detection:.1f}%   none recall {s.none_recall:.1f}%",
        f"event type {s.event_type_accuracy:.1f}%   inter pair {s.inter_pair_accuracy:.1f}%   "
        f"country {s.country_accuracy:.1f}% (n={s.country_n})",
        f"one-incident items (n={s.single_incident_n}): fatalities exact {s.fatalities_exact:.1f}%, "
        f"injuries exact {s.injuries_exact:.1f}%, events per incident {s.events_per_incident:.2f}",
        f"events: precision {s.event_precision:.1f}%, recall {s.event_recall:.1f}% (matched by event type)",
        f"calibration error (ECE) {s.calibration_error:.1f} points",
        f"top event dated the item's own day: {s.date_exact:.1f}%",
        "",
        f"{'label':40} {'P':>6} {'R':>6} {'F1':>6} {'n':>5}",
    ]
    lines += [f"{lab:40} {p:6.1f} {r:6.1f} {f:6.1f} {n:5d}" for lab, p, r, f, n in s.per_label]
    lines += ["", "top confusions (gold -> predicted):"]
    lines += [f"  {c:4d}  {g} -> {p}" for g, p, c in s.confusions]
    return "\n".join(lines)
