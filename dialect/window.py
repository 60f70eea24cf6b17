"""The window nx ops, after Nx's window functions: window_sum, window_product, window_max and window_min reduce each
window of the operand (lowered to stablehlo.reduce_window); window_scatter_max and window_scatter_min add each
window's element of a source at the window's largest (smallest) element (stablehlo.select_and_scatter): the
gradient of window_max (window_min).

Windows follow Nx.Shape.pool: per axis a window of `window_dimensions` elements, `window_dilations` apart, moved by
`strides` over the operand padded by `padding_low` and `padding_high` elements, for as many whole windows as fit.
The padding holds the reduction's identity (0, 1, the type's lowest or highest value), as in Nx. The reductions are
dialect/reduction.py's records (combiner, identity, order keys); max and min propagate NaN.

The scatters select, in each window of the operand padded with its type's lowest (highest) value, the last element
equal to the window's extremum, NaN counting as equal to a NaN extremum: Nx's choice of ties (the last), and the
element that window_max's gradient needs (the NaN that the maximum propagated). A source element whose selected
element is padding is dropped. The scatters take no window dilations, as in Nx; window_max's gradient over dilated
windows is written with the same selection instead (`_selected`)."""
import functools
import itertools
import operator

import numpy as np

from numerix.dialect import dtypes
from numerix.dialect import ir as nxir
from numerix.dialect.errors import NxShapeError, NxTypeError, NxValueError
from . import algebra as alg, batching
from .lower_convert import convert
from .lower_reduction import highest, lowest, order_key
from .lower_shape import pad
from .lower_window import reduce_window, scatter_to_selected
from .reduction import REDUCTIONS
from .rules import define, widen_half
from .schema import TensorType, require

WINDOW_ATTRS = {"window_dimensions": "shape", "strides": "ints", "padding_low": "ints", "padding_high": "ints",
                "window_dilations": "ints"}
SCATTER_ATTRS = {k: v for k, v in WINDOW_ATTRS.items() if k != "window_dilations"}


