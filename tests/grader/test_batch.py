"""`grade batch` end to end: a small synthetic class graded in parallel judge processes;
exact scores in the gradebook; kill and resume; the wall-clock guard and crashing judges;
the time budget; the HTML pages in headless Chromium.

Slow by nature (each student is really graded): about four minutes on two CPUs.
"""

from __future__ import annotations

import csv
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
from click.testing import CliRunner

from grader.cli import main
from grader.paths import course_root, solutions_dir
from tests.grader.pages import embedded_pngs, screenshot
from tests.grader.quiz_helpers import write_right_answers

TOPICS = ("convolution", "optimizers")


# ---------------------------------------------------------------- helpers

def student(root: Path, name: str, topics=TOPICS) -> Path:
    """A student folder with the reference solutions of `topics`."""
    folder = root / name
    folder.mkdir(parents=True)
    for topic in topics:
        shutil.copy(solutions_dir() / f"{topic}.py", folder / f"{topic}.py")
    return folder


def append(path: Path, code: str) -> None:
    path.write_text(path.read_text() + "\n\n" + code + "\n")


def batch(submissions: Path, out: Path, *args: str, env=None, timeout=900) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "grader.cli", "batch", str(submissions), "--out", str(out), *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env, cwd=out.parent)


def gradebook(out: Path) -> dict[str, dict]:
    with open(out / "gradebook.csv", newline="", encoding="utf-8") as fh:
        return {row["student"]: row for row in csv.DictReader(fh)}


def state(out: Path) -> dict:
    return json.loads((out / "state.json").read_text())["students"]


def topic_args(*topics: str) -> list[str]:
    return [arg for t in topics for arg in ("--topic", t)]


# ---------------------------------------------------------------- the class

@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """Five students graded on convolution + optimizers with two judges."""
    root = tmp_path_factory.mktemp("batch")
    cls = root / "class"
    write_right_answers(student(cls, "correct"), TOPICS)
    partly = student(cls, "partly_wrong")
    append(partly / "convolution.py", "def conv2d_num_params(*args, **kwargs):\n    return -1")
    write_right_answers(partly, ["convolution"])
    quiz = partly / "answers" / "convolution.toml"
    quiz.write_text(quiz.read_text().replace("conv_params = 896", "conv_params = 864"))  # one wrong answer
    (cls / "empty").mkdir()
    (cls / "empty" / "notes.txt").write_text("I will submit later")
    append(student(cls, "hostile") / "convolution.py", "def conv2d_output_size(*args, **kwargs):\n    while True:\n        pass")
    crashing = student(cls, "crashing")
    (crashing / "optimizers.py").write_text("import os\nos._exit(3)\n" + (crashing / "optimizers.py").read_text())
    out = root / "out"
    start = time.monotonic()
    proc = batch(cls, out, *topic_args(*TOPICS), "--jobs", "2")
    print(f"graded the class in {time.monotonic() - start:.1f} s")
    assert proc.returncode == 0, proc.stderr[-3000:]
    return out, proc


def test_every_student_has_the_exact_score(graded):
    out, proc = graded
    book = gradebook(out)
    # 23 points of exercises + 17 of quizzes (convolution 8, optimizers 9); partly_wrong answered
    # the convolution quiz with one mistake (7 of 8) and not the optimizers quiz
    expected = {"correct": ("40", "ok"), "partly_wrong": ("29", "ok"), "empty": ("0", "no files"),
                "hostile": ("22", "ok"), "crashing": ("9", "ok")}
    assert {s: (r["total"], r["status"]) for s, r in book.items()} == expected
    assert all(r["max"] == "40" for r in book.values())
    assert (book["partly_wrong"]["convolution.quiz"], book["partly_wrong"]["optimizers.quiz"]) == ("7", "0")
    assert book["partly_wrong"]["convolution.conv2d_num_params"] == "0"
    assert book["hostile"]["convolution.conv2d_output_size"] == "0"
    assert book["crashing"]["optimizers.Adam"] == "0" and book["crashing"]["convolution.conv2d"] == "4"
    assert book["partly_wrong"]["percent"] == "72.5"
    assert "5 students: 5 graded, 0 unchanged" in proc.stdout


