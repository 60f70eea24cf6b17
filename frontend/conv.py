"""Nx's conv: the convolution of neural networks, any number of spatial axes. This is where Nx's defaults and option
forms are resolved (an int for every spatial axis, "valid" and "same" padding, permutations by index or name) into
the explicit attributes of nx.conv (dialect/conv.py), which checks shapes and computes."""
from numerix.dialect import dtypes
from numerix.dialect.conv import window
from numerix.dialect.errors import NxShapeError, NxTypeError, NxValueError

from .dispatch import apply
from .operands import axis_index, result_type, to_tensor
from .shape import _ints, _is_int

__all__ = ["conv"]


def _per_axis(option, value, spatial):
    """An int for every spatial axis, or one per axis (their count is checked by nx.conv)."""
    values = _ints("conv", option, value)
    return values * spatial if _is_int(value) else values


def _permutation(option, t, permutation):
    """Axes of t by index (negative ones count from the end) or by name; nx.conv checks that they permute."""
    if permutation is None:
        return tuple(range(t.ndim))
    if isinstance(permutation, (str, int)) or not hasattr(permutation, "__iter__"):
        raise NxTypeError(f"{option} must be a sequence of axes (indices or names), got {permutation!r}", op="conv")
    return tuple(axis_index("conv", t, axis) for axis in permutation)


def _padding(padding, kernel, kernel_permutation, kernel_dilation, spatial):
    """(low, high) per spatial axis. "same" pads by the dilated kernel window less one, the smaller half low, and
    keeps the spatial sizes only where strides are 1 (Nx's choice: strides are not considered)."""
    if padding == "valid":
        return ((0, 0),) * spatial
    if padding == "same":
        return tuple((w // 2, w - w // 2) for w in (
            max(size - 1, 0) for size in window(kernel.shape, kernel_permutation, kernel_dilation)))
    if isinstance(padding, str) or not isinstance(padding, (list, tuple)) or not all(
            isinstance(p, (list, tuple)) and len(p) == 2 and all(_is_int(v) for v in p) for p in padding):
        raise NxValueError(f'padding must be "valid", "same" or a list of (low, high) int pairs, one per spatial '
                           f"axis, got {padding!r}", op="conv")
    return tuple((int(low), int(high)) for low, high in padding)


def conv(tensor, kernel, *, strides=1, padding="valid", input_dilation=1, kernel_dilation=1, feature_group_size=1,
         batch_group_size=1, input_permutation=None, kernel_permutation=None, output_permutation=None):
    """Nx.conv: slides the kernel over the input's spatial axes, each result element the sum of products over a
    window and the input features (no kernel reversal, no conjugation: a cross-correlation).

    Layouts are Nx's: the input (batch, features, spatial...), the kernel (output features, input features,
    spatial...), the result (batch, output features, spatial...), all of one rank of at least 3. The permutations
    rearrange them: input_permutation and kernel_permutation list the axes (indices or names) that hold those roles,
    output_permutation where the result's (batch, features, spatial...) go, its names read as the input's.
    `strides`, `input_dilation` and `kernel_dilation` are an int for every spatial axis or one per axis; `padding`
    is "valid" (none), "same" (the dilated kernel's size less one, split with the smaller half low), or a (low,
    high) pair per spatial axis (negative values cut). `feature_group_size` splits the input features and the
    kernel's output features into groups, `batch_group_size` the input batch and the kernel's output features (see
    dialect/conv.py). The result is floating-point: integers (and bools) convert to the default float, as Nx's conv
    does; complex operands give complex results.

    Examples:
        >>> nx.conv(nx.iota((1, 1, 5), type="f32"), nx.tensor([[[1.0, 0.0, -1.0]]]))
        nx.Tensor<
          f32[1][1][3]
          [[[-2., -2., -2.]]]
        >
    """
    common = dtypes.to_float(result_type("conv", tensor, kernel))
    t, k = to_tensor(tensor, common), to_tensor(kernel, common)
    for what, operand in (("input", t), ("kernel", k)):
        if operand.ndim < 3:
            raise NxShapeError(f"the {what} needs rank 3 or more (batch, features, spatial axes...), got "
                               f"{operand.ttype}", op="conv")
    spatial = t.ndim - 2
    for option, value in (("feature_group_size", feature_group_size), ("batch_group_size", batch_group_size)):
        if not _is_int(value):
            raise NxTypeError(f"{option} must be an int, got {value!r}", op="conv")
    kernel_permutation = _permutation("kernel_permutation", k, kernel_permutation)
    kernel_dilation = _per_axis("kernel_dilation", kernel_dilation, spatial)
    pads = _padding(padding, k, kernel_permutation, kernel_dilation, spatial)
    return apply("conv", [t, k], strides=_per_axis("strides", strides, spatial),
                 padding_low=tuple(low for low, _ in pads), padding_high=tuple(high for _, high in pads),
                 input_dilation=_per_axis("input_dilation", input_dilation, spatial), kernel_dilation=kernel_dilation,
                 feature_group_size=int(feature_group_size), batch_group_size=int(batch_group_size),
                 input_permutation=_permutation("input_permutation", t, input_permutation),
                 kernel_permutation=kernel_permutation,
                 output_permutation=_permutation("output_permutation", t, output_permutation))
