"""Toponym resolution: a place name plus document context → the best gazetteer record.

Candidates come from every index tier by exact normalised key, then (only if that fails) by
the consonant skeleton. Each candidate is scored on feature type, population, the countries and
regions already named in the article, and proximity to places already resolved there.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from eventlens.geo.index import GazetteerIndex, GeoRecord
from eventlens.geo.normalize import admin_key, name_key, skeleton

__all__ = ["DocContext", "Resolved", "Resolver", "haversine_km"]

#: Countries where conflict reporting concentrates: a small prior when nothing else decides.
PRIORITY = frozenset(
    "IQ SY YE AF PK NG ML BF NE SO SD SS CD ET UA MM CO MX LB PS IN LY CM MZ CF TD IL KE PH BD".split()
)
_FEATURE_PRIOR = {"PCL": 6.0, "ADM1": 2.5, "PPLC": 2.5, "ADM2": 1.0, "PPL": 0.0, "NBHD": 1.0,
                  "AIRB": 3.0, "CAMP": 3.0, "CRSG": 3.0, "FAC": 3.0, "AREA": 3.0, "RGN": 3.0}
_REGION_WORDS = re.compile(r"\s+(province|governorate|region|state|oblast|department|prefecture)$", re.I)
_DISTRICT_WORDS = re.compile(r"\s+(district|county|municipality|raion|locality|township|lga)$", re.I)
_DROP_WORDS = re.compile(r"^(the\s+)?((city|town|village|province|governorate|region|state)\s+of\s+)", re.I)
_THE = re.compile(r"^the\s+", re.I)
_CONFIDENT = 1.0  # context weight at which the article's countries count in full
_SUPPORTED = 0.1  # share of the context that makes a country "mentioned"
_BIG_CITY = 1_000_000
_NEAR_KM = 1000.0
_SMALL_CAPITAL = 100_000
_TOWN_WORDS = re.compile(r"\s+(city|town|village)$", re.I)
_NAMED_REGION = 4.0  # a town inside an admin1 the text names: what "Znamenskoye, Chechnya" says
_TRAILING_GENERIC = re.compile(r"\s+(area|region|valley|countryside)$", re.I)


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(a)))


@dataclass(slots=True)
class DocContext:
    """What an article has already told us about where it is."""

    countries: dict[str, float] = field(default_factory=dict)
    regions: set[tuple[str, str]] = field(default_factory=set)
    points: list[tuple[float, float]] = field(default_factory=list)
    #: where the article is (towns, regions, its countries' centres): what a place abroad is near
    anchors: list[tuple[float, float]] = field(default_factory=list)
    #: admin1 units the text names itself ("Bishnupur, Manipur", "in Syria's Latakia Governorate"):
    #: a town of one of them beats its namesakes elsewhere (country, admin key)
    named_regions: set[tuple[str, str]] = field(default_factory=set)

    def in_named_region(self, rec: GeoRecord) -> bool:
        return bool(rec.admin1) and (rec.cc, admin_key(rec.admin1 or "")) in self.named_regions

    def share(self, cc: str) -> float:
        total = sum(self.countries.values())
        return self.countries.get(cc, 0.0) / total if total else 0.0

    def weight(self, cc: str) -> float:
        return self.countries.get(cc, 0.0)

    def confidence(self) -> float:
        """0 (nothing known) .. 1 (a country named, or a few places that agree)."""
        return min(1.0, sum(self.countries.values()) / _CONFIDENT)

    def focused(self) -> bool:
        """The article clearly says which country it is about."""
        return sum(self.countries.values()) >= 1.5

    def add_country(self, cc: str, weight: float) -> None:
        self.countries[cc] = self.countries.get(cc, 0.0) + weight

    def main_country(self) -> str | None:
        return max(self.countries, key=lambda cc: self.countries[cc]) if self.countries else None

    def add(self, record: GeoRecord, weight: float = 1.0) -> None:
        self.add_country(record.cc, weight)
        if record.admin1:
            self.regions.add((record.cc, record.admin1))
        if record.lat is not None and record.lon is not None and record.feature not in ("PCL", "ADM1"):
            self.points.append((record.lat, record.lon))


@dataclass(frozen=True, slots=True)
class Resolved:
    """A toponym's chosen record; ``kind`` is "region" / "district" when the text said so."""

    record: GeoRecord
    score: float
    margin: float
    fuzzy: bool
    kind: str | None
    countries: int = 1
    text: str = ""  # the words that matched, without "province" / "city of" ...


def _kind_and_core(text: str) -> tuple[str | None, str]:
    text = _THE.sub("", _DROP_WORDS.sub("", text.strip()))
    if _REGION_WORDS.search(text):
        return "region", _REGION_WORDS.sub("", text)
    if _DISTRICT_WORDS.search(text):
        return "district", _DISTRICT_WORDS.sub("", text)
    if _TOWN_WORDS.search(text):
        return "town", _TOWN_WORDS.sub("", text)
    return None, _TRAILING_GENERIC.sub("", text)


