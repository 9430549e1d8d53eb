"""`grade batch` input handling and the pure parts of the batch (no student is graded here):
bad input gets one line and exit code 1 and changes nothing; zips are extracted safely;
students are found through wrapper folders; messages are grouped; statuses are named."""

from __future__ import annotations

import unicodedata
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from grader.batch import unzip
from grader.batch.classreport import group_key, normalise
from grader.batch.inputs import open_submissions
from grader.batch.status import status_of
from grader.cli import main
from grader.errors import GradeError
from grader.paths import solutions_dir
from grader import results
from grader.results import ExerciseResult, SubmissionResult, catastrophic


def run(*args: str):
    return CliRunner().invoke(main, ["batch", *map(str, args)])


def one_line_error(result, *words: str) -> str:
    assert result.exit_code == 1, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.output
    assert "Traceback" not in result.output
    for word in words:
        assert word in lines[0], lines[0]
    return lines[0]


def make_zip(path: Path, entries: dict[str, str]) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        for name, text in entries.items():
            zf.writestr(name, text)
    return path


def code() -> str:
    return (solutions_dir() / "convolution.py").read_text()


@pytest.fixture
def out(tmp_path):
    """An output folder from an earlier run: bad input must leave it exactly as it was."""
    folder = tmp_path / "out"
    (folder / "students" / "zed").mkdir(parents=True)
    (folder / "gradebook.csv").write_text("student,total\nzed,3\n")
    (folder / "state.json").write_text('{"format": 1, "students": {}}')
    yield folder
    assert (folder / "gradebook.csv").read_text() == "student,total\nzed,3\n"
    assert sorted(p.name for p in folder.iterdir()) == ["gradebook.csv", "state.json", "students"]


# ---------------------------------------------------------------- bad input: one line, exit 1

def test_missing_path(tmp_path, out):
    one_line_error(run(tmp_path / "nope", "--out", out), "does not exist")


def test_empty_folder(tmp_path, out):
    (tmp_path / "class").mkdir()
    one_line_error(run(tmp_path / "class", "--out", out), "no student folders")


def test_a_file_where_a_folder_was_expected(tmp_path, out):
    (tmp_path / "grades.txt").write_text("hi")
    one_line_error(run(tmp_path / "grades.txt", "--out", out), "is a file", "folder")


def test_a_module_where_a_student_folder_was_expected(tmp_path, out):
    (tmp_path / "class" / "alice").mkdir(parents=True)
    (tmp_path / "class" / "convolution.py").write_text(code())
    one_line_error(run(tmp_path / "class", "--out", out), "convolution.py is a file where a student folder")


@pytest.mark.parametrize("content", [b"not a zip at all", b"PK\x03\x04 truncated"])
def test_corrupt_zip(tmp_path, out, content):
    (tmp_path / "class.zip").write_bytes(content)
    one_line_error(run(tmp_path / "class.zip", "--out", out), "not a readable zip")


def test_zip_with_a_damaged_member(tmp_path, out):
    path = make_zip(tmp_path / "class.zip", {"alice/convolution.py": code()})
    data = bytearray(path.read_bytes())
    start = data.index(b"import torch")  # stored uncompressed: flip bytes inside the member
    data[start:start + 6] = b"XXXXXX"
    path.write_bytes(bytes(data))
    one_line_error(run(path, "--out", out), "not a readable zip")


def test_duplicate_ids_in_a_zip(tmp_path, out):
    path = make_zip(tmp_path / "class.zip", {"alice/convolution.py": code(), "Alice/convolution.py": code(),
                                             "bob/convolution.py": code()})
    line = one_line_error(run(path, "--out", out), "duplicate student ids")
    assert "alice/" in line and "Alice/" in line and "bob" not in line


def test_nested_duplicate_ids(tmp_path, out):
    for folder in ("alice", "bob", "late/alice"):
        (tmp_path / "class" / folder).mkdir(parents=True)
        (tmp_path / "class" / folder / "convolution.py").write_text(code())
    line = one_line_error(run(tmp_path / "class", "--out", out), "duplicate student ids")
    assert "alice/ and late/.../alice/" in line


def test_same_name_in_nfc_and_nfd_is_a_duplicate(tmp_path, out):
    name = "김철수"
    for form in ("NFC", "NFD"):
        folder = tmp_path / "class" / unicodedata.normalize(form, name)
        folder.mkdir(parents=True)
        (folder / "convolution.py").write_text(code())
    one_line_error(run(tmp_path / "class", "--out", out), "duplicate student ids")


def test_zip_path_traversal_is_refused(tmp_path, out):
    path = make_zip(tmp_path / "class.zip", {"alice/convolution.py": code(), "../evil.py": "x = 1"})
    one_line_error(run(path, "--out", out), "unsafe path", "../evil.py")
    assert not (tmp_path / "evil.py").exists()


