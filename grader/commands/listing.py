"""`grade list`: the course's topics, exercises and points."""

from __future__ import annotations


def list_course(app) -> None:
    """Print one table row per exercise, grouped by topic, then the totals."""
    from rich.table import Table

    from grader.manifest import load_course

    course = load_course()
    table = Table(title=course.title, title_justify="left")
    for col in ("topic", "exercise", "points", "time limit"):
        table.add_column(col)
    for topic in course.topics:
        table.add_section()
        for i, ex in enumerate(topic.exercises):
            label = f"{topic.name}  {topic.title} / {topic.title_ko}" if i == 0 else ""
            table.add_row(label, ex.name, f"{ex.points:g}", f"{ex.timeout:g} s")
    app.out.print(table)
    app.out.print(f"{len(course.topics)} topics, {sum(t.points for t in course.topics):g} points")
