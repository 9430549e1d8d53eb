"""Shared by every test: commands started by tests run cold (no warm judge, grader.warm) unless a
test asks for one (tests/grader/test_warm.py), so that each test's grading is its own."""

import os

os.environ["GRADE_WARM"] = "0"


def pytest_collection_modifyitems(items):
    """Files marked `long_running` are collected first (stable otherwise): `--dist loadfile`
    hands files to the workers in collection order, so a long file collected late would run on
    one worker alone after every other file is done."""
    items.sort(key=lambda item: item.get_closest_marker("long_running") is None)
