"""Run one sandbox experiment and print its findings as one JSON line (the last line).

    python -m tests.grader.sandbox_cli '{"mode": "probes" | "grade" | "batch", ...}'

tests/grader/sandbox_run.py starts this inside a PID namespace of its own (so that a failing
sandbox cannot signal the machine's processes), as root or as an ordinary user.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import sys
import time
from pathlib import Path

from grader.errors import StudentError

PROBES = Path(__file__).parent / "fixtures" / "hostile" / "sandbox_probes.py"
HOSTILE = Path(__file__).parent / "fixtures" / "hostile"


def leaked(marker: str) -> list[str]:
    """Processes (in this PID namespace) whose command line holds the marker."""
    found = []
    for pid in (p for p in os.listdir("/proc") if p.isdigit()):
        try:
            cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if marker in cmd and "sandbox_cli" not in cmd:
            found.append(f"{pid}: {cmd.strip()}")
    return found


def _call(fn, *args):
    try:
        return {"value": fn(*args)}
    except StudentError as exc:
        return {"error": exc.kind, "message": str(exc)}


def probes(args: dict) -> dict:
    from grader.client import Session
    from grader.manifest import Course, Exercise, Topic, load_course
    from grader.paths import solutions_dir
    from grader.student import Student

    work = Path(args["work"])
    os.environ["GRADE_SECRET"] = args["secret"]
    course = load_course()
    plots = course.topic("bar_plots")
    reference = Session(solutions_dir(), course, only=("bar_plots.py",))
    reference._ensure_imported(plots)  # a live reference worker while the probes run
    sub = work / "sub"
    sub.mkdir()
    shutil.copy(PROBES, sub / "sandbox_probes.py")
    plain = Exercise("sandbox_probes", "plain", 1.0, timeout=30)
    relu = Exercise("sandbox_probes", "relu", 1.0, timeout=30, forbidden=("torch.nn.functional.relu",))
    topic = Topic("sandbox_probes", "Probes", "", "", (plain, relu))
    session = Session(sub, Course("probes", (topic,)))
    st, guarded = Student(session, topic, plain), Student(session, topic, relu)
    tcp = socket.socket()
    tcp.bind(("127.0.0.1", 0))
    tcp.listen(4)
    tcp.setblocking(False)
    unix = socket.socket(socket.AF_UNIX)
    unix.bind(args["unix_path"])
    unix.listen(4)
    unix.setblocking(False)
    import torch

    x = torch.tensor([-1.0, 2.0])
    out = {"isolation": None, "pids": _call(st.pids)}
    out["isolation"] = session.isolation
    out["sigkill_all"] = _call(st.signal_all, int(signal.SIGKILL))
    out["sigstop_all"] = _call(st.signal_all, int(signal.SIGSTOP))
    out["after_signals"] = _call(st.identity, 5)
    out["kill_every_pid"] = _call(st.kill_parent_and_every_pid)
    out["after_kill_every_pid"] = _call(st.identity, 6)
    out["setsid"] = _call(st.setsid_children, args["marker"])
    out["environ"] = _call(st.read_environs)
    out["peek"] = _call(st.peek, args["peek"])
    out["find"] = _call(st.find_files, args["names"], ["/"])
    out["writes"] = _call(st.write_each, args["writes"])
    out["sys_writes"] = _call(st.write_each, ["/proc/sys/kernel/core_pattern", "/proc/sys/vm/drop_caches",
                                              "/sys/kernel/mm/transparent_hugepage/enabled", "/proc/sysrq-trigger"])
    out["tcp"] = _call(st.connect_tcp, tcp.getsockname()[1])
    out["unix"] = _call(st.connect_unix, args["unix_path"])
    out["fill"] = {d: _call(st.fill, d) for d in ("/home/student", "/tmp", "/dev/shm", "/var/tmp", "/run")}
    out["forge"] = _call(guarded.forbidden_then_forge, x)
    out["close_guard"] = _call(guarded.close_guard_then_forbidden, x)
    out["redirect_guard"] = _call(guarded.redirect_guard_then_forbidden, x)
    out["after_tampering"] = _call(st.identity, 7)
    session.close()
    reference.close()
    time.sleep(1.0)
    out["leaked"] = leaked(args["marker"])
    out["host_files"] = [p for p in args["writes"] if os.path.exists(p)]
    out["stale"] = [str(p) for p in work.rglob("*.py") if sub not in p.parents]  # no worker home left behind
    out["accepted"] = []
    for name, sock in (("tcp", tcp), ("unix", unix)):
        try:
            sock.accept()
            out["accepted"].append(name)
        except BlockingIOError:
            pass
    return out


def _grader_processes() -> list[int]:
    """Live zygotes, supervisors and workers in this PID namespace (all forked from a zygote,
    so all with its command line)."""
    found = []
    for pid in (p for p in os.listdir("/proc") if p.isdigit() and int(p) != os.getpid()):
        try:
            if b"grader.worker.zygote" in Path(f"/proc/{pid}/cmdline").read_bytes():
                if Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z":
                    found.append(int(pid))
        except OSError:
            continue
    return found


def orphan(args: dict) -> dict:
    """A judge killed while its worker spins in student code: nothing of it may live on."""
    work = Path(args["work"])
    sub = work / "sub"
    sub.mkdir()
    shutil.copy(PROBES, sub / "sandbox_probes.py")
    ready = work / "ready"
    judge = os.fork()
    if judge == 0:
        from grader.client import Session
        from grader.manifest import Course, Exercise, Topic
        from grader.student import Student

        plain = Exercise("sandbox_probes", "plain", 1.0, timeout=120)
        topic = Topic("sandbox_probes", "Probes", "", "", (plain,))
        st = Student(Session(sub, Course("probes", (topic,))), topic, plain)
        st.identity(1)
        ready.write_text("x")
        _call(st.spin)
        os._exit(0)
    deadline = time.monotonic() + 300
    while not ready.exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    time.sleep(1.0)
    before = _grader_processes()
    os.kill(judge, signal.SIGKILL)
    os.waitpid(judge, 0)
    time.sleep(3.0)
    left = _grader_processes()
    if left and args.get("debug"):
        for p in left:
            os.system(f"cat /proc/{p}/stat | cut -c1-60; cat /proc/{p}/wchan; echo; ls -l /proc/{p}/fd; cat /proc/{p}/stack")
    return {"before": before, "left": left}


def _submission(args: dict, folder: Path) -> Path:
    from tests.grader.helpers import write_submission

    write_submission(folder, "convolution", HOSTILE / args["fixture"], others=args.get("others", []))
    text = (folder / "convolution.py").read_text()
    for key, value in args.get("fill", {}).items():
        text = text.replace(key, value)
    (folder / "convolution.py").write_text(text)
    return folder


def grade_one(args: dict) -> dict:
    from grader.harness.runner import grade
    from grader.reports.gradescope import write_results

    work = Path(args["work"])
    result = grade(_submission(args, work / "sub"), args["topics"])
    written = write_results(result, work / "out").read_text()
    time.sleep(args.get("wait", 0))
    return {"scores": {e.task_id: [e.score, e.max_score] for e in result.exercises},
            "messages": {e.task_id: [t.message for t in e.failures] for e in result.exercises},
            "results_unchanged": (work / "out" / "results.json").read_text() == written,
            "results_json": json.loads(written), "leaked": leaked(args.get("marker", "no-marker")),
            "isolation": result.isolation}


def batch(args: dict) -> dict:
    from grader.batch import store
    from grader.batch.run import BatchOptions, run_batch

    summary = run_batch(BatchOptions(Path(args["class"]), tuple(args["topics"]), args.get("jobs", 2),
                                     Path(args["out"]), unsafe_no_isolation=False))
    students = {}
    for sid in args["students"]:
        rec = store.load(Path(args["out"]), sid)
        students[sid] = None if rec is None else {"status": rec.status, "score": rec.result.score,
                                                   "max": rec.result.max_score}
    return {"students": students, "isolation": summary.isolation, "statuses": dict(summary.statuses)}


def main() -> int:
    args = json.loads(sys.argv[1])
    out = {"probes": probes, "grade": grade_one, "batch": batch, "orphan": orphan}[args["mode"]](args)
    print("\n" + json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
