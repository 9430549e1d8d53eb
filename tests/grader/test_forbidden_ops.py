"""Forbidden calls are caught below the Python names: every way to the same kernel fails the
call with a message naming the forbidden function, and correct hand-written versions (written
the ways students write them) pass. Covers the forbidden calls of every topic in CATALOG.md,
through a real worker (tests/grader/fixtures/hostile/forbidden_catalog.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import torch
import torch.nn.functional as F

from grader.client import Session
from grader.errors import StudentError
from grader.manifest import Course, Exercise, Topic
from grader.student import Student
from grader.worker import forbidden_ops
from tests.grader.helpers import Graded, write_submission

HOSTILE = Path(__file__).parent / "fixtures" / "hostile"
OPTIM = [f"torch.optim.{c}" for c in ("SGD", "Adam", "AdamW", "Adagrad", "Adadelta", "RMSprop")] + [
    "torch.optim.adam.adam", "torch.optim._functional.adam", "torch.optim.adam._single_tensor_adam",
    "torch.optim.adam._multi_tensor_adam", "torch.optim.adam._fused_adam", "torch.optim.sgd.sgd",
    "torch.optim.sgd._single_tensor_sgd", "torch.optim.sgd._multi_tensor_sgd", "torch.optim.sgd._fused_sgd"]
RNN = ["torch.nn.RNN", "torch.nn.LSTM", "torch.nn.GRU", "torch.nn.RNNCell", "torch.nn.LSTMCell", "torch.nn.GRUCell",
       "torch._VF", "torch.rnn_tanh_cell", "torch.lstm_cell", "torch.gru_cell"]
TRANSFORMER = ["torch.nn.functional.scaled_dot_product_attention", "torch.nn.MultiheadAttention",
               "torch.nn.functional.multi_head_attention_forward", "torch.nn.TransformerEncoderLayer"]

# exercise -> its forbidden names, as CATALOG.md lists them (the first of a family is reported)
FORBIDDEN = {
    "relu": ["torch.relu", "torch.relu_", "torch.nn.functional.relu", "torch.nn.functional.relu_",
             "torch.Tensor.relu", "torch.Tensor.relu_", "torch.nn.ReLU"],
    "sigmoid": ["torch.sigmoid", "torch.nn.functional.sigmoid", "torch.Tensor.sigmoid", "torch.nn.Sigmoid"],
    "tanh": ["torch.tanh", "torch.nn.functional.tanh", "torch.Tensor.tanh", "torch.nn.Tanh"],
    "dropout": ["torch.nn.functional.dropout", "torch.nn.Dropout"],
    "batch_norm": ["torch.nn.functional.batch_norm", "torch.nn.BatchNorm1d", "torch.nn.BatchNorm2d"],
    "cross_entropy": ["torch.nn.functional.cross_entropy", "torch.nn.CrossEntropyLoss"],
    "conv2d": ["torch.nn.functional.conv2d", "torch.nn.functional.conv1d", "torch.nn.functional.conv3d",
               "torch.conv2d", "torch.nn.Conv2d"],
    "max_pool2d": ["torch.nn.functional.max_pool2d", "torch.nn.MaxPool2d"],
    "conv_transpose2d": ["torch.nn.functional.conv_transpose1d", "torch.nn.functional.conv_transpose2d",
                         "torch.nn.functional.conv_transpose3d", "torch.nn.ConvTranspose2d"],
    "rnn": RNN,
    "clip_grad_norm": [*RNN, "torch.nn.utils.clip_grad_norm_", "torch.nn.utils.get_total_norm",
                       "torch.nn.utils.clip_grads_with_norm_"],
    "transformer": TRANSFORMER,
    "optimizers": OPTIM,
}

# (exercise, probe function): correct versions that must pass
CORRECT = [
    ("relu", "relu_ok"), ("relu", "relu_clamp_ok"), ("sigmoid", "sigmoid_ok"), ("tanh", "tanh_ok"),
    ("dropout", "dropout_ok"), ("batch_norm", "batch_norm_ok"), ("cross_entropy", "cross_entropy_ok"),
    ("conv2d", "conv2d_ok"), ("conv2d", "conv2d_einsum_ok"), ("max_pool2d", "max_pool2d_ok"),
    ("max_pool2d", "max_pool2d_reshape_ok"), ("conv_transpose2d", "conv_transpose2d_ok"),
    ("conv_transpose2d", "conv_transpose2d_by_conv2d_ok"), ("rnn", "rnn_cell_ok"), ("rnn", "lstm_cell_ok"),
    ("rnn", "gru_cell_ok"), ("clip_grad_norm", "clip_grad_norm_ok"), ("transformer", "attention_ok"),
    ("transformer", "encoder_layer_ok"), ("optimizers", "adam_ok"),
]

# (exercise, probe function, the forbidden name the message names, how it was reached)
BYPASSES = [
    ("relu", "relu_via_ops", "torch.relu", "torch.ops.aten.relu"),
    ("relu", "relu_via_variable_functions", "torch.relu", "aten.relu"),
    ("relu", "relu_via_module", "torch.nn.ReLU", ""),
    ("sigmoid", "sigmoid_via_expit", "torch.sigmoid", "torch.ops.aten.sigmoid"),
    ("tanh", "tanh_via_ops", "torch.tanh", "torch.ops.aten.tanh"),
    ("dropout", "dropout_via_vf", "torch.nn.functional.dropout", "torch.dropout"),
    ("dropout", "dropout_via_ops", "torch.nn.functional.dropout", "torch.ops.aten.native_dropout"),
    ("batch_norm", "batch_norm_via_torch", "torch.nn.functional.batch_norm", "aten.native_batch_norm"),
    ("batch_norm", "batch_norm_via_ops", "torch.nn.functional.batch_norm", "torch.ops.aten.native_batch_norm"),
    ("batch_norm", "batch_norm_via_instance_norm", "torch.nn.functional.batch_norm", "batch_norm"),
    ("cross_entropy", "cross_entropy_via_nn", "torch.nn.functional.cross_entropy", "torch._C._nn.cross_entropy_loss"),
    ("cross_entropy", "cross_entropy_via_ops", "torch.nn.functional.cross_entropy", "torch.ops.aten.cross_entropy_loss"),
    ("conv2d", "conv2d_via_conv3d", "torch.nn.functional.conv3d", ""),  # torch.conv3d is F.conv3d
    ("conv2d", "conv2d_via_conv1d_alias", "torch.nn.functional.conv2d", "torch.ops.aten.convolution"),
    ("conv2d", "conv2d_via_conv_transpose", "torch.nn.functional.conv2d", "torch.ops.aten.convolution"),
    ("conv2d", "conv2d_via_jit", "torch.nn.functional.conv2d", "torch.ops.aten.convolution"),
    ("conv2d", "conv2d_via_thread", "torch.nn.functional.conv2d", "torch.ops.aten.conv2d"),
    ("conv2d", "conv2d_via_unwrap", "torch.nn.functional.conv2d", "__wrapped__"),
    ("conv2d", "conv2d_swallowed", "torch.nn.functional.conv2d", "torch.ops.aten.conv"),
    ("conv2d", "conv2d_popping_the_guard", "torch.nn.functional.conv2d", "removed the forbidden-call guard"),
    ("max_pool2d", "max_pool2d_via_nn", "torch.nn.functional.max_pool2d", "torch.ops.aten.max_pool2d_with_indices"),
    ("max_pool2d", "max_pool2d_via_ops", "torch.nn.functional.max_pool2d", "torch.ops.aten.max_pool2d"),
    ("max_pool2d", "max_pool2d_via_module", "torch.nn.MaxPool2d", ""),
    ("conv_transpose2d", "conv_transpose2d_via_ops", "torch.nn.functional.conv_transpose1d", "conv_transpose2d"),
    ("conv_transpose2d", "conv_transpose2d_via_convolution", "torch.nn.functional.conv_transpose1d",
     "torch.ops.aten.convolution"),
    ("rnn", "rnn_cell_via_vf", "torch.nn.RNN", "torch.rnn_tanh_cell"),
    ("rnn", "rnn_cell_via_torch", "torch.rnn_tanh_cell", ""),
    ("rnn", "lstm_cell_via_ops", "torch.nn.RNN", "torch.ops.aten.lstm_cell"),
    ("rnn", "gru_cell_via_variable_functions", "torch.nn.RNN", "gru_cell"),
    ("rnn", "rnn_forward_via_vf", "torch.nn.RNN", "rnn_tanh"),
    ("rnn", "rnn_cell_via_module", "torch.nn.RNNCell", "torch.nn.RNNCell.__init__"),
    ("clip_grad_norm", "clip_grad_norm_via_alias", "torch.nn.utils.clip_grad_norm_", ""),
    ("clip_grad_norm", "clip_grad_norm_via_total_norm", "torch.nn.utils.get_total_norm", ""),
    ("transformer", "attention_via_nn", "torch.nn.functional.scaled_dot_product_attention", ""),  # an alias
    ("transformer", "attention_via_math", "torch.nn.functional.scaled_dot_product_attention",
     "torch.ops.aten._scaled_dot_product_attention_math"),
    ("transformer", "attention_via_cpu_kernel", "torch.nn.functional.scaled_dot_product_attention",
     "_scaled_dot_product_flash_attention_for_cpu"),
    ("transformer", "mha_via_module", "torch.nn.MultiheadAttention", "torch.nn.MultiheadAttention.__init__"),
    ("transformer", "mha_via_functional", "torch.nn.MultiheadAttention", "torch.nn.functional.multi_head_attention_forward"),
    ("transformer", "mha_via_native", "torch.nn.MultiheadAttention", "torch._native_multi_head_attention"),
    ("transformer", "encoder_layer_via_module", "torch.nn.TransformerEncoderLayer", "__init__"),
    ("optimizers", "adam_via_subclass", "torch.optim.Adam", "torch.optim.Adam.__init__"),
    ("optimizers", "adam_via_borrowed_step", "torch.optim.Adam", "torch.optim.Adam.step"),
    ("optimizers", "adam_via_functional_alias", "torch.optim._functional.adam", ""),
    ("optimizers", "adam_via_fused_kernel", "torch.optim.Adam", "torch.ops.aten._fused_adam_"),
    ("optimizers", "sgd_via_single_tensor", "torch.optim.sgd._single_tensor_sgd", ""),
]


def _inputs(function: str):
    """The arguments of a probe function (seeded), by its family."""
    g = torch.Generator().manual_seed(0)

    def randn(*shape):
        return torch.randn(*shape, generator=g)

    xr, h = randn(2, 3), randn(2, 4)
    table = {
        "relu": (randn(3, 5) * 100,), "sigmoid": (randn(3, 5) * 100,), "tanh": (randn(3, 5) * 100,),
        "dropout": (randn(4, 6), 0.5), "batch_norm": (randn(6, 3), randn(3), randn(3)),
        "cross_entropy": (randn(4, 5), torch.tensor([0, 1, 4, 2]), 0.1),
        "conv2d": (randn(2, 3, 7, 7), randn(4, 3, 3, 3)), "max_pool2d": (randn(2, 3, 7, 7), 2),
        "conv_transpose2d": (randn(2, 3, 5, 5), randn(3, 2, 3, 3)),
        "rnn_cell": (xr, h, randn(4, 3), randn(4, 4), randn(4), randn(4)),
        "lstm_cell": (xr, h, randn(2, 4), randn(16, 3), randn(16, 4), randn(16), randn(16)),
        "gru_cell": (xr, h, randn(12, 3), randn(12, 4), randn(12), randn(12)),
        "rnn_forward": (randn(5, 2, 3), h, randn(4, 3), randn(4, 4), randn(4), randn(4)),
        "clip_grad_norm": ([randn(3), randn(2, 2)], 0.5),
        "attention": (randn(2, 2, 4, 8), randn(2, 2, 4, 8), randn(2, 2, 4, 8), torch.ones(4, 4, dtype=torch.bool).tril()),
        "mha": (randn(2, 4, 8),), "encoder_layer": (randn(2, 4, 8),),
        "adam": (randn(5), randn(5)), "sgd": (randn(5), randn(5)),
    }
    for family in sorted(table, key=len, reverse=True):
        if function.startswith(family):
            return table[family]
    raise KeyError(function)


def _oracle(function: str, args):
    """What a correct version returns, computed here with torch's own functions."""
    if function.startswith("relu"):
        return F.relu(args[0])
    if function.startswith("sigmoid"):
        return torch.sigmoid(args[0])
    if function.startswith("tanh"):
        return torch.tanh(args[0])
    if function.startswith("batch_norm"):
        return F.batch_norm(args[0], None, None, args[1], args[2], training=True)
    if function.startswith("cross_entropy"):
        return F.cross_entropy(args[0], args[1], label_smoothing=args[2])
    if function.startswith("conv2d"):
        return F.conv2d(*args)
    if function.startswith("max_pool2d"):
        return F.max_pool2d(*args)
    if function.startswith("conv_transpose2d"):
        return F.conv_transpose2d(*args)
    if function.startswith("rnn_cell"):
        return torch.rnn_tanh_cell(*args)
    if function.startswith("lstm_cell"):
        x, h, c, *w = args
        return torch.lstm_cell(x, (h, c), *w)
    if function.startswith("gru_cell"):
        return torch.gru_cell(*args)
    if function.startswith("attention"):
        q, k, v, mask = args
        return F.scaled_dot_product_attention(q, k, v, attn_mask=mask), None
    if function.startswith("adam"):
        p = torch.nn.Parameter(args[0].clone())
        opt = torch.optim.Adam([p], lr=0.1)
        for _ in range(3):
            p.grad = args[1].clone()
            opt.step()
        return p.detach()
    if function.startswith("clip_grad_norm"):
        grads = [g.clone() for g in args[0]]
        total = float(torch.linalg.vector_norm(torch.cat([g.flatten() for g in grads])))
        return total, [g * (args[1] / (total + 1e-6)) for g in grads]
    return None  # dropout, encoder layer: checked by their properties below


