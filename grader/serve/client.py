"""The student's side of the server: `grade login` saves the server and token (a config file in
the user's config folder, mode 600); `grade submit` uploads the work folder's files, follows
the submission until it is graded, and saves results.json and feedback.html as a local run
does; `grade history` lists past submissions. Every failure is one line saying what to do."""

from __future__ import annotations

import os
import time
import tomllib
from dataclasses import dataclass
from pathlib import Path

from grader.errors import GradeError

POLL = 0.5  # seconds between status requests (doubling up to 3 s)
WAIT_LIMIT = 1800.0


@dataclass
class Login:
    server: str
    token: str


def config_path() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "dlviz-grader" / "config.toml"


def save_login(server: str, token: str) -> Path:
    import tomli_w

    path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(tomli_w.dumps({"server": server.rstrip("/"), "token": token}))
    os.chmod(path, 0o600)
    return path


def load_login(server: str | None = None) -> Login:
    path = config_path()
    data = {}
    if path.is_file():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise GradeError(f"{path} is damaged ({exc}); run `grade login URL --token TOKEN` again") from None
    if not data.get("token"):
        raise GradeError("not logged in: run `grade login URL --token TOKEN` with the token from your instructor")
    return Login((server or data.get("server", "")).rstrip("/"), data["token"])


class Client:
    def __init__(self, login: Login):
        import httpx

        self.login = login
        self.http = httpx.Client(base_url=login.server, timeout=60.0,
                                 headers={"Authorization": f"Bearer {login.token}"})

    def request(self, method: str, url: str, **kwargs):
        import httpx

        try:
            resp = self.http.request(method, url, **kwargs)
        except httpx.HTTPError as exc:
            raise GradeError(f"cannot reach the grading server at {self.login.server} ({type(exc).__name__}: "
                             f"{exc}); check the address with your instructor") from None
        if resp.status_code == 401:
            raise GradeError("the server did not accept your token; run `grade login URL --token TOKEN` again "
                             "with the token from your instructor")
        if resp.status_code >= 400:
            try:
                detail = resp.json().get("detail", resp.text)
            except ValueError:
                detail = resp.text[:200]
            raise GradeError(f"the server refused the request ({resp.status_code}): {detail}")
        return resp

    def submissions(self) -> list[dict]:
        return self.request("GET", "/api/submissions").json()


def work_files(path: Path, topics) -> list[tuple[str, bytes]]:
    """The files of the work folder that a submission carries: <topic>.py or .ipynb and
    answers/<topic>.toml of each chosen topic. Symlinks are refused."""
    files = []
    for t in topics:
        for rel in (f"{t.name}.py", f"{t.name}.ipynb", f"answers/{t.name}.toml"):
            p = path / rel
            if p.is_symlink():
                raise GradeError(f"{p} is a symbolic link; submit the file itself")
            if p.is_file():
                files.append((rel, p.read_bytes()))
    if not any(rel.endswith((".py", ".ipynb")) for rel, _ in files):
        raise GradeError(f"no exercise files in {path} for {', '.join(t.name for t in topics)}")
    return files


def upload(client: Client, path: Path, topics) -> str:
    files = [("files", (rel, data, "application/octet-stream")) for rel, data in work_files(path, topics)]
    resp = client.request("POST", "/api/submissions", files=files, data={"topics": " ".join(t.name for t in topics)})
    return resp.json()["id"]


def follow(client: Client, sid: str, on_status=lambda status: None) -> dict:
    """Poll until the submission is graded (or failed or superseded); returns its document."""
    delay, deadline = POLL, time.monotonic() + WAIT_LIMIT
    while time.monotonic() < deadline:
        doc = client.request("GET", f"/api/submissions/{sid}").json()
        on_status(doc["status"])
        if doc["status"] in ("done", "failed", "superseded"):
            return doc
        time.sleep(delay)
        delay = min(delay * 2, 3.0)
    raise GradeError(f"submission {sid} is still being graded; see `grade history` later")


def save_outcome(client: Client, doc: dict, out: Path):
    """results.json and feedback.html in `out`; returns (SubmissionResult, results path, feedback path)."""
    import json

    from grader.files import write_atomic
    from grader.results import SubmissionResult

    if doc["status"] == "superseded":
        raise GradeError(f"submission {doc['id']} was replaced by your newer submission {doc['superseded_by']}")
    if "detail" not in doc:
        raise GradeError(f"submission {doc['id']} could not be graded: {doc.get('error') or doc['status']}")
    out = Path(out)
    results = out / "results.json"
    write_atomic(results, json.dumps(doc["result"], indent=2))
    feedback = out / "feedback.html"
    write_atomic(feedback, client.request("GET", f"/api/submissions/{doc['id']}/feedback.html").text)
    return SubmissionResult.from_dict(doc["detail"]), results, feedback
