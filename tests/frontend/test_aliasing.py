"""Every public function returns another tensor object than its argument, even where it changes nothing (roll by 0,
tile by ones, a reshape to the same shape): `t[i] = v` rebinds t (frontend/indexing.py's setitem), so a result that
were its argument would change with it. Only asarray without copy=True (and astype with copy=False) give their
argument back, as NumPy's do. Eagerly and while tracing."""
import numpy as np
import pytest

import numerix as nx

SAME = {
    "positive": lambda x: nx.positive(x),
    "unary plus": lambda x: +x,
    "roll by 0": lambda x: nx.roll(x, 0),
    "roll by 0 on an axis": lambda x: nx.roll(x, 0, axis=1),
    "roll on no axes": lambda x: nx.roll(x, (), axis=()),
    "tile by ones": lambda x: nx.tile(x, (1, 1)),
    "asarray copy=True": lambda x: nx.asarray(x, copy=True),
    "astype copy=True": lambda x: nx.astype(x, x.type),
    "as_type to its type": lambda x: nx.as_type(x, x.type),
    "bitcast to its type": lambda x: nx.bitcast(x, x.type),
    "tensor": lambda x: nx.tensor(x),
    "reshape to its shape": lambda x: nx.reshape(x, x.shape),
    "squeeze of nothing": lambda x: nx.squeeze(x, axis=()),
    "expand_dims of nothing": lambda x: nx.expand_dims(x, axis=()),
    "transpose by the identity": lambda x: nx.transpose(x, axes=[0, 1]),
    "permute_dims by the identity": lambda x: nx.permute_dims(x, (0, 1)),
    "moveaxis onto itself": lambda x: nx.moveaxis(x, 0, 0),
    "rename to its names": lambda x: nx.rename(x, x.names),
    "broadcast to its shape": lambda x: nx.broadcast(x, x.shape),
    "broadcast_to its shape": lambda x: nx.broadcast_to(x, x.shape),
    "broadcast_arrays of one": lambda x: nx.broadcast_arrays(x)[0],
    "slice of everything": lambda x: nx.slice(x, [0, 0], list(x.shape)),
    "slice_along_axis of everything": lambda x: nx.slice_along_axis(x, 0, x.shape[0], axis=0),
    "concatenate of one": lambda x: nx.concatenate([x]),
    "concat of one": lambda x: nx.concat([x]),
    "reverse of no axes": lambda x: nx.reverse(x, axes=[]),
    "flip of no axes": lambda x: nx.flip(x, axis=()),
    "reflect by nothing": lambda x: nx.reflect(x, padding_config=[(0, 0), (0, 0)]),
    "diff n=0": lambda x: nx.diff(x, n=0),
    "clip by nothing": lambda x: nx.clip(x, None, None),
}
X = np.arange(6, dtype=np.float32).reshape(2, 3)


def test_eager_results_are_other_tensors():
    for name, f in SAME.items():
        x = nx.tensor(X)
        y = f(x)
        assert y is not x, name
        np.testing.assert_array_equal(y.numpy(), X, err_msg=name)
        y[0, 0] = -1.0  # rebinds y alone
        assert x.numpy()[0, 0] == 0, name


def test_traced_results_are_other_tensors():
    aliased = []

    def every(x):
        results = []
        for name, f in SAME.items():
            y = f(x)
            if y is x:
                aliased.append(name)
            y[0, 0] = -1.0
            results.append(y)
        return x, results

    x, results = nx.defn(every, compiler="evaluator")(nx.tensor(X))
    assert aliased == []
    np.testing.assert_array_equal(x.numpy(), X)
    for y in results:
        assert y.numpy()[0, 0] == -1.0 and y.numpy()[1, 2] == 5.0


@pytest.mark.parametrize("f", [lambda x: nx.asarray(x), lambda x: nx.asarray(x, copy=False),
                               lambda x: nx.astype(x, x.type, copy=False)])
def test_no_copy_gives_the_argument_as_numpy_does(f):
    x = nx.tensor(X)
    assert f(x) is x
