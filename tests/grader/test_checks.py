"""The numeric checks: every mismatch is a message (never an exception), NaN never passes,
and a known wrong answer is named."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from grader.checks import assert_close, assert_equal, assert_raises
from grader.checks.numeric import compare, diagnose
from grader.errors import StudentError

X = torch.linspace(-2, 3, 12, dtype=torch.float64).reshape(3, 4)


@pytest.mark.parametrize(
    "got, words",
    [
        (X * 1.01, "max abs error"),
        (X.float(), "expected dtype float64"),
        (X.T, "transposed"),
        (X.numpy(), "expected a tensor"),
        (None, "got None"),
        (torch.where(X > 0, torch.nan, X), "NaN and inf never pass"),
        (torch.where(X > 0, torch.inf, X), "NaN and inf never pass"),
        (X[:2], "expected shape (3, 4), got (2, 4)"),
    ],
)
def test_mismatches_are_messages(got, words):
    msg = compare(got, X)
    assert msg is not None and words in msg, msg


def test_nan_never_passes_even_where_nan_is_not_expected_anywhere():
    assert compare(float("nan"), 1.0) is not None
    assert compare(torch.tensor([float("nan")]), torch.tensor([float("nan")])) is None  # nan where nan expected


def test_tolerances_follow_torch_testing_by_dtype():
    assert compare(X + 5e-8, X) is None and compare(X + 5e-6, X) is not None
    x32 = X.float()
    assert compare(x32 + 5e-6, x32) is None and compare(x32 + 1e-3, x32) is not None


def test_scalars_structures_and_integers():
    assert compare(torch.tensor(0.5), 0.5) is None and compare(np.float64(0.5), 0.5) is None
    assert compare(3.0, 3) is None and "expected the integer 3" in compare(3.5, 3)
    assert compare((X, 2), (X, 2)) is None and compare((X, 2), (X, 3)).startswith("[1]")
    assert "keys" in compare({"a": 1}, {"b": 1})
    assert compare(torch.tensor([1, 2]), torch.tensor([1, 3])).startswith("1 of 2 values differ")


def test_known_mistakes_are_named_in_the_message():
    wrong = X * 3.16
    assert diagnose(wrong, {"bias correction missing": X * 3.16}) == "bias correction missing"
    with pytest.raises(pytest.fail.Exception, match="bias correction missing"):
        assert_close(wrong, X, what="first step", mistakes={"bias correction missing": X * 3.16})
    with pytest.raises(pytest.fail.Exception, match="first step"):
        assert_close(wrong, X, what="first step")
    assert_close(X.clone(), X, what="same")
    assert_equal(torch.tensor([1, 2]), torch.tensor([1, 2]), what="ints")


def test_assert_raises_checks_the_exception_type_by_name():
    def raises(kind, types):
        def fn(*args):
            raise StudentError("f raised", kind, types)
        return fn

    assert_raises("ValueError", raises("raised", ("MyError", "ValueError", "Exception")))
    with pytest.raises(pytest.fail.Exception, match="should raise ValueError; instead"):
        assert_raises("ValueError", raises("raised", ("TypeError", "Exception")))
    with pytest.raises(pytest.fail.Exception, match="but it returned 3"):
        assert_raises("ValueError", lambda: 3)
