"""The judge's source scan: names no solution needs are noted for the instructor (parsed, so
comments and docstrings do not count); the score is still what the tests give."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from grader.harness.runner import grade
from grader.reports.gradescope import gradescope
from grader.reports.summary import summary
from grader.scan import scan_source
from tests.grader.helpers import write_submission

ROOT = Path(__file__).resolve().parents[2]
HOSTILE = Path(__file__).parent / "fixtures" / "hostile"


def _names(source: str) -> list[str]:
    return [f.name for f in scan_source(source, "m.py")]


@pytest.mark.parametrize(
    "source, name",
    [
        ("import torch\ntorch._C._nn.max_pool2d_with_indices(x, 2)", "torch._C"),
        ("import torch as T\nT.ops.aten.conv2d(x, w)", "torch.ops"),
        ("from torch import ops\n", "torch.ops"),
        ("from torch._C import _nn\n", "torch._C"),
        ("import torch.nn.functional as F\nF.conv2d.__wrapped__(x, w)", "__wrapped__"),
        ("f = g.__closure__[0].cell_contents", "__closure__"),
        ("import ctypes\n", "ctypes"),
        ("import os\nos.write(1, b'x')", "os.write"),
        ("from os import fork\n", "os.fork"),
        ("import os\nos.posix_spawn('/bin/sh', [], {})", "os.posix_spawn"),
        ("import sys\nsys.modules['grader.worker.guards'].active.clear()", "sys.modules"),
        ("import gc\ngc.get_objects()", "gc.get_objects"),
        ("from grader.worker import guards\n", "grader"),
        ("import grader.worker.guards\n", "grader"),
        ("open('/proc/self/fd/4', 'wb')", "'/proc/self/fd/4'"),
        ("open(f'/proc/{pid}/environ')", "'/proc/'"),
        ("open(3, 'wb')", "open(<file descriptor>)"),
        ("import torch\ngetattr(torch, '_C')", "torch._C"),
        ("getattr(f, '__wrapped__')", "__wrapped__"),
        ("__import__('ctypes')", "__import__"),
        ("exec(code)", "exec"),
        ("import importlib\nimportlib.import_module('ctypes')", "importlib"),
        ("import subprocess\n", "subprocess"),
    ],
)
def test_each_suspicious_use_is_noted(source, name):
    assert name in _names(source)


@pytest.mark.parametrize(
    "source",
    [
        '"""Do not call torch._C, torch.ops or F.conv2d.__wrapped__ here; see /proc/self/fd."""',
        "# torch.ops.aten.conv2d would be cheating\nx = 1",
        "def f():\n    '''torch._C._nn.max_pool2d_with_indices'''\n    return 1",
        "message = 'torch._C is private'",
        "import torch\nimport torch.nn.functional as F\ny = F.unfold(x, 3) @ w\nz = torch.einsum('ij,jk->ik', a, b)",
        "import os\npath = os.path.join('a', 'b')",
        "import math\nfrom torch.optim import Optimizer",
        "this is not python (",
    ],
)
def test_comments_docstrings_strings_and_ordinary_code_are_not_noted(source):
    assert _names(source) == []


@pytest.mark.parametrize("folder", ["solutions", "exercises"])
def test_no_file_of_the_course_is_noted(folder):
    files = sorted((ROOT / folder).glob("*.py"))
    assert files
    for path in files:
        assert scan_source(path.read_text(encoding="utf-8"), path.name) == [], path


def test_a_note_reaches_results_json_the_summary_and_the_terminal(tmp_path, capsys):
    from rich.console import Console

    from grader.reports.html import feedback_view, render_feedback
    from grader.reports.table import print_result

    sub = write_submission(tmp_path / "sub", "convolution", HOSTILE / "suspicious_clear_guards.py")
    result = grade(sub, ["convolution"])
    assert any(n.startswith("convolution.py line") and "sys.modules" in n for n in result.suspicious), result.suspicious
    # the guard noticed the emptied list: the score is what the tests give, and they fail the call
    conv = result.exercise("convolution.conv2d")
    assert conv.score == 0 and "removed the forbidden-call guard" in conv.failures[0].message
    doc = json.loads(json.dumps(gradescope(result)))
    assert doc["extra_data"]["suspicious_code"] == result.suspicious
    assert summary(result)["suspicious_code"] == result.suspicious
    print_result(result, Console(width=200))
    assert "suspicious code: convolution.py line" in capsys.readouterr().out
    assert "suspicious code: convolution.py line" in render_feedback(feedback_view(result))


def test_an_honest_submission_has_no_notes(tmp_path):
    import shutil

    sub = tmp_path / "sub"
    sub.mkdir()
    shutil.copy(ROOT / "solutions" / "optimizers.py", sub / "optimizers.py")
    result = grade(sub, ["optimizers"])
    assert result.suspicious == [] and "suspicious_code" not in gradescope(result).get("extra_data", {})
