"""Dates: when an article was published, and when each event it reports happened.

* :mod:`eventlens.dates.published`: the publication date from the most trusted evidence;
* :mod:`eventlens.dates.mentions`: each mention's date and ACLED time precision;
* :mod:`eventlens.dates.find`, :mod:`~eventlens.dates.expressions`, :mod:`~eventlens.dates.relative`:
  finding date expressions in text and resolving them; :mod:`~eventlens.dates.calendar`: shared pieces.
"""

from eventlens.dates.mentions import infer_published, resolve_mentions

__all__ = ["infer_published", "resolve_mentions"]
