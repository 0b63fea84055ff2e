"""Within-article coreference: mentions that tell one event again become one Event.

* :mod:`eventlens.coref.within_article`: ``merge_within_article`` (the stage);
* :mod:`eventlens.coref.antecedent`: which earlier event a mention tells again;
* :mod:`eventlens.coref.backrefs`: back-references and event kinds;
* :mod:`eventlens.coref.merged_event`: what a merged event says.
"""

from eventlens.coref.within_article import merge_within_article

__all__ = ["merge_within_article"]
