"""Bad answers files: one line naming the file, the line and what to fix; exit code 1."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from grader.cli import main

CASES = {
    "toml_syntax": ('conv_params = 896\nwhy_1x1 = "a\n', "line 2", "not valid TOML"),
    "unknown_id": ('conv_params = 896\n\nwhat_is_this = "a"\n', "line 3", "unknown question id 'what_is_this'"),
    "list_for_a_key": ('why_1x1 = ["a"]\n', "line 1", 'expects one option key'),
    "key_out_of_range": ('why_1x1 = "z"\n', "line 1", "options a, b, c, d"),
    "string_for_a_number": ('conv_params = "896"\n', "line 1", "expects a number"),
    "number_for_a_list": ('\n\nconv_vs_dense = 2\n', "line 3", "expects a list of option keys"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_answers_file_gives_one_line_and_exit_1(case, tmp_path):
    text, line, words = CASES[case]
    path = tmp_path / "convolution.toml"
    path.write_text(text, encoding="utf-8")
    res = CliRunner().invoke(main, ["quiz", "convolution", "--answers", str(path)])
    assert res.exit_code == 1, res.output
    lines = [ln for ln in res.output.splitlines() if ln.strip()]
    assert len(lines) == 1 and "Traceback" not in res.output, res.output
    assert str(path) in lines[0] and line in lines[0] and words in lines[0], lines[0]


def test_missing_answers_file_and_unknown_topic(tmp_path):
    res = CliRunner().invoke(main, ["quiz", "convolution", "--answers", str(tmp_path / "none.toml")])
    assert res.exit_code == 1 and "does not exist" in res.output
    res = CliRunner().invoke(main, ["quiz", "no_such_topic", "--answers", str(tmp_path / "none.toml")])
    assert res.exit_code == 1 and "unknown topic" in res.output


def test_asking_without_a_terminal_says_how_to_grade_a_file(tmp_path):
    res = CliRunner().invoke(main, ["quiz", "convolution", "--path", str(tmp_path)])
    assert res.exit_code == 1 and "--answers FILE" in res.output
