"""`build_index` on tiny GeoNames/WOF fixtures, and (slow) on the real WOF extracts."""

from __future__ import annotations

import gzip
import shutil
import sqlite3
import zipfile
from pathlib import Path

import pytest

from eventlens.errors import GazetteerError
from eventlens.geo.build import build_index, display_name
from eventlens.geo.index import GazetteerIndex
from eventlens.geo.normalize import name_key
from tests.shared_data import shared_path

FIXTURES = Path(__file__).parent / "fixtures" / "geonames"


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> GazetteerIndex:
    out = tmp_path_factory.mktemp("gaz") / "village.sqlite"
    report = build_index([FIXTURES], out)
    assert report.places == 9  # 5 GeoNames rows kept (wadi skipped) + 4 current WOF rows
    assert report.bytes == out.stat().st_size
    return GazetteerIndex(out, "village")


def test_geonames_village_gets_admin_names(index: GazetteerIndex) -> None:
    [rec] = index.by_key(name_key("Qaryat az-Zumurrud"))
    assert (rec.cc, rec.admin1, rec.admin2, rec.feature) == ("IQ", "Al Anbar", "Qada' Zumurrud", "PPL")
    assert rec.gid == "geonames:9900001"
    assert (rec.lat, rec.lon) == (33.9001, 42.1002)


def test_alternate_names_and_fuzzy_key(index: GazetteerIndex) -> None:
    assert [r.name for r in index.by_key(name_key("Tell Fairuz"))] == ["Tall al Fayruz"]
    assert [r.name for r in index.by_skeleton("tlfrs")] == ["Tall al Fayruz"]


def test_feature_classes(index: GazetteerIndex) -> None:
    assert index.by_key(name_key("Zumurrud Airfield"))[0].feature == "AIRB"
    assert index.by_key(name_key("Wadi Nur")) == []
    adm1 = index.admin1("IQ", "Al Anbar")
    assert adm1 is not None and adm1.feature == "ADM1"


def test_wof_rows_filtered_and_region_named_from_geonames(index: GazetteerIndex) -> None:
    [rec] = index.by_key(name_key("Beer Khalfan"))
    assert (rec.admin1, rec.admin2) == ("Hadramaout", "Sah")
    assert index.by_key(name_key("Deprecated Village")) == []
    assert [r.name for r in index.by_key(name_key("Old Bir Khalfan"))] == []
    assert index.by_key(name_key("Sah"))[0].feature == "ADM2"


def test_attribution_and_meta(index: GazetteerIndex) -> None:
    rows = index.con.execute("SELECT source, licence FROM attribution ORDER BY source").fetchall()
    assert [r[0] for r in rows] == ["GeoNames", "Who's On First"]
    assert index.meta["tier"] == "village"


def test_zip_and_gz_sources(tmp_path: Path) -> None:
    with zipfile.ZipFile(tmp_path / "XX.zip", "w") as zf:
        zf.write(FIXTURES / "XX.txt", "XX.txt")
    with (FIXTURES / "admin1CodesASCII.txt").open("rb") as src, gzip.open(
        tmp_path / "admin1CodesASCII.txt.gz", "wb"
    ) as dst:
        shutil.copyfileobj(src, dst)
    report = build_index([tmp_path / "XX.zip", tmp_path / "admin1CodesASCII.txt.gz"], tmp_path / "o.sqlite")
    assert report.places == 5
    con = sqlite3.connect(tmp_path / "o.sqlite")
    assert con.execute("SELECT admin1 FROM place WHERE name = 'Kafr Sirrin'").fetchone() == ("Aleppo",)


def test_errors(tmp_path: Path) -> None:
    with pytest.raises(GazetteerError, match="not found"):
        build_index([tmp_path / "missing.txt"], tmp_path / "o.sqlite")
    with pytest.raises(GazetteerError, match="nothing to index"):
        build_index([FIXTURES / "admin2Codes.txt"], tmp_path / "o.sqlite")
    with pytest.raises(GazetteerError, match="not found"):
        GazetteerIndex(tmp_path / "none.sqlite", "village")
    (tmp_path / "junk.sqlite").write_bytes(b"not a database at all" * 100)
    with pytest.raises(GazetteerError, match="not a gazetteer"):
        GazetteerIndex(tmp_path / "junk.sqlite", "village")


