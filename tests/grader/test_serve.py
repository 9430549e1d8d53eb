"""The grading server as students and instructors meet it: a real `grade serve` process on
127.0.0.1, real HTTP. Tokens and visibility, upload limits, grading through the queue, remote
`grade submit` from a release bundle with the same scores as a local run, the gradebook and
the class report (headless Chromium), and a kill -9 in the middle of a busy queue."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from grader.paths import solutions_dir
from grader.serve.store import Store
from tests.grader.pages import screenshot
from tests.grader.serve_helpers import Server, client, init, tokens, upload, wait_done

CONV = (solutions_dir() / "convolution.py").read_bytes()
BROKEN = CONV + b"\n\ndef conv2d_num_params(*args, **kwargs):\n    return -1\n"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    data = init(tmp_path_factory.mktemp("serve"), ["ann", "ben", "cat"])
    srv = Server(data, jobs=1).start()
    yield srv
    srv.kill()


def _counts(data: Path) -> tuple[int, int]:
    store = Store(data)
    return len(store.list()), sum(1 for p in (data / "blobs").rglob("*") if p.is_file())


def test_each_student_sees_only_their_own_submissions(server):
    tok = tokens(server.data)
    ann, ben, teacher = (client(server, tok[k]) for k in ("ann", "ben", "instructor"))
    r = upload(ann, {"convolution.py": CONV}, "convolution")
    assert r.status_code == 202 and r.json()["status"] == "queued"
    sid = r.json()["id"]
    assert ann.get(f"/api/submissions/{sid}").status_code == 200
    assert ben.get(f"/api/submissions/{sid}").status_code == 404
    assert client(server, None).get(f"/api/submissions/{sid}").status_code == 401
    assert client(server, "grd_" + "x" * 32).get("/api/submissions").status_code == 401
    assert teacher.get(f"/api/submissions/{sid}").status_code == 200
    assert [s["id"] for s in ann.get("/api/submissions").json()] == [sid]
    assert ben.get("/api/submissions").json() == []
    assert sid in [s["id"] for s in teacher.get("/api/submissions").json()]
    assert ben.get("/api/gradebook.csv").status_code == 403
    doc = wait_done(ann, sid)
    assert doc["status"] == "done" and doc["score"] == 9 and doc["result"]["score"] == 9


@pytest.mark.parametrize("name, data, code", [
    ("../convolution.py", CONV, 400),
    ("/etc/convolution.py", CONV, 400),
    ("answers/../../x.toml", b"a = 1", 400),
    ("notes.txt", b"hello", 400),
    ("sub/dir/convolution.py", CONV, 400),
    ("convolution.py", b"#" * (2 << 20), 413),
])
def test_bad_uploads_are_rejected_and_nothing_is_stored(server, name, data, code):
    ann = client(server, tokens(server.data)["ann"])
    before = _counts(server.data)
    r = upload(ann, {name: data})
    assert r.status_code == code, r.text
    assert "detail" in r.json()
    assert _counts(server.data) == before


def test_malformed_multipart_is_400(server):
    ann = client(server, tokens(server.data)["ann"])
    before = _counts(server.data)
    r = ann.post("/api/submissions", content=b"--zz\r\ngarbage", headers={"Content-Type": "multipart/form-data; boundary=zz"})
    assert r.status_code == 400
    r = ann.post("/api/submissions", json={"files": []})
    assert r.status_code == 400
    assert _counts(server.data) == before


def test_rate_limit_is_429(tmp_path):
    data = init(tmp_path, ["ann"])
    srv = Server(data, jobs=1, rate=2).start()
    try:
        ann = client(srv, tokens(data)["ann"])
        codes = [upload(ann, {"convolution.py": CONV}).status_code for _ in range(3)]
        assert codes == [202, 202, 429]
    finally:
        srv.kill()


def test_gradebook_and_report_show_each_students_latest(server, tmp_path):
    tok = tokens(server.data)
    ben, cat = client(server, tok["ben"]), client(server, tok["cat"])
    first = upload(ben, {"convolution.py": CONV}, "convolution").json()["id"]
    wait_done(ben, first)
    second = upload(ben, {"convolution.py": BROKEN}, "convolution").json()["id"]  # the latest counts
    wait_done(ben, second)
    wait_done(cat, upload(cat, {"convolution.py": CONV}, "convolution").json()["id"])
    teacher = client(server, tok["instructor"])
    rows = {line.split(",")[0]: line.split(",") for line in teacher.get("/api/gradebook.csv").text.splitlines()}
    header = rows["student"]
    total = header.index("total")
    assert (rows["ben"][total], rows["cat"][total]) == ("8", "9")
    page = tmp_path / "report.html"
    r = teacher.get("/report")
    assert r.status_code == 200 and "Class report" in r.text
    page.write_text(r.text, encoding="utf-8")
    screenshot(page, tmp_path)


def test_report_opens_in_chromium_from_the_server(server, tmp_path):
    """The page as a browser gets it from the server (token in the URL once)."""
    from tests.grader.pages import CHROMIUM, CHROMIUM_FLAGS

    if not CHROMIUM.exists():
        pytest.skip("Chromium is not installed")
    url = f"{server.url}/report?token={tokens(server.data)['instructor']}"
    shot = tmp_path / "served.png"
    proc = subprocess.run([str(CHROMIUM), *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'p'}",
                           f"--screenshot={shot}", url], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0 and shot.is_file(), proc.stderr[-2000:]
    assert ":CONSOLE" not in proc.stderr, proc.stderr[-2000:]


# ---------------------------------------------------------------- students' grade submit

def test_remote_submit_from_a_bundle_gives_the_local_score(server, tmp_path):
    from tests.grader.quiz_helpers import write_right_answers

    env = {"PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin", "HOME": str(tmp_path),
           "XDG_CONFIG_HOME": str(tmp_path / "config"),
           **{k: os.environ[k] for k in ("PYTHONPATH",) if k in os.environ}}
    bundle = tmp_path / "bundle"
    run = lambda *a, cwd=tmp_path, course=None: subprocess.run(  # noqa: E731
        [sys.executable, "-m", "grader.cli", *map(str, a)], capture_output=True, text=True, cwd=cwd, timeout=900,
        env={**env, **({"GRADE_COURSE_ROOT": str(course)} if course else {})})
    assert run("release", bundle).returncode == 0
    work = tmp_path / "work"
    work.mkdir()
    (work / "convolution.py").write_bytes(BROKEN)
    write_right_answers(work, ["convolution"])
    ann = tokens(server.data)["ann"]
    bad = run("login", server.url, "--token", "grd_" + "y" * 32, course=bundle)
    assert bad.returncode == 1 and "did not accept your token" in bad.stderr
    assert run("login", server.url, "--token", ann, course=bundle).returncode == 0
    cfg = tmp_path / "config" / "dlviz-grader" / "config.toml"
    assert cfg.stat().st_mode & 0o777 == 0o600
    remote = run("submit", "convolution", "--path", work, "--json", "--out", tmp_path / "remote", course=bundle)
    assert remote.returncode == 0, remote.stderr
    local = run("submit", "convolution", "--path", work, "--json", "--out", tmp_path / "local")
    assert local.returncode == 0, local.stderr
    r, l = json.loads(remote.stdout), json.loads(local.stdout)
    assert r["score"] == l["score"] == 16 and r["max_score"] == l["max_score"]  # 8 of 9 + the quiz's 8
    assert [(e["name"], e["score"]) for e in r["exercises"]] == [(e["name"], e["score"]) for e in l["exercises"]]
    assert (tmp_path / "remote" / "results.json").is_file() and (tmp_path / "remote" / "feedback.html").is_file()
    history = run("history", course=bundle)
    assert history.returncode == 0 and "convolution" in history.stdout and "done" in history.stdout
    gone = run("submit", "convolution", "--path", work, "--server", "http://127.0.0.1:9", course=bundle)
    assert gone.returncode == 1 and "cannot reach the grading server" in gone.stderr
    (work / "link.py").symlink_to(work / "convolution.py")
    (work / "convolution.py").rename(work / "real.py")
    (work / "convolution.py").symlink_to(work / "real.py")
    linked = run("submit", "convolution", "--path", work, course=bundle)
    assert linked.returncode == 1 and "symbolic link" in linked.stderr


# ---------------------------------------------------------------- kill -9 under load

def test_kill_minus_9_loses_nothing(tmp_path):
    """20 students send 60 submissions at once; the server is killed with SIGKILL while some are
    queued and running, then restarted: every submission ends graded exactly once (or
    superseded by the same student's newer one), and the gradebook has each latest."""
    students = [f"s{i:02d}" for i in range(20)]
    data = init(tmp_path, students)
    srv = Server(data, jobs=2).start()
    tok = tokens(data)

    def send(k: int):
        student = students[k % 20]
        body = CONV if k < 40 else BROKEN  # each student's third (latest) submission is the broken one
        time.sleep(0.05 * (k // 20))  # keep each student's three in order
        return student, upload(client(srv, tok[student]), {"convolution.py": body}, "convolution").json()["id"]

    with ThreadPoolExecutor(20) as pool:
        sent = list(pool.map(send, range(60)))
    assert len({sid for _, sid in sent}) == 60
    store = Store(data)
    deadline = time.monotonic() + 300
    while sum(s.status == "done" for s in store.list()) < 2 and time.monotonic() < deadline:
        time.sleep(0.5)
    srv.kill()
    statuses = [s.status for s in store.list()]
    assert "running" in statuses or "queued" in statuses, statuses  # killed mid-queue
    srv = Server(data, jobs=2).start()
    if "running" in statuses:
        assert "queued again" in srv.output()
    try:
        teacher = client(srv, tok["instructor"])
        final = {sid: wait_done(teacher, sid, limit=900) for _, sid in sent}
    finally:
        srv.kill()
    subs = {s.id: s for s in store.list()}
    for sid, doc in final.items():
        assert doc["status"] in ("done", "superseded"), doc
        assert subs[sid].graded == (1 if doc["status"] == "done" else 0), (sid, subs[sid])
    latest = {}
    for student, sid in sent:
        latest[student] = sid  # sent in order per student
    assert all(final[sid]["status"] == "done" and final[sid]["score"] == 8 for sid in latest.values())
    srv2 = Server(data, jobs=1).start()
    try:
        book = client(srv2, tok["instructor"]).get("/api/gradebook.csv").text.splitlines()
    finally:
        srv2.kill()
    header = book[0].split(",")
    totals = {line.split(",")[0]: line.split(",")[header.index("total")] for line in book[1:]}
    assert totals == {s: "8" for s in students}


# ---------------------------------------------------------------- hostile students

HOSTILE = CONV + b'''

import os as _os
import signal as _signal


def conv2d_output_size(*args, **kwargs):
    for pid in range(2, 1 << 15):  # every process it can see
        try:
            _os.kill(pid, _signal.SIGKILL)
        except OSError:
            pass
    try:
        _os.kill(-1, _signal.SIGKILL)
    except OSError:
        pass
    return 0
'''

SNOOP = CONV + b'''

import glob as _glob


def bottleneck_params(*args, **kwargs):
    found = []
    for pattern in ("/proc/*/environ", "/proc/*/cwd/*", "/tmp/*", "/**/server.sqlite3", "/**/tokens.csv"):
        for path in _glob.glob(pattern, recursive=True)[:200]:
            try:
                with open(path, "rb") as fh:
                    found.append(fh.read(100))
            except OSError:
                pass
    for target in ("/tmp/pwned", "/var/tmp/pwned", "/dev/shm/pwned"):
        try:
            open(target, "w").write("x")
        except OSError:
            pass
    raise RuntimeError(repr(found)[:3000])
'''


def test_a_hostile_student_harms_neither_the_server_nor_others(tmp_path):
    """Inside its own PID namespace (so a sandbox regression cannot touch this machine), a
    server grades an attacker who kills every process it can see and one who snoops for
    tokens and other students' files; the server lives on and the honest student's score is
    exact."""
    if shutil.which("unshare") is None:
        pytest.skip("unshare is not available")
    data = init(tmp_path, ["mallory", "eve", "honest"])
    srv = Server(data, jobs=1, wrap=["unshare", "--pid", "--fork", "--kill-child", "--mount-proc"]).start()
    try:
        tok = tokens(data)
        m = client(srv, tok["mallory"])
        e = client(srv, tok["eve"])
        h = client(srv, tok["honest"])
        teacher = client(srv, tok["instructor"])
        first = upload(h, {"convolution.py": CONV}).json()["id"]
        ids = [first, upload(m, {"convolution.py": HOSTILE}).json()["id"], upload(e, {"convolution.py": SNOOP}).json()["id"]]
        wait_done(teacher, first)  # so the honest student's second submission does not supersede it
        ids.append(upload(h, {"convolution.py": BROKEN}).json()["id"])
        docs = [wait_done(teacher, sid) for sid in ids]
        assert srv.proc.poll() is None and client(srv, None).get("/docs").status_code == 200
        assert [d["status"] for d in docs] == ["done"] * 4
        assert docs[0]["score"] == 9 and docs[3]["score"] == 8
        assert docs[1]["score"] < 9
        leaked = json.dumps(docs[2]["detail"])
        for secret in tok.values():
            assert secret not in leaked
        assert not any(Path(p).exists() for p in ("/tmp/pwned", "/var/tmp/pwned", "/dev/shm/pwned"))
    finally:
        srv.kill()


def test_late_submissions_are_accepted_and_marked_late(tmp_path, monkeypatch):
    from grader.paths import course_root

    root = tmp_path / "course-copy"
    for part in ("course", "solutions", "exercises", "tests/hidden", "tests/public"):
        shutil.copytree(course_root() / part, root / part)
    toml = root / "course" / "convolution.toml"
    toml.write_text('deadline = 2020-01-01T00:00:00+09:00\n' + toml.read_text())
    monkeypatch.setenv("GRADE_COURSE_ROOT", str(root))
    data = init(tmp_path, ["ann"])
    srv = Server(data, jobs=1).start()
    try:
        ann = client(srv, tokens(data)["ann"])
        r = upload(ann, {"convolution.py": CONV}, "convolution").json()
        assert r["late"] is True
        assert wait_done(ann, r["id"])["late"] is True
        book = client(srv, tokens(data)["instructor"]).get("/api/gradebook.csv").text.splitlines()
        assert book[1].split(",")[0] == "ann" and book[1].endswith(",late")
        assert "LATE" in srv.output()
    finally:
        srv.kill()