def window_shape(op, x, window_dimensions, strides, padding_low, padding_high, window_dilations):
    """The shape of the windows of x (a TensorType) that the options give, after checking them (Nx.Shape.pool)."""
    rank = len(x.shape)
    options = {"window_dimensions": window_dimensions, "strides": strides, "padding_low": padding_low,
               "padding_high": padding_high, "window_dilations": window_dilations}
    for option, values in options.items():
        if len(values) != rank:
            raise NxShapeError(f"{option} {list(values)} must give one entry per axis of {x} (rank {rank})", op=op)
    for option in ("window_dimensions", "strides", "window_dilations"):
        if any(v < 1 for v in options[option]):
            raise NxValueError(f"{option} {list(options[option])} must be positive integers (operand {x})", op=op)
    if any(p < 0 for p in padding_low + padding_high):
        raise NxValueError(f"padding {list(zip(padding_low, padding_high))} must not be negative (operand {x})",
                           op=op)
    shape = []
    for axis, (dim, w, s, low, high, d) in enumerate(zip(x.shape, window_dimensions, strides, padding_low,
                                                          padding_high, window_dilations)):
        span, padded = (w - 1) * d + 1, dim + low + high
        if span > padded:
            raise NxShapeError(f"axis {axis} of {x} is {padded} long with padding ({low}, {high}), shorter than its "
                               f"window of {w} elements {d} apart (window_dimensions {list(window_dimensions)}, "
                               f"window_dilations {list(window_dilations)}): the result would be empty", op=op)
        shape.append((padded - span) // s + 1)
    return tuple(shape)


def _offsets(window_dimensions):
    """Each element's offset in a window, in row-major order (the order ties are broken in)."""
    return list(itertools.product(*(range(w) for w in window_dimensions)))


def _windows(padded, window_dimensions, strides, window_dilations):
    """A view of a padded NumPy array: the windows' shape, then each window's elements."""
    spans = tuple((w - 1) * d + 1 for w, d in zip(window_dimensions, window_dilations))
    if not padded.ndim:
        return padded
    view = np.lib.stride_tricks.sliding_window_view(padded, spans)
    return view[tuple(slice(None, None, s) for s in strides) + tuple(slice(None, None, d) for d in window_dilations)]


def _padded(x, fill, padding_low, padding_high):
    return np.pad(x, list(zip(padding_low, padding_high)), constant_values=fill) if x.ndim else x


# ---- the same windows on terms (dialect/algebra.py), for the VJPs ----

def _views(x, fill, attrs, out_shape):
    """For each offset in the window (row-major), the element at that offset in every window of x padded with
    `fill`: a tensor of the windows' shape."""
    low, high = attrs["padding_low"], attrs["padding_high"]
    padded = x
    if any(low) or any(high):
        padded = alg.apply("pad", [x, alg.scalar(x, fill)], pads=tuple((lo, hi, 0) for lo, hi in zip(low, high)))
    dilations, strides = attrs.get("window_dilations", (1,) * x.ndim), attrs["strides"]
    views = []
    for offset in _offsets(attrs["window_dimensions"]):
        starts = tuple(j * d for j, d in zip(offset, dilations))
        limits = tuple(start + (n - 1) * s + 1 for start, n, s in zip(starts, out_shape, strides))
        views.append(alg.apply("slice", [padded], start_indices=starts, limit_indices=limits, strides=strides))
    return views


def _from_views(parts, x_shape, attrs):
    """The transpose of `_views`: each part (one per offset) put back where its view read it in x, summed; what the
    views read from the padding is dropped."""
    dilations, strides = attrs.get("window_dilations", (1,) * len(x_shape)), attrs["strides"]
    placed = []
    for offset, part in zip(_offsets(attrs["window_dimensions"]), parts):
        pads = []
        for j, d, low, s, n, dim in zip(offset, dilations, attrs["padding_low"], strides, part.shape, x_shape):
            start = j * d - low
            pads.append((start, dim - start - (n - 1) * s - 1, s - 1))
        placed.append(alg.apply("pad", [part, alg.scalar(part, 0)], pads=tuple(pads)))
    return functools.reduce(operator.add, placed)


def _selected(x, kind, attrs, out_shape):
    """The scatters' selection: per offset in the window, whether each window selects its element there."""
    window_attrs = {"window_dilations": (1,) * x.ndim, **attrs}
    extreme = alg.apply(f"window_{kind}", [x], **window_attrs)
    views = _views(x, lowest(x.type) if kind == "max" else highest(x.type), window_attrs, out_shape)
    selected, later = [None] * len(views), None
    for k in reversed(range(len(views))):
        match = views[k] == extreme
        if x.type.is_float:
            match = match | (alg.is_nan(views[k]) & alg.is_nan(extreme))
        selected[k] = match if later is None else match & alg.apply("logical_not", [later])
        later = match if later is None else later | match
    return selected


# ---- window_sum, window_product, window_max, window_min ----

def _infer_window(op, accepts):
    def infer(types, **attrs):
        (x,) = types
        require(op, x, accepts)
        return TensorType(window_shape(op, x, **attrs), x.type, x.names)
    return infer


def _numpy_window(reduction):
    @widen_half
    def run(x, window_dimensions, strides, padding_low, padding_high, window_dilations):
        identity = reduction.identity(dtypes.of_numpy(x.dtype))
        windows = _windows(_padded(x, identity, padding_low, padding_high), window_dimensions, strides,
                           window_dilations)
        # In the operand's type, as the reductions accumulate (NumPy's sum would widen small integers).
        return reduction.ufunc.reduce(windows, axis=tuple(range(x.ndim, 2 * x.ndim)), dtype=x.dtype)
    return run


def _lower_window(reduction):
    def lower(b, node):
        dtype = node.types[0].type
        x, work = reduction.to_work(b, node.args[0], dtype)
        x, attrs = _covered(b, x, work, node.out[0].shape, node.attrs)
        out = reduce_window(b, x, b.constant(reduction.identity(work), (), work), work, node.out[0].shape,
                            attrs, lambda acc, v: reduction.combine(b, acc, v, work))
        return reduction.from_work(b, out, work, dtype)
    return lower


def _covered(b, x, dtype, out_shape, attrs):
    """x cut to the elements the windows reach, and the high padding they reach: IREE miscompiles a reduce_window
    whose padded operand runs on past its last window (when a single window fits on an axis)."""
    limits, high = [], []
    for dim, n, w, s, d, low in zip(b.shape(x), out_shape, attrs["window_dimensions"], attrs["strides"],
                                    attrs["window_dilations"], attrs["padding_low"]):
        reach = (n - 1) * s + (w - 1) * d + 1 - low  # how far into x (and its high padding) the windows read
        limits.append(max(min(dim, reach), 0))
        high.append(max(reach - dim, 0))
    attrs = {**attrs, "padding_high": tuple(high)}
    if limits == b.shape(x):
        return x, attrs
    return b.emit("stablehlo.slice", [x], b.tensor(limits, dtype), start_indices=nxir.ints([0] * len(limits)),
                  limit_indices=nxir.ints(limits), strides=nxir.ints([1] * len(limits))), attrs


def _vjp_window_sum(cotangents, operands, results, **attrs):
    # Each element gets the cotangents of the windows it is in: the cotangent spread out by the strides, padded by
    # a window span less the low padding, then summed over windows of the same dilations (Nx's rule).
    (g,), (x,) = cotangents, operands
    pads = []
    for w, d, low, s, n, dim in zip(attrs["window_dimensions"], attrs["window_dilations"], attrs["padding_low"],
                                    attrs["strides"], g.shape, x.shape):
        span = (w - 1) * d + 1
        pads.append((span - 1 - low, dim + low - (n - 1) * s - 1, s - 1))
    spread = alg.apply("pad", [g, alg.scalar(g, 0)], pads=tuple(pads))
    rank = x.ndim
    return [alg.apply("window_sum", [spread], window_dimensions=attrs["window_dimensions"], strides=(1,) * rank,
                      padding_low=(0,) * rank, padding_high=(0,) * rank,
                      window_dilations=attrs["window_dilations"])]


def _vjp_window_product(cotangents, operands, results, **attrs):
    # JAX's way for products: an element's derivative is the product of the others in its window, the products
    # before and after it, so that it holds at zeros (no division) and is differentiable again.
    (g,), (x,) = cotangents, operands
    views = _views(x, 1, attrs, g.shape)
    before, running = [], None
    for v in views:
        before.append(running)
        running = v if running is None else running * v
    after, running = [], None
    for v in reversed(views):
        after.append(running)
        running = v if running is None else running * v
    parts = []
    for b, a in zip(before, reversed(after)):
        others = [t for t in (b, a) if t is not None]
        parts.append(g * functools.reduce(operator.mul, others) if others else g)
    return [_from_views(parts, x.shape, attrs)]


def _vjp_window_extremum(kind):
    def vjp(cotangents, operands, results, **attrs):
        # The cotangent goes to each window's selected element, Nx's window_scatter_max(x, g, 0); the scatters
        # have no dilations, so dilated windows sum the same selection view by view.
        (g,), (x,) = cotangents, operands
        if all(d == 1 for d in attrs["window_dilations"]):
            scatter_attrs = {k: attrs[k] for k in SCATTER_ATTRS}
            return [alg.apply(f"window_scatter_{kind}", [x, g, alg.scalar(g, 0)], **scatter_attrs)]
        selected = _selected(x, kind, attrs, g.shape)
        return [_from_views([alg.select(s, g, 0) for s in selected], x.shape, attrs)]
    return vjp


WINDOW_REDUCTIONS = {  # op: (reduction, the types it accepts, its VJP)
    "window_sum": ("sum", "number", _vjp_window_sum),
    "window_product": ("product", "number", _vjp_window_product),
    "window_max": ("reduce_max", "real_number", _vjp_window_extremum("max")),
    "window_min": ("reduce_min", "real_number", _vjp_window_extremum("min")),
}

def _batched_window(attrs):
    """The attributes for operands with a leading batch axis: a window of one along it."""
    return {key: (0 if key.startswith("padding") else 1,) + value for key, value in attrs.items()}


def _batch_window(name):
    def rule(operands, batched, **attrs):
        return alg.apply(name, operands, **_batched_window(attrs))
    return rule


for _name, (_reduction, _accepts, _vjp) in WINDOW_REDUCTIONS.items():
    define(_name, 1, _infer_window(_name, _accepts), attrs=WINDOW_ATTRS, numpy=_numpy_window(REDUCTIONS[_reduction]),
           vjp=_vjp, lower=_lower_window(REDUCTIONS[_reduction]), batch=_batch_window(_name))


# ---- window_scatter_max, window_scatter_min ----

def _infer_scatter(op):
    def infer(types, **attrs):
        x, source, init = types
        require(op, x, "real_number")
        require(op, source, "real_number")
        if init.shape != () or init.type != source.type:
            raise NxTypeError(f"init_value must be a scalar of the source's type, got {init} for source {source}",
                              op=op)
        windows = window_shape(op, x, window_dilations=(1,) * len(x.shape), **attrs)
        if source.shape != windows:
            raise NxShapeError(f"source {source} must have the shape of the windows of {x}: {list(windows)}", op=op)
        return TensorType(x.shape, source.type, x.names)
    return infer


def _numpy_scatter(kind):
    # The last extremum of each window: argmax/argmin find the first, NaN first of all, of the window reversed.
    find, fill = (np.argmax, lowest) if kind == "max" else (np.argmin, highest)

    @widen_half
    def run(x, source, init, window_dimensions, strides, padding_low, padding_high):
        padded = _padded(x, fill(dtypes.of_numpy(x.dtype)), padding_low, padding_high)
        windows = _windows(padded, window_dimensions, strides, (1,) * x.ndim)
        flat = windows.reshape(source.shape + (-1,))
        last = flat.shape[-1] - 1 - find(flat[..., ::-1], axis=-1)
        offsets = np.unravel_index(last, window_dimensions) if x.ndim else ()
        grid = np.indices(source.shape, sparse=True) if x.ndim else ()
        positions = tuple(o * s + j for o, s, j in zip(grid, strides, offsets))
        out = np.full(padded.shape, init, source.dtype)
        np.add.at(out, positions, source)
        return out[tuple(slice(low, low + d) for low, d in zip(padding_low, x.shape))]
    return run


def _lower_scatter(kind):
    direction, fill = ("GE", lowest) if kind == "max" else ("LE", highest)

    def lower(b, node):
        x, source, init = node.args
        x_type, source_type = node.types[0].type, node.types[1].type
        low, high = node.attrs["padding_low"], node.attrs["padding_high"]
        padded = any(low) or any(high)
        if padded:
            x = pad(b, x, b.constant(fill(x_type), (), x_type), [(lo, hi, 0) for lo, hi in zip(low, high)], x_type)
        key, key_type = order_key(b, x, x_type)
        # Halves compare in f32 (exactly): IREE converts a half-typed select region only in part.
        key, key_type = convert(b, key, key_type, key_type.compute_type), key_type.compute_type
        work = source_type.compute_type
        routed = scatter_to_selected(b, key, key_type, convert(b, source, source_type, work), work,
                                     node.attrs["window_dimensions"], node.attrs["strides"], direction)
        shape = node.types[0].shape
        if padded:
            routed = b.emit("stablehlo.slice", [routed], b.tensor(shape, work), start_indices=nxir.ints(low),
                            limit_indices=nxir.ints([lo + d for lo, d in zip(low, shape)]),
                            strides=nxir.ints([1] * len(shape)))
        init = b.emit("stablehlo.broadcast_in_dim", [convert(b, init, source_type, work)], b.tensor(shape, work),
                      broadcast_dimensions=nxir.ints([]))
        return convert(b, b.add(init, routed), work, source_type)
    return lower


def _vjp_scatter(kind):
    def vjp(cotangents, operands, results, **attrs):
        # The source's cotangent is read where each of its elements went; the operand only selects (no gradient),
        # and init_value is in every element.
        (g,), (x, source, _) = cotangents, operands
        selected = _selected(x, kind, attrs, source.shape)
        reads = _views(g, 0, attrs, source.shape)
        return [None, functools.reduce(operator.add, [alg.select(s, r, 0) for s, r in zip(selected, reads)]),
                alg.sum(g)]
    return vjp


def _batch_scatter(name):
    def rule(operands, batched, **attrs):
        size = batching.batch_size(operands, batched)
        x, source, init = batching.all_batched(operands[:2], batched[:2], size) + [operands[2]]
        if not batched[2]:
            return alg.apply(name, [x, source, init], **_batched_window(attrs))
        # An init value per example: scatter onto zeros, then add it (it is in every element).
        out = alg.apply(name, [x, source, alg.scalar(source, 0)], **_batched_window(attrs))
        return out + alg.apply("broadcast", [init], shape=out.shape, axes=(0,))
    return rule


for _kind in ("max", "min"):
    define(f"window_scatter_{_kind}", 3, _infer_scatter(f"window_scatter_{_kind}"), attrs=SCATTER_ATTRS,
           numpy=_numpy_scatter(_kind), vjp=_vjp_scatter(_kind), lower=_lower_scatter(_kind),
           batch=_batch_scatter(f"window_scatter_{_kind}"))
