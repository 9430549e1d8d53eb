"""The terminal view: a per-exercise score table and the messages of failed tests."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from grader.results import SubmissionResult


def _fmt(x: float) -> str:
    return f"{x:g}" if x == int(x) else f"{x:.2f}"


def score_table(result: SubmissionResult, title: str = "Score") -> Table:
    table = Table(title=title, title_justify="left")
    for col, justify in (("exercise", "left"), ("score", "right"), ("max", "right"), ("tests", "right"), ("", "left")):
        table.add_column(col, justify=justify)
    for ex in result.exercises:
        passed = sum(t.status == "passed" for t in ex.tests)
        mark = "[green]✓[/]" if ex.score == ex.max_score else ("[yellow]partial[/]" if ex.score else "[red]✗[/]")
        table.add_row(ex.task_id, _fmt(ex.score), _fmt(ex.max_score), f"{passed}/{len(ex.tests)}", mark)
    table.add_section()
    table.add_row("[bold]total[/]", f"[bold]{_fmt(result.score)}[/]", _fmt(result.max_score), "", "")
    return table


def print_result(result: SubmissionResult, console: Console, title: str = "Score", verbose: bool = True) -> None:
    """The table, then each failure's message (the first line unless verbose)."""
    if result.error:
        console.print(f"[red]error:[/] {escape(result.error)}")
    console.print(score_table(result, title))
    for ex in result.exercises:
        if ex.error:
            console.print(f"[red]{ex.task_id}[/]: {escape(ex.error)}", highlight=False)
        for t in ex.failures:
            text = t.message if verbose else t.message.splitlines()[0] if t.message else ""
            console.print(f"[red]✗ {ex.task_id}[/] {t.name}\n    " + escape(text).replace("\n", "\n    "), highlight=False)
