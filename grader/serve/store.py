"""The server's state in DATA_DIR: server.sqlite3 (students, submissions, the queue) and the
submitted files by content hash in blobs/. A submission and its queue entry are inserted in
one transaction; jobs are taken with a lease, so a job whose grader died is taken again."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

DB_FILE = "server.sqlite3"
SCHEMA = """
CREATE TABLE IF NOT EXISTS students (
    id TEXT PRIMARY KEY, token_hash TEXT UNIQUE NOT NULL, role TEXT NOT NULL DEFAULT 'student');
CREATE TABLE IF NOT EXISTS submissions (
    id TEXT PRIMARY KEY, student TEXT NOT NULL REFERENCES students(id), topics TEXT NOT NULL,
    created REAL NOT NULL, status TEXT NOT NULL, late INTEGER NOT NULL DEFAULT 0,
    lease_owner TEXT, lease_until REAL, attempts INTEGER NOT NULL DEFAULT 0, graded INTEGER NOT NULL DEFAULT 0,
    finished REAL, score REAL, max_score REAL, error TEXT, superseded_by TEXT);
CREATE TABLE IF NOT EXISTS files (
    submission TEXT NOT NULL REFERENCES submissions(id), path TEXT NOT NULL, sha256 TEXT NOT NULL,
    PRIMARY KEY (submission, path));
