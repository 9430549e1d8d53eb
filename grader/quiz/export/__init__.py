"""Quiz exports for instructors who run quizzes in their LMS: Moodle GIFT, Canvas QTI 1.2,
and a printable HTML sheet. Each exporter takes [(Topic, questions)] and a language."""

from __future__ import annotations

from pathlib import Path

from grader.errors import GradeError

FORMATS = ("gift", "qti", "html")


def export(fmt: str, quizzes, out: Path, lang: str = "en", key: bool = False) -> Path:
    """Write the export in `fmt` to `out` (a file); returns the path written."""
    from grader.files import write_atomic

    out = Path(out)
    if out.is_dir():
        raise GradeError(f"{out} is a folder; give the file to write (e.g. {out / ('quiz.' + _suffix(fmt))})")
    if fmt == "gift":
        from grader.quiz.export.gift import to_gift

        write_atomic(out, to_gift(quizzes, lang))
    elif fmt == "qti":
        from grader.quiz.export.qti import to_qti_zip

        write_atomic(out, to_qti_zip(quizzes, lang))
    elif fmt == "html":
        from grader.quiz.export.sheet import to_html

        write_atomic(out, to_html(quizzes, lang, key))
    else:
        raise GradeError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    return out


def _suffix(fmt: str) -> str:
    return {"gift": "gift.txt", "qti": "zip", "html": "html"}.get(fmt, fmt)
