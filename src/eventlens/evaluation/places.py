"""Geocoding evaluation on gold places.

* the project-written dev set (tests/geo_dev/*.psv, scripts/eval_geo.py): a case is one short article
  (own words) whose whole text is the event's evidence, with the gold place:
  ``text | location | country | admin1 | lat | lon | precision`` ("|"-separated, "#" comments);
* real reports with a hand-read place (data/real/geo_gold.jsonl, ``eventlens eval``): records
  ``{"id", "text", "date", "place": {location, country, admin1, latitude, longitude, geo_precision}}``,
  scored twice: the geocoder alone on the whole text as the event's evidence, and the place of the top
  event the whole pipeline emits (as ``eventlens extract`` codes the item).

The mention carries no location hint, so the geocoder must find the place itself. Distances are scored
on town-level gold only (geo_precision 1-2: a region's or country's middle is no point to be near).
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from eventlens.evaluation.labelled import read_labelled
from eventlens.geo.normalize import name_key, skeleton
from eventlens.geo.resolve import haversine_km
from eventlens.model import Article, EventCoding, EventMention, Place, Span
from eventlens.nlp.parser import parse

if TYPE_CHECKING:
    from spacy.language import Language

    from eventlens.config import Settings
    from eventlens.geo.geocoder import Geocoder

__all__ = [
    "GeoCase", "GeoScores", "PlaceItem", "PlaceScores", "evaluate", "format_place_scores", "is_place_gold",
    "load_cases", "place_gold_scores", "read_place_gold", "same_admin", "score_places",
]


@dataclass(frozen=True, slots=True)
class GeoCase:
    text: str
    location: str
    country: str
    admin1: str
    lat: float
    lon: float
    precision: int


@dataclass(slots=True)
class GeoScores:
    n: int = 0
    within_161km: int = 0
    within_25km: int = 0
    country: int = 0
    admin1: int = 0
    admin1_n: int = 0
    precision: int = 0
    parse_seconds: float = 0.0
    geo_seconds: float = 0.0
    misses: list[str] = field(default_factory=list)

    def rate(self, name: str) -> float:
        denominator = self.admin1_n if name == "admin1" else self.n
        return float(getattr(self, name)) / denominator if denominator else 0.0


def load_cases(paths: Sequence[Path]) -> list[GeoCase]:
    cases = []
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            text, loc, country, admin1, lat, lon, prec = (p.strip() for p in line.split("|"))
            cases.append(GeoCase(text, loc, country, admin1, float(lat), float(lon), int(prec)))
    return cases


def same_admin(gold: str, got: str | None) -> bool:
    """Admin names agree up to articles, transliteration and suffixes (Kharkiv / Kharkivs'ka)."""
    if not got:
        return False
    a, b = name_key(gold), name_key(got)
    if a == b or skeleton(a) == skeleton(b):
        return True
    short, long = sorted((a.replace(" ", ""), b.replace(" ", "")), key=len)
    return len(short) >= 4 and long.startswith(short)


def _mention(article: Article) -> EventMention:
    evidence = Span(article.text, 0, len(article.text))
    coding = EventCoding(event_type="Battles", sub_event_type="Armed clash")
    return EventMention(f"{article.id}-m0", article.doc_id, article.id, 0, evidence, coding)


def _score(case: GeoCase, place: Place | None, scores: GeoScores) -> None:
    scores.n += 1
    if case.admin1:
        scores.admin1_n += 1
    if place is None or place.latitude is None or place.longitude is None:
        scores.misses.append(f"NONE | {case.location} | {case.text[:90]}")
        return
    km = haversine_km(case.lat, case.lon, place.latitude, place.longitude)
    scores.within_161km += km <= 161
    scores.within_25km += km <= 25
    scores.country += place.country == case.country
    scores.precision += place.geo_precision == case.precision
    if case.admin1:
        scores.admin1 += same_admin(case.admin1, place.admin1)
    if km > 25:
        scores.misses.append(
            f"{km:6.0f} km | gold {case.location}/{case.country} | got {place.location}/"
            f"{place.country}/{place.admin1} p{place.geo_precision} | {case.text[:80]}"
        )


def evaluate(geocoder: Geocoder, nlp: Language, cases: Sequence[GeoCase]) -> GeoScores:
    """Parse every case, locate its one mention, and score the place against the gold."""
    scores = GeoScores()
    articles = [Article(f"geo{i}-a0", f"geo{i}", 0, None, c.text) for i, c in enumerate(cases)]
    started = time.perf_counter()
    parsed = list(parse(nlp, articles))
    scores.parse_seconds = time.perf_counter() - started
    for case, article in zip(cases, parsed, strict=True):
        started = time.perf_counter()
        located = geocoder.locate(article, [_mention(article.article)])
        scores.geo_seconds += time.perf_counter() - started
        _score(case, located[0].coding.place, scores)
    return scores


# --- real reports with a hand-read place (data/real/geo_gold.jsonl) ---------------------------------


@dataclass(frozen=True, slots=True)
class PlaceItem:
    id: str
    text: str
    published: date | None
    place: Mapping[str, Any]


@dataclass(slots=True)
class PlaceScores:
    """Counts over items; ``rates()`` gives the percentages the quality gate pins."""

    n: int = 0
    placed: int = 0
    country: int = 0
    admin1: int = 0
    admin1_n: int = 0
    town_n: int = 0
    within_25km: int = 0
    within_161km: int = 0
    precision: int = 0
    misses: list[str] = field(default_factory=list)

    def rates(self) -> dict[str, float]:
        def pct(num: int, den: int) -> float:
            return round(100.0 * num / den, 2) if den else 0.0

        return {
            "placed": pct(self.placed, self.n), "country": pct(self.country, self.n),
            "admin1": pct(self.admin1, self.admin1_n), "within_25km": pct(self.within_25km, self.town_n),
            "within_161km": pct(self.within_161km, self.town_n), "precision": pct(self.precision, self.n),
        }


def is_place_gold(path: Path) -> bool:
    """Whether ``path``'s first record carries a gold ``place`` (data/real/geo_gold.jsonl)."""
    try:
        with path.open(encoding="utf-8") as fh:
            first = next((line for line in fh if line.strip()), "")
        return isinstance(json.loads(first).get("place"), dict) if first else False
    except (OSError, ValueError, AttributeError):
        return False


def read_place_gold(path: Path, *, split: str | None = None) -> list[PlaceItem]:
    def build(row: dict[str, Any]) -> PlaceItem:
        day = date.fromisoformat(row["date"][:10]) if row.get("date") else None
        place = dict(row["place"])
        place["latitude"], place["longitude"] = float(place["latitude"]), float(place["longitude"])
        place["geo_precision"] = int(place["geo_precision"])
        return PlaceItem(str(row["id"]), str(row["text"]), day, place)

    return read_labelled(path, build, split=split, record="report with 'id', 'text' and a gold 'place'",
                         plural="reports with a gold place")


def _score_place(item: PlaceItem, got: Mapping[str, Any] | None, scores: PlaceScores) -> None:
    gold = item.place
    scores.n += 1
    town = int(gold["geo_precision"]) <= 2
    scores.town_n += town
    if gold.get("admin1"):
        scores.admin1_n += 1
    if got is None or got.get("latitude") is None or got.get("longitude") is None:
        scores.misses.append(f"NONE | {gold['location']}/{gold['country']} | {item.id} {item.text[:80]}")
        return
    scores.placed += 1
    km = haversine_km(float(gold["latitude"]), float(gold["longitude"]), got["latitude"], got["longitude"])
    right_country = (got.get("country") or "").lower() == str(gold["country"]).lower()
    scores.country += right_country
    scores.precision += got.get("geo_precision") == int(gold["geo_precision"])
    if gold.get("admin1"):
        scores.admin1 += same_admin(str(gold["admin1"]), got.get("admin1"))
    if town:
        scores.within_25km += km <= 25
        scores.within_161km += km <= 161
    if (town and km > 25) or not right_country:
        scores.misses.append(
            f"{km:6.0f} km | gold {gold['location']}/{gold['country']} p{gold['geo_precision']} | got "
            f"{got.get('location')}/{got.get('country')}/{got.get('admin1')} p{got.get('geo_precision')} "
            f"({got.get('geo_reason') or '-'}) | {item.id} {item.text[:70]}"
        )


def score_places(items: Sequence[PlaceItem], places: Mapping[str, Mapping[str, Any] | None]) -> PlaceScores:
    """Each item's gold place against ``places[item.id]`` (a Place as a dict, or an event record)."""
    scores = PlaceScores()
    for item in items:
        _score_place(item, places.get(item.id), scores)
    return scores


def geocoder_places(geocoder: Geocoder, nlp: Language, items: Sequence[PlaceItem]) -> dict[str, Any]:
    """The place the geocoder gives each item's whole text as one event's evidence."""
    articles = [Article(f"{i.id}-a0", i.id, 0, None, i.text) for i in items]
    out: dict[str, Any] = {}
    for item, article in zip(items, parse(nlp, articles), strict=True):
        place = geocoder.locate(article, [_mention(article.article)])[0].coding.place
        out[item.id] = asdict(place) if place is not None else None
    return out


def place_gold_scores(items: Sequence[PlaceItem], settings: Settings) -> dict[str, PlaceScores]:
    """The geocoder alone on each whole text, and the top event of the whole pipeline (as ``eventlens
    extract`` codes the item dated ``date``), on the items it emits an event for."""
    from eventlens.evaluation.reports import GoldItem, code_items
    from eventlens.geo import load_geocoder
    from eventlens.nlp.parser import load_pipeline

    geocoder = load_geocoder(settings)
    nlp = load_pipeline(settings.spacy_model)
    geocoder.add_toponym_ruler(nlp)
    alone = score_places(items, geocoder_places(geocoder, nlp, items))
    coded = code_items([GoldItem(i.id, i.text, i.published, ()) for i in items], settings)
    top = {k: max(v, key=lambda e: float(e.get("confidence") or 0.0)) for k, v in coded.items() if v}
    return {"geocoder": alone, "pipeline": score_places([i for i in items if i.id in top], top)}


def format_place_scores(scores: PlaceScores, *, name: str, misses: bool = False) -> str:
    r = scores.rates()
    lines = [
        f"{name}: {scores.n} items ({scores.town_n} town-level, {scores.admin1_n} with admin1); "
        f"placed {r['placed']:.1f}%",
        f"  country {r['country']:.1f}%   admin1 {r['admin1']:.1f}%   town-level within 25 km "
        f"{r['within_25km']:.1f}% / 161 km {r['within_161km']:.1f}%   precision exact {r['precision']:.1f}%",
    ]
    if misses:
        lines += [f"    {m}" for m in scores.misses]
    return "\n".join(lines)
