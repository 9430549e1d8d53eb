"""Students and tokens: `grade serve init DATA_DIR --roster roster.csv` makes one random token
per student plus an instructor token, writes them to DATA_DIR/tokens.csv (for the instructor to
hand out) and stores only their SHA-256 hashes."""

from __future__ import annotations

import csv
import hashlib
import io
import os
import re
import secrets
from pathlib import Path

from grader.errors import GradeError
from grader.serve.store import Store

PREFIX = "grd_"  # the leak check of `grade release` looks for tokens of this form
INSTRUCTOR = "instructor"
STUDENT_ID = re.compile(r"^[\w.@+-]{1,64}$")


def new_token() -> str:
    return PREFIX + secrets.token_urlsafe(24)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def read_roster(path: Path) -> list[str]:
    """Student ids from a CSV whose first column (or a column named student/id) holds them."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise GradeError(f"cannot read the roster {path}: {exc.strerror or exc}") from None
    rows = [r for r in csv.reader(io.StringIO(text)) if r and r[0].strip()]
    if rows and rows[0][0].strip().lower() in ("student", "id", "student_id"):
        rows = rows[1:]
    ids = [r[0].strip() for r in rows]
    bad = [i for i in ids if not STUDENT_ID.match(i) or i == INSTRUCTOR]
    if bad:
        raise GradeError(f"{path}: student id {bad[0]!r} is not allowed (letters, digits and . _ @ + - only)")
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise GradeError(f"{path}: student id {dupes[0]!r} appears twice")
    if not ids:
        raise GradeError(f"{path}: no students in the roster")
    return ids


def init_data_dir(data_dir: Path, roster: Path) -> Path:
    """Create DATA_DIR with the database and tokens.csv (mode 600); returns tokens.csv."""
    store = Store(Path(data_dir))
    if store.exists():
        raise GradeError(f"{data_dir} already holds a grading server; use another folder")
    ids = read_roster(roster)
    store.create()
    rows = [(sid, new_token(), "student") for sid in ids] + [(INSTRUCTOR, new_token(), INSTRUCTOR)]
    with store.db(write=True) as conn:
        for sid, tok, role in rows:
            store.add_student(conn, sid, token_hash(tok), role)
    path = store.dir / "tokens.csv"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["student", "token", "role"])
        writer.writerows(rows)
    return path
