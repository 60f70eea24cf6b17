"""The StableHLO constructs of the window ops (dialect/window.py): stablehlo.reduce_window, and the scatters'
stablehlo.select_and_scatter in the forms IREE compiles. A library of lowering helpers: it registers no op."""
import itertools

import numpy as np
from iree.compiler import ir

from numerix.dialect import ir as nxir

from .lower_shape import pad


def reduce_window(b, x, init, dtype, out_shape, attrs, combine):
    """stablehlo.reduce_window of x (storage of nx type `dtype`) over the windows the window ops' attributes give,
    starting from the 0-d `init` (also the padding's value); combine(accumulator, element) folds one element in."""
    scalar = b.tensor((), dtype)
    options = {"window_dimensions": nxir.ints(attrs["window_dimensions"]),
               "window_strides": nxir.ints(attrs["strides"])}
    if any(d != 1 for d in attrs["window_dilations"]):
        options["window_dilations"] = nxir.ints(attrs["window_dilations"])
    low, high = attrs["padding_low"], attrs["padding_high"]
    if any(low) or any(high):
        pairs = np.array(list(zip(low, high)), np.int64).reshape(len(low), 2)
        options["padding"] = ir.DenseElementsAttr.get(pairs)
    x = behind_strided_pick(b, x, attrs["window_dimensions"], attrs["strides"])
    (out,) = b.with_region("stablehlo.reduce_window", [x, init], [b.tensor(out_shape, dtype)], [scalar, scalar],
                           lambda acc, v: [combine(acc, v)], **options)
    # The result leaves through a barrier: IREE 3.13 fused a reduce_window into a consumer that reads it transposed
    # and computed wrong values (v @ v.T and v * v.T of a (3, 1) window_sum kept only the diagonal; found by the
    # differential fuzzer).
    return b.barrier(out)[0]


def behind_strided_pick(b, x, windows, strides):
    """x, through a barrier where windows of one element pick it with a stride over 1 (a reduce_window or a
    convolution of such windows): IREE 3.13 makes that pick an elementwise op that reads x through a strided map
    ((d0) -> (d0 * 2)), and when x's producer has another user it fuses the producer in and writes x through the
    same map, so the other user reads the elements between the picks uninitialized (the differential fuzzer's
    window_min(v, (1, 1), strides=(2, 2)) beside window_sum(v, ...)). Behind the barrier x is computed whole first."""
    if all(w == 1 for w in windows) and any(s != 1 for s in strides):
        return b.barrier(x)[0]
    return x


def scatter_to_selected(b, key, key_type, source, work, window_dimensions, strides, direction):
    """Zeros of key's shape (nx type `work`) with each element of `source` (one per window of `key`, the order keys
    of nx type `key_type`, windows as the scatters take them, without padding) added at its window's selected
    element: the one that is NaN or compares `direction` ("GE" or "LE") with each other one, the last of several.

    IREE compiles stablehlo.select_and_scatter only for windows that do not overlap, of more than one element, that
    end where the operand ends, and with one element type for both regions. So the windows are split into classes
    whose members do not overlap (every m-th window on an axis whose windows reach m strides); each class reads the
    part of the operand its windows cover (axes of one-element windows with their strides: such a window selects
    its element), select_and_scatter marks the selected elements with ones of the key's type, and the source,
    spread over each window, is kept where they are; the classes' results are placed back and summed."""
    shape = b.shape(key)
    counts = b.shape(source)
    zero = b.constant(0, (), work)
    classes = [-(-w // s) for w, s in zip(window_dimensions, strides)]
    total = None
    for first in itertools.product(*(range(m) for m in classes)):
        members = [-(-(n - r) // m) for r, m, n in zip(first, classes, counts)]
        if not all(members):  # fewer windows than classes on an axis
            continue
        # Per axis, the (start, step, length) of the part of the operand that the class's windows read.
        parts = [(r * s, s, k) if w == 1 else (r * s, 1, (k - 1) * m * s + w)
                 for r, m, w, s, k in zip(first, classes, window_dimensions, strides, members)]
        part = _slice(b, source, first, counts, classes, work)
        if not all(w == 1 for w in window_dimensions):
            part_key = _slice(b, key, [start for start, _, _ in parts],
                              [start + (length - 1) * step + 1 for start, step, length in parts],
                              [step for _, step, _ in parts], key_type)
            steps = [1 if w == 1 else m * s for m, w, s in zip(classes, window_dimensions, strides)]
            marks = _select_and_scatter(b, part_key, key_type, b.constant(1, members, key_type),
                                        b.constant(0, (), key_type), window_dimensions, steps, direction)
            selected = b.compare("NE", marks, b.full_like(marks, 0, key_type), key_type)
            part = b.select(selected, _spread(b, part, window_dimensions, steps, work),
                            b.full_like(marks, 0, work))
        pads = [(start, dim - start - (length - 1) * step - 1, step - 1)
                for (start, step, length), dim in zip(parts, shape)]
        placed = pad(b, part, zero, pads, work) if any(p != (0, 0, 0) for p in pads) else part
        total = placed if total is None else b.add(total, placed)
    return total


def _spread(b, x, window_dimensions, steps, dtype):
    """x's elements repeated over their windows (which do not overlap: each `steps` apart)."""
    counts = b.shape(x)
    split = [v for n in counts for v in (n, 1)]
    repeated = [v for n, step in zip(counts, steps) for v in (n, step)]
    wide = b.emit("stablehlo.broadcast_in_dim", [b.emit("stablehlo.reshape", [x], b.tensor(split, dtype))],
                  b.tensor(repeated, dtype), broadcast_dimensions=nxir.ints(range(len(repeated))))
    flat = b.emit("stablehlo.reshape", [wide], b.tensor([n * step for n, step in zip(counts, steps)], dtype))
    return _slice(b, flat, [0] * len(counts), [(n - 1) * step + w for n, step, w in
                                               zip(counts, steps, window_dimensions)], [1] * len(counts), dtype)


def _slice(b, x, starts, limits, steps, dtype):
    shape = [-(-(limit - start) // step) for start, limit, step in zip(starts, limits, steps)]
    if shape == b.shape(x):
        return x
    return b.emit("stablehlo.slice", [x], b.tensor(shape, dtype), start_indices=nxir.ints(starts),
                  limit_indices=nxir.ints(limits), strides=nxir.ints(steps))


def _select_and_scatter(b, key, key_type, source, init, window_dimensions, strides, direction):
    """stablehlo.select_and_scatter without padding, both regions in the key's type. IREE calls the select region
    with the later of two elements of a window first and keeps it when the region holds, so the select region
    `later is NaN or later <direction> earlier` selects the last NaN, or else the last extremum."""
    op = ir.Operation.create("stablehlo.select_and_scatter", results=[key.type], operands=[key, source, init],
                             regions=2, attributes={"window_dimensions": nxir.ints(window_dimensions),
                                                    "window_strides": nxir.ints(strides)})

    def select(later, earlier):
        keep = b.compare(direction, later, earlier, key_type)
        return b.or_(b.is_nan(later, key_type), keep) if key_type.is_float else keep

    scalar = b.tensor((), key_type)
    for region, body in ((op.regions[0], select), (op.regions[1], b.add)):
        block = region.blocks.append(scalar, scalar)
        with ir.InsertionPoint(block):
            ir.Operation.create("stablehlo.return", results=[], operands=[body(*block.arguments)])
    return op.result
