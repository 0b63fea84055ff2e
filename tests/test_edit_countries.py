"""Country edits: every country eventlens writes is accepted by its name (any case) and its ISO3 code,
stored as eventlens writes it with its ISO3 code; other words are refused with the nearest names."""

from __future__ import annotations

import pytest

from eventlens.errors import InvalidEditError
from eventlens.geo.countries import load_country_table
from eventlens.store.edits import _validate


def test_every_known_country_is_accepted_by_name_and_code() -> None:
    for c in load_country_table().iso.values():
        for typed in (c.name, f" {c.name.lower()} ", c.iso3.lower()):
            assert _validate({"country": typed}) == {"country": c.name.strip(), "iso3": c.iso3}, typed


def test_aliases_give_the_written_name() -> None:
    assert _validate({"country": "the DRC"}) == {"country": "Democratic Republic of Congo", "iso3": "COD"}
    assert _validate({"country": "USA"})["country"] == "United States"


@pytest.mark.parametrize(("typed", "hint"), [("Irak", "did you mean Iraq"), ("Narnia", "not a country")])
def test_unknown_countries_are_refused_with_the_nearest_names(typed: str, hint: str) -> None:
    with pytest.raises(InvalidEditError, match=hint):
        _validate({"country": typed})


def test_an_iso3_code_must_be_the_countrys() -> None:
    with pytest.raises(InvalidEditError, match="SYR"):
        _validate({"country": "Syria", "iso3": "UKR"})
    assert _validate({"country": "Syria", "iso3": "syr"}) == {"country": "Syria", "iso3": "SYR"}
