"""The artifact files of a result (diff images of plot checks), written beside results.json."""

from __future__ import annotations

from pathlib import Path

from grader.files import write_atomic
from grader.results import SubmissionResult


def write_artifacts(result: SubmissionResult, out: Path) -> dict[str, str]:
    """Write each artifact to out/<filename>; returns {filename: caption} for results.json."""
    files = {}
    for art in result.artifacts:
        write_atomic(out / art.filename, art.data)
        files[art.filename] = art.caption
    return files
