# Found by the differential fuzzer (python -m tests.fuzz.long, seed 707): eager vectorized raised NxShapeError: reshape: cannot reshape f32[_, _, _] (_ elements) to shape [-_, _, _].
#
# Failure:
#   File "frontend/grad.py", line 105, in __call__
#       return self._trace(parent, args, kwargs)
#              ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
#     File "frontend/grad.py", line 109, in _trace
#       return for_each_entry(lambda *xs: self._trace(traced_parent(), xs, {}), args)
#              ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
#     File "frontend/vmap.py", line 214, in for_each_entry
#       flat = [reshape(devectorize(next(entries), keep_names=False), (-1,) + leaf.shape[len(a):]) if a else leaf
#              ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
#     File "frontend/vmap.py", line 214, in <listcomp>
#       flat = [reshape(devectorize(next(entries), keep_names=False), (-1,) + leaf.shape[len(a):]) if a else leaf
#               ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
#     File "frontend/shape.py", line 88, in reshape
#       raise NxShapeError(f"cannot reshape {t.ttype} ({t.size} elements) to shape {shape}", op="reshape")
#   numerix.dialect.errors.NxShapeError: reshape: cannot reshape f32[2, 0, 1] (0 elements) to shape [-1, 0, 1]
#     at <fuzz program>:3:11
import numerix as nx  # noqa: F401  (the program calls it)

# test_differential.py replays this program and expects this failure while the bug is open (None: fixed).
XFAIL = None  # fixed: for_each_entry flattens the vectorized axes to their size, not -1 (ambiguous for no elements)
INPUTS = [
    ('x32', 'f32', (1, 1), 775),
]


def program(x32):
    v33 = x32[-1:0:-1]
    v34 = nx.grad(lambda t: nx.sum(nx.sigmoid(t)))(v33)
    return (v34,)