CREATE INDEX IF NOT EXISTS queue ON submissions(status, created);
CREATE INDEX IF NOT EXISTS by_student ON submissions(student, created);
"""
STATUSES = ("queued", "running", "done", "failed", "superseded")


@dataclass
class Submission:
    """One submission as the API shows it (result and detail live in results/<id>/)."""

    id: str
    student: str
    topics: list[str]
    created: float
    status: str
    late: bool
    attempts: int
    graded: int
    score: float | None
    max_score: float | None
    error: str | None
    superseded_by: str | None

    def summary(self) -> dict:
        return {"id": self.id, "student": self.student, "topics": self.topics, "status": self.status,
                "created": self.created, "late": self.late, "score": self.score, "max_score": self.max_score,
                "error": self.error, "superseded_by": self.superseded_by}


def _row(r) -> Submission:
    return Submission(r["id"], r["student"], json.loads(r["topics"]), r["created"], r["status"], bool(r["late"]),
                      r["attempts"], r["graded"], r["score"], r["max_score"], r["error"], r["superseded_by"])


class Store:
    def __init__(self, data_dir: Path):
        self.dir = Path(data_dir)
        self.blobs = self.dir / "blobs"
        self.results = self.dir / "results"

    @contextmanager
    def db(self, write: bool = False):
        """A connection for one unit of work; `write` takes the write lock at once (BEGIN IMMEDIATE)."""
        conn = sqlite3.connect(self.dir / DB_FILE, timeout=30, isolation_level=None)
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA busy_timeout = 30000")
        conn.execute("PRAGMA foreign_keys = ON")
        try:
            conn.execute("BEGIN IMMEDIATE" if write else "BEGIN")
            yield conn
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        finally:
            conn.close()

    def create(self) -> None:
        for folder in (self.dir, self.blobs, self.results):
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)  # student code and token hashes
        conn = sqlite3.connect(self.dir / DB_FILE)
        conn.execute("PRAGMA journal_mode = WAL")
        conn.executescript(SCHEMA)
        conn.close()

    def exists(self) -> bool:
        return (self.dir / DB_FILE).is_file()

    # ------------------------------------------------------------ students

    def add_student(self, conn, student: str, token_hash: str, role: str = "student") -> None:
        conn.execute("INSERT INTO students (id, token_hash, role) VALUES (?, ?, ?)", (student, token_hash, role))

    def who(self, token_hash: str) -> tuple[str, str] | None:
        with self.db() as conn:
            r = conn.execute("SELECT id, role FROM students WHERE token_hash = ?", (token_hash,)).fetchone()
        return (r["id"], r["role"]) if r else None

    def students(self) -> list[str]:
        with self.db() as conn:
            return [r["id"] for r in conn.execute("SELECT id FROM students WHERE role = 'student' ORDER BY id")]

    # ------------------------------------------------------------ submissions and the queue

    def put_blob(self, data: bytes) -> str:
        digest = hashlib.sha256(data).hexdigest()
        path = self.blobs / digest[:2] / digest
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".{uuid.uuid4().hex}.tmp")
            tmp.write_bytes(data)
            tmp.replace(path)
        return digest

    def blob(self, digest: str) -> bytes:
        return (self.blobs / digest[:2] / digest).read_bytes()

    def submit(self, student: str, topics: list[str], files: dict[str, bytes], late: bool) -> str:
        """Store the files, then insert the submission queued and supersede the student's older
        queued submissions of the same topics, in one transaction."""
        digests = {path: self.put_blob(data) for path, data in files.items()}
        sid = uuid.uuid4().hex
        with self.db(write=True) as conn:
            conn.execute("INSERT INTO submissions (id, student, topics, created, status, late) VALUES (?, ?, ?, ?, 'queued', ?)",
                         (sid, student, json.dumps(topics), time.time(), int(late)))
            conn.executemany("INSERT INTO files (submission, path, sha256) VALUES (?, ?, ?)",
                             [(sid, p, d) for p, d in sorted(digests.items())])
            conn.execute("UPDATE submissions SET status = 'superseded', superseded_by = ? WHERE student = ? AND "
                         "status = 'queued' AND topics = ? AND id != ?", (sid, student, json.dumps(topics), sid))
        return sid

    def recent_count(self, student: str, seconds: float) -> int:
        with self.db() as conn:
            return conn.execute("SELECT COUNT(*) FROM submissions WHERE student = ? AND created > ?",
                                (student, time.time() - seconds)).fetchone()[0]

    def claim(self, owner: str, lease: float, n: int = 1) -> list[Submission]:
        """Take up to n jobs: queued ones, or running ones whose lease ran out (their grader died)."""
        now = time.time()
        with self.db(write=True) as conn:
            rows = conn.execute("SELECT * FROM submissions WHERE status = 'queued' OR (status = 'running' AND "
                                "lease_until < ?) ORDER BY created LIMIT ?", (now, n)).fetchall()
            for r in rows:
                conn.execute("UPDATE submissions SET status = 'running', lease_owner = ?, lease_until = ?, "
                             "attempts = attempts + 1 WHERE id = ?", (owner, now + lease, r["id"]))
        return [_row(r) for r in rows]

    def requeue_orphans(self) -> int:
        """At start-up: jobs left running by a server that was killed go back to the queue."""
        with self.db(write=True) as conn:
            return conn.execute("UPDATE submissions SET status = 'queued', lease_owner = NULL, lease_until = NULL "
                                "WHERE status = 'running'").rowcount

    def requeue(self, sid: str, owner: str) -> None:
        with self.db(write=True) as conn:
            conn.execute("UPDATE submissions SET status = 'queued', lease_owner = NULL, lease_until = NULL "
                         "WHERE id = ? AND lease_owner = ? AND status = 'running'", (sid, owner))

    def finish(self, sid: str, owner: str, status: str, score: float, max_score: float, error: str = "") -> bool:
        """Record the outcome if `owner` still holds the job's lease; False if it lost it."""
        with self.db(write=True) as conn:
            done = conn.execute("UPDATE submissions SET status = ?, score = ?, max_score = ?, error = ?, "
                                "finished = ?, graded = graded + 1, lease_owner = NULL, lease_until = NULL "
                                "WHERE id = ? AND lease_owner = ? AND status = 'running'",
                                (status, score, max_score, error or None, time.time(), sid, owner)).rowcount
        return bool(done)

    def files(self, sid: str) -> dict[str, str]:
        with self.db() as conn:
            return {r["path"]: r["sha256"] for r in conn.execute("SELECT path, sha256 FROM files WHERE submission = ?", (sid,))}

    def get(self, sid: str) -> Submission | None:
        with self.db() as conn:
            r = conn.execute("SELECT * FROM submissions WHERE id = ?", (sid,)).fetchone()
        return _row(r) if r else None

    def list(self, student: str | None = None) -> list[Submission]:
        with self.db() as conn:
            if student is None:
                rows = conn.execute("SELECT * FROM submissions ORDER BY created").fetchall()
            else:
                rows = conn.execute("SELECT * FROM submissions WHERE student = ? ORDER BY created", (student,)).fetchall()
        return [_row(r) for r in rows]

    def result_dir(self, sid: str) -> Path:
        return self.results / sid
