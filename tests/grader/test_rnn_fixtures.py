"""The rnn suite against known submissions: each mistake loses exactly the points it should
and is named in the feedback; every correct alternative gets full marks.

Scores are fractions of the exercise's points over its hidden tests (all of weight 1):
rnn_cell 4 tests (1 point), lstm_cell 4 (2 points), gru_cell 3 (2 points), rnn_forward 4
(2 points), clip_grad_norm 6 (2 points).
"""

from tests.grader.helpers import alternative_test, mistake_test

TOPIC = "rnn"

# fixture -> (the exercise it breaks, its score there, words the feedback must contain)
MISTAKES = {
    "lstm_gate_order_ifog.py": ("lstm_cell", 0.0, ["gate order wrong", "(i, f, o, g)"]),
    "lstm_h_is_o_times_c.py": ("lstm_cell", 0.0, ["h = o * c"]),
    "lstm_uses_forbidden_torch_lstm_cell.py": ("lstm_cell", 0.0, ["torch.lstm_cell", "forbids"]),
    "gru_z_swapped.py": ("gru_cell", 0.0, ["z and 1 - z swapped"]),
    "gru_reset_before_matmul.py": ("gru_cell", 0.0, ["reset gate applied to h before the matmul", "d2l"]),
    "gru_gate_order_zrn.py": ("gru_cell", 0.0, ["gate order wrong", "(z, r, n)"]),
    "lstm_returns_c_h.py": ("lstm_cell", 0.0, ["returned as (c, h)"]),
    # rnn_forward loops over this cell and keeps its points: the cell's mistake costs the cell only
    "rnn_cell_relu.py": ("rnn_cell", 0.0, ["ReLU used instead of tanh"]),
    # keeps only the single-step test
    "rnn_forward_state_not_carried.py": ("rnn_forward", 2.0 / 4, ["hidden state not carried"]),
    "rnn_forward_uses_forbidden_nn_rnn.py": ("rnn_forward", 0.0, ["torch.nn.RNN", "forbids"]),
    # fails only the test with grads of size 1e-6
    "clip_no_epsilon.py": ("clip_grad_norm", 2.0 * 5 / 6, ["without the + 1e-6"]),
    # keeps only the test where nothing is clipped
    "clip_returns_norm_after.py": ("clip_grad_norm", 2.0 * 1 / 6, ["norm after clipping"]),
    # fails where the norm exceeds max_norm and several parameters share it
    "clip_per_parameter.py": ("clip_grad_norm", 2.0 * 2 / 6, ["each parameter clipped by its own norm"]),
    # fails only the test below max_norm
    "clip_always_scales.py": ("clip_grad_norm", 2.0 * 5 / 6, ["below max_norm"]),
    "clip_uses_forbidden_clip_grad_norm_.py": ("clip_grad_norm", 0.0, ["torch.nn.utils.clip_grad_norm_", "forbids"]),
}

ALTERNATIVES = ["alt_einsum_slices.py", "alt_linear_loops.py"]


test_mistake_loses_its_points_and_is_named = mistake_test(TOPIC, MISTAKES)


test_correct_alternative_gets_full_marks = alternative_test(TOPIC, ALTERNATIVES)
