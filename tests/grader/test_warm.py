"""The warm judge (grader.warm): `grade submit`/`grade check` through a per-user background
judge give exactly the cold results, stop on Ctrl-C like a cold run, die with their client,
and the warm judge leaves when idle. Every test has its own runtime folder (its own warm
judge), killed at the end."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from grader.batch.procs import descendants
from grader.paths import course_root, solutions_dir
from grader.warm import place
from grader.warm.client import wants_warm
from tests.grader.helpers import FIXTURES, ctrl_c, write_submission

CLIENT = [sys.executable, "-m", "grader.warm.client"]
pytestmark = pytest.mark.long_running  # several minutes on one worker: started first


def _env(run_dir: Path, **extra) -> dict:
    run_dir.mkdir(mode=0o700, exist_ok=True)
    return {**os.environ, "GRADE_WARM": "1", "XDG_RUNTIME_DIR": str(run_dir), "GRADE_WARM_IDLE": "120", **extra}


def _daemons(run_dir: Path) -> list[int]:
    """Pids of the warm judges started in run_dir (from their logs)."""
    pids = []
    for log in (run_dir / "dlviz-grader").glob("*.log"):
        pids += [int(p) for p in re.findall(r"\(pid (\d+)\)", log.read_text())]
    return pids


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return Path(f"/proc/{pid}").exists() and "zombie" not in Path(f"/proc/{pid}/status").read_text()


def _stop(run_dir: Path) -> None:
    for pid in _daemons(run_dir):
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            pass


@pytest.fixture
def run_dir():
    """A short private folder (a Unix socket's path has at most 107 bytes; tmp_path is long)."""
    folder = Path(tempfile.mkdtemp(prefix="w", dir="/tmp"))
    yield folder
    _stop(folder)
    shutil.rmtree(folder, ignore_errors=True)


def _grade(args, env, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([*CLIENT, *args], env=env, capture_output=True, text=True, timeout=600, **kwargs)


def _results(out: Path) -> list:
    """Every test's (name, passed, score, message) of a results.json: all but the timings."""
    doc = json.loads((out / "results.json").read_text())
    return [(t.get("name"), t.get("status"), t.get("score"), t.get("output")) for t in doc["tests"]] + \
        [("total", doc.get("score"))]


def test_warm_runs_give_the_cold_results(tmp_path, run_dir):
    folder = write_submission(tmp_path / "work", "convolution", FIXTURES / "convolution" / "conv2d_kernel_flipped.py")
    write_submission(folder, "bar_plots", FIXTURES / "bar_plots" / "stacked_bar_without_bottom.py")
    args = ["submit", "convolution", "bar_plots", "--path", str(folder)]
    cold = _grade([*args, "--out", str(tmp_path / "cold")], {**_env(run_dir), "GRADE_WARM": "0"})
    assert cold.returncode == 0, cold.stderr
    assert not (run_dir / "dlviz-grader").exists() or not _daemons(run_dir)  # GRADE_WARM=0: no warm judge
    warm = [_grade([*args, "--out", str(tmp_path / f"warm{i}")], _env(run_dir)) for i in range(2)]
    assert [w.returncode for w in warm] == [0, 0], [w.stderr for w in warm]
    assert len(_daemons(run_dir)) == 1  # started once, then reused
    expected = _results(tmp_path / "cold")
    assert 0 < expected[-1][1] < 40  # the mistakes cost points: a real comparison
    assert _results(tmp_path / "warm0") == expected == _results(tmp_path / "warm1")
    table = cold.stdout.split("\nresults:")[0]
    assert "Score for" in table and warm[1].stdout.split("\nresults:")[0] == table


def test_check_and_usage_errors_keep_their_exit_codes(tmp_path, run_dir):
    folder = write_submission(tmp_path / "work", "convolution", solutions_dir() / "convolution.py")
    env = _env(run_dir)
    ok = _grade(["check", "convolution", "--path", str(folder)], env)
    assert ok.returncode == 0 and "Public checks" in ok.stdout, ok.stderr
    missing = _grade(["submit", "--path", str(tmp_path / "nowhere")], env)
    assert missing.returncode == 1 and "does not exist" in missing.stderr and "Traceback" not in missing.stderr
    usage = _grade(["check", "--no-such-option"], env)
    assert usage.returncode == 2 and "No such option" in usage.stderr


def _start_slow(tmp_path, env) -> tuple[subprocess.Popen, Path]:
    folder = write_submission(tmp_path / "work", "convolution", FIXTURES / "slow" / "conv2d_sleeps.py")
    out = tmp_path / "out"
    proc = subprocess.Popen([*CLIENT, "submit", "convolution", "--path", str(folder), "--out", str(out)],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    return proc, out


def _warm_up(tmp_path, env) -> None:
    folder = write_submission(tmp_path / "first", "convolution", solutions_dir() / "convolution.py")
    assert _grade(["check", "convolution", "--path", str(folder)], env).returncode == 0


def _runs_of(daemon: int) -> list[int]:
    """The warm judge's forked runs (its children other than the zygote)."""
    kids = [p for p in descendants(daemon) if _parent(p) == daemon]
    return [p for p in kids if "grader.worker.zygote" not in Path(f"/proc/{p}/cmdline").read_text()]


def _parent(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return -1


def test_ctrl_c_stops_a_warm_run_with_130_and_nothing_written(tmp_path, run_dir):
    env = _env(run_dir)
    _warm_up(tmp_path, env)
    proc, out = _start_slow(tmp_path, env)
    stdout, stderr = ctrl_c(proc, 8.0)  # the worker is inside the slow conv2d call by then; the client's group only
    assert proc.returncode == 130, (stdout, stderr)
    assert "interrupted" in stderr and "Traceback" not in stderr + stdout
    assert not out.exists() or not any(out.iterdir())


def test_a_killed_client_takes_its_run_with_it(tmp_path, run_dir):
    env = _env(run_dir)
    _warm_up(tmp_path, env)
    (daemon,) = _daemons(run_dir)
    proc, out = _start_slow(tmp_path, env)
    deadline = time.monotonic() + 60
    while not _runs_of(daemon) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _runs_of(daemon), "the run never started"
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 30
    while _runs_of(daemon) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not _runs_of(daemon) and _alive(daemon)
    assert not (out / "results.json").exists()


def test_the_warm_judge_leaves_when_idle(tmp_path, run_dir):
    env = _env(run_dir, GRADE_WARM_IDLE="2")
    _warm_up(tmp_path, env)
    (daemon,) = _daemons(run_dir)
    deadline = time.monotonic() + 60
    while _alive(daemon) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not _alive(daemon)
    assert not list((run_dir / "dlviz-grader").glob("*.sock"))


def test_a_folder_others_can_open_means_a_cold_run(tmp_path, run_dir):
    (run_dir / "dlviz-grader").mkdir(parents=True)
    os.chmod(run_dir / "dlviz-grader", 0o777)
    folder = write_submission(tmp_path / "work", "convolution", solutions_dir() / "convolution.py")
    done = _grade(["check", "convolution", "--path", str(folder)], _env(run_dir))
    assert done.returncode == 0 and "Public checks" in done.stdout, done.stderr
    assert not list((run_dir / "dlviz-grader").iterdir())  # no socket, no log: it ran cold


def test_the_fingerprint_follows_grading_settings_only():
    base = {"PATH": "/usr/bin", "GRADE_WORKER_MEMORY_MB": "2048"}
    same = place.fingerprint(base)
    assert place.fingerprint(dict(base)) == same
    assert place.fingerprint({**base, "TERM": "xterm", "GRADE_WARM_IDLE": "5", "COLUMNS": "40"}) == same
    assert place.fingerprint({**base, "GRADE_WORKER_MEMORY_MB": "1024"}) != same
    assert place.fingerprint({**base, "GRADE_COURSE_ROOT": "/elsewhere"}) != same


@pytest.mark.parametrize("argv, env, warm", [
    (["submit"], {}, True), (["check", "convolution", "--path", "x"], {}, True),
    (["submit"], {"GRADE_WARM": "0"}, False), (["submit", "--help"], {}, False),
    (["submit", "--server", "http://h"], {}, False), (["list"], {}, False), ([], {}, False),
    (["quiz", "convolution"], {}, False), (["batch", "subs"], {}, False),
])
def test_which_commands_go_to_the_warm_judge(argv, env, warm):
    assert wants_warm(argv, env) is warm


def test_a_changed_course_retires_its_warm_judge(tmp_path, run_dir):
    root = tmp_path / "course-copy"
    for part in ("course", "solutions", "tests/hidden", "tests/public"):
        shutil.copytree(course_root() / part, root / part)
    env = _env(run_dir, GRADE_COURSE_ROOT=str(root))
    _warm_up(tmp_path, env)
    (daemon,) = _daemons(run_dir)
    os.utime(root / "course" / "convolution.toml")  # an instructor edits the course
    deadline = time.monotonic() + 60
    while _alive(daemon) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not _alive(daemon)
    _warm_up(tmp_path, env)  # the next command starts a warm judge for the course as it is now
    assert len(_daemons(run_dir)) == 2
