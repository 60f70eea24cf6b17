"""A process forked after its parent ran compiled code (IREE's worker threads do not survive a fork) can call the
parent's compiled functions and compile its own: it used to hang forever on the first call."""
import multiprocessing

import numpy as np

import numerix as nx

_LARGE = nx.tensor(np.linspace(-1, 1, 1 << 21, dtype=np.float32))  # large enough for IREE's threaded driver
_SMALL = nx.tensor(np.linspace(-1, 1, 8, dtype=np.float32))
_TOTAL = nx.defn(lambda a: nx.sum(nx.tanh(a)))


def _child(queue):
    fresh = nx.defn(lambda a: nx.max(nx.sin(a)))
    queue.put((float(_TOTAL(_LARGE)), float(_TOTAL(_SMALL)), float(fresh(_LARGE))))


def test_a_forked_child_calls_what_its_parent_compiled_and_compiles_its_own():
    expected = (float(_TOTAL(_LARGE)), float(_TOTAL(_SMALL)))  # the parent runs both first, starting IREE's threads
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    child = context.Process(target=_child, args=(queue,))
    child.start()
    child.join(120)
    if child.is_alive():
        child.kill()
        raise AssertionError("the forked child hung calling a compiled function")
    large, small, fresh = queue.get(timeout=10)
    assert (large, small) == expected
    np.testing.assert_allclose(fresh, np.max(np.sin(_LARGE.numpy())), rtol=1e-6)  # numerix's sin, within an ULP
