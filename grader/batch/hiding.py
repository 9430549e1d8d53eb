"""What a judge's workers must not see: the other judges' folders, the class's submissions,
the outputs; never a folder the worker needs (the course, the grader, Python, the temp dir).
Shared by `grade batch`, the grading server and the Dask cluster."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from grader.paths import course_root, package_parent


def needed() -> list[Path]:
    """Folders a worker needs: the course, the grader package's parent, Python's prefixes."""
    return [course_root(), package_parent(), Path(sys.prefix), Path(sys.base_prefix)]


def not_above(paths: list[Path], keep: list[Path]) -> list[str]:
    """The resolved `paths` that are not `keep` folders nor above one (hiding those would
    hide what the worker needs), each once."""
    kept = [k.resolve() for k in keep]
    result = []
    for p in (Path(p).resolve() for p in paths):
        if p.is_dir() and not any(k == p or p in k.parents for k in kept) and str(p) not in result:
            result.append(str(p))
    return result


def judge_settings(work: Path, jobs: int, slot: int, log: Path, hide: list[Path], **extra) -> dict:
    """The settings of judge `slot` of `jobs` (grader.batch.judge): its log, temp and staging
    folders under work/judge-<slot>, and the folders to hide from its workers (`hide` plus the
    other judges' folders); `extra` (plots, require_isolation) is passed through."""
    mine = work / f"judge-{slot}"
    for j in range(jobs):
        (work / f"judge-{j}" / "tmp").mkdir(parents=True, exist_ok=True)
    others = [work / f"judge-{j}" for j in range(jobs) if j != slot]
    keep = [mine, *needed(), Path(tempfile.gettempdir())]
    return {"log": str(log), "tmp": str(mine / "tmp"), "stage": str(mine / "stage"),
            "package_parent": str(package_parent()), "hide": not_above([*hide, *others], keep), **extra}
