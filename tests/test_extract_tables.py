"""The coder's tables: PLOVER mapping, country table and periods, actor dictionary, lexicon."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from eventlens.extract.arguments.actors import load_group_aliases
from eventlens.extract.arguments.countries import article_country
from eventlens.extract.arguments.plover import covers_ontology, plover_for
from eventlens.extract.rules.lexicon import load_cues
from eventlens.geo.countries import demonym_stem, load_country_table
from eventlens.model import ACLED_TYPES

if TYPE_CHECKING:
    from spacy.language import Language


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
    assert table.period("Iraq", date(2020, 8, 19)) == "2020-2022"
    assert table.period("Iraq", date(2022, 3, 1)) == "2020-2022"  # the new era began in October
    assert table.period("Iraq", None) == "2022-"
    assert table.period("Iraq", date(2024, 1, 1)) == "2022-"
    assert table.period("Iraq", date(1990, 1, 1)) is None  # before the table: an era it cannot name
    assert table.period("Syria", date(2024, 11, 30)) == "2000-2024"
    assert table.period("Syria", date(2024, 12, 8)) == "2024-"
    assert table.period("Gondor", date(2020, 1, 1)) is None


def test_unlisted_demonyms_possessives_and_cities_without_accents() -> None:
    table = load_country_table()
    assert table.lookup("Salvadoran") is None  # a plain lookup takes listed words only
    assert table.lookup("Salvadoran", demonym=True) == "El Salvador"
    assert table.lookup("NORTH KOREAN", demonym=True) == "North Korea"
    assert table.lookup("Peruvian", demonym=True) == "Peru"
    assert table.lookup("Honduran", demonym=True) == "Honduras"
    assert table.lookup("Cuban", demonym=True) == "Cuba"
    assert table.lookup("Dominican", demonym=True) == "Dominican Republic"
    assert table.lookup("Christian", demonym=True) is None  # not Christmas Island
    assert table.lookup("Korean", demonym=True) is None  # North or South
    assert table.lookup("EL SALVADOR'S") == "El Salvador"
    assert table.country_of_city("POPAYAN") == "Colombia"  # Popayán
    assert table.country_of_city("Cancun") == "Mexico"  # not a Chinese city's alternate name


def test_article_country_in_capitals_counts_known_places_only(stub_nlp: Language) -> None:
    """Upper-case wire text: NER tags common words as places, and an invented country needs a name.
    (The entities are set by hand, so the tokenizer is all the test needs of spaCy.)"""
    table = load_country_table()

    def country(text: str, place: str) -> str | None:
        doc = stub_nlp.make_doc(text)
        start = text.index(place)
        doc.ents = [doc.char_span(start, start + len(place), label="GPE")]
        return article_country(doc, table).name

    assert country("Troops of Gondor crossed the river at dawn and burned the bridge.", "Gondor") == "Gondor"
    assert country("THE INJURED WERE TAKEN TO A HOSPITAL IN THE CAPITAL ON MONDAY.", "INJURED") is None
    assert country("GUERRILLAS ATTACKED A POST NEAR POPAYAN ON MONDAY NIGHT.", "POPAYAN") == "Colombia"


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
