"""Country context for actor names: which country an article is about, and the country of a
GPE/NORP word. The table is :mod:`eventlens.geo.countries` (the one country table); unknown (e.g.
invented) countries fall back to the GPE/NORP entities themselves, so "Gondorian troops" in an
article about "Gondor" become "Military Forces of Gondor".
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from eventlens.geo.countries import CountryTable, demonym_stem
from eventlens.geo.toponyms import shouting

if TYPE_CHECKING:
    from spacy.tokens import Doc

__all__ = ["CountryContext", "article_country", "country_of_word"]

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class CountryContext:
    """The article's main country and the date its events happen about (for state-force periods)."""

    name: str | None
    when: date | None = None


def country_of_word(word: str, table: CountryTable, known_gpes: tuple[str, ...]) -> str | None:
    """Country for a GPE/NORP word: the table, else an unknown GPE it derives from."""
    found = table.lookup(word, demonym=True)
    if found:
        return found
    stem = demonym_stem(word).lower()
    for gpe in known_gpes:
        if gpe.lower().startswith(stem):
            return gpe
    return None


_DATELINE = re.compile(r"^\s*[A-Z][A-Z .'-]{1,30},\s*([A-Z][A-Za-z .'-]{1,40}?)\s*(,|[—–]|--|-\s|\()")


_CITY_LINE = re.compile(r"^\s*([A-Z][A-Z .'-]{1,30}?)\s*([—–]|--)")


def _dateline_country(doc: Doc, table: CountryTable) -> str | None:
    """ "KHERSON, Ukraine — ...": the country a dateline names is the article's."""
    head = doc[: min(len(doc), 40)].text  # never the whole text (Doc.text joins every token)
    match = _DATELINE.match(head[:120])
    if match:
        return table.lookup(match.group(1).strip())
    city = _CITY_LINE.match(head[:60])  # "BOGOTA — ..."
    return table.country_of_city(city.group(1).strip().title()) if city else None


def article_country(doc: Doc, table: CountryTable, when: date | None = None) -> CountryContext:
    """The most mentioned country in the article (known countries first, then invented ones)."""
    known: Counter[str] = Counter()
    by_city: Counter[str] = Counter()
    unknown: Counter[str] = Counter()
    placed: Counter[str] = Counter()
    last: dict[str, int] = {}
    gpes = tuple(dict.fromkeys(e.text for e in doc.ents if e.label_ == "GPE"))
    # in all-capitals wire text NER tags common words as places ("INJURED", "CHARGE"): there, only
    # a known country or city counts
    guesses = not shouting(doc)
    for ent in doc.ents:
        if ent.label_ not in ("GPE", "NORP"):
            continue
        name = table.lookup(ent.text, demonym=True)
        if name:
            known[name] += 2 if ent.label_ == "GPE" else 1  # "Russian artillery shelled Kherson, Ukraine"
            placed[name] += ent.label_ == "GPE"
            last[name] = ent.start
            continue
        city_country = table.country_of_city(ent.text) if ent.label_ == "GPE" else None
        if city_country:
            by_city[city_country] += 1
            last[city_country] = ent.start
            continue
        guess = ent.text
        if ent.label_ == "NORP":
            guess = country_of_word(ent.text, table, gpes) or demonym_stem(ent.text)
        if guess and guesses:
            unknown[guess] += 3 if ent.label_ == "NORP" else 1
            last[guess] = ent.start
    for tok in doc:
        if tok.is_title and not tok.ent_type_ and tok.lower_ in table.aliases:
            name = table.aliases[tok.lower_]  # demonyms spaCy did not tag ("Sudanese Armed Forces")
            known[name] += 1
            last.setdefault(name, tok.i)
    dateline = _dateline_country(doc, table)
    if dateline:
        return CountryContext(dateline, when)
    pool = (known + by_city) or unknown  # towns count for their country ("Khan Younis")
    if not pool:
        return CountryContext(None, when)
    best = max(pool, key=lambda n: (pool[n], placed[n], last[n]))
    return CountryContext(best, when)
