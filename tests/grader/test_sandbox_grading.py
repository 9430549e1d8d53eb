"""Whole grading runs against hostile submissions, as root and as an ordinary user, each inside
a PID namespace of its own (tests/grader/sandbox_run.py): the attack costs its exercise, the
judge survives and grades everything else, nothing keeps running, nothing is rewritten later,
and in a batch the honest students keep full marks."""

from __future__ import annotations

import json
import secrets
import shutil

import pytest

from grader.paths import solutions_dir
from tests.grader import sandbox_run
from tests.grader.quiz_helpers import write_right_answers


def _others_full(found, broken: str) -> None:
    for task, (score, top) in found["scores"].items():
        if task == broken:
            assert score == 0, (task, found["messages"][task])
        else:
            assert score == top, (task, found["messages"][task])


@pytest.mark.parametrize("mode", sandbox_run.MODES)
def test_kill_and_stop_everything_costs_only_the_exercise(mode):
    work = sandbox_run.workdir(mode)
    found = sandbox_run.run(mode, {"mode": "grade", "work": str(work), "fixture": "kill_and_stop_all.py",
                                   "topics": ["convolution", "optimizers"], "others": ["optimizers"]})
    _others_full(found, "convolution.conv2d")
    assert any(t.startswith("optimizers.") for t in found["scores"])
    assert found["results_json"]["extra_data"]["isolation"] == found["isolation"]
    assert "own PID namespace" in found["isolation"]


@pytest.mark.parametrize("mode", sandbox_run.MODES)
def test_a_spinning_worker_dies_with_its_killed_judge(mode):
    work = sandbox_run.workdir(mode)
    found = sandbox_run.run(mode, {"mode": "orphan", "work": str(work)})
    assert len(found["before"]) >= 3, found  # the zygote, the supervisor and the worker were there
    assert found["left"] == [], found


@pytest.mark.parametrize("mode", sandbox_run.MODES)
def test_setsid_and_detached_children_die_with_the_worker(mode):
    work = sandbox_run.workdir(mode)
    marker = f"4{secrets.randbelow(900) + 100}.5"
    args = {"mode": "grade", "work": str(work), "fixture": "detached_rewrite.py", "topics": ["convolution"],
            "fill": {"__RESULTS__": str(work / "out" / "results.json"), "__MARKER__": marker},
            "marker": marker, "wait": 4}
    found = sandbox_run.run(mode, args)
    _others_full(found, "convolution.conv2d")
    assert found["leaked"] == []
    assert found["results_unchanged"]


@pytest.mark.parametrize("mode", sandbox_run.MODES)
def test_a_batch_with_a_vandal_keeps_the_honest_students_full_marks(mode):
    work = sandbox_run.workdir(mode)
    klass, out = work / "class", work / "out"
    for honest in ("bob", "carol"):
        (klass / honest).mkdir(parents=True)
        shutil.copy(solutions_dir() / "convolution.py", klass / honest / "convolution.py")
        write_right_answers(klass / honest, ["convolution"])  # full marks include the quiz
    targets = [klass / "bob" / "convolution.py", klass / "carol" / "convolution.py",
               out / "students" / "bob" / "results.json", out / "students" / "bob" / "grade.json",
               out / "state.json", out / "gradebook.csv"]
    vandal = (sandbox_run.HOSTILE / "batch_vandal.py").read_text().replace("__TARGETS__", "|".join(map(str, targets)))
    (klass / "a-vandal").mkdir()
    (klass / "a-vandal" / "convolution.py").write_text(
        (solutions_dir() / "convolution.py").read_text() + "\n\n" + vandal)
    sandbox_run.chown_tree(work, mode)
    found = sandbox_run.run(mode, {"mode": "batch", "work": str(work), "class": str(klass), "out": str(out),
                                   "topics": ["convolution"], "jobs": 2, "students": ["a-vandal", "bob", "carol"]})
    for honest in ("bob", "carol"):
        rec = found["students"][honest]
        assert rec["status"] == "ok" and rec["score"] == rec["max"], (honest, rec)
        assert (klass / honest / "convolution.py").read_text() == (solutions_dir() / "convolution.py").read_text()
    vandal_rec = found["students"]["a-vandal"]
    assert vandal_rec["score"] < vandal_rec["max"], vandal_rec
    assert json.loads((out / "students" / "bob" / "results.json").read_text())["score"] == found["students"]["bob"]["max"]
    assert "own PID namespace" in found["isolation"]
