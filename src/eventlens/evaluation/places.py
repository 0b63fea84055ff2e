"""Geocoding evaluation on a gold dev set (tests/geo_dev/*.psv) — used by scripts/eval_geo.py.

A case is one short article (own words) whose whole text is the event's evidence, with the gold
place: ``text | location | country | admin1 | lat | lon | precision`` ("|"-separated, "#" comments).
The mention carries no location hint, so the geocoder must find the place itself.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from eventlens.geo.normalize import name_key, skeleton
from eventlens.geo.resolve import haversine_km
from eventlens.model import Article, EventCoding, EventMention, Place, Span
from eventlens.nlp.parser import parse

if TYPE_CHECKING:
    from spacy.language import Language

    from eventlens.geo.geocoder import Geocoder

__all__ = ["GeoCase", "GeoScores", "evaluate", "load_cases", "same_admin"]


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
