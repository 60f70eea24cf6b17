"""The compile cache: memory, then disk (atomic writes, corrupt entries recompiled), keyed by everything that is
compiled; and a second process running the same defn loads it from disk instead of compiling."""
import os
import shutil
import subprocess
import sys
import textwrap
import warnings

import numpy as np
import pytest

import numerix as nx
from numerix.runtime.cache import CompileCache, key, max_bytes


class Compiler:
    def __init__(self, payload=b"compiled bytes"):
        self.payload = payload
        self.calls = 0

    def __call__(self):
        self.calls += 1
        return self.payload


def test_memory_then_disk(tmp_path):
    compile = Compiler()
    first = CompileCache(str(tmp_path))
    assert first.get("k", compile) == b"compiled bytes"
    assert first.get("k", compile) == b"compiled bytes"
    assert first.stats == {"memory": 1, "disk": 0, "compiled": 1}
    second = CompileCache(str(tmp_path))  # another process, in effect
    assert second.get("k", compile) == b"compiled bytes"
    assert second.stats == {"memory": 0, "disk": 1, "compiled": 0}
    assert compile.calls == 1


def test_writes_leave_no_temporary_files(tmp_path):
    cache = CompileCache(str(tmp_path))
    for i in range(3):
        cache.get(f"k{i}", Compiler())
    assert sorted(os.listdir(cache.directory)) == ["k0.bin", "k1.bin", "k2.bin"]


