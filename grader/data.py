"""The course's small data sets (course/data/, written by scripts/make_data.py)."""

from __future__ import annotations

import pandas as pd

from grader.paths import course_root

SCORE_COLUMNS = ["math score", "reading score", "writing score"]


def data_dir():
    return course_root() / "course" / "data"


def load_students() -> pd.DataFrame:
    """1000 students: gender, race/ethnicity, parental level of education, lunch,
    test preparation course (str), math/reading/writing score (int 0-100)."""
    return pd.read_csv(data_dir() / "students.csv")


def load_iris() -> pd.DataFrame:
    """Fisher's 150 iris flowers: sepal/petal length/width (cm) and Species."""
    return pd.read_csv(data_dir() / "iris.csv")
