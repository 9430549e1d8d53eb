"""`grade init DIR`: a student's work folder with the exercise stubs and the course data."""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

from grader.errors import GradeError
from grader.manifest import load_course
from grader.paths import course_root


@dataclass
class InitReport:
    """created: files copied; kept: files that already existed and were left untouched."""

    created: list[Path] = field(default_factory=list)
    kept: list[Path] = field(default_factory=list)


def _copy(src: Path, dest: Path, report: InitReport) -> None:
    if dest.exists():
        report.kept.append(dest)
        return
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src, dest)
    report.created.append(dest)


def init_workdir(dest: Path, topic_names=(), notebooks: bool = False) -> InitReport:
    """Copy exercises/<topic>.py (with `notebooks`: notebooks/<topic>.ipynb instead) and
    course/data/ into dest; never overwrite a file."""
    if dest.exists() and not dest.is_dir():
        raise GradeError(f"{dest} exists and is not a folder")
    root = course_root()
    report = InitReport()
    for topic in load_course().select(topic_names):
        stub = root / ("notebooks" if notebooks else "exercises") / f"{topic.name}.{'ipynb' if notebooks else 'py'}"
        if not stub.is_file():
            raise GradeError(f"the course has no stub for {topic.name} ({stub.relative_to(root)})")
        _copy(stub, dest / stub.name, report)
    data = root / "course" / "data"
    for src in sorted(data.glob("*.csv")) if data.is_dir() else ():
        _copy(src, dest / "data" / src.name, report)
    return report


def init_cmd(app, directory: Path, topics=(), notebooks: bool = False) -> None:
    """`grade init`: make the folder and say what was created, kept and what comes next."""
    report = init_workdir(directory, topics, notebooks)
    for p in report.created:
        app.out.print(f"created {p}")
    for p in report.kept:
        app.out.print(f"kept    {p} (already there, not overwritten)")
    app.out.print(f"\nNext: edit the files in {directory}, then run `grade check --path {directory}` "
                  f"and `grade submit --path {directory}`.")
