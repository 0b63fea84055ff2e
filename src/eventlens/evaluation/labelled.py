"""Reading labelled JSONL for ``eventlens eval``: one record per line, an optional ``split`` filter, and
one clear error naming the file and line of a record that is not what it should be."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from eventlens.errors import InputError

__all__ = ["read_labelled"]

T = TypeVar("T")


def read_labelled(
    path: Path, build: Callable[[dict[str, Any]], T], *, split: str | None, record: str, plural: str
) -> list[T]:
    """``build(row)`` for every row of ``path`` whose "split" equals ``split`` (every row when None).
    ``record`` names one record in errors ("labelled example with 'text' and 'label'"), ``plural``
    the empty result ("labelled examples")."""
    out: list[T] = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise InputError(str(path), f"cannot read evaluation data ({exc.strerror})") from exc
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            if split is not None and row.get("split") != split:
                continue
            out.append(build(row))
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise InputError(f"{path}:{n}", f"not a {record} ({exc})") from exc
    if not out:
        raise InputError(str(path), f"no {plural}{f' in split {split!r}' if split else ''}")
    return out
