"""Padding spelled without stablehlo.pad, for nx.pad's lowering (dialect/shape.py) and the scans' shifts
(lower_reduction.py). A library of lowering helpers: it registers no op."""
from numerix.dialect import ir as nxir


def pad(b, x, fill, pads, dtype):
    """x padded with the 0-d `fill` per axis (low, high, interior), as stablehlo.pad, but spelled with reshapes,
    concatenations and slices: IREE 3.13 miscompiles stablehlo.pad of a call's result ('stream.yield op used
    resource not listed'), and a complex128 pad value becomes a 128-bit splat it rejects, so complex values are
    padded part by part."""
    if dtype.is_complex:
        fills = [b.real(fill, dtype), b.imag(fill, dtype)]
        parts = [pad(b, p, f, pads, dtype.real_type) for p, f in zip(
            (b.real(x, dtype), b.imag(x, dtype)), fills)]
        return b.complex(*parts, dtype)
    for axis, (_, _, interior) in enumerate(pads):
        if interior and b.shape(x)[axis] > 1:
            x = _interleave(b, x, fill, axis, interior, dtype)
    for axis, (low, high, _) in enumerate(pads):  # additions first: a negative edge cuts the padded axis
        x = _edge(b, x, fill, axis, max(low, 0), dtype, at_end=False)
        x = _edge(b, x, fill, axis, max(high, 0), dtype, at_end=True)
    for axis, (low, high, _) in enumerate(pads):
        size = b.shape(x)[axis]
        if low < 0 or high < 0:
            x = _cut(b, x, axis, max(-low, 0), size - max(-high, 0), dtype)
    return x


def _block(b, fill, shape, dtype):
    return b.emit("stablehlo.broadcast_in_dim", [fill], b.tensor(shape, dtype),
                  broadcast_dimensions=nxir.ints([]))


def _concat(b, values, axis, dtype):
    shape = b.shape(values[0])
    shape[axis] = sum(b.shape(v)[axis] for v in values)
    return b.emit("stablehlo.concatenate", values, b.tensor(shape, dtype), dimension=nxir.attr("int", axis))


def _cut(b, x, axis, start, stop, dtype):
    shape = b.shape(x)
    starts, limits = [0] * len(shape), list(shape)
    starts[axis], limits[axis] = start, stop
    out = list(shape)
    out[axis] = stop - start
    return b.emit("stablehlo.slice", [x], b.tensor(out, dtype), start_indices=nxir.ints(starts),
                  limit_indices=nxir.ints(limits), strides=nxir.ints([1] * len(shape)))


def _edge(b, x, fill, axis, amount, dtype, at_end):
    """`amount` fills added at one end of `axis`."""
    if amount == 0:
        return x
    shape = b.shape(x)
    shape[axis] = amount
    block = _block(b, fill, shape, dtype)
    return _concat(b, [x, block] if at_end else [block, x], axis, dtype)


def _interleave(b, x, fill, axis, interior, dtype):
    """`interior` fills between neighbours along `axis`: each element followed by the fills, the last ones cut."""
    shape = b.shape(x)
    n = shape[axis]
    column = shape[:axis + 1] + [1] + shape[axis + 1:]
    widened = _concat(b, [b.emit("stablehlo.reshape", [x], b.tensor(column, dtype)),
                          _block(b, fill, shape[:axis + 1] + [interior] + shape[axis + 1:], dtype)], axis + 1, dtype)
    flat = shape[:axis] + [n * (interior + 1)] + shape[axis + 1:]
    flattened = b.emit("stablehlo.reshape", [widened], b.tensor(flat, dtype))
    return _cut(b, flattened, axis, 0, n * (interior + 1) - interior, dtype)
