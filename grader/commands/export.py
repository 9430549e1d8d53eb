"""`grade export nbgrader COURSE_DIR`: the course as an nbgrader course directory."""

from __future__ import annotations

from pathlib import Path

from grader.errors import GradeError


def nbgrader_cmd(app, course_dir: Path, topic_names) -> None:
    """Write one assignment per topic; a one-line error when nbformat is not installed."""
    try:
        from grader.notebooks.nbgrader_export import export_nbgrader

        written = export_nbgrader(course_dir, topic_names)
    except ImportError as exc:
        raise GradeError(f"the nbgrader export needs nbformat ({exc.name}): pip install -e '.[nbgrader]'") from None
    app.out.print(f"wrote {len(written)} assignments to {course_dir}/source; next: cd {course_dir} && "
                  "nbgrader generate_assignment TOPIC", highlight=False)