@pytest.fixture(scope="module")
def probes(tmp_path_factory):
    folder = tmp_path_factory.mktemp("forbidden")
    shutil.copy(HOSTILE / "forbidden_catalog.py", folder / "forbidden_catalog.py")
    exercises = tuple(Exercise("forbidden_catalog", name, 1.0, timeout=30, forbidden=tuple(names))
                      for name, names in FORBIDDEN.items())
    topic = Topic("forbidden_catalog", "Forbidden calls", "", "", exercises)
    session = Session(folder, Course("probe", (topic,)))
    yield {ex.name: Student(session, topic, ex) for ex in exercises}
    session.close()


def _close(actual, expected) -> None:
    if isinstance(expected, (tuple, list)):
        for a, e in zip(actual, expected):
            if e is not None:
                _close(a, e)
    elif isinstance(expected, float):
        assert actual == pytest.approx(expected, rel=1e-5)
    else:
        torch.testing.assert_close(actual, expected, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("exercise, function", CORRECT, ids=[f for _, f in CORRECT])
def test_a_correct_hand_written_version_passes(probes, exercise, function):
    args = _inputs(function)
    value = getattr(probes[exercise], function)(*args)
    expected = _oracle(function, args)
    if expected is not None:
        _close(value, expected)
    elif function == "dropout_ok":
        x, p = args
        kept = value != 0
        torch.testing.assert_close(value[kept], x[kept] / (1 - p))
    else:
        assert value.shape == args[0].shape and torch.isfinite(value).all()


@pytest.mark.parametrize("exercise, function, name, via", BYPASSES, ids=[b[1] for b in BYPASSES])
def test_each_way_around_a_forbidden_name_is_caught(probes, exercise, function, name, via):
    with pytest.raises(StudentError) as err:
        getattr(probes[exercise], function)(*_inputs(function))
    message = str(err.value)
    assert err.value.kind == "forbidden", message
    assert f"{function} used {name}" in message and "which this exercise forbids" in message, message
    assert via in message, message


def test_correct_versions_still_pass_after_a_caught_bypass(probes):
    """A caught call leaves no guard behind: the next exercise's call runs unguarded by it."""
    with pytest.raises(StudentError):
        probes["conv2d"].conv2d_via_conv3d(*_inputs("conv2d"))
    args = _inputs("conv_transpose2d")
    _close(probes["conv_transpose2d"].conv_transpose2d_by_conv2d_ok(*args), F.conv_transpose2d(*args))


def test_every_family_has_operators_or_is_name_only():
    """Each catalog name maps to a family; name-only families are the pure-Python ones."""
    for names in FORBIDDEN.values():
        for path in names:
            assert forbidden_ops.family_of(path) is not None, path
    name_only = {f for f, fam in forbidden_ops.FAMILIES.items() if not fam.ops}
    assert name_only == {"clip_grad", "optimizer"}


def test_the_plan_reports_the_first_name_of_each_family():
    plan = forbidden_ops.plan(FORBIDDEN["conv2d"])
    assert plan["convolution"] == "torch.nn.functional.conv2d"
    assert forbidden_ops.transposed_kinds(FORBIDDEN["conv2d"]) == {True: "torch.nn.functional.conv2d",
                                                                    False: "torch.nn.functional.conv2d"}
    assert forbidden_ops.transposed_kinds(FORBIDDEN["conv_transpose2d"]) == {True: "torch.nn.functional.conv_transpose1d"}
    assert not forbidden_ops.needs_function_mode(FORBIDDEN["conv2d"])
    assert forbidden_ops.needs_function_mode(FORBIDDEN["dropout"])


# ---------------------------------------------------------------- the issue's bypasses, graded end to end
@pytest.mark.parametrize(
    "attack, exercise, words, note",
    [
        ("forbidden_wrapped", "convolution.conv2d", "torch.nn.functional.conv2d.__wrapped__", "__wrapped__"),
        ("forbidden_torch_convolution", "convolution.conv2d", "torch.ops.aten.convolution", None),
        ("forbidden_ops_aten_conv2d", "convolution.conv2d", "torch.ops.aten.convolution", "torch.ops"),
        ("forbidden_variable_functions", "convolution.conv2d", "torch.ops.aten.convolution", "torch._C"),
        ("forbidden_nn_max_pool", "convolution.max_pool2d", "torch.ops.aten.max_pool2d_with_indices", "torch._C"),
        ("forbidden_ops_aten_max_pool", "convolution.max_pool2d", "torch.ops.aten.max_pool2d_with_indices", "torch.ops"),
    ],
)
def test_the_issue_bypasses_cost_their_exercise_with_a_named_message(tmp_path, attack, exercise, words, note):
    from grader.harness.runner import grade

    res = Graded(grade(write_submission(tmp_path / "sub", "convolution", HOSTILE / f"{attack}.py"), ["convolution"]))
    name = exercise.split(".")[1]
    assert res.score_of(exercise) == 0, res.feedback()
    assert res.others_full(name), res.feedback()
    assert f"used torch.nn.functional.{name}" in res.messages_of(exercise), res.feedback()
    assert words in res.messages_of(exercise), res.feedback()
    notes = [n for n in res.result.suspicious if n.startswith("convolution.py")]
    assert (note is None and not notes) or any(f": {note} (" in n for n in notes), notes
