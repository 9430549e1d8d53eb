"""`grade release`: the student bundle holds what a student needs and nothing more, installs in
a fresh virtual environment and runs init, check and quiz there; the leak check fails a
release into which a solution line, a hidden test, a quiz answer or a server token was
planted; the Gradescope zip grades a submission in an /autograder layout."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tomllib
import venv
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from grader.cli import main
from grader.commands.release import check_release, release
from grader.errors import GradeError
from grader.manifest import load_course
from grader.paths import course_root, solutions_dir
from tests.grader.quiz_helpers import write_right_answers

TOPICS = [t.name for t in load_course().topics]


@pytest.fixture(scope="module")
def bundle(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("release") / "bundle"
    res = CliRunner().invoke(main, ["release", str(out), "--gradescope"])
    assert res.exit_code == 0, res.output
    assert "leak check passed" in res.output
    return out


def test_bundle_holds_stubs_public_tests_data_and_questions_only(bundle):
    rels = {p.relative_to(bundle).as_posix() for p in bundle.rglob("*") if p.is_file()}
    for t in TOPICS:
        assert {f"exercises/{t}.py", f"tests/public/test_{t}.py", f"course/{t}.toml"} <= rels
        quiz = tomllib.loads((bundle / "course" / f"{t}.toml").read_text())["quiz"]
        assert quiz and all({"question", "question_ko"} <= set(q) for q in quiz)
        assert not any({"answer", "explanation", "explanation_ko", "tolerance"} & set(q) for q in quiz)
    assert not any(r.startswith(("solutions/", "tests/hidden/", "tests/grader/")) for r in rels)
    assert "course/data/students.csv" in rels and "pyproject.toml" in rels and "grader/cli.py" in rels
    assert json.loads((bundle / "RELEASE.json").read_text())["topics"] == TOPICS
    assert not (bundle / "RELEASE_INCOMPLETE.txt").exists()
    assert check_release(bundle) == []
    assert not (bundle / "autograder.zip").exists()  # it holds the hidden tests: written beside OUT
    assert (bundle.parent / "bundle-autograder.zip").is_file()


def _plant(bundle: Path, tmp_path: Path, how) -> list:
    copy = tmp_path / "planted"
    shutil.copytree(bundle, copy)
    how(copy)
    return check_release(copy)


def _solution_line(topic: str) -> str:
    text = (solutions_dir() / f"{topic}.py").read_text()
    block = text.split("# BEGIN SOLUTION", 1)[1].split("# END SOLUTION", 1)[0]
    return max(block.splitlines(), key=len).strip()


PLANTS = {
    "solution_line": (lambda b: (b / "exercises" / "convolution.py").write_text(
        (b / "exercises" / "convolution.py").read_text() + "\n# " + _solution_line("convolution") + "\n"),
        "solutions/convolution.py"),
    "hidden_test": (lambda b: shutil.copy(course_root() / "tests" / "hidden" / "test_optimizers.py",
                                          b / "tests" / "public" / "test_extra.py"), "tests/hidden/test_optimizers.py"),
    "hidden_test_renamed": (lambda b: shutil.copy(course_root() / "tests" / "hidden" / "test_bar_plots.py",
                                                  b / "notes.txt"), "tests/hidden/test_bar_plots.py"),
    "quiz_answer": (lambda b: (b / "course" / "convolution.toml").write_text(
        (b / "course" / "convolution.toml").read_text().replace('id = "why_1x1"', 'id = "why_1x1"\nanswer = "a"')),
        "quiz answer key 'answer'"),
    "quiz_explanation": (lambda b: (b / "README.md").write_text(
        load_course().topic("optimizers").quiz[0]["explanation"]), "quiz explanation of optimizers"),
    "answers_file": (lambda b: (b / "answers").mkdir() or (b / "answers" / "x.toml").write_text("a = 1\n"),
                     "answers file"),
    "server_token": (lambda b: (b / "config.txt").write_text("token = grd_" + "x" * 32 + "\n"), "token"),
}


@pytest.mark.parametrize("plant", sorted(PLANTS))
def test_leak_check_finds_what_was_planted(bundle, tmp_path, plant):
    how, words = PLANTS[plant]
    findings = _plant(bundle, tmp_path, how)
    assert findings and any(words in f.what for f in findings), findings


def test_a_leaking_release_fails_and_stays_marked_incomplete(tmp_path, monkeypatch):
    from grader.release import bundle as bundle_module

    real = bundle_module.bundle_files

    def leaky(topic_names=()):
        files = real(topic_names)
        files["solutions/convolution.py"] = (solutions_dir() / "convolution.py").read_bytes()
        return files

    monkeypatch.setattr(bundle_module, "bundle_files", leaky)
    out = tmp_path / "out"
    with pytest.raises(GradeError, match="leak check failed: solutions/convolution.py"):
        release(out, ["convolution"])
    assert (out / "RELEASE_INCOMPLETE.txt").is_file() and not (out / "RELEASE.json").exists()
    assert "solutions/convolution.py" in (out / "RELEASE_INCOMPLETE.txt").read_text()


def test_release_refuses_a_folder_that_is_not_a_release(tmp_path):
    (tmp_path / "mine.txt").write_text("my notes")
    res = CliRunner().invoke(main, ["release", str(tmp_path)])
    assert res.exit_code == 1 and "not a release folder" in res.output
    assert (tmp_path / "mine.txt").read_text() == "my notes"


@pytest.fixture(scope="module")
def installed(bundle, tmp_path_factory) -> Path:
    """The bundle installed (editable, as its README says) in a new virtual environment that
    sees the machine's packages (torch, matplotlib, ...) but not this repository."""
    env_dir = tmp_path_factory.mktemp("venv") / "env"
    venv.EnvBuilder(system_site_packages=True, with_pip=True).create(env_dir)
    proc = subprocess.run([env_dir / "bin" / "python", "-m", "pip", "install", "-q", "--disable-pip-version-check",
                           "-e", str(bundle)], capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return env_dir / "bin"


def _bundle_grade(bin_dir: Path, *args, cwd: Path) -> subprocess.CompletedProcess:
    # the bundle's own warm judge serves these commands; it leaves 5 s after the last one
    env = {"PATH": f"{bin_dir}:/usr/bin:/bin", "HOME": str(cwd), "LANG": "C.UTF-8", "GRADE_WARM_IDLE": "5"}
    return subprocess.run([bin_dir / "grade", *map(str, args)], capture_output=True, text=True, cwd=cwd,
                          env=env, timeout=900)


def test_installed_bundle_runs_init_check_and_quiz(installed, bundle, tmp_path):
    where = subprocess.run([installed / "python", "-c", "import grader; print(grader.__file__)"],
                           capture_output=True, text=True, cwd=tmp_path, env={"PATH": "/usr/bin:/bin"})
    assert where.stdout.strip() == str(bundle / "grader" / "__init__.py")
    assert _bundle_grade(installed, "init", "work", cwd=tmp_path).returncode == 0
    work = tmp_path / "work"
    assert (work / "convolution.py").read_text() == (bundle / "exercises" / "convolution.py").read_text()
    shutil.copy(solutions_dir() / "convolution.py", work / "convolution.py")  # a student who solved it
    check = _bundle_grade(installed, "check", "convolution", "--path", "work", cwd=tmp_path)
    assert check.returncode == 0 and "total" in check.stdout, check.stdout + check.stderr
    assert "✗" not in check.stdout, check.stdout
    quiz = _bundle_grade(installed, "quiz", "convolution", "--answers", work / "x.toml", cwd=tmp_path)
    assert quiz.returncode == 1 and "course server" in quiz.stderr
    submit = _bundle_grade(installed, "submit", "convolution", "--path", "work", cwd=tmp_path)
    assert submit.returncode == 1 and "grade login" in submit.stderr and "Traceback" not in submit.stderr


def test_installed_bundle_asks_the_quiz_in_a_terminal(installed, tmp_path):
    from tests.grader.test_quiz_terminal import Tmux

    if shutil.which("tmux") is None:
        pytest.skip("tmux is not installed")
    t = Tmux(f"bundle-quiz-{tmp_path.name}", f"cd {tmp_path} && env -i PATH={installed}:/usr/bin:/bin HOME={tmp_path} "
             f"LANG=C.UTF-8 GRADE_WARM_IDLE=5 {installed / 'grade'} quiz convolution --path work; echo EXIT=$?; sleep 30")
    try:
        t.wait_for("Question 1/7")
        t.keys("896", "Enter")
        t.wait_for("Question 2/7")
        t.keys("C-c")
        t.wait_for("EXIT=130")
    finally:
        t.close()
    assert (tmp_path / "work" / "answers" / "convolution.toml").read_text() == "conv_params = 896\n"


# ---------------------------------------------------------------- Gradescope

GRADESCOPE_SCHEMA = {  # Gradescope's autograder results.json (the fields this grader writes and may write)
    "type": "object",
    "required": ["tests"],
    "properties": {
        "score": {"type": "number"}, "execution_time": {"type": "number"}, "output": {"type": "string"},
        "output_format": {"enum": ["text", "html", "simple_format", "md", "ansi"]},
        "visibility": {"enum": ["hidden", "after_due_date", "after_published", "visible"]},
        "stdout_visibility": {"enum": ["hidden", "after_due_date", "after_published", "visible"]},
        "extra_data": {"type": "object"},
        "tests": {"type": "array", "items": {
            "type": "object",
            "properties": {
                "score": {"type": "number"}, "max_score": {"type": "number"},
                "status": {"enum": ["passed", "failed"]}, "name": {"type": "string"},
                "number": {"type": "string"}, "output": {"type": "string"},
                "tags": {"type": "array", "items": {"type": "string"}},
                "visibility": {"enum": ["hidden", "after_due_date", "after_published", "visible"]},
                "extra_data": {"type": "object"},
            },
            "additionalProperties": False,
        }},
        "leaderboard": {"type": "array"},
    },
}


def test_gradescope_zip_grades_a_submission_in_an_autograder_layout(bundle, tmp_path):
    jsonschema = pytest.importorskip("jsonschema")
    root = tmp_path / "autograder"
    with zipfile.ZipFile(bundle.parent / "bundle-autograder.zip") as zf:
        names = zf.namelist()
        assert {"setup.sh", "run_autograder"} <= set(names) and "source/tests/hidden/test_convolution.py" in names
        assert (zf.getinfo("run_autograder").external_attr >> 16) & 0o111
        zf.extractall(root)
    submission = root / "submission"
    submission.mkdir()
    shutil.copy(solutions_dir() / "convolution.py", submission)
    bad = (solutions_dir() / "optimizers.py").read_text().replace('value=-group["lr"] / (1 - beta1**t)',
                                                                 'value=-group["lr"]')
    assert bad != (solutions_dir() / "optimizers.py").read_text()
    (submission / "optimizers.py").write_text(bad)  # Adam without bias correction
    write_right_answers(submission, ["convolution"])
    proc = subprocess.run(["bash", str(root / "run_autograder")], capture_output=True, text=True, timeout=900,
                          env={"PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin", "AUTOGRADER_ROOT": str(root),
                               "HOME": str(tmp_path)})
    assert proc.returncode == 0, proc.stderr[-3000:]
    doc = json.loads((root / "results" / "results.json").read_text())
    jsonschema.validate(doc, GRADESCOPE_SCHEMA)
    by_name = {}
    for t in doc["tests"]:
        by_name.setdefault(t["name"].split(":")[0], []).append(t)
    conv = load_course().topic("convolution")
    assert sum(t["score"] for t in by_name["convolution.conv2d"]) == pytest.approx(conv.exercise("conv2d").points, abs=1e-4)
    assert sum(t["score"] for t in by_name["convolution.quiz"]) == pytest.approx(8)  # the quiz answers travelled too
    assert sum(t["score"] for t in by_name["optimizers.Adam"]) < load_course().topic("optimizers").exercise("Adam").points
    assert doc["score"] == pytest.approx(sum(t["score"] for t in doc["tests"]))
    from grader.commands.submit import run

    local = run(submission)  # the same folder graded by a local `grade submit`
    assert doc["score"] == pytest.approx(local.score)
