"""Document context against same-name places abroad: datelines, demonyms, regions named, qualifiers,
country hints refined to a region, unknown villages falling back to their region, upper-case copy."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from eventlens.config import Settings
from eventlens.geo import Geocoder, load_geocoder
from eventlens.geo.build import build_index
from eventlens.geo.context import dateline_toponyms
from eventlens.geo.toponyms import Toponym, find_toponyms, locative_runs, lowercase_start
from eventlens.model import Article, EventCoding, EventMention, Place, Span
from eventlens.nlp.parser import ParsedArticle, parse

FIXTURES = Path(__file__).parent / "fixtures" / "geonames"


def _parsed(geo_nlp, text: str) -> ParsedArticle:  # type: ignore[no-untyped-def]
    return next(parse(geo_nlp, [Article("c1-a0", "c1", 0, None, text)]))


def _place(geocoder: Geocoder, geo_nlp, text: str, evidence: str | None = None,  # type: ignore[no-untyped-def]
           location: str | None = None) -> Place:
    parsed = _parsed(geo_nlp, text)
    evidence = evidence or text
    start = text.index(evidence)
    coding = EventCoding("Battles", "Armed clash", location_text=location)
    mention = EventMention("c1-a0-m0", "c1", "c1-a0", 0, Span(evidence, start, start + len(evidence)), coding)
    [out] = geocoder.locate(parsed, [mention])
    assert out.coding.place is not None
    return out.coding.place


def test_dateline_toponyms() -> None:
    text = "NASIRIYAH, Iraq, July 16, 2024 — Police fired on protesters in Nasiriyah."
    tops = [Toponym("NASIRIYAH", 0, 9, "GPE"), Toponym("Iraq", 11, 15, "GPE"),
            Toponym("Nasiriyah", 64, 73, "GPE")]
    assert [t.text for t in dateline_toponyms(text, tops)] == ["NASIRIYAH", "Iraq"]
    assert dateline_toponyms("Police fired on protesters in Nasiriyah.", tops[2:]) == []
    assert lowercase_start("new county") and not lowercase_start("al-Qaim") and not lowercase_start("Gaza")


@pytest.mark.slow
@pytest.mark.parametrize("text", [
    "BAMAKO, Mali — Gunmen ambushed an army supply column near the town of Boni in the central Mopti "
    "region on Tuesday, killing eight soldiers.",
    "GAO, Mali — Jihadists attacked an army post near the village of Boni in the Mopti region.",
    "Militants attacked soldiers escorting trucks near Boni, a town in Mali's Mopti region, the army said.",
])
def test_namesake_abroad_loses_to_the_article_country(geocoder: Geocoder, geo_nlp, text: str) -> None:  # type: ignore[no-untyped-def]
    place = _place(geocoder, geo_nlp, text, location="Boni")
    assert (place.country, place.admin1) == ("Mali", "Mopti")
    assert place.geo_precision in (2, 3)  # the region when the village is not in the gazetteer


@pytest.mark.slow
def test_a_country_name_naming_a_neighbourhood_is_no_country(geocoder: Geocoder, geo_nlp) -> None:  # type: ignore[no-untyped-def]
    text = ("THE POLICE COMMANDER WAS SHOT DEAD THIS MORNING IN MEDELLIN. AS HIS VEHICLE DROVE THROUGH THE "
            "AMERICA NEIGHBORHOOD, GUNMEN IN A GRAY VEHICLE FIRED ON IT.")
    place = _place(geocoder, geo_nlp, text, location="MEDELLIN")
    assert (place.country, place.location) == ("Colombia", "Medellin")


@pytest.mark.slow
def test_a_demonym_alone_rejects_an_alternate_name_abroad(geocoder: Geocoder, geo_nlp) -> None:  # type: ignore[no-untyped-def]
    place = _place(geocoder, geo_nlp,
                   "Militants ambushed a convoy near Boni on Tuesday, killing eight Malian "
                   "soldiers, the army said.")
    assert place.country == "Mali"


@pytest.mark.slow
@pytest.mark.parametrize(("text", "location"), [
    ("BOGOTA, April 11, 2024 - Riot police fired tear gas on teachers marching towards the Congress "
     "building in central Bogota.", None),
    ("BOGOTA, April 11, 2024 - Riot police fired tear gas on teachers marching towards the Congress "
     "building in central Bogota.", "Congress"),
    ("BOGOTA, May 2 - Police used water cannon against students in central Bogota, the US embassy "
     "said.", None),
    ("Protesters clashed with police outside the Congress building in Lima as lawmakers debated.", None),
])
def test_capital_beats_small_namesake_and_congress_is_no_town(  # type: ignore[no-untyped-def]
        geocoder: Geocoder, geo_nlp, text: str, location: str | None) -> None:
    place = _place(geocoder, geo_nlp, text, location=location)
    assert place.country in ("Colombia", "Peru")
    assert place.location in ("Bogota", "Lima")


@pytest.mark.slow
@pytest.mark.parametrize(("text", "country", "admin1"), [
    ("A man was shot dead in Paris, Texas, after an argument outside a bar, police said.",
     "United States", "Texas"),
    ("PARIS, Texas — A gunman opened fire at a gas station in Paris on Friday.", "United States", "Texas"),
    ("Police fired tear gas at marchers in Paris on Saturday.", "France", "Ile-de-France"),
    ("Police in Bogota, New Jersey, arrested three teenagers after a brawl.", "United States", "New Jersey"),
    ("Police in Alexandria, Virginia, arrested a man who fired shots outside a mall.", "United States",
     "Virginia"),
    ("HAMILTON, Ontario — Police arrested six people after a protest turned violent.", "Canada", "Ontario"),
    ("Clashes broke out in Hamilton after a match, Scottish police said.", "United Kingdom", "Scotland"),
    ("Gunmen from rival neighbourhoods clashed in Tripoli, Lebanese army sources said.", "Lebanon", None),
    ("Rival militias clashed in Tripoli overnight, Libyan officials said.", "Libya", "Tripoli"),
])
def test_qualifiers_datelines_and_demonyms_pick_the_namesake(  # type: ignore[no-untyped-def]
        geocoder: Geocoder, geo_nlp, text: str, country: str, admin1: str | None) -> None:
    place = _place(geocoder, geo_nlp, text)
    assert place.country == country
    if admin1:
        assert place.admin1 == admin1
    assert place.geo_precision == 1


@pytest.mark.slow
@pytest.mark.parametrize(("text", "hint", "admin1"), [
    ("Military aircraft bombed a village in Myanmar's Sagaing region on Monday, killing nine.", "Myanmar",
     "Sagaing"),
    ("Gunmen killed 14 people in a raid on a village in Nigeria's northwestern Zamfara state.", "Nigeria",
     "Zamfara"),
    ("Gunmen killed 14 people in a raid on a village in Nigeria's northwestern Zamfara state.", None,
     "Zamfara"),
    ("Fighting between the army and militias intensified in Ethiopia's Amhara region.", "Ethiopia", "Amhara"),
])
def test_region_level_events_get_the_region(  # type: ignore[no-untyped-def]
        geocoder: Geocoder, geo_nlp, text: str, hint: str | None, admin1: str) -> None:
    place = _place(geocoder, geo_nlp, text, location=hint)
    assert (place.admin1, place.geo_precision, place.feature) == (admin1, 3, "ADM1")
    assert place.latitude is not None and place.longitude is not None


@pytest.mark.slow
@pytest.mark.parametrize(("text", "feature", "country"), [
    ("An air strike hit a house in Gaza City, killing five, the Palestinian health ministry said.", "PPL",
     "Palestine"),
    ("Fighting continued across the Gaza Strip on Tuesday as tanks pushed into several areas.", "ADM1",
     "Palestine"),
    ("A bomb exploded at a mosque in Kandahar city during Friday prayers.", "PPL", "Afghanistan"),
    ("Taliban fighters attacked police posts across Kandahar province.", "ADM1", "Afghanistan"),
])
def test_city_or_region(geocoder: Geocoder, geo_nlp, text: str, feature: str, country: str) -> None:  # type: ignore[no-untyped-def]
    place = _place(geocoder, geo_nlp, text)
    assert (place.feature, place.country) == (feature, country)


_STOPWORDS = {"of", "he", "in", "it", "at", "on", "us", "an", "to", "the", "near", "city", "she", "we"}


@pytest.mark.slow
@pytest.mark.parametrize("text", [
    "TAIZ, YEMEN, 12 MAY 2024 (YEMEN NEWS SERVICE) -- SEVEN FIGHTERS WERE KILLED IN CLASHES ON THE EDGE OF\n"
    "THE CITY OF TAIZ, A SPOKESMAN SAID. FOUR OF THEM WERE SOLDIERS, HE SAID.",
    "GUNMEN ATTACKED A POLICE STATION IN THE TOWN OF HE, OFFICIALS SAID. OF THE 12 OFFICERS, HE SAID, FOUR\n"
    "DIED. IT WAS IN AN AREA OF DISPUTE ON THE ROAD TO ADEN.",
    "NICE WORK BY THE SOLDIERS IN MOSUL, A SPOKESMAN SAID. READING THE STATEMENT, HE SAID MOBILE UNITS\n"
    "WERE SENT TO SPLIT THE ATTACKERS. US AND UN OFFICIALS WERE AT THE SCENE.",
])
def test_upper_case_words_are_no_places(geocoder: Geocoder, geo_nlp, text: str) -> None:  # type: ignore[no-untyped-def]
    parsed = _parsed(geo_nlp, text)
    _, found = find_toponyms(parsed.doc, geocoder.keys)
    names = [t.text.lower() for t in [*found, *locative_runs(parsed.doc, found)]]
    assert not _STOPWORDS & set(names), names
    assert not {"nice", "reading", "mobile", "split"} & set(names), names
    place = _place(geocoder, geo_nlp, text)
    assert place.country in ("Yemen", "Iraq")


@pytest.mark.slow
def test_upper_case_english_words_are_no_places(geocoder: Geocoder, geo_nlp) -> None:  # type: ignore[no-untyped-def]
    """spaCy tags plain words as places in capitals; after "FROM THE", "IN THE" they even look cued."""
    text = (
        "FROM THE TIME THEY WERE CAPTURED, THE GUERRILLAS WERE HELD IN THE NORTHERN OUTSKIRTS OF THE "
        "GARRISON. IN THE WAR, AT THE TURN OF THE YEAR, SOLDIERS KILLED TWO REBELS IN MOSUL."
    )
    parsed = _parsed(geo_nlp, text)
    names = {e.text.lower() for e in parsed.doc.ents if e.label_ in ("GPE", "LOC")}
    runs = {t.text.lower() for t in locative_runs(parsed.doc, [], geocoder.keys)}
    assert not {"time", "northern", "garrison", "war", "turn"} & (names | runs), (names, runs)
    assert "mosul" in names  # a big town of that name stays
    place = _place(geocoder, geo_nlp, text)
    assert (place.location, place.country) == ("Mosul", "Iraq")


@pytest.mark.slow
def test_upper_case_dateline_city_found(geocoder: Geocoder, geo_nlp) -> None:  # type: ignore[no-untyped-def]
    text = "MOSUL, IRAQ - GUNMEN KILLED TWO POLICEMEN IN THE WEST OF THE CITY, AN OFFICER SAID."
    place = _place(geocoder, geo_nlp, text)
    assert (place.location, place.country, place.geo_precision) == ("Mosul", "Iraq", 1)


@pytest.mark.slow
def test_lowercase_entities_are_no_places(geocoder: Geocoder, geo_nlp) -> None:  # type: ignore[no-untyped-def]
    parsed = _parsed(geo_nlp, "Protesters rallied in Paris, Texas, against the new county tax.")
    _, found = find_toponyms(parsed.doc, geocoder.keys)
    assert [t.text for t in found] == ["Paris", "Texas"]


@pytest.mark.slow
def test_plain_settings_and_a_village_tier_from_nested_folders(tmp_path: Path) -> None:
    plain = load_geocoder(Settings())
    assert [ix.tier for ix in plain.resolver.indexes] == ["builtin"]
    nested = tmp_path / "data" / "geonames"
    shutil.copytree(FIXTURES, nested)
    report = build_index([tmp_path / "data"], tmp_path / "village.sqlite")
    assert report.places > 0 and "XX.txt" in report.sources
    village = load_geocoder(Settings(gazetteer=str(tmp_path / "village.sqlite")))
    assert [ix.tier for ix in village.resolver.indexes] == ["builtin", "village"]


@pytest.mark.slow
def test_where_the_spokesman_speaks_is_not_the_event_place(geocoder: Geocoder, geo_nlp) -> None:  # type: ignore[no-untyped-def]
    text = ("Gunmen killed 14 people in a raid on the village of Kuryan Madaro in Nigeria's northwestern "
            "Zamfara state. The attackers set fire to homes and grain stores, a police spokesman in Gusau, "
            "the state capital, told reporters.")
    place = _place(geocoder, geo_nlp, text, evidence="The attackers set fire to homes and grain stores")
    assert (place.location, place.geo_precision) == ("Zamfara", 3)


@pytest.mark.slow
def test_a_place_named_once_is_a_place_again(geocoder: Geocoder, geo_nlp) -> None:  # type: ignore[no-untyped-def]
    text = ("Shells hit a street in the town of Sarmin in Syria's Idlib province. Later a drone struck a "
            "car on the road between Sarmin and Saraqeb, killing one man.")
    evidence = "Later a drone struck a car on the road between Sarmin and Saraqeb, killing one man."
    place = _place(geocoder, geo_nlp, text, evidence=evidence)
    assert (place.location, place.admin1, place.geo_precision) == ("Sarmin", "Idlib", 2)


@pytest.mark.slow
@pytest.mark.parametrize(("text", "location", "country", "admin1", "precision"), [
    # the codebook's event descriptions write a place's admin units in brackets after it
    ("On 14 August 2018, unidentified gunmen shot dead a village chief in Bama (Borno).", "Bama",
     "Nigeria", "Borno", 1),
    # Baga is in neither tier's Nigeria, only in Catalonia and Goa: the bracketed state is the place
    ("On 7 July 2017, fighters abducted 5 fishermen near Baga (Kukawa, Borno).", "Baga", "Nigeria", "Borno",
     3),
    ("Gunmen abducted 5 fishermen in Baga (Borno state) on Monday.", "Baga", "Nigeria", "Borno", 3),
    # the same with a comma, when no namesake abroad is a notable place
    ("Gunmen abducted 5 fishermen in Baga, Borno, on Monday.", "Baga", "Nigeria", "Borno", 3),
    # regions under the names reports give them (built-in: Hiiraan, Nineveh, Oromiya, Northern Darfur)
    ("Al Shabaab militants attacked an army base in Bulo Burto (Hiraan).", "Bulo Burto", "Somalia", "Hiiraan",
     1),
    ("Militants killed two civilians near Tal Afar (Ninewa).", "Tal Afar", "Iraq", "Nineveh", 2),
    ("Gunmen killed 12 civilians in Gimbi (West Wellega, Oromia).", "Gimbi", "Ethiopia", "Oromiya", 1),
    ("Fighters attacked Geneina (West Darfur), killing 30 civilians.", "Geneina", "Sudan", "Western Darfur",
     1),
    # a bracketed name that is also a town is the region there; a spelling variant inside it is the place
    # even where the coder took the region's name for the place's
    ("An IED exploded under a military vehicle near Tal Tamr (Al-Hasakeh).", "Al-Hasakeh", "Syria",
     "Al-Hasakah", 2),
    ("An aircraft bombed Pazigyi village (Kanbalu, Sagaing), killing 160 people.", "Pazigyi", "Myanmar",
     "Sagaing", 3),
    # a multi-word place before the bracket, both tagged as persons / organisations
    ("A suicide bomber blew himself up at a Sufi shrine in Jhal Magsi (Balochistan).", "Jhal Magsi",
     "Pakistan", "Balochistan", 3),
])
def test_a_bracketed_or_comma_region_qualifies_the_place_before_it(  # type: ignore[no-untyped-def]
        geocoder: Geocoder, geo_nlp, text: str, location: str, country: str, admin1: str,
        precision: int) -> None:
    place = _place(geocoder, geo_nlp, text, location=location)
    assert (place.country, place.admin1, place.geo_precision) == (country, admin1, precision)


@pytest.mark.slow
def test_an_agency_in_brackets_after_a_place_is_no_region(geocoder: Geocoder, geo_nlp) -> None:  # type: ignore[no-untyped-def]
    parsed = _parsed(geo_nlp, "KABUL (Xinhua) -- Seven militants were killed in Kandahar, police said.")
    assert "Xinhua" not in {t.text for t in find_toponyms(parsed.doc, geocoder.keys)[1]}


def test_region_aliases_name_built_in_regions() -> None:
    from eventlens.geo.builtin import admin1_aliases, builtin_index_path
    from eventlens.geo.index import GazetteerIndex

    index = GazetteerIndex(builtin_index_path(), "builtin")
    missing = {(cc, admin1) for regions in admin1_aliases().values() for cc, admin1, _ in regions
               if index.admin1(cc, admin1) is None}
    assert not missing  # every alias points at a region the built-in tier has under that exact name


@pytest.mark.slow
@pytest.mark.parametrize("text", [
    "A suicide car bomb kills three Black Watch(Scottish) soldiers south of Baghdad at Camp Dogwood.",
    "Fighting near Kidal (Kidal region (north)) and in (Gao, Mali.",
    "(Borno) gunmen killed 12 in Bama (Borno",
])
def test_brackets_anywhere_never_break_the_toponym_scan(geocoder: Geocoder, geo_nlp, text: str) -> None:  # type: ignore[no-untyped-def]
    parsed = _parsed(geo_nlp, text)
    find_toponyms(parsed.doc, geocoder.keys)


@pytest.mark.slow
def test_the_democratic_republic_split_before_congo_is_still_drc(geocoder: Geocoder, geo_nlp) -> None:  # type: ignore[no-untyped-def]
    text = "Rebels hacked 16 civilians to death in the Eastern Democratic Republic of the Congo."
    assert _place(geocoder, geo_nlp, text).country == "Democratic Republic of Congo"
