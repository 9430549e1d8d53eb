"""Segmentation: fully convolutional networks, transposed convolution and their metrics.

An FCN replaces a classifier's linear layers by convolutions, so that a larger image gives a
map of scores instead of one vector, and upsamples that map back to the input size with
transposed convolutions. Conventions follow PyTorch: images are (N, C, H, W); a transposed
conv's weight is (C_in, C_out, kh, kw) (the transpose of conv2d's (C_out, C_in, kh, kw));
sizes given as an int apply to both axes, a pair is (height, width). Label maps are integer
tensors (N, H, W).
"""

import torch
import torch.nn as nn
import torch.nn.functional as F


def _pair(value):
    """An int v as (v, v); a pair as a tuple (height, width)."""
    if isinstance(value, int):
        return (value, value)
    first, second = value
    return (int(first), int(second))


def convolutionalize(linear, in_channels, height, width):
    """A new nn.Conv2d equal to `linear` on (N, in_channels, height, width) inputs.

    Its output on such an input is linear(x.flatten(1)) as (N, out, 1, 1); a larger input
    gives a heat map. Kernel (height, width), stride 1, the linear's dtype, bias when the
    linear has one, weights copied (changing the linear afterwards leaves the conv as it is).
    """
    raise NotImplementedError("segmentation.convolutionalize: fill in this part")


def conv_transpose2d(x, weight, bias=None, stride=1, padding=0):
    """Transposed convolution; equals F.conv_transpose2d(x, weight, bias, stride, padding).

    x (N, C_in, H, W), weight (C_in, C_out, kh, kw), bias (C_out,) or None; stride and
    padding an int or a pair. Each input pixel x[n, :, i, j] adds its weighted kernel into the
    output at rows i*sh .. i*sh + kh - 1 and columns j*sw .. j*sw + kw - 1; padding then
    removes p rows (columns) from each side of that output; bias is added per output channel.
    Differentiable. Do not call torch.nn.functional.conv_transpose1d/2d/3d,
    torch.conv_transpose1d/2d/3d, nn.ConvTranspose1d/2d/3d, torch.nn.grad.conv2d_input,
    torch.convolution or torch._convolution.
    """
    raise NotImplementedError("segmentation.conv_transpose2d: fill in this part")


def conv_transpose2d_output_size(in_size, kernel_size, stride=1, padding=0, output_padding=0):
    """The output length of a transposed convolution along one axis (as nn.ConvTranspose2d).

    Raises ValueError when the size is not positive.
    Hint: a transposed conv undoes the shape change of a conv with the same settings.
    """
    raise NotImplementedError("segmentation.conv_transpose2d_output_size: fill in this part")


def pixel_accuracy(pred, target, ignore_index=None):
    """Share of the batch's pixels whose predicted label equals the target, as a Python float.

    pred and target are integer tensors (N, H, W); pixels whose target equals ignore_index
    count in neither the numerator nor the denominator.
    """
    raise NotImplementedError("segmentation.pixel_accuracy: fill in this part")


def mean_iou(pred, target, num_classes, ignore_index=None):
    """Mean intersection over union of the classes 0 .. num_classes - 1, as a Python float.

    IoU_c = |pred == c and target == c| / |pred == c or target == c| over all pixels of the
    batch; the mean is over the classes that occur in pred or target (after leaving out the
    pixels whose target equals ignore_index).
    """
    raise NotImplementedError("segmentation.mean_iou: fill in this part")
