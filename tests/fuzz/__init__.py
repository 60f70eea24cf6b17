"""The differential fuzzer: random nx programs run eagerly, on the evaluator and on IREE, and through each nx-opt pass
(README in test_differential.py's and long.py's docstrings).

`python -m tests.fuzz.long` imports this package from the repository root, where tests/ is not on sys.path as it
is under pytest; conftest's shared helpers (sample data, RTOL, assert_close) are imported from there."""
import os
import sys

_TESTS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if _TESTS not in sys.path:
    sys.path.insert(0, _TESTS)
