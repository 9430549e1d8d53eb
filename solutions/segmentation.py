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
    # BEGIN SOLUTION
    out_features = linear.out_features
    conv = nn.Conv2d(in_channels, out_features, (height, width), bias=linear.bias is not None,
                     dtype=linear.weight.dtype)
    with torch.no_grad():
        # x.flatten(1) lists the pixels channel by channel, row by row: (C, H, W) order
        conv.weight.copy_(linear.weight.reshape(out_features, in_channels, height, width))
        if linear.bias is not None:
            conv.bias.copy_(linear.bias)
    return conv
    # END SOLUTION


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
    # BEGIN SOLUTION
    (sh, sw), (ph, pw) = _pair(stride), _pair(padding)
    n, _, h, w = x.shape  # (N, C_in, H, W)
    _, c_out, kh, kw = weight.shape  # (C_in, C_out, kh, kw)
    full_h, full_w = (h - 1) * sh + kh, (w - 1) * sw + kw  # before padding is removed
    # every input pixel's contribution, a (C_out, kh, kw) patch: (N, C_out*kh*kw, H*W)
    patches = torch.einsum("ncij,couv->nouvij", x, weight).reshape(n, c_out * kh * kw, h * w)
    # fold adds the overlapping patches at their strided places: (N, C_out, full_h, full_w)
    out = F.fold(patches, (full_h, full_w), (kh, kw), stride=(sh, sw))
    out = out[:, :, ph:full_h - ph, pw:full_w - pw]  # padding crops the output
    if bias is not None:
        out = out + bias.reshape(1, c_out, 1, 1)
    return out
    # END SOLUTION


def conv_transpose2d_output_size(in_size, kernel_size, stride=1, padding=0, output_padding=0):
    """The output length of a transposed convolution along one axis (as nn.ConvTranspose2d).

    Raises ValueError when the size is not positive.
    Hint: a transposed conv undoes the shape change of a conv with the same settings.
    """
    # BEGIN SOLUTION
    out = (in_size - 1) * stride - 2 * padding + kernel_size + output_padding
    if out < 1:
        raise ValueError(f"no output: in_size={in_size}, kernel_size={kernel_size}, stride={stride}, "
                         f"padding={padding}, output_padding={output_padding} give {out}")
    return out
    # END SOLUTION


def pixel_accuracy(pred, target, ignore_index=None):
    """Share of the batch's pixels whose predicted label equals the target, as a Python float.

    pred and target are integer tensors (N, H, W); pixels whose target equals ignore_index
    count in neither the numerator nor the denominator.
    """
    # BEGIN SOLUTION
    keep = torch.ones_like(target, dtype=torch.bool) if ignore_index is None else target != ignore_index
    p, t = pred[keep], target[keep]  # (P,) each: the pixels that count
    return (p == t).sum().item() / t.numel()
    # END SOLUTION


def mean_iou(pred, target, num_classes, ignore_index=None):
    """Mean intersection over union of the classes 0 .. num_classes - 1, as a Python float.

    IoU_c = |pred == c and target == c| / |pred == c or target == c| over all pixels of the
    batch; the mean is over the classes that occur in pred or target (after leaving out the
    pixels whose target equals ignore_index).
    """
    # BEGIN SOLUTION
    keep = torch.ones_like(target, dtype=torch.bool) if ignore_index is None else target != ignore_index
    p, t = pred[keep].long(), target[keep].long()  # (P,) each: the pixels that count
    # confusion matrix: counts[i, j] = pixels with target i predicted as j
    counts = torch.bincount(t * num_classes + p, minlength=num_classes**2).reshape(num_classes, num_classes)
    intersection = counts.diag()  # (num_classes,)
    union = counts.sum(0) + counts.sum(1) - intersection  # |pred == c| + |target == c| - both
    present = union > 0
    return (intersection[present].double() / union[present].double()).mean().item()
    # END SOLUTION
