"""The coder's tables: PLOVER mapping, country table and periods, actor dictionary, lexicon."""

from __future__ import annotations

from eventlens.extract.actors import load_group_aliases
from eventlens.extract.countries import demonym_stem, load_country_table
from eventlens.extract.lexicon import load_cues
from eventlens.extract.plover import covers_ontology, plover_for
from eventlens.model import ACLED_TYPES


def test_plover_covers_every_sub_event_type() -> None:
    assert covers_ontology()
    assert plover_for("Change to group/activity", "withdrew") == "RETREAT"
    assert plover_for("Change to group/activity", "formed") == "MOBILIZE"
    assert plover_for("Agreement") == "AGREE"


def test_country_lookup_and_periods() -> None:
    table = load_country_table()
    assert table.lookup("Iraqi") == "Iraq"
    assert table.lookup("the United States") == "United States"
    assert table.lookup("Congolese") == "Democratic Republic of Congo"
    assert table.lookup("Norway") == "Norway"  # via pycountry
    assert table.lookup("Gondor") is None
    assert table.period("Iraq", 2020) == "2020-2022"
    assert table.period("Iraq", None) == "2022-"
    assert table.period("Iraq", 2024) == "2022-"
    assert table.period("Gondor", 2020) is None


def test_demonym_stem() -> None:
    assert demonym_stem("Gondorian") == "Gondor"
    assert demonym_stem("Arnorian") == "Arnor"


def test_actor_dictionary_rows() -> None:
    rows = load_group_aliases()
    assert all(alias == alias.lower() and 1 <= inter <= 8 for alias, _, inter in rows)
    names = {name for _, name, _ in rows}
    assert "Kata'ib Hizballah" in names
    assert "Boko Haram - Jamaatu Ahli is-Sunnah lid-Dawati wal-Jihad" in names


def test_lexicon_sub_types_exist() -> None:
    subs = {s for group in ACLED_TYPES.values() for s in group}
    cues = load_cues()
    assert {c.sub for c in cues if c.sub} <= subs
    assert len({c.key for c in cues}) == len(cues)
