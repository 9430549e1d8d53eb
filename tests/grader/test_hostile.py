"""Hostile submissions are contained: each attack costs only the exercise it sits in, the
judge survives, and the other exercises and topics are still graded."""

from __future__ import annotations

from pathlib import Path

import pytest

from grader.harness.runner import grade
from tests.grader.helpers import write_submission

HOSTILE = Path(__file__).parent / "fixtures" / "hostile"


def _submission(tmp_path: Path, attack: str) -> Path:
    """solutions/ with the attack put in place of convolution.py's conv2d (or run at import)."""
    return write_submission(tmp_path / "sub", "convolution", HOSTILE / f"{attack}.py", others=["optimizers"])


def _scores(result) -> dict[str, float]:
    return {e.task_id: e.score for e in result.exercises}


def _full_except(result, broken: set[str]) -> None:
    for ex in result.exercises:
        if ex.task_id in broken:
            assert ex.score == 0, f"{ex.task_id} should score 0, got {ex.score}"
        else:
            assert ex.score == ex.max_score, f"{ex.task_id} lost points: {[t.message for t in ex.failures]}"


@pytest.mark.parametrize(
    "attack, words",
    [
        ("call_infinite_loop", "did not finish within"),
        ("memory_bomb", "memory"),
        ("os_exit", "exited with code 0"),
        ("sys_exit", "sys.exit(0)"),
        ("segfault", "segmentation fault"),
        ("fake_protocol", "values differ" ),
        ("patch_allclose", "expected shape"),
        ("lying_tensor", "expected shape"),
    ],
)
def test_attack_in_a_call_costs_only_that_exercise(tmp_path, attack, words):
    result = grade(_submission(tmp_path, attack), ["convolution"])
    _full_except(result, {"convolution.conv2d"})
    messages = " ".join(t.message for t in result.exercise("convolution.conv2d").failures)
    assert words.lower() in messages.lower() or "expected" in messages, messages


def test_100mb_printed_is_capped_and_an_honest_result_still_passes(tmp_path):
    result = grade(_submission(tmp_path, "print_100mb"), ["convolution"])
    _full_except(result, set())


def test_infinite_loop_at_import_costs_its_topic_only(tmp_path):
    result = grade(_submission(tmp_path, "import_infinite_loop"), ["convolution", "optimizers"])
    conv = [e for e in result.exercises if e.topic == "convolution"]
    assert conv and all(e.score == 0 for e in conv)
    assert "importing convolution.py did not finish" in conv[0].tests[0].message
    assert all(e.score == e.max_score for e in result.exercises if e.topic == "optimizers")
