# Found by the differential fuzzer (python -m tests.fuzz.long, seed 5): eager raised AttributeError: attribute 'imag' of 'numpy.generic' objects is not writable.
#
# Failure:
#   File "/work/main/frontend/dispatch.py", line 59, in apply
#       outs = backend.run(name, operands, attrs, out_types)
#              ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
#     File "/work/main/frontend/dispatch.py", line 23, in run
#       arrays = run_numpy(name, [self.to_numpy(o) for o in operands], attrs, out_types)
#                ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
#     File "/work/main/dialect/rules.py", line 83, in run_numpy
#       out = NUMPY[name](*arrays, **attrs)
#             ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
#     File "/work/main/dialect/rules.py", line 75, in wrapped
#       return fn(*arrays, **attrs)
#              ^^^^^^^^^^^^^^^^^^^^
#     File "/work/main/dialect/elementwise.py", line 72, in _log1p
#       accurate.imag = np.arctan2(im, 1 + re)
#       ^^^^^^^^^^^^^
#   AttributeError: attribute 'imag' of 'numpy.generic' objects is not writable
import numerix as nx  # noqa: F401  (the program calls it)

# test_differential.py replays this program and expects this failure while the bug is open (None: fixed).
XFAIL = None  # fixed
INPUTS = [
    ('x11', 'c64', (), 100),
]


def program(x11):
    v13 = nx.log1p(x11)
    return (v13,)
