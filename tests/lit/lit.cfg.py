"""lit configuration for the pass tests: each .mlir file runs nx-opt and checks its output with FileCheck
(the `filecheck` package). Run with `lit tests/lit` or through tests/tools/test_lit.py."""
import os
import sys
import tempfile

import lit.formats

config.name = "numerix"  # noqa: F821 (lit provides `config`)
config.test_format = lit.formats.ShTest(execute_external=False)  # noqa: F821
config.suffixes = [".mlir"]  # noqa: F821
config.test_source_root = os.path.dirname(os.path.abspath(__file__))  # noqa: F821
# Scratch files (%t) go to the temp folder, not into the source tree.
config.test_exec_root = os.path.join(tempfile.gettempdir(), "numerix-lit")  # noqa: F821
config.environment["PATH"] = os.environ.get("PATH", "")  # noqa: F821
# The same Python that runs lit runs the tools, so the tests see the numerix under test.
config.substitutions.append(("%nx-opt", f"{sys.executable} -m numerix.tools.opt"))  # noqa: F821
config.substitutions.append(("%filecheck", f"{sys.executable} -m filecheck"))  # noqa: F821
