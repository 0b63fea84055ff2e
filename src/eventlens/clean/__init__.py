"""Cleaning: a Document's text split into Articles, page furniture out, captions kept.

``segment`` (in :mod:`eventlens.clean.articles`) is the stage; :mod:`eventlens.clean.html` finds the
main text of an HTML page.
"""

from eventlens.clean.articles import segment

__all__ = ["segment"]
