"""Scoring cross-report linking against labelled incidents (evaluation/incidents.py), on hand-built
stored events: which report's main incident is stored, B-cubed, records per incident, look-alikes."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from eventlens.errors import InputError
from eventlens.evaluation.incidents import (
    IncidentGold,
    Report,
    format_incident_scores,
    is_incident_gold,
    read_incident_gold,
    read_texts,
    score_incidents,
)
from eventlens.model import Event, EventCoding, EventMention, Place, Span


def _report(rid: str, incident: str, day: date = date(1989, 11, 16), country: str = "El Salvador",
            precision: int = 1) -> Report:
    return Report(rid, "muc4/train", incident, day, precision, country, None)


def _event(eid: str, reports: list[str], day: date | None = date(1989, 11, 16),
           country: str = "El Salvador") -> Event:
    coding = EventCoding("Violence against civilians", "Attack", event_date=day,
                         place=Place("San Salvador", country=country))
    mentions = tuple(
        EventMention(f"{eid}-{r}", r, f"a-{r}", 0, Span("x", 0, 1), coding) for r in reports
    )
    return Event(eid, coding, mentions)


def _stored(*events: Event) -> dict[str, list[Event]]:
    out: dict[str, list[Event]] = {"": list(events)}
    for ev in events:
        for m in ev.mentions:
            out.setdefault(m.doc_id, []).append(ev)
    return out


def test_one_record_per_incident_scores_perfectly() -> None:
    gold = IncidentGold((_report("r1", "A"), _report("r2", "A"), _report("r3", "B")), (("A", "B"),))
    s = score_incidents(gold, _stored(_event("e1", ["r1", "r2"]), _event("e2", ["r3"])), mode="dateline")
    assert (s.stored, s.bcubed_f1, s.records_per_incident, s.look_alikes_merged) == (100.0, 100.0, 1.0, 0)
    assert s.events_per_report == pytest.approx(2 / 3)


def test_split_records_lower_recall_and_merged_look_alikes_are_counted() -> None:
    gold = IncidentGold((_report("r1", "A"), _report("r2", "A"), _report("r3", "B")), (("A", "B"),))
    split = score_incidents(gold, _stored(_event("e1", ["r1"]), _event("e2", ["r2"]), _event("e3", ["r3"])),
                            mode="undated")
    assert split.bcubed_precision == 100.0 and split.bcubed_recall < 100.0
    assert split.records_per_incident == 1.5  # A stored twice, B once
    merged = score_incidents(gold, _stored(_event("e1", ["r1", "r2", "r3"])), mode="undated")
    assert merged.look_alikes_merged == 1 and merged.merged_pairs == ("A~B",)
    assert merged.bcubed_precision < 100.0


def test_a_report_is_stored_only_in_the_right_country_within_the_date_tolerance() -> None:
    gold = IncidentGold((
        _report("late", "A"), _report("abroad", "A"), _report("undated", "A"),
        _report("month", "B", precision=3),
    ), ())
    s = score_incidents(gold, _stored(
        _event("e1", ["late"], day=date(1989, 11, 20)),  # 4 days off a day-precise label
        _event("e2", ["abroad"], country="Honduras"),
        _event("e3", ["undated"], day=None),
        _event("e4", ["month"], day=date(1989, 11, 28)),  # 12 days off a month-precise label: within 15
    ), mode="undated")
    assert s.missed == ("abroad", "late", "undated")
    assert s.stored == 25.0 and s.found_incidents == 1


def test_the_closest_event_of_a_report_is_its_stored_event() -> None:
    gold = IncidentGold((_report("r1", "A"), _report("r2", "A")), ())
    far = _event("far", ["r1"], day=date(1989, 11, 18))
    near = _event("near", ["r1", "r2"])
    s = score_incidents(gold, _stored(far, near), mode="dateline")
    assert s.bcubed_f1 == 100.0 and s.records_per_incident == 1.0


def _write(path: Path, rows: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def _row(rid: str, incident: str, split: str = "dev") -> dict[str, object]:
    return {"id": rid, "source": "muc4/train", "incident": incident, "split": split,
            "report_date": "1989-11-17",
            "main": {"date": "1989-11-16", "time_precision": 1, "country": "El Salvador"}}


def test_reading_reports_and_look_alikes_by_split(tmp_path: Path) -> None:
    path = _write(tmp_path / "g.jsonl", [
        _row("r1", "A"), _row("r2", "B"), _row("r3", "C", "lockbox"),
        {"look_alike": ["A", "B"], "split": "dev"},
    ])
    assert is_incident_gold(path)
    gold = read_incident_gold(path, split="dev")
    assert [r.id for r in gold.reports] == ["r1", "r2"] and gold.look_alikes == (("A", "B"),)
    assert gold.reports[0].report_date == date(1989, 11, 17)


def test_a_look_alike_naming_no_labelled_incident_is_one_clear_error(tmp_path: Path) -> None:
    path = _write(tmp_path / "g.jsonl", [_row("r1", "A"), {"look_alike": ["A", "Z"], "split": "dev"}])
    with pytest.raises(InputError, match="no report"):
        read_incident_gold(path, split="dev")


def test_texts_come_from_the_shared_folder_and_their_absence_says_where(tmp_path: Path) -> None:
    reports = [_report("DEV-1", "A")]
    with pytest.raises(InputError, match="--shared"):
        read_texts(reports, tmp_path)
    (tmp_path / "dev-data" / "muc4").mkdir(parents=True)
    (tmp_path / "dev-data" / "muc4" / "train.json").write_text(json.dumps({"DEV-1": {"doc": "TEXT"}}))
    assert read_texts(reports, tmp_path) == {"DEV-1": "TEXT"}


def test_the_text_report_has_one_column_per_run() -> None:
    gold = IncidentGold((_report("r1", "A"),), ())
    scores = [score_incidents(gold, _stored(), mode="undated"),
              score_incidents(gold, _stored(_event("e", ["r1"])), mode="dateline")]
    text = format_incident_scores(scores, name="x")
    assert "undated" in text and "dateline" in text and "not stored (undated): r1" in text
