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
    """Output length along one axis of a convolution with these ints, as PyTorch computes it:
    the number of window positions, rounded down (floor mode; an int, never a float).
    Raises ValueError when it is not positive (no window fits).
    Hint: a dilated kernel spans d * (k - 1) + 1 input pixels; padding adds p on each side."""
    raise NotImplementedError("convolution.conv2d_output_size: fill in this part")


def conv2d_num_params(in_channels, out_channels, kernel_size, bias=True, groups=1):
    """Learnable parameters of nn.Conv2d(in_channels, out_channels, kernel_size, bias=bias,
    groups=groups): its weights plus, when bias, one bias per output channel. kernel_size is an
    int or a pair (kh, kw). With groups, each output channel sees only in_channels / groups
    input channels. Raises ValueError when in_channels or out_channels is not divisible by
    groups."""
    raise NotImplementedError("convolution.conv2d_num_params: fill in this part")


def conv2d(x, weight, bias=None, stride=1, padding=0):
    """2-D cross-correlation equal to F.conv2d: x (N, C, H, W), weight (O, C, kh, kw), bias (O,)
    or None; stride and padding an int or a pair (height, width); zero padding; the output size
    in floor mode. Must stay differentiable: torch operations only, so that gradients reach x,
    weight and bias. Do not call torch.nn.functional.conv2d (nor conv1d, conv3d),
    torch.conv2d or torch.nn.Conv2d.
    Hint: out[n, o, i, j] = b[o] + sum_{c,u,v} w[o, c, u, v] * xpad[n, c, i*sh + u, j*sw + v]."""
    raise NotImplementedError("convolution.conv2d: fill in this part")


def max_pool2d(x, kernel_size, stride=None):
    """Max pooling equal to F.max_pool2d: the maximum of every kh x kw window of x (N, C, H, W);
    kernel_size and stride an int or a pair, stride defaults to kernel_size, no padding, windows
    that do not fit are dropped (floor mode). Must stay differentiable (the gradient goes to each
    window's maximum). Do not call torch.nn.functional.max_pool2d (nor
    max_pool2d_with_indices), torch.max_pool2d or torch.nn.MaxPool2d."""
    raise NotImplementedError("convolution.max_pool2d: fill in this part")


def bottleneck_params(in_channels, mid_channels, out_channels, kernel_size=3):
    """(direct, bottleneck): the weight counts (no biases) of one k x k conv in -> out, against a
    1x1 conv in -> mid followed by a k x k conv mid -> out. Ints in, a tuple of two ints out."""
    raise NotImplementedError("convolution.bottleneck_params: fill in this part")
