"""Scoring the whole pipeline on reports labelled event by event (evaluation/reports.py)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from eventlens.errors import InputError
from eventlens.evaluation.reports import GoldItem, format_scores, is_report_gold, read_gold, score_reports


def _ev(
    sub: str, inter1: int = 3, inter2: int = 7, fatalities: int | None = None, **kw: object
) -> dict[str, object]:
    return {"sub_event_type": sub, "inter1": inter1, "inter2": inter2, "fatalities": fatalities, **kw}


def _item(item_id: str, *events: dict[str, object]) -> GoldItem:
    return GoldItem(item_id, "text", date(2020, 1, 1), tuple(events))


def test_detection_none_recall_types_actors_and_counts() -> None:
    items = [
        _item("bomb", _ev("Suicide bomb", fatalities=6, country="Iraq")),
        _item("clash", _ev("Armed clash", 1, 3)),
        _item("quiet"),
        _item("statement"),
    ]
    predicted = {
        "bomb": [
            {"sub_event_type": "Suicide bomb", "inter1": 3, "inter2": 7, "fatalities": 6, "confidence": 0.9,
             "country": "Iraq"}
        ],
        "clash": [
            {"sub_event_type": "Attack", "inter1": 3, "inter2": 7, "fatalities": 0, "confidence": 0.6},
            {"sub_event_type": "Armed clash", "inter1": 1, "inter2": 3, "fatalities": 0, "confidence": 0.4},
        ],
        "statement": [{"sub_event_type": "Arrests", "inter1": 1, "inter2": 7, "confidence": 0.55}],
    }
    s = score_reports(items, predicted)
    assert (s.items, s.event_items, s.none_items) == (4, 2, 2)
    assert s.detection == 100.0
    assert s.none_recall == 50.0  # "statement" got an event
    assert s.event_type_accuracy == 50.0  # the clash's top event is an Attack
    assert s.inter_pair_accuracy == 50.0
    assert (s.country_accuracy, s.country_n) == (100.0, 1)
    assert s.fatalities_exact == 100.0
    assert s.events_per_incident == 1.5  # the clash item got two records
    assert (s.event_precision, s.event_recall) == (50.0, 100.0)  # 2 of 4 emitted match a labelled event
    assert ("Armed clash", "Attack", 1) in s.confusions
    assert "none recall 50.0%" in format_scores(s)


def test_the_top_event_is_scored_against_the_matching_event_of_a_multi_event_item() -> None:
    items = [_item("two", _ev("Air/drone strike", 8, 7), _ev("Armed clash", 1, 2))]
    predicted = {"two": [{"sub_event_type": "Armed clash", "inter1": 2, "inter2": 1, "confidence": 0.8}]}
    s = score_reports(items, predicted)
    assert s.sub_event_weighted_f1 == 100.0
    assert s.inter_pair_accuracy == 100.0  # {1, 2} as a multiset, whatever the order


def test_a_figure_not_reported_scores_as_zero_deaths() -> None:
    items = [_item("raid", _ev("Arrests", 1, 7, fatalities=None))]
    s = score_reports(items, {"raid": [{"sub_event_type": "Arrests", "fatalities": 0, "confidence": 0.7}]})
    assert s.fatalities_exact == 100.0


def test_calibration_error_is_the_gap_between_confidence_and_accuracy() -> None:
    items = [_item(f"i{n}", _ev("Attack")) for n in range(4)]
    right = {"sub_event_type": "Attack", "confidence": 0.95}
    wrong = {"sub_event_type": "Arrests", "confidence": 0.95}
    s = score_reports(items, {"i0": [right], "i1": [right], "i2": [wrong], "i3": [wrong]})
    assert s.calibration_error == pytest.approx(45.0)


def test_reading_gold_files(tmp_path: Path) -> None:
    path = tmp_path / "gold.jsonl"
    rows = [{"id": "a", "text": "x", "date": "2021-03-04", "events": [], "split": "dev"},
            {"id": "b", "text": "y", "events": [_ev("Attack")], "split": "train"}]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    assert is_report_gold(path)
    assert [i.id for i in read_gold(path, split="dev")] == ["a"]
    assert read_gold(path)[0].published == date(2021, 3, 4)
    with pytest.raises(InputError, match="no labelled reports in split 'lockbox'"):
        read_gold(path, split="lockbox")
    sentences = tmp_path / "sentences.jsonl"
    sentences.write_text('{"text": "x", "label": "none"}\n', encoding="utf-8")
    assert not is_report_gold(sentences)


def test_the_committed_real_gold_is_well_formed() -> None:
    root = Path(__file__).resolve().parents[1] / "data" / "real"
    wcep = read_gold(root / "wcep_gold.jsonl")
    assert len(wcep) >= 5000
    splits = [json.loads(line)["split"] for line in (root / "wcep_gold.jsonl").open(encoding="utf-8")]
    assert splits.count("lockbox") >= 1000
    assert sum(not i.events for i in wcep) >= 1500
    assert all(str(e["quote"]) in i.text for i in wcep for e in i.events)
    assert len(read_gold(root / "voa_gold.jsonl")) == 89


def test_lead_date_forms_carry_the_day_and_withhold_publication() -> None:
    from eventlens.evaluation.reports import with_lead_date

    day = date(2016, 3, 14)
    items = [GoldItem("a", "The army shelled Idlib.", day, (), day),
             GoldItem("b", "Houthis fired.", day, (), day), GoldItem("c", "No day here.", None, (), None)]
    numeric = with_lead_date(items, "numeric")
    written = with_lead_date(items, "written")
    assert [i.text for i in numeric[:2]] == ["03/14/2016: The army shelled Idlib.",
                                             "03/14/2016: Houthis fired."]
    # a sentence-start capital goes, a name's stays
    assert [i.text for i in written[:2]] == ["On 14 March 2016, the army shelled Idlib.",
                                             "On 14 March 2016, Houthis fired."]
    assert all(i.published is None and i.day == day for i in numeric[:2] + written[:2])
    assert numeric[2] == items[2] and written[2] == items[2]
    with pytest.raises(ValueError, match="lead-date form"):
        with_lead_date(items, "iso")


def test_date_exact_scores_the_top_event_against_the_items_day() -> None:
    day = date(2016, 3, 14)
    items = [GoldItem("a", "t", None, (_ev("Attack"),), day), GoldItem("b", "t", None, (_ev("Attack"),), day)]
    predicted = {"a": [{"sub_event_type": "Attack", "event_date": "2016-03-14", "confidence": 0.9}],
                 "b": [{"sub_event_type": "Attack", "event_date": None, "confidence": 0.9}]}
    assert score_reports(items, predicted).date_exact == 50.0