def test_gradebook_has_one_column_per_exercise(graded):
    out, _ = graded
    header = (out / "gradebook.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
    assert header[0] == "student" and header[-4:] == ["total", "max", "percent", "status"]
    assert "optimizers.Adam" in header and "convolution.conv2d" in header and len(header) == 5 + 12 + 2
    assert header.index("convolution.quiz") == header.index("convolution.bottleneck_params") + 1


def test_each_student_gets_results_json_and_feedback(graded):
    out, _ = graded
    for name in ("correct", "partly_wrong", "empty", "hostile", "crashing"):
        folder = out / "students" / name
        doc = json.loads((folder / "results.json").read_text())
        assert doc["max_score"] == 40 and all({"name", "score", "max_score"} <= set(t) for t in doc["tests"])
        assert (folder / "feedback.html").is_file()
    hostile = (out / "students" / "hostile" / "feedback.html").read_text(encoding="utf-8")
    assert "did not finish within" in hostile
    assert "no .py files" in json.loads((out / "students" / "empty" / "results.json").read_text())["output"]


def test_class_report_shows_plots_and_shared_failures(graded, tmp_path):
    out, _ = graded
    page = out / "class_report.html"
    html = page.read_text(encoding="utf-8")
    charts = embedded_pngs(page)
    assert len(charts) == 2 and all(c.size[0] > 300 for c in charts)
    assert "did not finish within # s" in html  # numbers normalised
    assert 'href="students/partly_wrong/feedback.html"' in html
    # per quiz question: who holds the idea (two students answered the convolution quiz, one wrong)
    from grader.batch.classreport import class_view
    from grader.batch.store import load as load_record
    from grader.manifest import load_course

    assert "Quiz questions" in html and "convolution.conv_params" in html
    topics = load_course().select(TOPICS)
    students = sorted(p.name for p in (out / "students").iterdir())
    rows = {f"{r['topic']}.{r['id']}": r for r in class_view(students, {s: load_record(out, s) for s in students},
                                                                 topics)["quiz"]}
    assert (rows["convolution.conv_params"]["correct"], rows["convolution.why_1x1"]["correct"]) == (1, 2)
    assert rows["optimizers.adam_vs_rmsprop"]["correct"] == 1 and rows["convolution.why_1x1"]["graded"] == 5
    screenshot(page, tmp_path)


def test_feedback_pages_render_in_chromium(graded, tmp_path):
    out, _ = graded
    for name in ("partly_wrong", "empty"):
        screenshot(out / "students" / name / "feedback.html", tmp_path)


def test_submit_writes_feedback_with_plot_images(tmp_path, monkeypatch):
    work = student(tmp_path, "me", topics=("mpl_basics",))
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["submit", "mpl_basics", "--path", str(work), "--out", "res"])
    assert result.exit_code == 0, result.output
    page = tmp_path / "res" / "feedback.html"
    images = embedded_pngs(page)
    assert images and all(i.size[0] > 100 and i.size[1] > 100 for i in images)
    assert "Feedback for me" in page.read_text(encoding="utf-8")
    screenshot(page, tmp_path)


# ---------------------------------------------------------------- kill and resume

def _wait_for_first_student(proc: subprocess.Popen, out: Path, limit: float = 600) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if (out / "state.json").is_file() and state(out):
            return
        assert proc.poll() is None, proc.stderr.read()
        time.sleep(0.2)
    pytest.fail("no student finished in time")


def _judge_pids(out: Path) -> list[int]:
    text = "".join(p.read_text() for p in (out / "logs").glob("judge-*.log"))
    return [int(pid) for pid in re.findall(r"ready \(pid (\d+)\)", text)]


def _batch_processes() -> list[int]:
    """Zygotes and workers of any batch: their HOME is inside a grade-batch- temp folder."""
    found = []
    for environ in Path("/proc").glob("[0-9]*/environ"):
        try:
            if b"HOME=/" in (data := environ.read_bytes()) and b"/grade-batch-" in data and _running(int(environ.parent.name)):
                found.append(int(environ.parent.name))
        except OSError:
            continue
    return found


