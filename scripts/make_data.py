"""Write the course's data sets into course/data/ (deterministic; no downloads).

    python scripts/make_data.py            # writes course/data/students.csv and iris.csv
    python scripts/make_data.py --out DIR  # somewhere else (the up-to-date test uses this)

students.csv: 1000 synthetic students with the columns of the well-known "students performance
in exams" table (gender, race/ethnicity, parental level of education, lunch, test preparation
course, math/reading/writing score), drawn from a seeded numpy Generator: scores are integers
0-100, correlated with each other (a shared ability plus a verbal factor for reading and
writing) and shifted by lunch, test preparation, parental education, group and gender.

iris.csv: Fisher's 150 iris flowers in cm, rows 0-49 setosa, 50-99 versicolor, 100-149
virginica: the table scipy ships in its spatial test data (the UCI copy) with the UCI copy's two
known errors fixed as in Fisher's paper (rows 35 and 38, 1-based), so it equals R's, seaborn's
and scikit-learn's iris. Written in tenths of a cm below.
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

import numpy as np

SEED = 20240917
N_STUDENTS = 1000
STUDENT_COLUMNS = ["gender", "race/ethnicity", "parental level of education", "lunch",
                   "test preparation course", "math score", "reading score", "writing score"]
IRIS_COLUMNS = ["sepal_length", "sepal_width", "petal_length", "petal_width", "Species"]
SPECIES = ["setosa", "versicolor", "virginica"]

GENDERS = {"female": 0.518, "male": 0.482}
GROUPS = {"group A": 0.089, "group B": 0.19, "group C": 0.319, "group D": 0.262, "group E": 0.14}
EDUCATION = {"some high school": 0.179, "high school": 0.196, "some college": 0.226,
             "associate\'s degree": 0.222, "bachelor\'s degree": 0.118, "master\'s degree": 0.059}
LUNCH = {"standard": 0.645, "free/reduced": 0.355}
PREP = {"none": 0.642, "completed": 0.358}

# score shifts (math, reading, writing)
MEANS = np.array([56.0, 66.0, 64.0])
GROUP_SHIFT = {"group A": -3.0, "group B": -2.0, "group C": -1.0, "group D": 1.5, "group E": 5.0}
EDU_SHIFT = {"some high school": -3.0, "high school": -4.0, "some college": 0.5,
             "associate\'s degree": 1.0, "bachelor\'s degree": 3.5, "master\'s degree": 5.0}
MALE_SHIFT = np.array([4.5, -6.5, -8.5])
STANDARD_LUNCH_SHIFT = np.array([10.0, 6.5, 7.5])
PREP_SHIFT = np.array([5.5, 7.0, 9.5])

# sepal length, sepal width, petal length, petal width in mm; 150 rows
IRIS_TENTHS = """
51 35 14 2, 49 30 14 2, 47 32 13 2, 46 31 15 2, 50 36 14 2, 54 39 17 4, 46 34 14 3, 50 34 15 2
44 29 14 2, 49 31 15 1, 54 37 15 2, 48 34 16 2, 48 30 14 1, 43 30 11 1, 58 40 12 2, 57 44 15 4
54 39 13 4, 51 35 14 3, 57 38 17 3, 51 38 15 3, 54 34 17 2, 51 37 15 4, 46 36 10 2, 51 33 17 5
48 34 19 2, 50 30 16 2, 50 34 16 4, 52 35 15 2, 52 34 14 2, 47 32 16 2, 48 31 16 2, 54 34 15 4
52 41 15 1, 55 42 14 2, 49 31 15 2, 50 32 12 2, 55 35 13 2, 49 36 14 1, 44 30 13 2, 51 34 15 2
50 35 13 3, 45 23 13 3, 44 32 13 2, 50 35 16 6, 51 38 19 4, 48 30 14 3, 51 38 16 2, 46 32 14 2
53 37 15 2, 50 33 14 2, 70 32 47 14, 64 32 45 15, 69 31 49 15, 55 23 40 13, 65 28 46 15, 57 28 45 13
63 33 47 16, 49 24 33 10, 66 29 46 13, 52 27 39 14, 50 20 35 10, 59 30 42 15, 60 22 40 10, 61 29 47 14
56 29 36 13, 67 31 44 14, 56 30 45 15, 58 27 41 10, 62 22 45 15, 56 25 39 11, 59 32 48 18, 61 28 40 13
63 25 49 15, 61 28 47 12, 64 29 43 13, 66 30 44 14, 68 28 48 14, 67 30 50 17, 60 29 45 15, 57 26 35 10
55 24 38 11, 55 24 37 10, 58 27 39 12, 60 27 51 16, 54 30 45 15, 60 34 45 16, 67 31 47 15, 63 23 44 13
56 30 41 13, 55 25 40 13, 55 26 44 12, 61 30 46 14, 58 26 40 12, 50 23 33 10, 56 27 42 13, 57 30 42 12
57 29 42 13, 62 29 43 13, 51 25 30 11, 57 28 41 13, 63 33 60 25, 58 27 51 19, 71 30 59 21, 63 29 56 18
65 30 58 22, 76 30 66 21, 49 25 45 17, 73 29 63 18, 67 25 58 18, 72 36 61 25, 65 32 51 20, 64 27 53 19
68 30 55 21, 57 25 50 20, 58 28 51 24, 64 32 53 23, 65 30 55 18, 77 38 67 22, 77 26 69 23, 60 22 50 15
69 32 57 23, 56 28 49 20, 77 28 67 20, 63 27 49 18, 67 33 57 21, 72 32 60 18, 62 28 48 18, 61 30 49 18
64 28 56 21, 72 30 58 16, 74 28 61 19, 79 38 64 20, 64 28 56 22, 63 28 51 15, 61 26 56 14, 77 30 61 23
63 34 56 24, 64 31 55 18, 60 30 48 18, 69 31 54 21, 67 31 56 24, 69 31 51 23, 58 27 51 19, 68 32 59 23
67 33 57 25, 67 30 52 23, 63 25 50 19, 65 30 52 20, 62 34 54 23, 59 30 51 18
"""


def _draw(rng, table: dict, n: int) -> np.ndarray:
    names = list(table)
    p = np.array([table[k] for k in names])
    return np.array(names, dtype=object)[rng.choice(len(names), size=n, p=p / p.sum())]


def students_rows(seed: int = SEED, n: int = N_STUDENTS) -> list[list]:
    """The students table as rows of [str * 5, int * 3]."""
    rng = np.random.default_rng(seed)
    cats = [_draw(rng, t, n) for t in (GENDERS, GROUPS, EDUCATION, LUNCH, PREP)]
    gender, group, edu, lunch, prep = cats
    ability, verbal = rng.standard_normal(n), rng.standard_normal(n)
    noise = rng.standard_normal((n, 3))
    scores = MEANS + np.column_stack([
        13.0 * ability + 4.5 * noise[:, 0],
        10.5 * ability + 5.0 * verbal + 3.0 * noise[:, 1],
        10.5 * ability + 5.0 * verbal + 2.5 * noise[:, 2],
    ])
    scores += np.array([GROUP_SHIFT[g] for g in group])[:, None]
    scores += np.array([EDU_SHIFT[e] for e in edu])[:, None]
    scores += (gender == "male")[:, None] * MALE_SHIFT
    scores += (lunch == "standard")[:, None] * STANDARD_LUNCH_SHIFT
    scores += (prep == "completed")[:, None] * PREP_SHIFT
    scores = np.clip(np.rint(scores), 0, 100).astype(int)
    return [[*(str(c[i]) for c in cats), *(int(s) for s in scores[i])] for i in range(n)]


def iris_rows() -> list[list]:
    """The iris table as rows of [float * 4, species]."""
    rows = [r.split() for r in IRIS_TENTHS.replace("\n", ",").split(",") if r.strip()]
    assert len(rows) == 150, len(rows)
    return [[*(f"{int(v) / 10:.1f}" for v in r), SPECIES[i // 50]] for i, r in enumerate(rows)]


def _write(path: Path, header: list, rows: list) -> None:
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def write_all(out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    paths = [out / "students.csv", out / "iris.csv"]
    _write(paths[0], STUDENT_COLUMNS, students_rows())
    _write(paths[1], IRIS_COLUMNS, iris_rows())
    return paths


def main(argv=None) -> None:
    default = Path(__file__).resolve().parents[1] / "course" / "data"
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=default, help="output folder")
    args = parser.parse_args(argv)
    for path in write_all(args.out):
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
