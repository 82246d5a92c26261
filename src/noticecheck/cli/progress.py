"""The progress bar the LA commands (`scan`, `demo`) draw on stderr."""

from __future__ import annotations

import time


class Progress:
    """A rich progress bar on stderr: done/total, rate, time left. Silent when quiet."""

    def __init__(self, quiet: bool):
        self.quiet = quiet
        self._bar = None

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def stop(self) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None

    def callbacks(self, label: str):
        """(on_start, on_school) for run_scan, drawing one bar labelled `label`."""
        if self.quiet:
            return None
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        self.stop()
        self._bar = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[rate]}"),
            TextColumn("time left"),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            transient=False,
        )
        bar = self._bar
        state = {}

        def on_start(total: int, already: int) -> None:
            state.update(task=bar.add_task(label, total=total, completed=already, rate=""), started=time.monotonic(), done=0)
            bar.start()

        def on_school(record) -> None:
            # Rate over this session (a resumed scan's earlier schools do not count);
            # shown after a few seconds, when it means something.
            state["done"] += 1
            elapsed = time.monotonic() - state["started"]
            rate = f"{state['done'] / elapsed * 60:.0f} schools/min" if elapsed >= 3 else ""
            bar.update(state["task"], advance=1, rate=rate)

        return on_start, on_school
