"""The convolution nx op `conv`: Nx's conv, which is StableHLO's convolution with Nx's names. Its schema, NumPy rule,
VJP and lowering, and its FLOP count.

The attributes spell every option out; the public function (frontend/conv.py) fills in Nx's defaults. The three
permutations are Nx's, and they are StableHLO's dimension numbers: input_permutation lists the input axes that hold
(batch, feature, spatial...), kernel_permutation the kernel axes that hold (output feature, input feature,
spatial...), output_permutation the result axes that receive (batch, feature, spatial...). Per spatial axis:
`strides`, `padding_low`/`padding_high` (negative values cut), `input_dilation` and `kernel_dilation` (d - 1 zeros
between neighbours). The input is dilated, then padded, then windows of the dilated kernel slide over it.

Groups follow StableHLO: with feature_group_size G the input features and the kernel's output features are split
into G contiguous groups, group g of one meeting group g of the other; with batch_group_size B the input batch is
split into B contiguous groups instead, group b meeting the kernel's b-th group of output features. The results of
the groups are concatenated along the result's feature axis. At most one of G and B exceeds 1 (as in Nx).

Operands are floating-point or complex of one type (the frontend converts integers, as Nx's conv does); f16 and
bf16 compute in f32 and round once. The kernel is neither reversed nor conjugated (Nx's convention).

A window reads only the kernel's taps, not the zeros between them (StableHLO's meaning of kernel dilation; Nx's
BinaryBackend multiplies them), while the input's padding and dilation zeros are multiplied like its elements (an
inf kernel element times one gives NaN), as in IREE. One exception, IREE's: it materializes the kernel of a grouped
convolution with kernel dilation, zeros included, so there an inf or NaN input element between taps gives NaN.
Finite values give the same results either way."""
import math

import numpy as np
from iree.compiler import ir

from numerix.dialect import ir as nxir
from . import algebra as alg, batching
from .errors import NxShapeError, NxValueError
from .lower_convert import convert
from .lower_window import behind_strided_pick
from .rules import NUMPY, define, widen_half
from .schema import SCHEMAS, TensorType, require, same_types

PERMUTATIONS = ("input_permutation", "kernel_permutation", "output_permutation")


def dilated(size, dilation):
    """The size of an axis of `size` elements with dilation - 1 zeros between neighbours."""
    return (size - 1) * dilation + 1 if size else 0


def window(kernel_shape, kernel_permutation, kernel_dilation):
    """The sizes of the dilated kernel's spatial axes (in the order of the spatial axes)."""
    return tuple(dilated(kernel_shape[axis], d) for axis, d in zip(kernel_permutation[2:], kernel_dilation))


def conv_flops(kernel_shape, kernel_permutation, out_shape):
    """Multiplies and adds of a convolution: each result element sums over the kernel's input features and its
    (undilated) window."""
    return 2 * math.prod(out_shape) * math.prod(kernel_shape[axis] for axis in kernel_permutation[1:])


def _check_options(x, k, strides, padding_low, padding_high, input_dilation, kernel_dilation, feature_group_size,
                   batch_group_size, permutations):
    rank = len(x.shape)
    if rank < 3 or len(k.shape) != rank:
        raise NxShapeError(f"needs an input and a kernel of one rank, at least 3 (batch, features, spatial axes...), "
                           f"got {x} and {k}", op="conv")
    for option, permutation in zip(PERMUTATIONS, permutations):
        if sorted(permutation) != list(range(rank)):
            raise NxValueError(f"{option} {list(permutation)} is not a permutation of the {rank} axes of {x} and "
                               f"{k}", op="conv")
    spatial = rank - 2
    for option, values in (("strides", strides), ("input_dilation", input_dilation),
                           ("kernel_dilation", kernel_dilation)):
        if len(values) != spatial or any(v < 1 for v in values):
            raise NxValueError(f"{option} {list(values)} must be one positive integer per spatial axis ({spatial} "
                               f"for input {x})", op="conv")
    if len(padding_low) != spatial or len(padding_high) != spatial:
        raise NxValueError(f"padding (low {list(padding_low)}, high {list(padding_high)}) must be one (low, high) "
                           f"pair per spatial axis ({spatial} for input {x})", op="conv")
    if feature_group_size < 1 or batch_group_size < 1:
        raise NxValueError(f"feature_group_size ({feature_group_size}) and batch_group_size ({batch_group_size}) "
                           "must be positive", op="conv")
    if feature_group_size > 1 and batch_group_size > 1:
        raise NxValueError(f"either feature_group_size ({feature_group_size}) or batch_group_size "
                           f"({batch_group_size}) must be 1", op="conv")


