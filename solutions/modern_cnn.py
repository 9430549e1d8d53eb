"""Modern CNNs as blocks: receptive fields, parameter counts, and the building blocks of VGG,
GoogLeNet (Inception), ResNet and DenseNet.

Images are (N, C, H, W). Every block is an nn.Module whose layers are attributes with the names
below (the tests load weights through them), so that model.parameters() and state_dict() see
every layer: keep layers in attributes, nn.Sequential or nn.ModuleList, never a plain list.
"""

import torch
import torch.nn as nn
import torch.nn.functional as F


def receptive_field(kernel_sizes, strides):
    """Side of the input region one output pixel of the last layer of the stack sees (an int).

    kernel_sizes[l] and strides[l] belong to layer l, the first layer first (pooling layers
    count as layers). Hint: layer l widens the field by k_l - 1 of its own input steps; how
    many image pixels apart are two neighbouring inputs of layer l?
    """
    # BEGIN SOLUTION
    field, jump = 1, 1  # jump: image pixels between two neighbouring inputs of the layer
    for k, s in zip(kernel_sizes, strides):
        field += (k - 1) * jump
        jump *= s
    return field
    # END SOLUTION


def count_parameters(model, trainable_only=True):
    """Number of parameter entries of `model` (an int); with trainable_only, only those with
    requires_grad. A parameter shared by several layers counts once; buffers do not count."""
    # BEGIN SOLUTION
    return sum(p.numel() for p in model.parameters() if p.requires_grad or not trainable_only)
    # END SOLUTION


class VGGBlock(nn.Module):
    """num_convs times (3x3 conv with padding 1, then ReLU), then a 2x2 max pool of stride 2.

    Attribute `convs`: an nn.ModuleList of the nn.Conv2d layers (in -> out, then out -> out).
    Differentiable in the input and every weight.
    """

    def __init__(self, in_channels, out_channels, num_convs):
        super().__init__()
        # BEGIN SOLUTION
        channels = [in_channels] + [out_channels] * num_convs
        self.convs = nn.ModuleList(
            nn.Conv2d(c_in, c_out, kernel_size=3, padding=1) for c_in, c_out in zip(channels, channels[1:])
        )
        self.pool = nn.MaxPool2d(kernel_size=2, stride=2)
        # END SOLUTION

    def forward(self, x):
        # BEGIN SOLUTION
        for conv in self.convs:
            x = F.relu(conv(x))  # (N, out, H, W): padding 1 keeps the size
        return self.pool(x)  # (N, out, H // 2, W // 2)
        # END SOLUTION


class InceptionBlock(nn.Module):
    """Four parallel branches whose outputs are stacked as channels (branch 1, 2, 3, 4):
    1x1 conv; 1x1 reduce then 3x3 (padding 1); 1x1 reduce then 5x5 (padding 2); 3x3 max pool
    (stride 1, padding 1) then 1x1 conv. ReLU after every conv; every branch keeps H and W.

    c2 and c3 are pairs (reduce channels, output channels). Attributes (nn.Conv2d, with bias):
    `b1` (in -> c1), `b2_reduce` (in -> c2[0]), `b2` (c2[0] -> c2[1]), `b3_reduce` (in -> c3[0]),
    `b3` (c3[0] -> c3[1]), `b4` (in -> c4). Output channels: c1 + c2[1] + c3[1] + c4.
    Differentiable in the input and every weight.
    """

    def __init__(self, in_channels, c1, c2, c3, c4):
        super().__init__()
        # BEGIN SOLUTION
        self.b1 = nn.Conv2d(in_channels, c1, kernel_size=1)
        self.b2_reduce = nn.Conv2d(in_channels, c2[0], kernel_size=1)
        self.b2 = nn.Conv2d(c2[0], c2[1], kernel_size=3, padding=1)
        self.b3_reduce = nn.Conv2d(in_channels, c3[0], kernel_size=1)
        self.b3 = nn.Conv2d(c3[0], c3[1], kernel_size=5, padding=2)
        self.pool = nn.MaxPool2d(kernel_size=3, stride=1, padding=1)
        self.b4 = nn.Conv2d(in_channels, c4, kernel_size=1)
        # END SOLUTION

    def forward(self, x):
        # BEGIN SOLUTION
        y1 = F.relu(self.b1(x))  # (N, c1, H, W)
        y2 = F.relu(self.b2(F.relu(self.b2_reduce(x))))  # (N, c2[1], H, W)
        y3 = F.relu(self.b3(F.relu(self.b3_reduce(x))))  # (N, c3[1], H, W)
        y4 = F.relu(self.b4(self.pool(x)))  # (N, c4, H, W)
        return torch.cat([y1, y2, y3, y4], dim=1)  # channels are dim 1
        # END SOLUTION


class ResidualBlock(nn.Module):
    """out = relu(bn2(conv2(relu(bn1(conv1(x))))) + shortcut(x)).

    `conv1`: 3x3, stride `stride`, padding 1, no bias (in -> out); `bn1`: BatchNorm2d(out);
    `conv2`: 3x3, padding 1, no bias (out -> out); `bn2`: BatchNorm2d(out). `shortcut`:
    nn.Sequential(1x1 conv with stride `stride` and no bias, BatchNorm2d(out)) when the stride
    is not 1 or the channels change (the shapes of x and of the main path differ), else
    nn.Identity(). Differentiable in the input and every weight.
    """

    def __init__(self, in_channels, out_channels, stride=1):
        super().__init__()
        # BEGIN SOLUTION
        self.conv1 = nn.Conv2d(in_channels, out_channels, 3, stride=stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(out_channels)
        self.conv2 = nn.Conv2d(out_channels, out_channels, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(out_channels)
        if stride != 1 or in_channels != out_channels:
            self.shortcut = nn.Sequential(
                nn.Conv2d(in_channels, out_channels, 1, stride=stride, bias=False),
                nn.BatchNorm2d(out_channels),
            )
        else:
            self.shortcut = nn.Identity()
        # END SOLUTION

    def forward(self, x):
        # BEGIN SOLUTION
        out = F.relu(self.bn1(self.conv1(x)))  # (N, out, H', W')
        out = self.bn2(self.conv2(out))  # no ReLU yet: it comes after the addition
        return F.relu(out + self.shortcut(x))
        # END SOLUTION


class DenseBlock(nn.Module):
    """Layer i sees the channel concatenation of the input and every earlier layer's output;
    the block returns that concatenation with the last output too (input first).

    Attribute `layers`: an nn.ModuleList; layer i is nn.Sequential(BatchNorm2d(in + i * k),
    ReLU, 3x3 conv with padding 1 and no bias to k = growth_rate channels).
    Output channels: in_channels + num_layers * growth_rate. Differentiable in the input and
    every weight.
    """

    def __init__(self, in_channels, growth_rate, num_layers):
        super().__init__()
        # BEGIN SOLUTION
        self.layers = nn.ModuleList(
            nn.Sequential(
                nn.BatchNorm2d(in_channels + i * growth_rate),
                nn.ReLU(),
                nn.Conv2d(in_channels + i * growth_rate, growth_rate, 3, padding=1, bias=False),
            )
            for i in range(num_layers)
        )
        # END SOLUTION

    def forward(self, x):
        # BEGIN SOLUTION
        features = [x]  # (N, in, H, W), then (N, k, H, W) per layer
        for layer in self.layers:
            features.append(layer(torch.cat(features, dim=1)))
        return torch.cat(features, dim=1)  # (N, in + num_layers * k, H, W)
        # END SOLUTION
