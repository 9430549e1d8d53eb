"""The transformer suite against known submissions: each mistake loses exactly the points it
should and is named in the feedback; every correct alternative gets full marks.

Scores are fractions of the exercise's points over its hidden tests (by weight):
scaled_dot_product_attention has 11 units (10 tests, the gradient test counts 2), so one unit is
4/11; MultiHeadAttention 10 tests of 0.4; sinusoidal_positional_encoding 4 tests of 0.5;
TransformerEncoderLayer 5 tests of 0.6; causal_mask 2 tests of 0.5.

MultiHeadAttention is graded on its own: a result that is right around the student's own
scaled_dot_product_attention passes, so an attention-function mistake costs only that exercise
(except nan on fully masked rows: NaN never passes). TransformerEncoderLayer is checked against
the output of the student's own self_attn, so a MultiHeadAttention mistake costs only that one.
"""

import pytest

from tests.grader.helpers import alternative_test, grade_fixture, mistake_test

TOPIC = "transformer"
FULL = {"scaled_dot_product_attention": 4.0, "causal_mask": 1.0, "MultiHeadAttention": 4.0,
        "sinusoidal_positional_encoding": 2.0, "TransformerEncoderLayer": 3.0}


def _attn(units_passed):
    return FULL["scaled_dot_product_attention"] * units_passed / 11


# fixture -> (the exercise it breaks, its score there, words the feedback must contain)
MISTAKES = {
    # every attention test has d >= 16 and scores of order 1
    "attention_divide_by_d.py": ("scaled_dot_product_attention", 0.0, ["divided by d instead of sqrt(d)"]),
    "attention_softmax_wrong_axis.py": ("scaled_dot_product_attention", 0.0, ["softmax over the wrong axis"]),
    # passes the five tests without a mask
    "attention_mask_after_softmax.py": ("scaled_dot_product_attention", _attn(5), ["mask applied after the softmax"]),
    "attention_mask_inverted.py": ("scaled_dot_product_attention", _attn(5), ["mask inverted"]),
    # fails only the fully masked rows test
    "attention_large_negative_uniform_rows.py": ("scaled_dot_product_attention", _attn(10),
                                                 ["attends to every key equally"]),
    "causal_mask_strictly_below.py": ("causal_mask", 0.5, ["off by one", "strictly below the diagonal"]),
    "causal_mask_float.py": ("causal_mask", 0.0, ["bool"]),
    # keeps only the ValueError test; the one-head case passes, the two-head case beside it fails
    "mha_view_no_transpose.py": ("MultiHeadAttention", 0.4, ["heads split with view/reshape", "without a transpose"]),
    "mha_no_out_proj.py": ("MultiHeadAttention", 0.4, ["output projection missing"]),
    "mha_scale_d_model.py": ("MultiHeadAttention", 0.4, ["sqrt(d_model) instead of sqrt(head_dim)"]),
    "mha_weights_averaged.py": ("MultiHeadAttention", 0.4, ["averaged over the heads"]),
    # keep only the ValueError test
    "pe_halves_not_interleaved.py": ("sinusoidal_positional_encoding", 0.5, ["not interleaved"]),
    "pe_exponent_i.py": ("sinusoidal_positional_encoding", 0.5, ["exponent uses i instead of 2i"]),
    "pe_cos_own_index.py": ("sinusoidal_positional_encoding", 0.5, ["must share the frequency"]),
    "encoder_pre_norm.py": ("TransformerEncoderLayer", 0.0, ["pre-norm"]),
    "encoder_no_ffn_residual.py": ("TransformerEncoderLayer", 0.0, ["no residual around the feed-forward"]),
    # fails only the masked test
    "encoder_mask_ignored.py": ("TransformerEncoderLayer", 2.4, ["mask not passed to self_attn"]),
}

ALTERNATIVES = ["alt_einsum.py", "alt_loops.py"]


test_mistake_loses_its_points_and_is_named = mistake_test(TOPIC, MISTAKES)


test_correct_alternative_gets_full_marks = alternative_test(TOPIC, ALTERNATIVES, FULL, abs=1e-3)


def _scores(res, **broken):
    return {**FULL, **broken}, res.scores()


def test_nan_on_fully_masked_rows_is_named_and_never_passes():
    # the attention function fails its fully masked test; MultiHeadAttention, built on it, returns
    # nan on its own fully masked test, and NaN never passes (the one cross-exercise loss)
    res = grade_fixture(TOPIC, "attention_nan_fully_masked.py")
    expected, got = _scores(res, scaled_dot_product_attention=_attn(10), MultiHeadAttention=3.6)
    assert got == pytest.approx(expected, abs=1e-3), res.feedback()
    assert "nan on fully masked rows" in res.messages_of("scaled_dot_product_attention")
    assert "nan on fully masked rows" in res.messages_of("MultiHeadAttention")


def test_k_transpose_on_batched_tensors_is_named():
    # right on a single (Lq, d) matrix only; every batched call raises, so the modules built on it
    # cannot run either (their failures point at the line in scaled_dot_product_attention)
    res = grade_fixture(TOPIC, "attention_k_T_batched.py")
    expected, got = _scores(res, scaled_dot_product_attention=_attn(1), MultiHeadAttention=0.4,
                            TransformerEncoderLayer=0.0)
    assert got == pytest.approx(expected, abs=1e-3), res.feedback()
    assert "k.T" in res.messages_of("scaled_dot_product_attention")
    assert "transpose(-2, -1)" in res.messages_of("scaled_dot_product_attention")


@pytest.mark.parametrize("fixture, name, broken", [
    # the forbidden calls apply to the whole topic: the modules that use the function or the
    # class (the layer builds its MultiHeadAttention) fail wherever they run it
    ("attention_uses_forbidden_F_sdpa.py", "torch.nn.functional.scaled_dot_product_attention",
     {"scaled_dot_product_attention": 0.0, "MultiHeadAttention": 0.4, "TransformerEncoderLayer": 0.0}),
    ("mha_uses_forbidden_nn_mha.py", "torch.nn.MultiheadAttention",
     {"MultiHeadAttention": 0.4, "TransformerEncoderLayer": 0.0}),
])
def test_forbidden_calls_are_refused_topic_wide(fixture, name, broken):
    res = grade_fixture(TOPIC, fixture)
    expected, got = _scores(res, **broken)
    assert got == pytest.approx(expected, abs=1e-3), res.feedback()
    for exercise in broken:
        assert name in res.messages_of(exercise) and "forbids" in res.messages_of(exercise)