def _merge(records: list[GeoRecord]) -> list[GeoRecord]:
    """One record per real place across tiers (same gazetteer id, or same name within 5 km)."""
    out: list[GeoRecord] = []
    by_gid: dict[str, int] = {}
    by_name: dict[tuple[str, str, str], list[int]] = {}
    for rec in sorted(records, key=lambda r: -r.population):
        group = (rec.cc, rec.feature, name_key(rec.name))
        at = by_gid.get(rec.gid) if rec.gid else None
        if at is None:
            at = next((k for k in by_name.get(group, []) if _same_place(out[k], rec)), None)
        if at is None:
            by_name.setdefault(group, []).append(len(out))
            if rec.gid:
                by_gid[rec.gid] = len(out)
            out.append(rec)
        elif out[at].admin2 is None and rec.admin2 is not None:
            twin = out[at]
            out[at] = GeoRecord(twin.id, twin.name, twin.cc, twin.admin1, rec.admin2, twin.lat, twin.lon,
                                twin.population, twin.feature, twin.gid, twin.tier)
    return out


def _same_place(a: GeoRecord, b: GeoRecord) -> bool:
    """Same country, feature and name (the caller groups on those) and within 5 km."""
    if a.lat is None or a.lon is None or b.lat is None or b.lon is None:
        return False
    return haversine_km(a.lat, a.lon, b.lat, b.lon) < 5


class Resolver:
    """Resolves place names against one or more index tiers (built-in first)."""

    def __init__(self, indexes: Sequence[GazetteerIndex],
                 aliases: Mapping[str, tuple[tuple[str, str, str], ...]] | None = None) -> None:
        self.indexes = tuple(indexes)
        self._countries: dict[str, GeoRecord] | None = None
        #: other names of built-in regions (see eventlens.geo.builtin.admin1_aliases)
        self.aliases = dict(aliases or {})
        self._by_alias: dict[str, list[GeoRecord]] = {}

    def country(self, cc: str) -> GeoRecord | None:
        """The country's own record (its centre point) from the built-in tier, which has them all."""
        if self._countries is None:
            self._countries = self.indexes[0].countries() if self.indexes else {}
        return self._countries.get(cc)

    def candidates(
        self, text: str, exact: bool = False, fuzzy_only: bool = False
    ) -> tuple[list[GeoRecord], bool]:
        """Records for a name and whether they came from the fuzzy skeleton key (never if ``exact``;
        only those with ``fuzzy_only``)."""
        key = name_key(text)
        if not key:
            return [], False
        found = [] if fuzzy_only else [r for ix in self.indexes for r in ix.by_key(key)]
        if not fuzzy_only and key in self.aliases:
            found += self._alias_records(key)
        if found or exact:
            return _merge(found), False
        skel = skeleton(key)
        if len(skel) < 4:
            return [], False
        return _merge([r for ix in self.indexes for r in ix.by_skeleton(skel)]), True

    def _alias_records(self, key: str) -> list[GeoRecord]:
        """The built-in regions a report's other name for them points to, each as so named (the
        place keeps its own region name)."""
        if key not in self._by_alias:
            found = ((self.indexes[0].admin1(cc, admin1) if self.indexes else None, alias)
                     for cc, admin1, alias in self.aliases[key])
            self._by_alias[key] = [replace(r, name=alias) for r, alias in found if r is not None]
        return self._by_alias[key]

    def resolve(self, text: str, ctx: DocContext, fuzzy_ok: bool = True) -> Resolved | None:
        """The best record for a name in context; ``fuzzy_ok=False`` skips the skeleton fallback."""
        kind, core = _kind_and_core(text)
        records: list[GeoRecord] = []
        fuzzy = False
        if kind == "town":  # "Mexico City", "Gaza City" as the gazetteer spells them
            records = [r for r in self.candidates(text, exact=True)[0] if not r.is_admin]
            core = text if records else core
        if not records:
            records, fuzzy = self.candidates(core)
        if not records and core != text:
            records, fuzzy = self.candidates(text)
        if kind == "town":  # "Gaza City" is the town, never a region of that name
            records = [r for r in records if not r.is_admin] or records
        if not fuzzy and fuzzy_ok and records and ctx.focused() \
                and all(ctx.share(r.cc) < _SUPPORTED for r in records):
            # only namesakes abroad ("Rabia" in a Latakia story is a Saudi quarter): a spelling
            # variant at home ("Rabiah") is likelier
            home = [r for r in self.candidates(core, fuzzy_only=True)[0] if ctx.share(r.cc) >= 0.25]
            if home:
                records, fuzzy = home, True
        if fuzzy and not fuzzy_ok:
            return None
        if fuzzy:  # a spelling variant only counts in a country the article is mostly about
            records = [r for r in records if ctx.share(r.cc) >= 0.25]
        key = name_key(core)
        records = _drop_namesake_regions(records, kind, key)
        if not records:
            return None
        scored = sorted(((self._score(r, ctx, kind, key), r) for r in records), key=lambda s: -s[0])
        best_score, best = scored[0]
        countries = len({r.cc for r in records})
        if _unsupported_abroad(best, ctx, key, countries):
            return None
        margin = best_score - scored[1][0] if len(scored) > 1 else 10.0
        return Resolved(best, best_score - (3.0 if fuzzy else 0.0), margin, fuzzy, kind, countries, core)

    @staticmethod
    def _score(rec: GeoRecord, ctx: DocContext, kind: str | None, key: str) -> float:
        prior = _FEATURE_PRIOR.get(rec.feature, 0.0)
        if rec.feature == "PPLC" and rec.population < _SMALL_CAPITAL:  # Hamilton, Bermuda (900 people)
            prior = _FEATURE_PRIOR["NBHD"]
        score = prior + 0.6 * math.log10(rec.population + 1)
        if name_key(rec.name) != key:  # matched on an alternate name only: weaker evidence
            score -= 2.0 if rec.tier == "village" and rec.is_admin else 1.0
        if rec.gid and rec.gid.startswith("curated:"):
            score += 2.0
        if kind == "region":
            score += 5.5 if rec.feature == "ADM1" else -2.0
        elif kind == "district" and rec.feature == "ADM2":
            score += 3.0
        conf = ctx.confidence()
        if ctx.countries:  # scaled by how much the article has said: one tiny namesake is no evidence
            score += 5.0 * ctx.share(rec.cc) * conf if ctx.weight(rec.cc) else -2.0 * conf
        if rec.cc in PRIORITY:
            score += 0.5 * (1.0 - conf)
        if rec.admin1 and (rec.cc, rec.admin1) in ctx.regions:
            score += 1.5
        if rec.feature not in ("ADM1", "PCL") and ctx.in_named_region(rec):
            score += _NAMED_REGION
        if ctx.points and rec.lat is not None and rec.lon is not None and rec.feature != "PCL":
            lat, lon = rec.lat, rec.lon
            nearest = min(haversine_km(lat, lon, p[0], p[1]) for p in ctx.points)
            score += 2.0 if nearest < 60 else 1.0 if nearest < 250 else 0.0
        if rec.tier == "village" and rec.feature == "PPL":
            score -= 0.3
        return score


