"""The batch's progress bar on stderr: students done, current rate, time left."""

from __future__ import annotations

import time

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, ProgressColumn, TextColumn
from rich.text import Text


class _Clock:
    """Rate over the students graded in this run (skipped ones do not count)."""

    def __init__(self):
        self.start = time.monotonic()
        self.graded = 0

    def per_minute(self) -> float:
        elapsed = time.monotonic() - self.start
        return 60.0 * self.graded / elapsed if self.graded and elapsed > 0 else 0.0


class _ClockColumn(ProgressColumn):
    """A progress column that reads the batch's clock."""

    def __init__(self, clock: _Clock):
        super().__init__()
        self.clock = clock


class RateColumn(_ClockColumn):
    def render(self, task) -> Text:
        rate = self.clock.per_minute()
        return Text(f"{rate:.1f} students/min" if rate else "-- students/min", style="progress.data.speed")


class LeftColumn(_ClockColumn):
    def render(self, task) -> Text:
        rate = self.clock.per_minute()
        if task.finished:
            return Text("done", style="progress.remaining")
        if not rate:
            return Text("time left --:--", style="progress.remaining")
        seconds = int(60.0 * (task.total - task.completed) / rate)
        return Text(f"time left {seconds // 60}:{seconds % 60:02d}", style="progress.remaining")


class BatchProgress:
    """start(total, done) once, then advance(student, status) per finished student."""

    def __init__(self, console: Console | None = None):
        self.console = console or Console(stderr=True)
        self.clock = _Clock()
        self.progress = Progress(TextColumn("[bold]grading[/]"), BarColumn(), MofNCompleteColumn(),
                                 RateColumn(self.clock), LeftColumn(self.clock), TextColumn("{task.description}"),
                                 console=self.console, transient=False)
        self.task = None

    def start(self, total: int, done: int = 0) -> None:
        self.clock = _Clock()
        for column in self.progress.columns:
            if hasattr(column, "clock"):
                column.clock = self.clock
        self.task = self.progress.add_task("", total=total, completed=done)
        self.progress.start()

    def advance(self, student: str, status: str, graded: bool = True) -> None:
        self.clock.graded += int(graded)
        self.progress.update(self.task, advance=1, description=f"{student}: {status}")

    def note(self, text: str) -> None:
        self.progress.console.print(text, highlight=False)

    def stop(self) -> None:
        self.progress.stop()
