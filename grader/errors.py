"""Exceptions with messages meant for people, raised across the grader.

`GradeError` is a mistake a user can make (bad path, broken manifest); the CLI turns it
into a one-line message and exit code 1. `StudentError` is a failure of student code seen
from the judge (it raised, timed out, crashed, is missing); the harness turns it into the
failure message of the test in flight.
"""

from __future__ import annotations


class GradeError(Exception):
    """A user-facing error: printed as one line, never as a traceback."""


class ManifestError(GradeError):
    """The course manifest is missing or malformed."""


class StudentError(Exception):
    """Student code failed in the worker; `str(self)` is the message for the student.

    `kind` is one of "raised", "timeout", "crash", "import", "missing", "forbidden",
    "memory", "protocol", "budget" (not run: the time budget is used up), "shape" (a
    value of the wrong shape came back: a wrong answer, not a failure of the code); `exc_types` lists the names in the MRO of the exception the
    student's code raised (so a ValueError subclass still counts as a ValueError).
    """

    def __init__(self, message: str, kind: str = "raised", exc_types: tuple[str, ...] = ()):
        super().__init__(message)
        self.kind = kind
        self.exc_types = tuple(exc_types)

    def raised(self, name: str) -> bool:
        """True when the student's code raised an exception of type `name` (or a subclass)."""
        return self.kind == "raised" and name in self.exc_types
