"""Countries: ISO codes, short common English names, and nationality adjectives."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from eventlens.geo.builtin import data_file
from eventlens.geo.normalize import name_key

__all__ = ["Countries", "Country"]


@dataclass(frozen=True, slots=True)
class Country:
    cc: str
    iso3: str
    name: str


class Countries:
    """Lookup of countries by ISO alpha-2 and of demonyms ("Iraqi" → IQ)."""

    def __init__(self, table: Path | None = None, demonyms: Path | None = None) -> None:
        with (table or data_file("countries.tsv")).open(encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh, delimiter="\t"))
        self._by_cc = {r["cc"]: Country(r["cc"], r["iso3"], r["name"]) for r in rows}
        with (demonyms or data_file("demonyms.tsv")).open(encoding="utf-8") as fh:
            self._demonyms = {name_key(r["demonym"]): r["cc"] for r in csv.DictReader(fh, delimiter="\t")}

    def get(self, cc: str) -> Country | None:
        return self._by_cc.get(cc)

    def demonym(self, word: str) -> str | None:
        """The country code of a nationality adjective or plural ("Iraqis"), else None."""
        key = name_key(word)
        return self._demonyms.get(key) or (self._demonyms.get(key[:-1]) if key.endswith("s") else None)
