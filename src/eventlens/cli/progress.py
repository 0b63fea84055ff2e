"""Progress of a run on stderr: a bar with the total, rate and ETA on a terminal, and a log line
every so often when stderr is not a terminal (a log file, nohup, CI). Until the first input is
done it says "loading models", which is what the run is doing then."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

__all__ = ["LineProgress", "progress"]


def _duration(seconds: float) -> str:
    seconds = int(seconds)
    if seconds >= 3600:
        return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"
    if seconds >= 60:
        return f"{seconds // 60}m{seconds % 60:02d}s"
    return f"{seconds}s"


class LineProgress:
    """Plain progress lines: one at the start ("loading models"), one at most every ``every``
    seconds while inputs are done, one at the end. ``clock`` is injectable for tests."""

    def __init__(self, total: int | None, out: TextIO, every: float = 10.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.total, self.out, self.every, self.clock = total, out, every, clock
        self.done = 0
        self.started = clock()
        self.last = self.started
        self._say(f"eventlens run: {self._of()} inputs; loading models")

    def _of(self) -> str:
        return f"{self.done}/{self.total}" if self.total is not None else str(self.done)

    def _say(self, line: str) -> None:
        self.out.write(line + "\n")
        self.out.flush()

    def line(self) -> str:
        """Where the run is: inputs done (of the total), rate and time left."""
        elapsed = self.clock() - self.started
        rate = self.done / elapsed if elapsed > 0 else 0.0
        parts = [f"eventlens run: {self._of()} inputs"]
        if self.total:
            parts.append(f"{100 * self.done / self.total:.0f}%")
        parts.append(f"{rate:.1f} inputs/s")
        parts.append(f"elapsed {_duration(elapsed)}")
        if self.total and rate > 0 and self.done < self.total:
            parts.append(f"ETA {_duration((self.total - self.done) / rate)}")
        return ", ".join(parts)

    def tick(self, source: str) -> None:
        self.done += 1
        now = self.clock()
        if now - self.last >= self.every:
            self.last = now
            self._say(self.line())

    def close(self) -> None:
        self._say(self.line().replace("eventlens run:", "eventlens run done:", 1))


@contextmanager
def progress(total: int | None, *, terminal: bool | None = None) -> Iterator[Callable[[str], None]]:
    """Progress on stderr for ``total`` inputs (None: unknown); yields the function that marks one
    input done. A live bar on a terminal, periodic lines otherwise."""
    if terminal is None:
        terminal = sys.stderr.isatty()
    if not terminal:
        lines = LineProgress(total, sys.stderr)
        yield lines.tick
        lines.close()
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        SpinnerColumn,
        TaskProgressColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    with Progress(
        SpinnerColumn(), MofNCompleteColumn(), TextColumn("inputs"), BarColumn(), TaskProgressColumn(),
        TextColumn("{task.fields[rate]}"), TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
        TextColumn("{task.description}"), transient=True, console=Console(stderr=True),
    ) as bar:
        task = bar.add_task("loading models", total=total, rate="")
        started = time.monotonic()

        def tick(source: str) -> None:
            done = bar.tasks[0].completed + 1
            rate = done / max(time.monotonic() - started, 1e-9)
            bar.update(task, advance=1, description=Path(source).name[-50:], rate=f"{rate:.1f}/s")

        yield tick