def test_zip_bomb_is_refused(tmp_path, out, monkeypatch):
    monkeypatch.setattr(unzip, "MAX_BYTES", 1000)
    path = make_zip(tmp_path / "class.zip", {"alice/convolution.py": "#" * 5000})
    one_line_error(run(path, "--out", out), "expands to more than")


def test_out_is_a_file(tmp_path):
    (tmp_path / "class" / "alice").mkdir(parents=True)
    (tmp_path / "out.txt").write_text("x")
    one_line_error(run(tmp_path / "class", "--out", tmp_path / "out.txt"), "is a file")


def test_unknown_topic(tmp_path, out):
    (tmp_path / "class" / "alice").mkdir(parents=True)
    one_line_error(run(tmp_path / "class", "--topic", "nosuch", "--out", out), "unknown topic")


# ---------------------------------------------------------------- discovery

def test_zip_with_a_wrapper_folder_and_nested_student_files(tmp_path):
    path = make_zip(tmp_path / "class.zip", {
        "export/alice/hw3/convolution.py": code(), "export/alice/hw3/notes.txt": "hi",
        "export/bob/convolution.py": code(), "export/bob/__pycache__/x.pyc": "junk",
        "export/carol/readme.md": "nothing yet", "__MACOSX/export/._alice": "junk"})
    with zipfile.ZipFile(path, "a") as zf:
        link = zipfile.ZipInfo("export/bob/link.py")
        link.external_attr = 0o120777 << 16  # a symlink entry: never extracted
        zf.writestr(link, "/etc/passwd")
    found = open_submissions(path, tmp_path / "x")
    assert [s.id for s in found.students] == ["alice", "bob", "carol"]
    alice, bob, carol = found.students
    assert alice.folder.name == "hw3" and alice.files == ("convolution.py", "notes.txt") and alice.has_code
    assert bob.files == ("convolution.py",)
    assert not carol.has_code and "no .py files" in carol.note


def test_output_folder_inside_the_class_is_not_a_student(tmp_path):
    for name in ("alice", "grade-batch"):
        (tmp_path / "class" / name).mkdir(parents=True)
    (tmp_path / "class" / "alice" / "convolution.py").write_text(code())
    found = open_submissions(tmp_path / "class", tmp_path / "x", out=tmp_path / "class" / "grade-batch")
    assert [s.id for s in found.students] == ["alice"]


def test_entry_names_without_the_utf8_flag_are_decoded():
    info = zipfile.ZipInfo("김철수/convolution.py".encode("cp949").decode("cp437"))
    assert unzip.entry_name(info) == "김철수/convolution.py"
    info = zipfile.ZipInfo("윤/a.py".encode("utf-8").decode("cp437"))
    assert unzip.entry_name(info) == "윤/a.py"


@pytest.mark.parametrize("name", ["/etc/passwd", "a/../../b.py", "C:/x.py", "..\\x.py"])
def test_unsafe_names(name):
    with pytest.raises(GradeError):
        unzip.safe_parts(name.replace("\\", "/"), Path("c.zip"))


# ---------------------------------------------------------------- pure parts

def test_messages_with_different_numbers_group_together():
    a = "conv2d_output_size(7, 3, stride=1): expected the int 5, got the float 5.0: float division"
    b = "conv2d_output_size(8, 3, 2, 0, 1): expected the int 3, got the float 3.5: float division"
    assert normalise(a) == normalise(b) == "expected the int #, got the float #: float division"
    assert normalise("Adam: first step is 3.16x too large: bias correction missing") == \
        "Adam: first step is #x too large: bias correction missing"
    assert "conv2d" in normalise("conv2d raised ValueError: 3")


def test_failures_group_by_the_mistake_field_not_the_message():
    named = results.TestResult("t", "convolution", "conv2d", "failed", "conv2d(x): 36 of 36 values differ",
                               0, 1, kind="wrong", mistake="kernel flipped")
    assert group_key(named) == "mistake: kernel flipped"
    # a message that merely quotes the words names nothing: no field, no mistake
    quoted = results.TestResult("t", "convolution", "conv2d", "failed",
                                "x: This is what you get with this mistake: kernel flipped", 0, 1)
    assert not group_key(quoted).startswith("mistake:")


def _result(*kinds: str) -> SubmissionResult:
    tests = [results.TestResult(f"t{i}", "convolution", "conv2d", "failed", "m", 0, 1, kind=k) for i, k in enumerate(kinds)]
    return SubmissionResult(0, 1, [ExerciseResult("convolution", "conv2d", 0, 1, tests)])


def test_statuses():
    assert status_of(_result("wrong")) == "ok"
    assert status_of(_result("wrong", "budget")) == "time budget exceeded"
    assert status_of(catastrophic("pytest failed", 9)) == "catastrophic"
    incomplete = _result("not run")
    incomplete.status = "incomplete"
    assert status_of(incomplete) == "incomplete"


def test_cli_help_lists_batch():
    result = CliRunner().invoke(main, ["batch", "--help"])
    assert result.exit_code == 0 and "--jobs" in result.output and "--guard" not in result.output