def _running(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def _gone(pids: list[int], limit: float = 20) -> bool:
    """True once none of `pids` nor any batch zygote or worker is running."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if not any(_running(p) for p in pids) and not _batch_processes():
            return True
        time.sleep(0.2)
    return False


def test_killed_batch_resumes_without_regrading_finished_students(tmp_path):
    cls, out = tmp_path / "class", tmp_path / "out"
    for name in ("ann", "ben", "cat"):
        student(cls, name, topics=("convolution",))
    cmd = [sys.executable, "-m", "grader.cli", "batch", str(cls), "--out", str(out), "--topic", "convolution",
           "--jobs", "1"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp_path)
    _wait_for_first_student(proc, out)
    proc.send_signal(signal.SIGKILL)
    proc.wait(30)
    assert _gone(_judge_pids(out)), "a judge outlived the killed batch"
    finished = state(out)
    assert 1 <= len(finished) < 3
    mtimes = {s: (out / "students" / s / "results.json").stat().st_mtime_ns for s in finished}

    again = batch(cls, out, "--topic", "convolution", "--jobs", "1")
    assert again.returncode == 0, again.stderr[-3000:]
    assert f"{3 - len(finished)} graded, {len(finished)} unchanged" in again.stdout
    assert {s: state(out)[s]["finished"] for s in finished} == {s: v["finished"] for s, v in finished.items()}
    assert {s: (out / "students" / s / "results.json").stat().st_mtime_ns for s in finished} == mtimes
    book = gradebook(out)
    assert {s: (r["total"], r["status"]) for s, r in book.items()} == {s: ("9", "ok") for s in ("ann", "ben", "cat")}

    before = (out / "gradebook.csv").read_bytes()
    append(cls / "cat" / "convolution.py", "# a comment changes the hash, not the score")
    third = batch(cls, out, "--topic", "convolution", "--jobs", "1")
    assert third.returncode == 0 and "1 graded, 2 unchanged" in third.stdout, third.stdout + third.stderr[-2000:]
    assert (out / "gradebook.csv").read_bytes() == before
    assert "graded cat" in (out / "batch.log").read_text().splitlines()[-1]
    left = [w for w in Path(tempfile.gettempdir()).glob("grade-batch-*")
            if (w / "pid").is_file() and (w / "pid").read_text() == str(proc.pid)]
    assert not left, "the killed batch's temp folder was not cleaned up by the next run"


def test_ctrl_c_keeps_what_is_graded(tmp_path):
    cls, out = tmp_path / "class", tmp_path / "out"
    for name in ("ann", "ben", "cat"):
        student(cls, name, topics=("convolution",))
    cmd = [sys.executable, "-m", "grader.cli", "batch", str(cls), "--out", str(out), "--topic", "convolution",
           "--jobs", "1"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp_path,
                            start_new_session=True)
    _wait_for_first_student(proc, out)
    os.killpg(proc.pid, signal.SIGINT)  # what a terminal does on Ctrl-C
    stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130, stderr[-2000:]
    assert "interrupted" in stderr and "Traceback" not in stderr
    statuses = {s: r["status"] for s, r in gradebook(out).items()}
    assert set(statuses) == {"ann", "ben", "cat"} and "not graded" in statuses.values()
    assert [s for s, v in statuses.items() if v == "ok"] == sorted(state(out))
    assert _gone(_judge_pids(out)), f"processes of the batch are left: {_batch_processes()}"


# ---------------------------------------------------------------- guard, crashes, budget

def test_stuck_and_crashing_judges_cost_only_their_student(tmp_path):
    cls, out = tmp_path / "class", tmp_path / "out"
    for name in ("a_hang", "b_crash", "c_raise", "d_ok", "e_die"):
        student(cls, name, topics=("convolution",))
    append(cls / "e_die" / "convolution.py", "def conv2d_output_size(*args, **kwargs):\n    while True:\n        pass")
    env = {**os.environ, "GRADE_BATCH_FAULT": "a_hang=hang;b_crash=crash;c_raise=raise;e_die=die"}
    proc = batch(cls, out, "--topic", "convolution", "--jobs", "2", "--guard", "60", env=env)
    assert proc.returncode == 0, proc.stderr[-3000:]
    book = gradebook(out)
    assert {s: (r["total"], r["status"]) for s, r in book.items()} == {
        "a_hang": ("0", "timeout"), "b_crash": ("0", "catastrophic"), "c_raise": ("0", "catastrophic"),
        "d_ok": ("9", "ok"), "e_die": ("0", "catastrophic")}
    output = {s: json.loads((out / "students" / s / "results.json").read_text()).get("output", "")
              for s in ("a_hang", "b_crash", "c_raise", "e_die")}
    assert "hard limit of 60 s" in output["a_hang"]
    assert "grading process crashed (exit code 70)" in output["b_crash"]
    assert "injected fault" in output["c_raise"]
    assert "grading process crashed (exit code 71)" in output["e_die"]
    assert _gone([]), f"processes of the batch are left: {_batch_processes()}"  # e_die's looping worker too


def test_time_budget_exceeded_keeps_the_points_earned(tmp_path):
    root = tmp_path / "course-copy"
    shutil.copytree(course_root() / "course", root / "course")
    shutil.copytree(course_root() / "solutions", root / "solutions")
    (root / "tests" / "hidden").mkdir(parents=True)
    shutil.copy(course_root() / "tests" / "hidden" / "test_convolution.py", root / "tests" / "hidden")
    toml = root / "course" / "convolution.toml"
    toml.write_text(toml.read_text().replace("budget = 120", "budget = 3"))
    cls, out = tmp_path / "class", tmp_path / "out"
    append(student(cls, "slow", topics=("convolution",)) / "convolution.py",
           "import time\n_fast = conv2d\n\ndef conv2d(*args, **kwargs):\n    time.sleep(2)\n    return _fast(*args, **kwargs)")
    proc = batch(cls, out, "--topic", "convolution", "--jobs", "1", env={**os.environ, "GRADE_COURSE_ROOT": str(root)})
    assert proc.returncode == 0, proc.stderr[-3000:]
    row = gradebook(out)["slow"]
    assert row["status"] == "time budget exceeded"
    assert row["convolution.conv2d_output_size"] == "1" and row["convolution.conv2d_num_params"] == "1"
    assert 2 <= float(row["total"]) < 9
    assert "time budget of 3 s" in (out / "students" / "slow" / "feedback.html").read_text(encoding="utf-8")
