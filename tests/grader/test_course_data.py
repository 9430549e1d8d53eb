"""course/data/*.csv are what scripts/make_data.py writes (deterministic), with the columns
and value ranges the catalog promises."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest

from grader.data import load_iris, load_students
from grader.paths import course_root

STUDENT_COLUMNS = ["gender", "race/ethnicity", "parental level of education", "lunch",
                   "test preparation course", "math score", "reading score", "writing score"]


def _make_data():
    path = course_root() / "scripts" / "make_data.py"
    spec = importlib.util.spec_from_file_location("make_data", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("name", ["students.csv", "iris.csv"])
def test_csv_is_up_to_date_with_the_script(tmp_path, name):
    _make_data().write_all(tmp_path)
    shipped = course_root() / "course" / "data" / name
    assert shipped.read_bytes() == (tmp_path / name).read_bytes(), (
        f"course/data/{name} is out of date: run python scripts/make_data.py")


def test_students_columns_and_ranges():
    df = load_students()
    assert list(df.columns) == STUDENT_COLUMNS and len(df) == 1000
    assert sorted(df["race/ethnicity"].unique()) == [f"group {c}" for c in "ABCDE"]
    assert set(df["gender"]) == {"female", "male"}
    assert set(df["lunch"]) == {"standard", "free/reduced"}
    assert set(df["test preparation course"]) == {"none", "completed"}
    scores = df[STUDENT_COLUMNS[5:]]
    assert all(dt.kind == "i" for dt in scores.dtypes)
    assert scores.min().min() >= 0 and scores.max().max() <= 100
    corr = scores.corr().to_numpy()
    assert corr[1, 2] > 0.9 and corr[0, 1] > 0.6  # reading ~ writing, math ~ reading
    prep = df.groupby("test preparation course")["writing score"].mean()
    lunch = df.groupby("lunch")["math score"].mean()
    assert prep["completed"] > prep["none"] + 3 and lunch["standard"] > lunch["free/reduced"] + 3


def test_iris_is_the_classic_table():
    df = load_iris()
    assert list(df.columns) == ["sepal_length", "sepal_width", "petal_length", "petal_width", "Species"]
    assert list(df["Species"]) == ["setosa"] * 50 + ["versicolor"] * 50 + ["virginica"] * 50
    means = df.groupby("Species")[["sepal_width", "petal_length"]].mean()  # Fisher's, as R has them
    assert means["petal_length"].to_dict() == pytest.approx({"setosa": 1.462, "versicolor": 4.26,
                                                             "virginica": 5.552})
    assert means["sepal_width"].to_dict() == pytest.approx({"setosa": 3.428, "versicolor": 2.77,
                                                            "virginica": 2.974})


def test_iris_matches_scipys_uci_copy_but_for_its_two_known_errors():
    scipy = pytest.importorskip("scipy")
    path = Path(scipy.__file__).parent / "spatial" / "tests" / "data" / "iris.txt"
    if not path.is_file():
        pytest.skip("scipy's test data is not installed")
    ours, uci = load_iris().iloc[:, :4].to_numpy(), np.loadtxt(path)
    differ = sorted(set(np.nonzero(~np.isclose(ours, uci))[0]))
    assert differ == [34, 37]  # rows 35 and 38 of Fisher's table (UCI transcription errors)
