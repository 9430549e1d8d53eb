"""`grade release OUT`: build the student bundle, check it for leaks, optionally add the
Gradescope autograder zip. A leak fails the release: OUT stays marked incomplete."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from grader.errors import GradeError


@dataclass
class ReleaseReport:
    """out: the bundle folder; files: how many were written; autograder: the zip, if made."""

    out: Path
    files: int
    topics: list[str] = field(default_factory=list)
    autograder: Path | None = None


def release(out: Path, topic_names=(), gradescope: bool = False) -> ReleaseReport:
    from grader.manifest import load_course
    from grader.release.bundle import bundle_files, mark_done, mark_failed, write_bundle
    from grader.release.leaks import scan

    course = load_course()
    if course.student_bundle:
        raise GradeError("this is a student bundle; run `grade release` in the instructor's course repository")
    topics = course.select(topic_names)
    files = bundle_files(topic_names)
    out = Path(out)
    write_bundle(out, files)
    findings = scan(out, topic_names)
    if findings:
        mark_failed(out, findings)
        first = findings[0]
        more = f" (and {len(findings) - 1} more, listed in {out}/RELEASE_INCOMPLETE.txt)" if len(findings) > 1 else ""
        raise GradeError(f"leak check failed: {first.file}: {first.what}{more}")
    report = ReleaseReport(out, len(files), [t.name for t in topics])
    if gradescope:
        from grader.release.autograder import autograder_zip
        from grader.files import write_atomic

        report.autograder = out.parent / f"{out.name}-autograder.zip"
        write_atomic(report.autograder, autograder_zip())
    mark_done(out, files, topics)
    return report


def check_release(out: Path, topic_names=()) -> list:
    """The leak check alone, on an existing folder (for instructors who edit a bundle)."""
    from grader.release.leaks import scan

    if not Path(out).is_dir():
        raise GradeError(f"{out} is not a folder")
    return scan(Path(out), topic_names)


def release_cmd(app, out: Path, topic_names, gradescope: bool) -> None:
    """`grade release`: build, check, and say where the bundle (and the autograder) went."""
    report = release(out, topic_names, gradescope)
    app.out.print(f"released {len(report.topics)} topics ({report.files} files) to {report.out}; leak check passed",
                  highlight=False)
    if report.autograder:
        app.out.print(f"Gradescope autograder: {report.autograder} (instructors only: it holds the hidden tests)",
                      highlight=False)
