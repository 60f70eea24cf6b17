"""nx-to-stablehlo: every nx op has a lowering, and every elementwise op compiled by IREE matches its NumPy rule
for every type its schema accepts, special values included. One module per operand type holds all the ops, so the
sweep costs one IREE compile per type (cached on disk between runs)."""
import numpy as np
import pytest

from numerix.dialect import dtypes
from numerix.dialect.schema import SCHEMAS
from numerix.passes import to_stablehlo  # noqa: F401  (registers the lowerings)
from numerix.dialect.lowering import NOT_LOWERED, LOWERINGS

from conftest import ALL_TYPES
from lowering_cases import (compile_and_run, elementwise_cases, elementwise_reference, mismatches, samples,
                            special_rows, tensor_type)


def test_every_op_has_a_lowering():
    missing = sorted(set(SCHEMAS) - set(LOWERINGS) - set(NOT_LOWERED))
    assert not missing, (f"nx ops without a StableHLO lowering (add one, or list the op in NOT_LOWERED with why): "
                         f"{missing}")


def test_lowerings_name_real_ops():
    assert not set(LOWERINGS) - set(SCHEMAS)
    assert not set(NOT_LOWERED) & set(LOWERINGS)


# ---- the elementwise sweep (its helpers are in lowering_cases.py, shared with tests/passes/test_fusion.py) ----

@pytest.mark.parametrize("type_name", ALL_TYPES)
def test_elementwise_ops_match_numpy(type_name):
    dtype = dtypes.TYPES[type_name]
    x, y = samples(dtype)
    pred = np.arange(x.size) % 3 == 0
    arrays = [x, y, pred]
    arg_types = [tensor_type(a) for a in arrays]
    cases = elementwise_cases(dtype, arg_types)
    failures = []
    with np.errstate(all="ignore"):
        for case, got in zip(cases, compile_and_run(arg_types, cases, arrays)):
            rows = special_rows(case, dtype, x, y)
            for g, w in zip(got, elementwise_reference(case, arrays, dtype)):
                failures += mismatches(case, arrays, g, w, dtype, rows)
    assert not failures, f"{len(failures)} ops differ from NumPy on {type_name}:\n" + "\n".join(failures)
