"""Transformer: scaled dot-product attention, masks, multi-head attention, positional encodings
and a post-norm encoder layer, each equal to PyTorch's own.

Conventions follow PyTorch: sequences are batch first, (N, L, d_model). A boolean mask says
which keys a query may attend to: True = may attend (note: nn.MultiheadAttention's attn_mask
uses the opposite convention, True = masked out). A query row with no allowed key gets
attention weights 0 and output 0.

Do not call torch.nn.functional.scaled_dot_product_attention (nor torch._C._nn's or the private
torch._scaled_dot_product_* kernels), torch.nn.functional.multi_head_attention_forward,
torch.nn.MultiheadAttention, torch.nn.TransformerEncoderLayer or torch.nn.Transformer* anywhere
in this topic: they are what you are writing.
"""

import math

import torch
import torch.nn as nn


def scaled_dot_product_attention(q, k, v, mask=None):
    """(softmax(q k^T / sqrt(d)) v, the softmax weights); masked-out keys get weight 0.

    q (..., Lq, d), k (..., Lk, d), v (..., Lk, dv); mask boolean, broadcastable to
    (..., Lq, Lk), True = may attend. A query row with no allowed key gets weights 0 and
    output 0. Returns (output (..., Lq, dv), weights (..., Lq, Lk)). Differentiable in q, k, v.
    Do not call torch.nn.functional.scaled_dot_product_attention or nn.MultiheadAttention.
    """
    raise NotImplementedError("transformer.scaled_dot_product_attention: fill in this part")


def causal_mask(n):
    """BoolTensor (n, n): True where key j <= query i (each position sees itself and the past).

    Do not call the attention functions this topic forbids (see the module docstring).
    """
    raise NotImplementedError("transformer.causal_mask: fill in this part")


class MultiHeadAttention(nn.Module):
    """n_heads attention heads of size d_model / n_heads in parallel, equal to
    nn.MultiheadAttention(d_model, n_heads, bias=bias, batch_first=True) with the same projections.

    Attributes q_proj, k_proj, v_proj, out_proj: nn.Linear(d_model, d_model, bias=bias).
    forward(query (N, Lq, d_model), key (N, Lk, d_model), value (N, Lk, d_model), mask=None)
    returns (output (N, Lq, d_model), weights (N, n_heads, Lq, Lk)), the weights of every head
    (not averaged). mask: boolean (Lq, Lk) or (N, Lq, Lk), True = may attend, applied to every
    head; a fully masked query row gets a zero attention output, so its output is out_proj(0).
    Raises ValueError when d_model is not divisible by n_heads. Differentiable.
    Do not call nn.MultiheadAttention or torch.nn.functional.multi_head_attention_forward.
    """

    def __init__(self, d_model, n_heads, bias=True):
        super().__init__()
        raise NotImplementedError("transformer.MultiHeadAttention: fill in this part")

    def forward(self, query, key, value, mask=None):
        """out_proj(concat_h attention(q W_q^h, k W_k^h, v W_v^h)), and each head's weights."""
        raise NotImplementedError("transformer.MultiHeadAttention: fill in this part")


def sinusoidal_positional_encoding(max_len, d_model):
    """(max_len, d_model) float32: PE[pos, 2i] = sin(pos / 10000^(2i / d)), PE[pos, 2i + 1] = cos(same).

    Raises ValueError when d_model is odd. Do not call the attention functions this topic
    forbids (torch.nn.functional.scaled_dot_product_attention, nn.MultiheadAttention, ...).
    """
    raise NotImplementedError("transformer.sinusoidal_positional_encoding: fill in this part")


class TransformerEncoderLayer(nn.Module):
    """A post-norm encoder layer equal to nn.TransformerEncoderLayer(d_model, n_heads, d_ff,
    dropout=0, batch_first=True) with the same weights.

    Attributes: self_attn (this module's MultiHeadAttention), linear1 (d_model -> d_ff),
    linear2 (d_ff -> d_model), norm1, norm2 (nn.LayerNorm(d_model)).
    forward(x (N, L, d_model), mask=None) -> (N, L, d_model):
    x = norm1(x + self_attn(x, x, x, mask)[0]); x = norm2(x + linear2(relu(linear1(x)))).
    Differentiable. Do not call nn.TransformerEncoderLayer or nn.MultiheadAttention.
    """

    def __init__(self, d_model, n_heads, d_ff):
        super().__init__()
        raise NotImplementedError("transformer.TransformerEncoderLayer: fill in this part")

    def forward(self, x, mask=None):
        """Attention then feed-forward, each as a residual followed by its LayerNorm."""
        raise NotImplementedError("transformer.TransformerEncoderLayer: fill in this part")
