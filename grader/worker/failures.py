"""Turn an exception raised by student code into a short message for the student."""

from __future__ import annotations

import traceback
from pathlib import Path

from grader.worker import guards

MAX_MESSAGE = 600


def _student_frame(exc: BaseException, root: Path):
    """The innermost traceback frame that lies in the submission folder, or None."""
    found = None
    for frame in traceback.extract_tb(exc.__traceback__):
        try:
            if Path(frame.filename).resolve().is_relative_to(root):
                found = frame
        except (OSError, ValueError):
            continue
    return found


def _where(exc: BaseException, root: Path) -> str:
    frame = _student_frame(exc, root)
    if frame is None:
        return ""
    return f" ({Path(frame.filename).name}, line {frame.lineno}, in {frame.name})"


def _short(text: str) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= MAX_MESSAGE else text[: MAX_MESSAGE - 3] + "..."


def describe(exc: BaseException, what: str, root: Path) -> dict:
    """A failure reply for an exception raised while running `what` (e.g. "conv2d")."""
    types = [c.__name__ for c in type(exc).__mro__]
    where = _where(exc, root)
    if isinstance(exc, guards.ForbiddenCall):
        return {"kind": "forbidden", "message": f"{what} used a forbidden call: {exc}", "exc_types": types}
    if isinstance(exc, NotImplementedError):
        msg = f"{what} is not implemented yet (it raised NotImplementedError{where})"
        return {"kind": "raised", "message": msg, "exc_types": types}
    if isinstance(exc, MemoryError) or "can't allocate memory" in str(exc):
        return {"kind": "memory", "message": f"{what} ran out of memory (the worker's memory limit){where}", "exc_types": types}
    if isinstance(exc, SystemExit):
        return {"kind": "crash", "message": f"{what} called sys.exit({exc.code!r}){where}", "exc_types": types}
    if isinstance(exc, RecursionError):
        return {"kind": "raised", "message": f"{what} recursed too deeply (RecursionError){where}", "exc_types": types}
    detail = _short(f"{type(exc).__name__}: {exc}")
    return {"kind": "raised", "message": f"{what} raised {detail}{where}", "exc_types": types}


def import_failure(exc: BaseException, module: str, path: Path, root: Path) -> dict:
    """A failure reply for a module that could not be imported."""
    if isinstance(exc, SyntaxError):
        line = f", line {exc.lineno}" if exc.lineno else ""
        msg = f"{path.name}{line}: syntax error: {exc.msg}"
        return {"kind": "import", "message": msg, "exc_types": ["SyntaxError"]}
    reply = describe(exc, f"importing {path.name}", root)
    reply["kind"] = "import" if reply["kind"] == "raised" else reply["kind"]
    return reply