def test_display_name() -> None:
    assert display_name("Karbalāʼ") == "Karbala"
    assert display_name("Al Muthanna Governorate") == "Al Muthanna"
    assert display_name("Sa`dah") == "Sa'dah"
    assert display_name("Ta‘izz") == "Taizz"


@pytest.mark.slow
def test_real_wof_villages_resolve(tmp_path: Path) -> None:
    wof = shared_path("gazetteer-data", "wof-admin")
    sources = [shared_path("gazetteer-data", "geonames-admin-codes"), wof / "iq.tsv.gz", wof / "ye.tsv.gz"]
    report = build_index(sources, tmp_path / "v.sqlite")
    assert report.places > 50_000
    ix = GazetteerIndex(tmp_path / "v.sqlite", "village")
    zummar = [r for r in ix.by_key("zummar") if r.cc == "IQ" and r.feature == "PPL"]
    assert any(r.admin1 == "Nineveh" for r in zummar)
    hays = [r for r in ix.by_key("hays") if r.cc == "YE" and r.feature == "PPL"]
    assert any(r.admin1 == "Al Hudaydah" for r in hays)
    assert ix.admin1("YE", "Taizz") is not None


def test_national_extras(tmp_path: Path) -> None:
    """Mexico / Brazil / India formats (tiny invented rows in the shared data's formats)."""
    (tmp_path / "municipios_centroids.tsv").write_text(
        "cvegeo\tcve_ent\testado\tcve_mun\tmunicipio\tcentroid_lat\tcentroid_lon\tarea_km2\tn_parts\n"
        "16999\t16\tMichoacán de Ocampo\t999\tSan Invento\t19.1\t-102.5\t100.0\t1\n", encoding="utf-8")
    (tmp_path / "estados.csv").write_text(
        "\ufeffcodigo_uf,uf,nome,latitude,longitude,regiao\n29,BA,Bahia,-12.9,-41.7,Nordeste",
        encoding="utf-8")
    with gzip.open(tmp_path / "municipios.csv.gz", "wt", encoding="utf-8") as fh:
        fh.write("codigo_ibge,nome,latitude,longitude,capital,codigo_uf,siafi_id,ddd,fuso_horario\n"
                 "2999999,Vila Inventada,-12.5,-40.1,0,29,1,75,America/Bahia")
    (tmp_path / "post_offices.tsv").write_text(
        "pincode\toffice_name\tplace_name\toffice_type\tdelivery\tdistrict\tstate\tlat\tlon\tgeo_quality\n"
        "799999\tKalpagram BO\tKALPAGRAM\tBO\t1\tWEST IMAGINED\tMANIPUR\t24.7\t93.8\toriginal\n"
        "799998\tFarpur BO\tFarpur\tBO\t1\tWEST IMAGINED\tMANIPUR\t24.0\t93.0\tsuspect\n", encoding="utf-8")
    (tmp_path / "district_centroids.tsv").write_text(
        "state\tdistrict\tn_offices\tmedian_lat\tmedian_lon\nMANIPUR\tWEST IMAGINED\t2\t24.6\t93.7\n",
        encoding="utf-8")
    report = build_index([tmp_path, FIXTURES / "admin1CodesASCII.txt"], tmp_path / "x.sqlite")
    assert report.places == 4  # the suspect office is dropped
    ix = GazetteerIndex(tmp_path / "x.sqlite", "village")
    [mx] = ix.by_key("san invento")
    assert (mx.cc, mx.feature, mx.admin1) == ("MX", "ADM2", "Michoacan de Ocampo")
    [br] = ix.by_key("vila inventada")
    assert (br.admin1, br.admin2) == ("Bahia", "Vila Inventada")
    [village] = ix.by_key("kalpagram")
    assert (village.name, village.admin1, village.admin2) == ("Kalpagram", "Manipur", "West Imagined")
    assert ix.by_key("farpur") == []
    assert len(ix.con.execute("SELECT * FROM attribution").fetchall()) == 4