@pytest.mark.parametrize("damage", ["truncate", "flip", "empty", "garbage"])
def test_a_damaged_entry_is_compiled_again(tmp_path, damage):
    CompileCache(str(tmp_path)).get("k", Compiler(b"x" * 1000))
    path = CompileCache(str(tmp_path)).path("k")
    data = open(path, "rb").read()
    damaged = {"truncate": data[:len(data) // 2], "flip": data[:-1] + bytes([data[-1] ^ 1]), "empty": b"",
               "garbage": b"not a cache entry"}[damage]
    with open(path, "wb") as f:
        f.write(damaged)
    compile = Compiler(b"x" * 1000)
    cache = CompileCache(str(tmp_path))
    assert cache.get("k", compile) == b"x" * 1000
    assert compile.calls == 1 and cache.stats["compiled"] == 1
    assert CompileCache(str(tmp_path)).get("k", Compiler(b"other")) == b"x" * 1000  # rewritten whole


def test_an_unwritable_directory_only_warns(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache directory would be")
    cache = CompileCache(str(blocker))
    with pytest.warns(RuntimeWarning, match="cannot write the compile cache"):
        assert cache.get("k", Compiler()) == b"compiled bytes"


def test_environment_chooses_the_directory(tmp_path, monkeypatch):
    monkeypatch.setenv("NUMERIX_CACHE_DIR", str(tmp_path))
    assert CompileCache().directory == os.path.join(str(tmp_path), "iree")


def test_key_covers_every_part():
    base = key("module text", "llvm-cpu", "--flag", "3.13")
    others = [key("module text ", "llvm-cpu", "--flag", "3.13"), key("module text", "cuda", "--flag", "3.13"),
              key("module text", "llvm-cpu", "--flag2", "3.13"), key("module text", "llvm-cpu", "--flag", "3.14"),
              key("module text", "llvm-cpu--flag", "", "3.13")]
    assert base not in others and len(set(others)) == len(others)


SCRIPT = textwrap.dedent("""
    import numpy as np
    import numerix as nx
    from numerix.passes import pipeline
    from numerix.runtime.iree import CACHE, PROGRAMS

    passes = []
    run_pipeline = pipeline.run_pipeline
    pipeline.run_pipeline = lambda *args, **kwargs: passes.append(1) or run_pipeline(*args, **kwargs)

    @nx.defn
    def f(x, y):
        return nx.exp(x) * y - 1

    x = nx.tensor(np.arange(6, dtype=np.float64).reshape(2, 3))
    out = f(x, x).numpy()
    assert np.allclose(out, np.exp(np.arange(6.0)).reshape(2, 3) * np.arange(6.0).reshape(2, 3) - 1)
    print(CACHE.stats["compiled"], CACHE.stats["disk"], PROGRAMS.stats["disk"], len(passes))
""")


def test_a_second_process_does_not_compile_again(tmp_path):
    """Nor run the passes and the lowering: the program is found by its traced text."""
    env = dict(os.environ, NUMERIX_CACHE_DIR=str(tmp_path))

    def run():
        done = subprocess.run([sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        return done.stdout.split()

    assert run() == ["1", "0", "0", "1"]  # compiled once
    assert run() == ["0", "1", "1", "0"]  # loaded from disk, without running the passes
    for entry in os.listdir(tmp_path / "iree"):  # a program whose module is gone is built again
        os.unlink(tmp_path / "iree" / entry)
    assert run() == ["1", "0", "1", "1"]
    assert run() == ["0", "1", "1", "0"]


def test_a_traced_program_is_reused_only_by_the_same_numerix(monkeypatch):
    from numerix.passes import pipeline
    from numerix.runtime import iree
    passes = []
    run_pipeline = pipeline.run_pipeline

    def counted(*args, **kwargs):
        passes.append(1)
        return run_pipeline(*args, **kwargs)
    monkeypatch.setattr(pipeline, "run_pipeline", counted)
    x = nx.tensor([1.0, 2.0])

    def call():  # a new defn each time: its own cache of compiled signatures is empty
        return nx.defn(lambda x: nx.sin(x) * 3 + 0.25)(x).numpy()
    edition = os.urandom(8).hex()  # no earlier run of this test has cached under it
    monkeypatch.setattr(iree, "source_fingerprint", lambda: f"numerix as it was {edition}")
    expected = call()
    np.testing.assert_allclose(call(), expected)
    assert len(passes) == 1
    monkeypatch.setattr(iree, "source_fingerprint", lambda: f"numerix after an edit {edition}")
    np.testing.assert_allclose(call(), expected)
    assert len(passes) == 2


@pytest.mark.skipif(shutil.which("ld") is None, reason="the flags change only where a system linker is found")
def test_a_traced_program_is_reused_only_with_the_same_machine_flags(monkeypatch):
    """A system linker on the PATH changes the flags (libm is linked by it): a program built with one is not loaded
    where there is none."""
    from numerix.passes import iree_policy, pipeline
    from numerix.runtime import iree
    passes = []
    optimize = pipeline.optimize
    monkeypatch.setattr(pipeline, "optimize", lambda *args, **kwargs: passes.append(1) or optimize(*args, **kwargs))
    edition = os.urandom(8).hex()  # no earlier run of this test has cached under it
    monkeypatch.setattr(iree, "source_fingerprint", lambda: f"numerix {edition}")
    x = nx.tensor([1.0, 2.0])

    def call():  # a new defn each time: its own cache of compiled signatures is empty
        return nx.defn(lambda x: nx.exp(x) * 3 + 0.25)(x).numpy()
    expected = call()
    monkeypatch.setattr(iree_policy.shutil, "which", lambda name: None)
    np.testing.assert_allclose(call(), expected)
    assert len(passes) == 2


def test_the_disk_cache_keeps_within_its_size_by_evicting_the_least_recently_used(tmp_path, monkeypatch):
    monkeypatch.setenv("NUMERIX_CACHE_MAX_BYTES", str(4000))
    cache = CompileCache(str(tmp_path))
    for index, name in enumerate("abc"):  # ~1050 bytes each with the header
        cache.get(name, Compiler(bytes([index]) * 1000))
        os.utime(cache.path(name), (index, index))  # a before b before c
    fresh = CompileCache(str(tmp_path))
    assert fresh.get("a", Compiler(b"recompiled")) == bytes([0]) * 1000  # read from disk: a is now the most recent
    fresh.get("d", Compiler(b"\x03" * 1000))  # past 4000 bytes: evict down to 3000, oldest first (b, then c)
    remaining = sorted(name[:-4] for name in os.listdir(cache.directory) if name.endswith(".bin"))
    assert remaining == ["a", "d"]


@pytest.mark.parametrize("text, size", [("4000", 4000), ("512B", 512), ("4 KB", 4000), ("4KiB", 4096),
                                        ("1GB", 10**9), ("1gib", 2**30), ("1.5MB", 1_500_000), ("2 MiB", 2 << 20),
                                        ("", 1 << 30)])
def test_the_cache_size_reads_units(monkeypatch, text, size):
    monkeypatch.setenv("NUMERIX_CACHE_MAX_BYTES", text)
    assert max_bytes() == size


def test_a_cache_size_with_a_unit_still_evicts(tmp_path, monkeypatch):
    monkeypatch.setenv("NUMERIX_CACHE_MAX_BYTES", "4KB")
    cache = CompileCache(str(tmp_path))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for name in "abcd":  # ~1050 bytes each: the fourth takes it past 4000 bytes
            cache.get(name, Compiler(b"x" * 1000))
    assert len(os.listdir(cache.directory)) < 4


def test_a_cache_size_that_is_not_one_warns_once_and_keeps_the_default(tmp_path, monkeypatch):
    value = f"lots {os.urandom(4).hex()}"  # a value no other test warned about
    monkeypatch.setenv("NUMERIX_CACHE_MAX_BYTES", value)
    cache = CompileCache(str(tmp_path))
    with pytest.warns(RuntimeWarning) as caught:
        for name in "abc":
            cache.get(name, Compiler())
        assert max_bytes() == 1 << 30
    assert len(caught) == 1
    message = str(caught[0].message)
    assert "NUMERIX_CACHE_MAX_BYTES" in message and repr(value) in message and "GiB" in message
    assert "cannot write" not in message


def test_an_entry_copied_under_another_key_is_compiled_again(tmp_path):
    CompileCache(str(tmp_path)).get("a", Compiler(b"program a"))
    CompileCache(str(tmp_path)).get("b", Compiler(b"program b"))
    cache = CompileCache(str(tmp_path))
    shutil.copyfile(cache.path("a"), cache.path("b"))
    compile = Compiler(b"program b")
    assert cache.get("b", compile) == b"program b"
    assert compile.calls == 1 and cache.stats["compiled"] == 1
    assert CompileCache(str(tmp_path)).get("b", Compiler(b"other")) == b"program b"  # rewritten under its key


def test_a_defn_whose_module_entry_was_overwritten_by_another_compiles(tmp_path, monkeypatch):
    """A .vmfb copied over another program's entry is not run in its place."""
    from numerix.runtime import iree

    def new_process():
        monkeypatch.setattr(iree, "CACHE", CompileCache(str(tmp_path)))
        monkeypatch.setattr(iree, "PROGRAMS", CompileCache(str(tmp_path), kind="iree-programs"))

    def function(op):  # both named f, as the entry functions of their modules are
        def f(a):
            return op(a)
        return f
    sine, cosine = function(nx.sin), function(nx.cos)
    x = nx.tensor([1.0, 2.0])
    modules = tmp_path / "iree"
    new_process()
    nx.defn(sine)(x)
    [sine_entry] = os.listdir(modules)
    nx.defn(cosine)(x)
    [cosine_entry] = set(os.listdir(modules)) - {sine_entry}
    shutil.copyfile(modules / sine_entry, modules / cosine_entry)
    new_process()
    np.testing.assert_allclose(nx.defn(cosine)(x).numpy(), np.cos([1.0, 2.0]), rtol=1e-6)
    assert iree.CACHE.stats == {"memory": 0, "disk": 0, "compiled": 1}
