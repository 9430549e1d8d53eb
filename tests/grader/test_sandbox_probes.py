"""Each way out of the worker's sandbox, tried from student code as root and as an ordinary
user (one worker session per user runs every probe: tests/grader/sandbox_cli.py). Every run
happens inside a PID namespace of its own, so a regression cannot signal the machine."""

from __future__ import annotations

import secrets
import sysconfig
from pathlib import Path

import pytest

from grader.paths import course_root
from tests.grader import sandbox_run

ROOT = course_root()
SOLUTION_LINE = "def conv2d("  # in solutions/convolution.py (and the plot solution's text below)


@pytest.fixture(scope="module", params=sandbox_run.MODES)
def found(request):
    mode = request.param
    work = sandbox_run.workdir(mode)
    token = secrets.token_hex(4)
    repo = sandbox_run._readable_repo() if mode == "user" else ROOT
    out_dir = work / "out"
    out_dir.mkdir()
    sandbox_run.chown_tree(work, mode)
    site = Path(sysconfig.get_paths()["purelib"]) if mode == "root" else next(
        sandbox_run.VENV_PYTHON.parent.parent.glob("lib/python3*/site-packages"))
    writes = [f"/dev/shm/{token}", f"/tmp/{token}", f"/var/tmp/{token}", f"/run/{token}",
              str(work / "sub" / f"{token}.py"), str(out_dir / f"{token}.json"), str(site / f"{token}.pth"),
              str(repo / "grader" / f"{token}.py"), str(repo / "solutions" / f"{token}.py")]
    args = {"mode": "probes", "work": str(work), "secret": f"judge-secret-{token}", "marker": f"4{token[:3]}.25",
            "unix_path": str(work / f"{token}.sock"), "writes": writes,
            "names": ["convolution.py", "bar_plots.py", "test_convolution.py", "test_bar_plots.py"],
            "peek": [str(repo / "solutions"), str(repo / "solutions" / "convolution.py"), str(repo / "tests" / "hidden"),
                     str(repo / ".git"), "/proc/1/root" + str(repo / "solutions"), "/proc/*/cwd", "/proc/*/root",
                     "/proc/1/fd", "/proc/*/environ", str(work), str(out_dir)]}
    result = sandbox_run.run(mode, args)
    result["_args"] = args
    return result


def _value(found, name):
    assert "value" in found[name], f"{name}: {found[name]}"
    return found[name]["value"]


def test_the_worker_sees_only_its_own_processes(found):
    assert _value(found, "pids") == [1]  # the worker is PID 1 of its namespace; the supervisor is outside


def test_signalling_everything_reaches_only_the_worker_itself(found):
    assert _value(found, "sigkill_all") in ("sent", "ProcessLookupError")
    assert _value(found, "sigstop_all") in ("sent", "ProcessLookupError")
    assert _value(found, "after_signals") == 5  # the judge and the supervisor carry on


def test_killing_the_parent_the_group_and_every_pid_costs_at_most_that_call(found):
    assert found["kill_every_pid"].get("value") == "survived" or found["kill_every_pid"].get("error") == "crash"
    assert _value(found, "after_kill_every_pid") == 6  # the judge and the supervisor carry on


def test_no_process_outlives_the_worker(found):
    assert _value(found, "setsid") == "started"
    assert found["leaked"] == []


def test_the_judges_environment_is_not_readable(found):
    assert found["_args"]["secret"] not in _value(found, "environ")


def test_no_solution_or_hidden_test_is_readable(found):
    seen = _value(found, "peek")
    text = repr(seen)
    assert SOLUTION_LINE not in text and "test_convolution.py" not in text, text[:2000]
    assert _value(found, "find") == {}  # not under /, nor a live reference worker's home
    assert found["stale"] == []  # and no worker home is left in the judge's temp folder


def test_no_write_outside_the_worker_survives(found):
    writes = _value(found, "writes")
    repo_paths = [p for p in writes if "/grader/" in p or "/solutions/" in p or "site-packages" in p or p.endswith(".json")]
    assert all(writes[p] != "written" for p in repo_paths), writes
    assert found["host_files"] == []


def test_proc_sys_and_sys_are_read_only(found):
    assert all(v != "written" for v in _value(found, "sys_writes").values()), found["sys_writes"]


def test_no_network_and_no_unix_socket(found):
    assert _value(found, "tcp") != "connected"
    assert _value(found, "unix") != "connected"
    assert found["accepted"] == []


def test_filling_the_disk_stops_at_the_tmpfs_caps(found):
    for folder, got in found["fill"].items():
        assert got.get("value", 0) <= 200, (folder, got)


def test_forged_frames_and_a_wiped_record_do_not_hide_a_forbidden_call(found):
    assert found["forge"].get("error") == "forbidden", found["forge"]
    assert "torch.nn.functional.relu, which this exercise forbids" in found["forge"]["message"]


def test_closing_or_redirecting_the_guard_channel_is_caught(found):
    for name in ("close_guard", "redirect_guard"):
        assert found[name].get("error") == "forbidden", found[name]
        assert "tampering" in found[name]["message"]
    assert _value(found, "after_tampering") == 7


def test_the_isolation_achieved_is_reported(found):
    iso = found["isolation"]
    assert "own PID namespace" in iso and "no network" in iso and "no capabilities" in iso, iso
    assert not any(i.startswith("NOT ISOLATED") for i in iso)
