"""Shared by every test: commands started by tests run cold (no warm judge, grader.warm) unless a
test asks for one (tests/grader/test_warm.py), so that each test's grading is its own."""

import os

os.environ["GRADE_WARM"] = "0"
