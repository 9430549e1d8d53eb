"""Which library operators sit behind each forbidden Python name.

A forbidden name (`torch.nn.functional.conv2d`, `torch.nn.Conv2d`, `torch.Tensor.relu`, ...)
belongs to a *family* by its last component; a family lists the operator names behind it:
the aten operators (`aten::convolution`, `aten::max_pool2d_with_indices`, ...) that every
path to the same kernel dispatches, and the names of the torch-level callables that reach it
(`torch.conv2d`, `torch._C._nn.max_pool2d_with_indices`, `torch.ops.aten.conv2d`, torch._VF's
`lstm_cell`, ...). grader.worker.op_guard rejects these operators while an exercise that
forbids the family runs, whatever Python name the student's code used.

A family lists only operators no correct solution of its exercise needs: the conv2d family has
`convolution` but not `im2col` (F.unfold) or `bmm` (einsum); relu has `relu` but not `clamp`,
`maximum` or `where`; label smoothing's family has `cross_entropy_loss` but not `log_softmax`
or `nll_loss` (the catalog allows them). Families whose public function is a composite (it
decomposes into ordinary operators before the dispatcher; on CPU: dropout, cross_entropy, the
RNN cells, the attention math path) are caught where the torch-level callable is entered
(`composite=True`: a TorchFunctionMode is needed); the others at the aten operator.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Family:
    """Operators behind a group of forbidden names.

    ops: operator names (aten schema names without namespace or overload, which are also the
    names of the torch-level callables: torch.conv2d, torch._C._nn.max_pool2d_with_indices);
    composite: some public callable decomposes before the dispatcher, so the guard must also
    look at torch-level calls; transposed: for convolution families, which kind of the shared
    `convolution` operator is meant (None: both).
    """

    ops: frozenset[str]
    composite: bool = False
    transposed: bool | None = None


def _f(*ops: str, composite: bool = False, transposed: bool | None = None) -> Family:
    return Family(frozenset(ops), composite, transposed)


_CONV_SHARED = ("convolution", "_convolution", "convolution_overrideable")

FAMILIES: dict[str, Family] = {
    "relu": _f("relu", "relu_"),
    "sigmoid": _f("sigmoid", "sigmoid_", "special_expit"),
    "tanh": _f("tanh", "tanh_"),
    "dropout": _f("dropout", "dropout_", "native_dropout", "feature_dropout", "feature_dropout_",
                  "alpha_dropout", "alpha_dropout_", "feature_alpha_dropout", "feature_alpha_dropout_",
                  "dropout1d", "dropout2d", "dropout3d", composite=True),
    "batch_norm": _f("batch_norm", "native_batch_norm", "_native_batch_norm_legit",
                     "_native_batch_norm_legit_no_training", "_native_batch_norm_legit_functional",
                     "_batch_norm_impl_index", "_batch_norm_with_update", "_batch_norm_with_update_functional",
                     "_batch_norm_no_update", "cudnn_batch_norm", "miopen_batch_norm", "native_batch_norm_backward",
                     "batch_norm_backward", "_batch_norm_impl_index_backward"),
    "cross_entropy": _f("cross_entropy", "cross_entropy_loss", composite=True),
    "conv": _f("conv1d", "conv2d", "conv3d", "conv_tbc", *_CONV_SHARED, "_convolution_mode",
               "_slow_conv2d_forward", "_slow_conv2d_backward", "slow_conv3d", "slow_conv3d_forward",
               "slow_conv_dilated2d", "slow_conv_dilated3d", "thnn_conv2d", "mkldnn_convolution",
               "cudnn_convolution", "miopen_convolution", "miopen_depthwise_convolution",
               "_nnpack_spatial_convolution", "_conv_depthwise2d", "conv_depthwise3d",
               "convolution_backward", "convolution_backward_overrideable", "_convolution_double_backward",
               "conv_transpose1d", "conv_transpose2d", "conv_transpose3d", "slow_conv_transpose2d",
               "slow_conv_transpose3d", "cudnn_convolution_transpose", "miopen_convolution_transpose",
               "_mps_convolution", "_mps_convolution_transpose"),
    "conv_transpose": _f("conv_transpose1d", "conv_transpose2d", "conv_transpose3d", *_CONV_SHARED,
                         "slow_conv_transpose2d", "slow_conv_transpose3d", "cudnn_convolution_transpose",
                         "miopen_convolution_transpose", "_mps_convolution_transpose", transposed=True),
    "max_pool": _f("max_pool1d", "max_pool2d", "max_pool3d", "max_pool1d_with_indices",
                   "max_pool2d_with_indices", "max_pool3d_with_indices", "mkldnn_max_pool2d",
                   "mkldnn_max_pool3d", "quantized_max_pool1d", "quantized_max_pool2d", "quantized_max_pool3d",
                   "max_pool2d_with_indices_backward", "max_pool3d_with_indices_backward",
                   "max_pool2d_backward", "mkldnn_max_pool2d_backward", "mkldnn_max_pool3d_backward"),
    "rnn": _f("rnn_tanh", "rnn_relu", "lstm", "gru", "rnn_tanh_cell", "rnn_relu_cell", "lstm_cell",
              "gru_cell", "_thnn_fused_lstm_cell", "_thnn_fused_gru_cell", "mkldnn_rnn_layer", "mkldnn_rnn",
              "_cudnn_rnn", "miopen_rnn", "quantized_lstm_cell", "quantized_gru_cell", "quantized_rnn_relu_cell",
              "quantized_rnn_tanh_cell", "quantized_lstm", "quantized_gru", "_thnn_differentiable_lstm_cell_backward",
              "_thnn_differentiable_gru_cell_backward", "_thnn_fused_lstm_cell_backward_impl",
              "_thnn_fused_gru_cell_backward", "mkldnn_rnn_layer_backward", composite=True),
    "clip_grad": _f(),  # Python functions over ordinary operators: caught by name only
    "attention": _f("scaled_dot_product_attention", "_scaled_dot_product_attention_math",
                    "_scaled_dot_product_attention_math_for_mps", "_scaled_dot_product_flash_attention",
                    "_scaled_dot_product_flash_attention_for_cpu", "_scaled_dot_product_efficient_attention",
                    "_scaled_dot_product_cudnn_attention", "_scaled_dot_product_fused_attention_overrideable",
                    "_fused_sdp_choice", "_efficient_attention_forward", "_flash_attention_forward",
                    "_scaled_dot_product_flash_attention_for_cpu_backward", composite=True),
    "multi_head_attention": _f("multi_head_attention_forward", "_native_multi_head_attention",
                               "_transform_bias_rescale_qkv", composite=True),
    "transformer_layer": _f("_transformer_encoder_layer_fwd"),
    "sgd": _f("_fused_sgd_", "_fused_sgd"),
    "adam": _f("_fused_adam_", "_fused_adam", "_fused_adamw_", "_fused_adamw"),
    "adagrad": _f("_fused_adagrad_", "_fused_adagrad"),
    "optimizer": _f(),  # the other torch.optim classes: Python code over ordinary operators
}

# the last component of a forbidden name -> its family (names not listed are guarded by name only)
_NAMES = {
    "relu": ("relu", "relu_", "ReLU"),
    "sigmoid": ("sigmoid", "sigmoid_", "Sigmoid", "expit"),
    "tanh": ("tanh", "tanh_", "Tanh"),
    "dropout": ("dropout", "dropout_", "Dropout", "dropout1d", "dropout2d", "dropout3d", "Dropout1d",
                "Dropout2d", "Dropout3d", "alpha_dropout", "feature_alpha_dropout", "AlphaDropout",
                "FeatureAlphaDropout", "native_dropout"),
    "batch_norm": ("batch_norm", "BatchNorm1d", "BatchNorm2d", "BatchNorm3d", "_BatchNorm", "_NormBase",
                   "native_batch_norm", "LazyBatchNorm1d", "LazyBatchNorm2d", "LazyBatchNorm3d"),
    "cross_entropy": ("cross_entropy", "CrossEntropyLoss", "cross_entropy_loss"),
    "conv": ("conv1d", "conv2d", "conv3d", "Conv1d", "Conv2d", "Conv3d", "_ConvNd", "convolution",
             "_convolution", "LazyConv1d", "LazyConv2d", "LazyConv3d"),
    "conv_transpose": ("conv_transpose1d", "conv_transpose2d", "conv_transpose3d", "ConvTranspose1d",
                       "ConvTranspose2d", "ConvTranspose3d", "_ConvTransposeNd", "LazyConvTranspose1d",
                       "LazyConvTranspose2d", "LazyConvTranspose3d"),
    "max_pool": ("max_pool1d", "max_pool2d", "max_pool3d", "max_pool1d_with_indices", "max_pool2d_with_indices",
                 "max_pool3d_with_indices", "MaxPool1d", "MaxPool2d", "MaxPool3d", "_MaxPoolNd"),
    "rnn": ("RNN", "LSTM", "GRU", "RNNCell", "LSTMCell", "GRUCell", "RNNBase", "RNNCellBase", "_VF",
            "rnn_tanh", "rnn_relu", "lstm", "gru", "rnn_tanh_cell", "rnn_relu_cell", "lstm_cell", "gru_cell"),
    "clip_grad": ("clip_grad_norm_", "clip_grad_norm", "get_total_norm", "clip_grads_with_norm_"),
    "attention": ("scaled_dot_product_attention",),
    "multi_head_attention": ("MultiheadAttention", "multi_head_attention_forward"),
    "transformer_layer": ("TransformerEncoderLayer", "TransformerEncoder", "Transformer"),
    "sgd": ("SGD", "sgd", "_single_tensor_sgd", "_multi_tensor_sgd", "_fused_sgd"),
    "adam": ("Adam", "AdamW", "adam", "adamw", "_single_tensor_adam", "_multi_tensor_adam", "_fused_adam",
             "_single_tensor_adamw", "_multi_tensor_adamw", "_fused_adamw"),
    "adagrad": ("Adagrad", "adagrad", "_single_tensor_adagrad", "_multi_tensor_adagrad", "_fused_adagrad"),
    "optimizer": ("Adadelta", "adadelta", "_single_tensor_adadelta", "_multi_tensor_adadelta", "RMSprop",
                  "rmsprop", "_single_tensor_rmsprop", "_multi_tensor_rmsprop", "Adamax", "NAdam", "RAdam",
                  "ASGD", "Rprop", "LBFGS", "SparseAdam", "Adafactor"),
}
FAMILY_OF_NAME: dict[str, str] = {name: fam for fam, names in _NAMES.items() for name in names}


def family_of(path: str) -> str | None:
    """The family of a forbidden dotted name, or None when it has no operators of its own."""
    return FAMILY_OF_NAME.get(path.rsplit(".", 1)[-1])


def plan(forbidden) -> dict[str, str]:
    """{operator name: the forbidden name to report} for an exercise's forbidden names.

    The first forbidden name of a family is the one reported for every operator of that family.
    A name in `conv` and `conv_transpose` maps the shared `convolution` operators with a
    transposed flag (see `transposed_kind`).
    """
    out: dict[str, str] = {}
    for path in forbidden:
        fam = family_of(path)
        if fam is None:
            continue
        for op in FAMILIES[fam].ops:
            out.setdefault(op, path)
    return out


def needs_function_mode(forbidden) -> bool:
    """True when a forbidden family is (partly) composite: torch-level calls must be watched."""
    return any(FAMILIES[f].composite for f in filter(None, map(family_of, forbidden)))


def transposed_kinds(forbidden) -> dict[bool, str]:
    """{transposed flag: forbidden name} for the shared convolution operators."""
    out: dict[bool, str] = {}
    for path in forbidden:
        fam = family_of(path)
        if fam not in ("conv", "conv_transpose"):
            continue
        kinds = (True, False) if FAMILIES[fam].transposed is None else (FAMILIES[fam].transposed,)
        for kind in kinds:
            out.setdefault(kind, path)
    return out


SHARED_CONV_OPS = frozenset(_CONV_SHARED)
TRANSPOSED_ARG = 6  # position of `transposed` in aten::convolution / _convolution / convolution_overrideable
