"""Convolution: output sizes, parameter counts, conv2d and max pooling from scratch.

Conventions follow PyTorch: images are (N, C, H, W), conv weights are (O, C, kh, kw), and a
"convolution" is a cross-correlation (the kernel is not flipped). Sizes given as an int apply
to both axes; a pair is (height, width).
"""

import torch
import torch.nn.functional as F


def _pair(value):
    """An int v as (v, v); a pair as a tuple (height, width)."""
    if isinstance(value, int):
        return (value, value)
    first, second = value
    return (int(first), int(second))


def conv2d_output_size(in_size, kernel_size, stride=1, padding=0, dilation=1):
    """floor((in + 2p - d(k - 1) - 1) / s) + 1; ValueError when it is not positive."""
    raise NotImplementedError("convolution.conv2d_output_size: fill in this part")


def conv2d_num_params(in_channels, out_channels, kernel_size, bias=True, groups=1):
    """out * (in / groups) * kh * kw weights, plus out biases."""
    raise NotImplementedError("convolution.conv2d_num_params: fill in this part")


def conv2d(x, weight, bias=None, stride=1, padding=0):
    """out[n, o, i, j] = b[o] + sum_{c,u,v} w[o, c, u, v] * xpad[n, c, i*sh + u, j*sw + v]."""
    raise NotImplementedError("convolution.conv2d: fill in this part")


def max_pool2d(x, kernel_size, stride=None):
    """out[n, c, i, j] = max_{u<kh, v<kw} x[n, c, i*sh + u, j*sw + v]; stride defaults to the kernel."""
    raise NotImplementedError("convolution.max_pool2d: fill in this part")


def bottleneck_params(in_channels, mid_channels, out_channels, kernel_size=3):
    """(in * out * k^2, in * mid + mid * out * k^2): weights of a k x k conv against 1x1 then k x k."""
    raise NotImplementedError("convolution.bottleneck_params: fill in this part")
