"""`grade quiz TOPIC` driven as a person would: in tmux, with typed answers, letters, arrow keys
and space, interrupted with Ctrl-C and resumed; the screen is read with capture-pane."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pytest

from grader.manifest import load_course
from grader.quiz.model import questions

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed (apt-get install tmux)")
TOPIC = "convolution"


class Tmux:
    def __init__(self, name: str, cmd: str, width: int = 60):
        self.name = name
        subprocess.run(["tmux", "kill-session", "-t", name], capture_output=True)
        subprocess.run(["tmux", "new-session", "-d", "-s", name, "-x", str(width), "-y", "40", cmd], check=True)

    def keys(self, *keys: str) -> None:
        subprocess.run(["tmux", "send-keys", "-t", self.name, *keys], check=True)
        time.sleep(0.3)

    def screen(self) -> str:
        out = subprocess.run(["tmux", "capture-pane", "-p", "-t", self.name, "-S", "-200"],
                             capture_output=True, text=True)
        return out.stdout

    def wait_for(self, text: str, limit: float = 30.0) -> str:
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.2)
        raise AssertionError(f"{text!r} never appeared on the screen:\n{self.screen()}")

    def close(self) -> None:
        subprocess.run(["tmux", "kill-session", "-t", self.name], capture_output=True)


@pytest.fixture
def session(tmp_path):
    env = f"PYTHONPATH={os.pathsep.join(sys.path[:1] + [str(Path(__file__).resolve().parents[2])])}"
    made = []

    def start(*args: str, width: int = 60) -> Tmux:
        cmd = (f"cd {tmp_path} && env {env} {sys.executable} -m grader.cli quiz {TOPIC} --path work "
               + " ".join(args) + "; echo EXIT=$?; sleep 60")
        made.append(Tmux(f"quiz-{os.getpid()}-{len(made)}", cmd, width))
        return made[-1]

    yield start
    for t in made:
        t.close()


def saved(tmp_path) -> dict:
    return tomllib.loads((tmp_path / "work" / "answers" / f"{TOPIC}.toml").read_text(encoding="utf-8"))


def test_answer_interrupt_resume_and_score(session, tmp_path):
    qs = questions(load_course().topic(TOPIC))
    assert [q.type for q in qs[:5]] == ["number", "number", "choice", "number", "multi"]
    t = session()
    t.wait_for("Question 1/7")
    t.keys("896", "Enter")
    t.wait_for("Question 2/7")
    t.keys("abc", "Enter")          # not a number: the prompt refuses it
    t.wait_for("please type a number")
    t.keys("BSpace", "BSpace", "BSpace", "54", "Enter")  # a wrong answer, kept as given
    t.wait_for("Question 3/7")
    t.keys("c", "Enter")            # a letter picks the option
    t.wait_for("Question 4/7")
    t.keys("C-c")                   # stop: what was answered is saved
    t.wait_for("EXIT=130")
    assert saved(tmp_path) == {"conv_params": 896, "alexnet_output_size": 54, "why_1x1": "c"}

    t = session()
    screen = t.wait_for("Question 4/7")
    assert "3 answered already" in screen
    t.keys("163840", "Enter")
    t.wait_for("Question 5/7")
    t.keys("Space", "Down", "Space", "Down", "Down", "Space", "Enter")  # a, b, d
    t.wait_for("Question 6/7")
    t.keys("Down", "Up", "Enter")   # arrow keys, back to a)
    t.wait_for("Question 7/7")
    t.keys("  Max   POOLING", "Enter")
    screen = t.wait_for("EXIT=0")
    answers = saved(tmp_path)
    assert answers["conv_vs_dense"] == ["a", "b", "d"] and answers["cross_correlation"] == "a"
    assert "Score: 6 / 8" in screen  # alexnet_output_size and why_1x1 wrong
    assert "expected: 55" in screen and "floor((227" in screen  # the explanation of a wrong answer


def test_korean_and_narrow_terminal(session, tmp_path):
    t = session("--lang", "ko", width=40)
    screen = t.wait_for("문제 1/7")
    assert max(len(line) for line in screen.splitlines()) <= 40
    assert "입력 채널 3개" in screen
    t.keys("C-c")
    t.wait_for("EXIT=130")
