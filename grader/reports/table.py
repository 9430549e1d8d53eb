"""The terminal view: a per-exercise score table and the messages of failed tests."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from grader.reports.numbers import fmt
from grader.results import SubmissionResult


def score_table(result: SubmissionResult, title: str = "Score") -> Table:
    table = Table(title=title, title_justify="left")
    for col, justify in (("exercise", "left"), ("score", "right"), ("max", "right"), ("tests", "right"), ("", "left")):
        table.add_column(col, justify=justify)
    for ex in result.exercises:
        passed = sum(t.status == "passed" for t in ex.tests)
        mark = "[green]✓[/]" if ex.score == ex.max_score else ("[yellow]partial[/]" if ex.score else "[red]✗[/]")
        table.add_row(ex.task_id, fmt(ex.score), fmt(ex.max_score), f"{passed}/{len(ex.tests)}", mark)
    table.add_section()
    table.add_row("[bold]total[/]", f"[bold]{fmt(result.score)}[/]", fmt(result.max_score), "", "")
    return table


def failure_groups(ex) -> list[tuple[str, list[str]]]:
    """(message, names of the tests that failed with it), in test order: a message shared by
    several tests (a stub, an import error) is shown once."""
    groups: dict[str, list[str]] = {}
    for t in ex.failures:
        groups.setdefault(t.message, []).append(t.name)
    return list(groups.items())


def print_result(result: SubmissionResult, console: Console, title: str = "Score") -> None:
    """The table, then each exercise's distinct failure messages."""
    if result.error:
        console.print(f"[red]error:[/] {escape(result.error)}")
    console.print(score_table(result, title))
    for ex in result.exercises:
        if ex.error:
            console.print(f"[red]✗ {ex.task_id}[/]: {escape(ex.error)}", highlight=False)
        for message, names in failure_groups(ex):
            which = names[0] if len(names) == 1 else f"{len(names)} tests, e.g. {names[0]}"
            body = escape(message).replace("\n", "\n    ")
            console.print(f"[red]✗ {ex.task_id}[/] ({which})\n    {body}", highlight=False, soft_wrap=True)
    for note in result.suspicious:
        console.print(f"[yellow]suspicious code:[/] {escape(note)}", highlight=False, soft_wrap=True)