def _check_groups(x, k, feature_group_size, batch_group_size, input_permutation, kernel_permutation):
    batch, features = (x.shape[axis] for axis in input_permutation[:2])
    out_features, in_features = (k.shape[axis] for axis in kernel_permutation[:2])
    if batch % batch_group_size:
        raise NxShapeError(f"batch_group_size {batch_group_size} must divide the batch size {batch} of input {x}",
                           op="conv")
    for option, size in (("feature_group_size", feature_group_size), ("batch_group_size", batch_group_size)):
        if out_features % size:
            raise NxShapeError(f"{option} {size} must divide the kernel's output features ({out_features}, kernel "
                               f"{k})", op="conv")
    if features != in_features * feature_group_size:
        raise NxShapeError(f"the input's features ({features}, input {x}) must be the kernel's input features "
                           f"({in_features}, kernel {k}) times feature_group_size {feature_group_size}", op="conv")


def _infer_conv(types, strides, padding_low, padding_high, input_dilation, kernel_dilation, feature_group_size,
                batch_group_size, input_permutation, kernel_permutation, output_permutation):
    """Nx.Shape.conv's checks and shape. Result names follow Nx: those of the input's (batch, feature, spatial...)
    axes, carried to where output_permutation puts them."""
    x, k = types
    same_types("conv", types)
    require("conv", x, "inexact")
    _check_options(x, k, strides, padding_low, padding_high, input_dilation, kernel_dilation, feature_group_size,
                   batch_group_size, (input_permutation, kernel_permutation, output_permutation))
    _check_groups(x, k, feature_group_size, batch_group_size, input_permutation, kernel_permutation)
    spatial = []
    windows = window(k.shape, kernel_permutation, kernel_dilation)
    for i, axis in enumerate(input_permutation[2:]):
        padded = dilated(x.shape[axis], input_dilation[i]) + padding_low[i] + padding_high[i]
        size = (padded - windows[i]) // strides[i] + 1
        if size < 1:
            raise NxShapeError(f"spatial axis {i} (axis {axis} of input {x}) is {padded} long dilated and padded, "
                               f"shorter than the dilated kernel window ({windows[i]}, kernel {k}): the result would "
                               "be empty", op="conv")
        spatial.append(size)
    out_features = k.shape[kernel_permutation[0]]
    ordered = (x.shape[input_permutation[0]] // batch_group_size, out_features, *spatial)
    ordered_names = [x.names[axis] for axis in input_permutation]
    shape, names = [0] * len(ordered), [None] * len(ordered)
    for j, axis in enumerate(output_permutation):
        shape[axis], names[axis] = ordered[j], ordered_names[j]
    return TensorType(tuple(shape), x.type, tuple(names))


@widen_half
def _numpy_conv(x, k, strides, padding_low, padding_high, input_dilation, kernel_dilation, feature_group_size,
                batch_group_size, input_permutation, kernel_permutation, output_permutation):
    """Dilates and pads the input (nx.pad's rule), then contracts each group's strided windows of it with the group's
    kernels. A window spans the dilated kernel but only its taps are read: the zeros between the kernel's elements
    are not multiplied (inf there gives no NaN, as in IREE's convolution)."""
    x = NUMPY["pad"](np.transpose(x, input_permutation), np.zeros((), x.dtype), ((0, 0, 0),) * 2 + tuple(
        (low, high, d - 1) for low, high, d in zip(padding_low, padding_high, input_dilation)))
    k = np.transpose(k, kernel_permutation)
    (batch, features, *_), (out_features, in_features, *taps) = x.shape, k.shape
    groups = feature_group_size * batch_group_size  # one of the two is 1
    # (group, batch in the group, features in the group, spatial...): batch groups split the batch, feature groups
    # the features, each into contiguous runs.
    x = x.reshape(batch_group_size, batch // batch_group_size, feature_group_size, features // feature_group_size,
                  *x.shape[2:])
    x = np.moveaxis(x, 2, 1).reshape(groups, batch // batch_group_size, in_features, *x.shape[4:])
    spatial = len(taps)
    windows = np.lib.stride_tricks.sliding_window_view(x, [dilated(n, d) for n, d in zip(taps, kernel_dilation)],
                                                       axis=tuple(range(3, 3 + spatial)))
    windows = windows[(slice(None),) * 3 + tuple(slice(None, None, s) for s in strides)
                      + tuple(slice(None, None, d) for d in kernel_dilation)]
    k = k.reshape(groups, out_features // groups, in_features, *taps)
    # Per group: (batch, spatial..., output features) summed over the input features and the taps.
    per_group = np.stack([np.tensordot(windows[g], k[g], axes=((1, *range(2 + spatial, 2 + 2 * spatial)),
                                                               tuple(range(1, 2 + spatial))))
                          for g in range(groups)])
    # -> (batch, group, output features of the group, spatial...) -> (batch, output features, spatial...)
    ordered = np.moveaxis(per_group, (0, 2 + spatial), (1, 2)).reshape(
        batch // batch_group_size, out_features, *per_group.shape[2:2 + spatial])
    return np.transpose(ordered, np.argsort(output_permutation))


# ---- VJP: the transposed convolutions (JAX's _conv_general_dilated_transpose_lhs and _rhs) ----

def _swap_first_two(permutation):
    return (permutation[1], permutation[0], *permutation[2:])


def _split_axis(t, axis, parts):
    """`axis` of t split into (parts, size / parts), the parts outer."""
    shape = t.shape[:axis] + (parts, t.shape[axis] // parts) + t.shape[axis + 1:]
    return alg.reshape(t, shape)


def _merge_axis(t, source, into):
    """Axis `source` of t merged into axis `into` (numbered without `source`) as its outer part."""
    order = [axis for axis in range(t.ndim) if axis != source]
    order.insert(into, source)
    moved = alg.transpose(t, order)
    shape = list(moved.shape)
    shape[into:into + 2] = [shape[into] * shape[into + 1]]
    return alg.reshape(moved, shape)


def _spatial(t, permutation):
    return [t.shape[axis] for axis in permutation[2:]]


def _input_cotangent(g, x, k, strides, padding_low, padding_high, input_dilation, kernel_dilation,
                     feature_group_size, batch_group_size, input_permutation, kernel_permutation, output_permutation):
    """The convolution of g with the reversed kernel, its input and output features swapped (each group's kernels
    moved into the input features), strides becoming input dilation, padded so that the input's shape comes back."""
    groups = feature_group_size * batch_group_size
    if groups > 1:
        k = _merge_axis(_split_axis(k, kernel_permutation[0], groups), kernel_permutation[0], kernel_permutation[1])
    windows = window(k.shape, kernel_permutation, kernel_dilation)
    low = tuple(w - lo - 1 for w, lo in zip(windows, padding_low))
    high = tuple(dilated(n, d) + w - 1 - dilated(m, s) - lo for n, d, w, m, s, lo in zip(
        _spatial(x, input_permutation), input_dilation, windows, _spatial(g, output_permutation), strides, low))
    flipped = alg.apply("reverse", [k], axes=tuple(sorted(kernel_permutation[2:])))
    out = alg.apply("conv", [g, flipped], strides=input_dilation, padding_low=low, padding_high=high,
                    input_dilation=strides, kernel_dilation=kernel_dilation, feature_group_size=groups,
                    batch_group_size=1, input_permutation=output_permutation,
                    kernel_permutation=_swap_first_two(kernel_permutation), output_permutation=input_permutation)
    if batch_group_size > 1:  # the groups came out in the features: back to the batch, outer
        out = _merge_axis(_split_axis(out, input_permutation[1], batch_group_size), input_permutation[1],
                          input_permutation[0])
    return out


def _kernel_cotangent(g, x, k, strides, padding_low, padding_high, input_dilation, kernel_dilation,
                      feature_group_size, batch_group_size, input_permutation, kernel_permutation,
                      output_permutation):
    """The convolution of the input (its batch as features) with g as the kernel (its features as output features),
    kernel dilation becoming strides and strides kernel dilation; feature groups become batch groups and back."""
    windows = window(k.shape, kernel_permutation, kernel_dilation)
    high = tuple(dilated(m, s) - dilated(n, d) + w - lo - 1 for m, s, n, d, w, lo in zip(
        _spatial(g, output_permutation), strides, _spatial(x, input_permutation), input_dilation, windows,
        padding_low))
    return alg.apply("conv", [x, g], strides=kernel_dilation, padding_low=padding_low, padding_high=high,
                     input_dilation=input_dilation, kernel_dilation=strides, feature_group_size=batch_group_size,
                     batch_group_size=feature_group_size, input_permutation=_swap_first_two(input_permutation),
                     kernel_permutation=_swap_first_two(output_permutation),
                     output_permutation=_swap_first_two(kernel_permutation))


def _vjp_conv(cotangents, operands, results, **attrs):
    # Bilinear, transposed without conjugation (JAX's convention for complex numbers).
    (g,), (x, k) = cotangents, operands
    if 0 in x.shape + k.shape + g.shape:  # nothing summed, or nothing to receive: all zeros
        return [alg.zeros_like(x), alg.zeros_like(k)]
    return [_input_cotangent(g, x, k, **attrs), _kernel_cotangent(g, x, k, **attrs)]


# ---- lowering: one stablehlo.convolution ----

def _dimension_numbers(input_permutation, kernel_permutation, output_permutation):
    (batch, feature, *spatial), (out_feature, in_feature, *window_axes), (out_batch, out_features, *out_spatial) = (
        input_permutation, kernel_permutation, output_permutation)
    return ir.Attribute.parse(
        f"#stablehlo.conv<raw input_batch_dimension = {batch}, input_feature_dimension = {feature}, "
        f"input_spatial_dimensions = {list(spatial)}, kernel_input_feature_dimension = {in_feature}, "
        f"kernel_output_feature_dimension = {out_feature}, kernel_spatial_dimensions = {list(window_axes)}, "
        f"output_batch_dimension = {out_batch}, output_feature_dimension = {out_features}, "
        f"output_spatial_dimensions = {list(out_spatial)}>")


def _reached(b, x, k, out_shape, attrs):
    """x, and the high padding, cut to what the windows reach: IREE 3.13 fails to build (im2col) a convolution whose
    strided windows stop short of the padded input's end ("'linalg.generic' op inferred input/output operand #1 has
    shape's dimension #0 to be 3, but found 2": a (1, 1, 3) input, a window of 2, stride 2; found by the differential
    fuzzer). Axes with input dilation are left as they are."""
    inp, ker, outp = (attrs[p] for p in PERMUTATIONS)
    windows = window(b.shape(k), ker, attrs["kernel_dilation"])
    high, limits = list(attrs["padding_high"]), list(b.shape(x))
    for i, (axis, size) in enumerate(zip(inp[2:], windows)):
        if attrs["input_dilation"][i] != 1 or out_shape[outp[2 + i]] == 0:
            continue
        needed = (out_shape[outp[2 + i]] - 1) * attrs["strides"][i] + size
        excess = attrs["padding_low"][i] + limits[axis] + high[i] - needed
        cut = min(excess, max(high[i], 0))
        high[i] -= cut
        limits[axis] -= min(excess - cut, limits[axis])
    if limits != list(b.shape(x)):
        zeros = [0] * len(limits)
        cut_type = ir.RankedTensorType.get(limits, ir.RankedTensorType(x.type).element_type)
        x = b.emit("stablehlo.slice", [x], cut_type, start_indices=nxir.ints(zeros), limit_indices=nxir.ints(limits),
                   strides=nxir.ints([1] * len(limits)))
    return x, high


def _convolution(b, x, k, dtype, out_shape, attrs):
    """One stablehlo.convolution of real values of nx type `dtype`, computed in its compute_type."""
    wide = dtype.compute_type
    i64 = ir.IntegerType.get_signless(64)
    x, high = _reached(b, x, k, out_shape, attrs)
    spatial = attrs["kernel_permutation"][2:]
    x = behind_strided_pick(b, x, [b.shape(k)[axis] for axis in spatial], attrs["strides"])
    padding = np.array(list(zip(attrs["padding_low"], high)), np.int64)
    operands = [convert(b, x, dtype, wide), convert(b, k, dtype, wide)]
    if wide is not dtype:
        # IREE 3.13 fuses the widening into its im2col and fails to build it ("'arith.addf' op requires the same
        # type for all operands and results", every f16 convolution; found by the differential fuzzer): the
        # widened operands reach the convolution through a barrier.
        operands = b.barrier(*operands)
    result = b.emit(
        "stablehlo.convolution", operands,
        b.tensor(out_shape, wide), window_strides=nxir.ints(attrs["strides"]),
        padding=ir.DenseElementsAttr.get(padding, type=i64), lhs_dilation=nxir.ints(attrs["input_dilation"]),
        rhs_dilation=nxir.ints(attrs["kernel_dilation"]),
        dimension_numbers=_dimension_numbers(*(attrs[p] for p in PERMUTATIONS)),
        feature_group_count=ir.IntegerAttr.get(i64, attrs["feature_group_size"]),
        batch_group_count=ir.IntegerAttr.get(i64, attrs["batch_group_size"]))
    return convert(b, result, wide, dtype)


def _lower_conv(b, node):
    x, k = node.args
    dtype, attrs, out = node.types[0].type, node.attrs, node.out[0]
    if conv_flops(node.types[1].shape, attrs["kernel_permutation"], out.shape) == 0:
        return b.constant(0, out.shape, dtype)  # nothing to sum or no result: IREE crashes on empty reductions
    if not dtype.is_complex:
        return _convolution(b, x, k, dtype, out.shape, attrs)
    # Complex operands convolve part by part: IREE 3.13 crashes on a padded complex convolution (its zero padding
    # becomes a linalg.fill it cannot build for complex numbers).
    real = dtype.real_type
    (xr, xi), (kr, ki) = ((b.real(v, dtype), b.imag(v, dtype)) for v in (x, k))

    def part(p, q):
        return _convolution(b, p, q, real, out.shape, attrs)
    return b.complex(b.sub(part(xr, kr), part(xi, ki)), b.add(part(xr, ki), part(xi, kr)), dtype)


# ---- batching: the batch axis merged into the convolution's batch or feature axes (JAX's rule) ----

def _batch_conv(operands, batched, **attrs):
    x, k = operands
    size = batching.batch_size(operands, batched)
    inp, ker, outp = (attrs[p] for p in PERMUTATIONS)
    features, groups = attrs["feature_group_size"], attrs["batch_group_size"]
    if size == 0:  # nothing to convolve, and a group count of 0 is no convolution
        per_example = [TensorType(t.shape[1:], t.type, t.names[1:]) if b else t.ttype
                       for t, b in zip(operands, batched)]
        out = SCHEMAS["conv"].check(per_example, attrs)[0]
        return alg.broadcast_to(alg.scalar(x, 0), (0,) + out.shape)
    if all(batched):
        # Each example's input features (or, with batch groups, its input batch) and its kernel's output features
        # form groups of their own, the example outer: the result's features are (example, features).
        if groups > 1:
            x, attrs["batch_group_size"] = _merge_axis(x, 0, inp[0]), groups * size
        else:
            x, attrs["feature_group_size"] = _merge_axis(x, 0, inp[1]), features * size
        out = alg.apply("conv", [x, _merge_axis(k, 0, ker[0])], **attrs)
        return batching.move_axis(_split_axis(out, outp[1], size), outp[1], 0)
    if batched[0]:
        # The examples join the input batch. Batch groups stay outermost: (group, example, batch in the group).
        if groups > 1:
            x = _merge_axis(_merge_axis(_split_axis(x, inp[0] + 1, groups), 0, inp[0] + 1), inp[0], inp[0])
        else:
            x = _merge_axis(x, 0, inp[0])
        out = alg.apply("conv", [x, k], **attrs)
        return batching.move_axis(_split_axis(out, outp[0], size), outp[0], 0)
    # The examples' kernels join the output features, inside each group: (group, example, features in the group).
    parts = features * groups
    k = _merge_axis(_merge_axis(_split_axis(k, ker[0] + 1, parts), 0, ker[0] + 1), ker[0], ker[0])
    out = alg.apply("conv", [x, k], **attrs)
    shape = out.shape
    out = batching.move_axis(_split_axis(_split_axis(out, outp[1], parts), outp[1] + 1, size), outp[1] + 1, 0)
    return alg.reshape(out, (size,) + shape[:outp[1]] + (shape[outp[1]] // size,) + shape[outp[1] + 1:])


define("conv", 2, _infer_conv,
       attrs={"strides": "ints", "padding_low": "ints", "padding_high": "ints", "input_dilation": "ints",
              "kernel_dilation": "ints", "feature_group_size": "int", "batch_group_size": "int",
              "input_permutation": "ints", "kernel_permutation": "ints", "output_permutation": "ints"},
       numpy=_numpy_conv, vjp=_vjp_conv, lower=_lower_conv, batch=_batch_conv)
