"""The packaged gazetteer data: curated places are consistent with the built-in index."""

from __future__ import annotations

import csv

import pytest

from eventlens.geo.builtin import builtin_index_path, data_file
from eventlens.geo.countries import load_country_table
from eventlens.geo.index import GazetteerIndex
from eventlens.geo.normalize import name_key


@pytest.fixture(scope="module")
def builtin() -> GazetteerIndex:
    return GazetteerIndex(builtin_index_path(), "builtin")


def _curated() -> list[dict[str, str]]:
    with data_file("conflict_places.tsv").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def test_curated_rows_are_well_formed() -> None:
    rows = _curated()
    assert 100 <= len(rows) <= 200
    assert len({r["id"] for r in rows}) == len(rows)
    for r in rows:
        assert -90 <= float(r["lat"]) <= 90 and -180 <= float(r["lon"]) <= 180, r["id"]
        assert r["feature"] in {"AIRB", "CAMP", "CRSG", "FAC", "AREA", "RGN", "NBHD", "PPL"}, r["id"]
        assert r["source"] == "project-curated, approximate"


@pytest.mark.slow
def test_curated_regions_exist_in_builtin(builtin: GazetteerIndex) -> None:
    for r in _curated():
        assert builtin.admin1(r["cc"], r["admin1"]) is not None, (r["id"], r["cc"], r["admin1"])


@pytest.mark.slow
def test_builtin_seed_places(builtin: GazetteerIndex) -> None:
    basra = [p for p in builtin.by_key(name_key("Basra")) if p.cc == "IQ"]
    assert {(p.feature, p.admin1) for p in basra} == {("PPL", "Basra"), ("ADM1", "Basra")}
    [iraq] = [p for p in builtin.by_key("iraq") if p.feature == "PCL"]
    assert iraq.name == "Iraq"
    assert builtin.country("PS") is not None and builtin.country("PS").name == "Palestine"  # type: ignore[union-attr]
    assert builtin.meta["tier"] == "builtin"
    credits = [row[0] for row in builtin.con.execute("SELECT credit FROM attribution")]
    assert any("GeoNames" in c and "CC BY 4.0" in c for c in credits)


def test_countries_and_demonyms() -> None:
    countries = load_country_table()
    cd = countries.get("CD")
    assert cd is not None and (cd.iso3, cd.name) == ("COD", "Democratic Republic of Congo")
    assert countries.demonym("Iraqis") == "IQ"
    assert countries.demonym("Burkinabe") == "BF"
    assert countries.demonym("Martian") is None
