"""Progress bars with ETA for the phases of an import or a key rotation (on stderr)."""

from __future__ import annotations

import sys
from typing import Final

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

#: What each phase reported by ``Datasets`` is called on screen.
PHASE_LABELS: Final = {
    "rows": "importing rows (keys, curve work)",
    "encrypt": "encrypting keys",
    "filter": "building filter",
}
#: Below this many rows an import is over before a bar would help.
MIN_ROWS: Final = 5000


class PhaseBars:
    """One bar per phase, each with elapsed time and ETA; off unless stderr is a terminal."""

    def __init__(self, dataset: str, *, disable: bool = False) -> None:
        """Prepare the bars for an operation on ``dataset``."""
        self._dataset = dataset
        self._progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            transient=True,
            disable=disable or not sys.stderr.isatty(),
        )
        self._tasks: dict[str, TaskID] = {}

    def __enter__(self) -> PhaseBars:
        """Show the bars."""
        self._progress.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        """Remove the bars."""
        self._progress.stop()

    def phase(self, phase: str, done: int, total: int) -> None:
        """Report ``done`` of ``total`` in ``phase`` (a bar appears at its first report)."""
        task = self._tasks.get(phase)
        if task is None:
            label = f"{PHASE_LABELS.get(phase, phase)} {self._dataset}"
            task = self._tasks[phase] = self._progress.add_task(label, total=total)
        self._progress.update(task, completed=done, total=max(total, done))

    def rows(self, total: int) -> RowBar:
        """Return the callback of the rows phase, out of ``total`` rows."""
        return RowBar(self, total)


class RowBar:
    """The rows phase's callback: ``progress(done)`` as the store calls it."""

    def __init__(self, bars: PhaseBars, total: int) -> None:
        """Report to ``bars`` out of ``total`` rows."""
        self._bars = bars
        self._total = total

    def __call__(self, done: int) -> None:
        """Report ``done`` rows."""
        self._bars.phase("rows", done, self._total)