def _unsupported_abroad(rec: GeoRecord, ctx: DocContext, key: str, countries: int) -> bool:
    """A town in a country the article barely mentions, when the article is clearly about another
    one, is more likely a gazetteer gap (a village missing at home) than a trip abroad: "Boni" in a
    Mali story is not Bonn. Capitals, countries, regions and big cities named exactly stay, and so
    does a name found in one country only, unless it lies far from every town the article names."""
    if ctx.share(rec.cc) >= _SUPPORTED or rec.feature not in ("PPL", "ADM2", "NBHD") or not ctx.countries:
        return False
    if name_key(rec.name) != key:  # "Boni" is only another name of Bonn; "Atmeh" near Turkey is Atmah
        return ctx.confidence() >= 1.0 and _far_from(rec, ctx.anchors or ctx.points, _NEAR_KM)
    if not ctx.focused():
        return False
    if countries == 1:  # far from the other towns the article names, or from its countries (a namesake's
        # own point, which it added to the context itself, is no support)
        others = _others(rec, ctx.points) or _others(rec, ctx.anchors)
        return rec.population < 50_000 and _far_from(rec, others, _NEAR_KM)
    if rec.population < 50_000:
        return True
    return rec.population < _BIG_CITY and ctx.share(ctx.main_country() or rec.cc) >= 0.5


def _others(rec: GeoRecord, points: Sequence[tuple[float, float]]) -> list[tuple[float, float]]:
    """``points`` other than ``rec``'s own."""
    if rec.lat is None or rec.lon is None:
        return list(points)
    return [p for p in points if haversine_km(rec.lat, rec.lon, p[0], p[1]) > 1.0]


def _far_from(rec: GeoRecord, points: Sequence[tuple[float, float]], km: float) -> bool:
    if rec.lat is None or rec.lon is None or not points:
        return False
    lat, lon = rec.lat, rec.lon
    return all(haversine_km(lat, lon, p[0], p[1]) > km for p in points)


def _drop_namesake_regions(records: list[GeoRecord], kind: str | None, key: str) -> list[GeoRecord]:
    """"Aleppo" means the city unless the text says "province": drop regions whose town is listed
    under that name as its own ("Antioquia" is the department: Santa Fe de Antioquia, the town
    that is also called so, does not make it a namesake)."""
    if kind == "region":
        return records
    towns = [r for r in records if r.feature in ("PPL", "PPLC") and name_key(r.name) == key]
    return [r for r in records if not (r.feature in ("ADM1", "ADM2") and any(_namesake(r, t) for t in towns))]


def _namesake(region: GeoRecord, town: GeoRecord) -> bool:
    """The region is named after the town: same region, or (tiers name regions differently) close."""
    if region.cc != town.cc:
        return False
    if region.admin1 == town.admin1:
        return True
    if region.lat is None or region.lon is None or town.lat is None or town.lon is None:
        return False
    km = 100.0 if region.feature == "ADM2" else 150.0  # Garissa county's centre is 84 km from the town
    return haversine_km(region.lat, region.lon, town.lat, town.lon) < km
