"""Serialization and conversion: nx.serialize/deserialize (every type, shape, names, containers; the documented
byte layout; corrupt input), to_binary/from_binary, to_flat_list, to_batched, to_template, to_heatmap (Nx's own
heatmap tests), load_numpy/load_numpy_archive, and DLPack with NumPy and JAX. Nx's doc examples are translated with
numerix's default integer, s64, where Nx prints s32."""
import collections
import io
import struct
import sys

import numpy as np
import pytest

import numerix as nx
from numerix.serialize import MAGIC

from conftest import ALL_TYPES, sample



def _jax():
    """JAX and jax.numpy, or a skip where JAX is not installed (CI installs no JAX; these tests run where it is)."""
    return pytest.importorskip("jax"), pytest.importorskip("jax.numpy")


def assert_identical(actual, expected):
    """Same type, shape, names and bytes (so nan payloads and -0.0 count too)."""
    assert isinstance(actual, nx.Tensor)
    assert actual.ttype == expected.ttype, f"{actual.ttype} != {expected.ttype}"
    assert nx.to_binary(actual) == nx.to_binary(expected)


def special_values(type):
    """A tensor of `type` holding the type's edge values: extremes, and for floats inf, -inf, nan and -0.0."""
    t = nx.as_dtype(type)
    if t.is_bool:
        return nx.tensor([True, False, True])
    if t.is_integer:
        info = np.iinfo(t.np)
        return nx.tensor(np.array([info.min, info.max, 0, 1], t.np))
    real = t.real_type
    base = np.array([np.inf, -np.inf, np.nan, -0.0, float(nx.finfo(real).max), 1.5], np.float64)
    if t.is_complex:
        values = np.empty(base.shape, np.complex128)
        values.real, values.imag = base, base[::-1]  # not base + 1j * ..., where inf * 1j makes a nan real part
        return nx.tensor(values, type=t)
    return nx.tensor(base, type=t)


# ---- serialize / deserialize ----

def test_nx_doc_examples():
    a = nx.tensor([1, 2, 3])
    assert_identical(nx.deserialize(nx.serialize(a)), a)
    out_a, out = nx.deserialize(nx.serialize((nx.tensor([1, 2, 3]), {"b": nx.tensor([4, 5, 6])})))
    assert out_a.tolist() == [1, 2, 3] and out["b"].tolist() == [4, 5, 6]


@pytest.mark.parametrize("type", ALL_TYPES)
@pytest.mark.parametrize("shape", [(), (0,), (3, 0, 2), (2, 3)], ids=["0-d", "empty", "empty-3d", "2x3"])
def test_round_trips_every_type_and_shape(type, shape):
    t = nx.tensor(sample(type, shape, seed=1), type=type)
    assert_identical(nx.deserialize(nx.serialize(t)), t)


@pytest.mark.parametrize("type", ALL_TYPES)
def test_round_trips_edge_values_exactly(type):
    t = special_values(type)
    assert_identical(nx.deserialize(nx.serialize(t)), t)


def test_round_trips_names_including_non_ascii_and_partial():
    t = nx.tensor(np.arange(24.0).reshape(2, 3, 4), names=["batch", None, "\u00e9t\u00e9"])
    out = nx.deserialize(nx.serialize(t))
    assert out.names == ("batch", None, "\u00e9t\u00e9")
    assert_identical(out, t)


def test_round_trips_containers_keeping_their_structure():
    value = {"w": nx.tensor([[1.0, 2.0]]), 7: [nx.tensor(1, type="u8"), (None, nx.tensor(True))], "empty": ((), [], {}),
             "nested": {"deep": [[[nx.tensor([], type="c64")]]]}}
    out = nx.deserialize(nx.serialize(value))
    assert list(out) == ["w", 7, "empty", "nested"]
    assert_identical(out["w"], value["w"])
    assert isinstance(out[7], list) and isinstance(out[7][1], tuple) and out[7][1][0] is None
    assert_identical(out[7][0], value[7][0])
    assert_identical(out[7][1][1], value[7][1][1])
    assert out["empty"] == ((), [], {})
    assert_identical(out["nested"]["deep"][0][0][0], value["nested"]["deep"][0][0][0])


def test_numbers_and_numpy_arrays_come_back_as_tensors_of_nx_tensor_types():
    out = nx.deserialize(nx.serialize([1, 2.5, True, 1 + 2j, np.float64(3.0), np.arange(3, dtype=np.int16)]))
    assert [t.type for t in out] == [nx.s64, nx.f32, nx.bool, nx.c64, nx.f64, nx.s16]
    assert [t.tolist() for t in out] == [1, 2.5, True, 1 + 2j, 3.0, [0, 1, 2]]


def test_the_byte_layout_is_the_documented_one():
    t = nx.tensor([1, 258], type="u16", names=["x"])
    expected = (MAGIC + struct.pack("<HB", 1, 0) + b"T" + struct.pack("<I", 3) + b"u16" + struct.pack("<IQ", 1, 2)
                + struct.pack("<I", 2) + b"x" + struct.pack("<Q", 4) + bytes([1, 0, 2, 1]))
    assert nx.serialize(t) == expected
    container = nx.serialize({"k": None, -1: (nx.tensor(True),)})
    assert container[11:] == (b"{" + struct.pack("<Q", 2) + b"s" + struct.pack("<I", 1) + b"k" + b"N" + b"i"
                              + struct.pack("<q", -1) + b"(" + struct.pack("<Q", 1) + b"T" + struct.pack("<I", 4)
                              + b"bool" + struct.pack("<IQ", 0, 1) + b"\x01")


def test_compressed_is_smaller_for_regular_data_and_round_trips():
    t = nx.tensor(np.zeros((100, 100), np.float32))
    packed = nx.serialize(t, compressed=9)
    assert len(packed) < len(nx.serialize(t)) // 10 and packed[10] == 1  # the flags byte says zlib
    assert_identical(nx.deserialize(packed), t)
    with pytest.raises(nx.NxValueError, match="zlib level"):
        nx.serialize(t, compressed=10)


def test_deserialized_tensors_do_not_change_when_a_bytearray_source_does():
    data = bytearray(nx.serialize(nx.tensor([1.0, 2.0])))
    out = nx.deserialize(data)
    data[-8:] = bytes(8)
    assert out.tolist() == [1.0, 2.0]


@pytest.mark.parametrize("value, match", [
    (collections.namedtuple("Pair", "a b")(1, 2), r"tuple\(x\) or x._asdict\(\)"),
    ({1.5: nx.tensor(1)}, "dict keys"),
    ({1, 2}, "cannot serialize a set"),
    (nx.template((2,), "f32"), "no data"),
    ("text", "cannot serialize a str"),
])
def test_values_the_format_cannot_hold_are_type_errors(value, match):
    with pytest.raises(nx.NxTypeError, match=match):
        nx.serialize(value)


def test_a_traced_tensor_cannot_be_serialized_inside_defn():
    with pytest.raises(nx.NxTraceError, match="serialize"):
        nx.defn(lambda x: nx.serialize(x) and x, compiler="evaluator")(nx.tensor([1.0]))


def _corruption_payload():
    return nx.serialize({"a": nx.tensor([[1, 2]], names=["r", "c"], type="s16"), "b": [nx.tensor(True), None]})


def test_every_truncation_is_a_value_error():
    data = _corruption_payload()
    for cut in range(len(data)):
        with pytest.raises(nx.NxValueError):
            nx.deserialize(data[:cut])


def test_any_single_byte_change_is_a_value_error_or_a_value():
    """The reader never fails with anything but NxValueError, whatever the byte: no IndexError, struct.error..."""
    data = _corruption_payload()
    for i in range(len(data)):
        for byte in (0x00, 0x01, 0x7F, 0xFF):
            corrupt = data[:i] + bytes([byte]) + data[i + 1:]
            try:
                nx.deserialize(corrupt)
            except nx.NxValueError:
                pass


@pytest.mark.parametrize("data, match", [
    (b"", "not numerix serialized data"),
    (b"hello world, no magic", "not numerix serialized data"),
    (b"\x93NUMPY\x01\x00rest", "nx.load_numpy"),
    (b"PK\x03\x04rest", "nx.load_numpy_archive"),
    (MAGIC + struct.pack("<HB", 2, 0) + b"N", "numerix format v2"),
    (MAGIC + struct.pack("<HB", 1, 2) + b"N", "unknown flags"),
    (MAGIC + struct.pack("<HB", 1, 1) + b"not zlib", "compressed body is corrupt"),
    (MAGIC + struct.pack("<HB", 1, 0) + b"NN", "1 unexpected bytes"),
    (MAGIC + struct.pack("<HB", 1, 0) + b"?", "unknown node tag"),
    (MAGIC + struct.pack("<HB", 1, 0) + b"T" + struct.pack("<I", 3) + b"f12", "unknown type 'f12'"),
    (MAGIC + struct.pack("<HB", 1, 0) + b"T" + struct.pack("<I", 3) + b"f32" + struct.pack("<IQIQ", 1, 2, 0, 4)
     + bytes(4), "has 4 bytes of data, not 8"),
    (MAGIC + struct.pack("<HB", 1, 0) + b"T" + struct.pack("<I", 4) + b"bool" + struct.pack("<IQ", 0, 1) + b"\x02",
     "other than 0 and 1"),
    (MAGIC + struct.pack("<HB", 1, 0) + b"T" + struct.pack("<I", 3) + b"f32" + struct.pack("<I", 65), "rank 65"),
    (MAGIC + struct.pack("<HB", 1, 0) + b"[" + struct.pack("<Q", 2**40), "claims 1099511627776 items"),
    (MAGIC + struct.pack("<HB", 1, 0) + b"{" + struct.pack("<Q", 2) + (b"i" + struct.pack("<q", 5) + b"N") * 2,
     "key 5 repeats"),
    (MAGIC + struct.pack("<HB", 1, 0) + b"{" + struct.pack("<Q", 1) + b"s" + struct.pack("<I", 1) + b"\xff" + b"N",
     "not UTF-8"),
    (MAGIC + struct.pack("<HB", 1, 0) + b"[\x01\x00", "truncated: a length needs 8 bytes at byte 12, 2 left"),
    (MAGIC + struct.pack("<HB", 1, 0) + (b"(" + struct.pack("<Q", 1)) * 300 + b"N", "nest deeper"),
])
def test_corrupt_or_foreign_input_is_a_clear_value_error(data, match):
    with pytest.raises(nx.NxValueError, match=match):
        nx.deserialize(data)


def test_deserialize_reads_bytes_only():
    with pytest.raises(nx.NxTypeError, match="reads bytes"):
        nx.deserialize("a string")


# ---- to_binary / from_binary ----

def test_to_binary_nx_examples():
    assert nx.to_binary(1) == struct.pack("=q", 1)  # numerix's default integer is s64 (Nx: s32)
    assert nx.to_binary(nx.tensor([1.0, 2.0, 3.0])) == struct.pack("=3f", 1.0, 2.0, 3.0)
    assert nx.to_binary(nx.tensor([1.0, 2.0, 3.0]), limit=2) == struct.pack("=2f", 1.0, 2.0)
    assert nx.to_binary(nx.tensor([[1, 2], [3, 4]], type="s8"), limit=10) == bytes([1, 2, 3, 4])


def test_from_binary_nx_examples():
    t = nx.from_binary(bytes([1, 2, 3, 4]), "s8")
    assert t.type == nx.s8 and t.shape == (4,) and t.tolist() == [1, 2, 3, 4]
    t = nx.from_binary(struct.pack("=d", 12.3), "f64")
    assert t.type == nx.f64 and t.tolist() == [12.3]
    with pytest.raises(nx.NxValueError, match="does not match the given size"):
        nx.from_binary(bytes([1, 2, 3, 4]), "f64")


@pytest.mark.parametrize("type", ALL_TYPES)
def test_from_binary_inverts_to_binary_for_every_type(type):
    t = special_values(type)
    out = nx.from_binary(nx.to_binary(t), type)
    assert_identical(out, t)


def test_from_binary_edge_cases():
    assert nx.from_binary(b"", "f32").shape == (0,)  # Nx raises on empty input; numerix has empty tensors
    with pytest.raises(nx.NxValueError, match="other than 0 and 1"):
        nx.from_binary(b"\x00\x05", "bool")
    with pytest.raises(nx.NxTypeError, match="reads bytes"):
        nx.from_binary([1, 2], "u8")
    source = bytearray(b"\x01\x02")
    t = nx.from_binary(source, "u8")
    source[0] = 9
    assert t.tolist() == [1, 2]
    with pytest.raises(nx.NxValueError, match="limit"):
        nx.to_binary(nx.tensor([1]), limit=-1)


def test_to_binary_needs_values():
    with pytest.raises(nx.NxTraceError, match="to_binary"):
        nx.defn(lambda x: nx.to_binary(x) and x, compiler="evaluator")(nx.tensor([1.0]))


# ---- to_flat_list ----

def test_to_flat_list_nx_examples():
    assert nx.to_flat_list(1) == [1]
    assert nx.to_flat_list(nx.tensor([1.0, 2.0, 3.0])) == [1.0, 2.0, 3.0]
    assert nx.to_flat_list(nx.tensor([1.0, 2.0, 3.0]), limit=2) == [1.0, 2.0]
    out = nx.to_flat_list(nx.tensor([-np.inf, np.nan, np.inf]))  # Nx: atoms; Python has the floats themselves
    assert out[0] == -np.inf and np.isnan(out[1]) and out[2] == np.inf


@pytest.mark.parametrize("type, python", [("bool", bool), ("u64", int), ("s8", int), ("f16", float),
                                          ("bf16", float), ("f64", float), ("c64", complex)])
def test_to_flat_list_gives_python_numbers(type, python):
    t = nx.tensor(sample(type, (2, 2)), type=type)
    out = nx.to_flat_list(t)
    assert [v.__class__ for v in out] == [python] * 4
    assert out == [python(v) for v in np.asarray(t).reshape(-1)]


# ---- to_batched ----

def test_to_batched_nx_examples():
    first, second = nx.to_batched(nx.iota((2, 2, 2)), 1)
    assert first.shape == (1, 2, 2) and first.tolist() == [[[0, 1], [2, 3]]]
    assert second.tolist() == [[[4, 5], [6, 7]]]
    batches = list(nx.to_batched(nx.iota((5, 2), names=["x", "y"]), 2))
    assert [b.tolist() for b in batches] == [[[0, 1], [2, 3]], [[4, 5], [6, 7]], [[8, 9], [0, 1]]]
    assert all(b.names == ("x", "y") and b.type == nx.s64 for b in batches)
    batches = list(nx.to_batched(nx.iota((5, 2), names=["x", "y"]), 2, leftover="discard"))
    assert [b.tolist() for b in batches] == [[[0, 1], [2, 3]], [[4, 5], [6, 7]]]


def test_to_batched_is_lazy_and_exact_when_the_axis_divides():
    batches = nx.to_batched(nx.iota((6,)), 3)
    assert iter(batches) is batches
    assert [b.tolist() for b in batches] == [[0, 1, 2], [3, 4, 5]]


@pytest.mark.parametrize("args, match", [
    ((nx.tensor(1), 1), "scalar"),
    ((nx.iota((2, 2)), 3), "cannot batch beyond original tensor"),
    ((nx.iota((2, 2)), 0), "positive int"),
    ((nx.iota((2, 2)), 1, "pad"), "'repeat' or 'discard'"),
])
def test_to_batched_errors_are_raised_at_the_call(args, match):
    with pytest.raises(nx.NxValueError, match=match):
        nx.to_batched(*args)


@pytest.mark.parametrize("compiler", ["iree", "evaluator"])
def test_to_batched_composes_slices_so_it_traces(compiler):
    f = nx.defn(lambda x: nx.stack(list(nx.to_batched(x, 2))), compiler=compiler)
    out = f(nx.iota((5, 3), type="f32"))
    assert out.shape == (3, 2, 3)
    assert out.tolist()[2] == [[12.0, 13.0, 14.0], [0.0, 1.0, 2.0]]


def test_to_batched_gradients_flow_through_the_slices_and_the_repeat():
    nx.testing.check_grads(lambda x: nx.stack(list(nx.to_batched(x, 2))) ** 2,
                           [nx.tensor(sample("f64", (5, 3)), type="f64")], compiler="evaluator")


# ---- to_template ----

def test_to_template_nx_examples():
    t = nx.to_template(nx.iota((2, 3)))
    assert isinstance(t, nx.Template) and t.shape == (2, 3) and t.type == nx.s64
    int_t, float_t = nx.to_template((1, 2.0))
    assert (int_t.type, int_t.shape, float_t.type, float_t.shape) == (nx.s64, (), nx.f32, ())
    with pytest.raises(nx.NxTypeError, match="Template"):
        nx.abs(t)


def test_to_template_keeps_structure_names_and_feeds_lower():
    Pair = collections.namedtuple("Pair", "w b")
    value = {"p": Pair(nx.tensor([[1.0, 2.0]], names=["r", "c"]), 0.5), "rest": [None, np.zeros(3, np.int8)]}
    out = nx.to_template(value)
    assert isinstance(out["p"], Pair) and out["p"].w.names == ("r", "c") and out["p"].b.type == nx.f32
    assert out["rest"][0] is None and out["rest"][1].type == nx.s8
    f = nx.defn(lambda a, b: a + b)
    lowered = f.lower(*nx.to_template((nx.tensor([1.0, 2.0]), 1.0)))
    assert "tensor<2xf32>" in lowered.as_text()
    with pytest.raises(nx.NxTypeError, match="template of a str"):
        nx.to_template("x")


# ---- to_heatmap: Nx's heatmap tests, with numerix's header (nx.Heatmap<) and default integer (s64) ----

TENSOR1 = [1, 2, 3, 4, 5]
TENSOR2 = [[1, 2, 3], [4, 5, 6], [7, 8, 9], [10, 11, 12]]
TENSOR3 = [[[1, 2, 3], [4, 5, 6]], [[7, 8, 9], [10, 11, 12]]]
NON_FINITE = [-np.inf, -1, np.nan, 1, np.inf]
G = "\x1b[48;5;{}m\u3000"  # an ANSI grey cell
R = "\x1b[0m"


def heatmap(data, ansi, **options):
    return repr(nx.to_heatmap(nx.tensor(data), ansi_enabled=ansi, **options))


@pytest.mark.parametrize("data, expected", [
    ([1, 1, 1], "nx.Heatmap<\n  s64[3]\n  000\n>"),
    (TENSOR1, "nx.Heatmap<\n  s64[5]\n  02579\n>"),
    (TENSOR2, "nx.Heatmap<\n  s64[4][3]\n  \n  012\n  234\n  567\n  789\n>"),
    (TENSOR3, "nx.Heatmap<\n  s64[2][2][3]\n  [\n    024\n    579,\n    \n    024\n    579\n  ]\n>"),
    (NON_FINITE, "nx.Heatmap<\n  f32[5]\n  -0x9+\n>"),
    ([NON_FINITE, NON_FINITE], "nx.Heatmap<\n  f32[2][5]\n  \n  -0x9+\n  -0x9+\n>"),
], ids=["equal", "rank1", "rank2", "rank3", "non-finite", "non-finite-rank2"])
def test_heatmap_without_ansi(data, expected):
    assert heatmap(data, False) == expected


@pytest.mark.parametrize("data, expected", [
    ([1, 1, 1], "nx.Heatmap<\n  s64[3]\n  " + G.format(232) * 3 + R + "\n>"),
    (TENSOR1, "nx.Heatmap<\n  s64[5]\n  " + "".join(G.format(g) for g in (232, 238, 244, 249, 255)) + R + "\n>"),
    (TENSOR2, "nx.Heatmap<\n  s64[4][3]\n  \n" + "\n".join(
        "  " + "".join(G.format(g) for g in row) + R
        for row in [(232, 234, 236), (238, 240, 242), (245, 247, 249), (251, 253, 255)]) + "\n>"),
    (TENSOR3, "nx.Heatmap<\n  s64[2][2][3]\n  [\n" + ",\n    \n".join(
        "    " + "".join(G.format(g) for g in (232, 237, 241)) + R + "\n    "
        + "".join(G.format(g) for g in (246, 250, 255)) + R for _ in range(2)) + "\n  ]\n>"),
    (NON_FINITE, "nx.Heatmap<\n  f32[5]\n  \x1b[48;5;232m\u221e" + G.format(232) + "\x1b[41m\u3000" + G.format(255)
     + "\x1b[48;5;255m\u221e" + R + "\n>"),
], ids=["equal", "rank1", "rank2", "rank3", "non-finite"])
def test_heatmap_with_ansi(data, expected):
    assert heatmap(data, True) == expected


def test_heatmap_nests_higher_ranks_and_stops_after_inspects_limit():
    text = repr(nx.to_heatmap(nx.iota((2, 2, 1, 2)), ansi_enabled=False))
    assert text == ("nx.Heatmap<\n  s64[2][2][1][2]\n  [\n    [\n      09,\n      \n      09\n    ],\n"
                    "    [\n      09,\n      \n      09\n    ]\n  ]\n>")
    text = repr(nx.to_heatmap(nx.iota((60, 1, 2)), ansi_enabled=False))
    assert text.count("09") == 50 and text.endswith(",\n    ...\n  ]\n>")


def test_heatmap_options_names_access_and_errors(monkeypatch):
    cells = "\x1b[48;5;232m \x1b[48;5;255m "
    assert heatmap([0, 1], True, ansi_whitespace=" ") == "nx.Heatmap<\n  s64[2]\n  " + cells + R + "\n>"
    named = repr(nx.to_heatmap(nx.tensor([[1, 2]], names=["x", None]), ansi_enabled=False))
    assert named.startswith("nx.Heatmap<\n  s64[x: 1][2]\n")
    hm = nx.to_heatmap(nx.tensor([[1, 2], [3, 4]]), ansi_whitespace=" ")
    assert hm[0, 0].tolist() == 1 and isinstance(hm[0, 0], nx.Tensor)
    assert hm[0].tensor.tolist() == [1, 2] and hm[0].ansi_whitespace == " "
    monkeypatch.setattr(sys.stdout, "isatty", lambda: False)
    assert repr(nx.to_heatmap(nx.tensor([1, 2]))) == "nx.Heatmap<\n  s64[2]\n  09\n>"
    with pytest.raises(nx.NxValueError, match="cannot show heatmap for scalar tensors"):
        nx.to_heatmap(nx.tensor(0))
    with pytest.raises(nx.NxTypeError, match="real values"):
        nx.to_heatmap(nx.tensor([1j]))


# ---- load_numpy / load_numpy_archive ----

def npy_bytes(array):
    buffer = io.BytesIO()
    np.save(buffer, array)
    return buffer.getvalue()


@pytest.mark.parametrize("type", [t for t in ALL_TYPES if t != "bf16"])  # .npy has no bf16 (NumPy lacks it)
@pytest.mark.parametrize("order", ["<", ">"])
def test_load_numpy_reads_every_type_in_either_byte_order(type, order):
    array = np.asarray(special_values(type))
    stored = array.astype(array.dtype.newbyteorder(order))
    t = nx.load_numpy(npy_bytes(stored))
    assert_identical(t, nx.tensor(array))


@pytest.mark.parametrize("array", [np.float32(2.5), np.zeros((0, 3), np.int32),
                                   np.asfortranarray(np.arange(6, dtype=np.int64).reshape(2, 3))],
                         ids=["0-d", "empty", "fortran"])
def test_load_numpy_shapes_and_orders(array):
    t = nx.load_numpy(npy_bytes(array))
    assert t.shape == np.shape(array) and t.tolist() == np.asarray(array).tolist()


def test_load_numpy_reads_a_path_and_version_2_headers(tmp_path):
    path = tmp_path / "array.npy"
    np.save(path, np.array([1, 2, 3], np.int32))
    assert nx.load_numpy(path).tolist() == [1, 2, 3] and nx.load_numpy(str(path)).type == nx.s32
    buffer = io.BytesIO()
    np.lib.format.write_array(buffer, np.arange(3.0), version=(2, 0))
    assert nx.load_numpy(buffer.getvalue()).tolist() == [0.0, 1.0, 2.0]


@pytest.mark.parametrize("data, error, match", [
    (b"not numpy", nx.NxValueError, "unable to parse NumPy file"),
    (npy_bytes(np.arange(4.0))[:-1], nx.NxValueError, "takes 32 bytes of data, the file has 31"),
    (npy_bytes(np.arange(4.0)) + b"\x00", nx.NxValueError, "takes 32 bytes"),
    (npy_bytes(np.array(["a", "b"])), nx.NxTypeError, "no type for"),
    (npy_bytes(np.array([{"a": 1}], dtype=object)), nx.NxTypeError, "no type for"),
    (npy_bytes(np.array([1, 2], "datetime64[s]")), nx.NxTypeError, "no type for"),
    (b"\x93NUMPY\x03\x00" + bytes(20), nx.NxValueError, "version 3.0"),
    (12, nx.NxTypeError, "bytes or a path"),
])
def test_load_numpy_errors(data, error, match):
    with pytest.raises(error, match=match):
        nx.load_numpy(data)


def test_load_numpy_archive_keeps_order_and_names(tmp_path):
    buffer = io.BytesIO()
    np.savez(buffer, foo=np.array([1, 2, 3], np.int32), bar=np.linspace(-1, 1, 5))
    out = nx.load_numpy_archive(buffer.getvalue())
    assert [name for name, _ in out] == ["foo", "bar"]
    assert out[0][1].type == nx.s32 and out[1][1].tolist() == [-1.0, -0.5, 0.0, 0.5, 1.0]
    path = tmp_path / "compressed.npz"
    np.savez_compressed(path, a=np.eye(2), b=np.array(True))
    loaded = dict(nx.load_numpy_archive(path))
    assert loaded["a"].tolist() == [[1.0, 0.0], [0.0, 1.0]] and loaded["b"].type == nx.bool


def test_load_numpy_archive_errors():
    with pytest.raises(nx.NxValueError, match="unable to parse NumPy archive"):
        nx.load_numpy_archive(b"PK\x03\x04 not really a zip")
    buffer = io.BytesIO()
    np.savez(buffer, bad=np.array(["text"]))
    with pytest.raises(nx.NxTypeError, match="no type for"):
        nx.load_numpy_archive(buffer.getvalue())


# ---- DLPack ----

DLPACK_TYPES = [t for t in ALL_TYPES if t != "bf16"]  # NumPy's DLPack has no bf16


@pytest.mark.parametrize("type", DLPACK_TYPES)
def test_numpy_reads_a_tensor_in_place_and_read_only(type):
    t = special_values(type)
    a = np.from_dlpack(t)
    assert np.shares_memory(a, t.numpy()) and not a.flags.writeable
    assert_identical(nx.from_dlpack(a), t)


def test_numpy_to_numerix_copies_by_default_and_shares_on_request():
    source = np.arange(4.0)
    copied, shared = nx.from_dlpack(source), nx.from_dlpack(source, copy=False)
    source[0] = -1.0
    assert copied.tolist()[0] == 0.0 and shared.tolist()[0] == -1.0


def test_jax_reads_a_tensor_without_a_copy():
    jax, jnp = _jax()
    t = nx.tensor(np.arange(100_000, dtype=np.float32))  # large, so 64-byte aligned as XLA needs to share it
    for take in (jnp.from_dlpack, jax.dlpack.from_dlpack):
        j = take(t)
        assert j.unsafe_buffer_pointer() == t.numpy().ctypes.data
        np.testing.assert_array_equal(np.asarray(j), t.numpy())


def test_numerix_reads_a_jax_array_without_a_copy():
    jax, jnp = _jax()
    x = jnp.arange(100_000, dtype=jnp.float32)
    t = nx.from_dlpack(x)
    assert t.numpy().ctypes.data == x.unsafe_buffer_pointer()
    assert t.tolist()[:3] == [0.0, 1.0, 2.0]


@pytest.mark.parametrize("type", ["bool", "u8", "s32", "f32", "c64"])
def test_round_trip_through_jax(type):
    jax, jnp = _jax()
    t = special_values(type)
    assert_identical(nx.from_dlpack(jnp.from_dlpack(t)), t)


def test_a_defn_result_read_only_in_numpy_reaches_jax_as_a_copy():
    jax, jnp = _jax()
    result = nx.defn(lambda x: x * 2, compiler="evaluator")(nx.tensor(np.ones(8, np.float32)))
    readonly = nx.tensor(np.frombuffer(np.ones(8, np.float32).tobytes(), np.float32))  # frozen memory, as IREE's
    for t in (result, readonly):
        np.testing.assert_array_equal(np.asarray(jnp.from_dlpack(t)), t.numpy())
    with pytest.raises(BufferError):
        readonly.__dlpack__(copy=False)


def _torch():
    """PyTorch, or a skip where it is not installed (CI installs none: its wheel is over 500 MB)."""
    return pytest.importorskip("torch")


def test_torch_reads_a_tensor_without_a_copy():
    torch = _torch()
    t = nx.tensor(np.arange(1000, dtype=np.float32))
    p = torch.from_dlpack(t)
    assert p.data_ptr() == t.numpy().ctypes.data
    np.testing.assert_array_equal(p.numpy(), t.numpy())


def test_numerix_reads_a_torch_tensor_without_a_copy_on_request():
    torch = _torch()
    p = torch.arange(1000, dtype=torch.float32)
    shared = nx.from_dlpack(p, copy=False)
    assert shared.numpy().ctypes.data == p.data_ptr()
    p[0] = -1.0
    assert shared.tolist()[0] == -1.0 and nx.from_dlpack(p).tolist()[0] == -1.0


@pytest.mark.parametrize("type", ["bool", "u8", "s16", "s64", "f16", "bf16", "f32", "f64", "c64", "c128"])
def test_round_trip_through_torch(type):
    torch = _torch()
    t = special_values(type)
    assert_identical(nx.from_dlpack(torch.from_dlpack(t)), t)


def test_dlpack_passes_dl_device_and_refuses_what_it_cannot_import():
    jax, jnp = _jax()
    t = nx.tensor([1.0, 2.0])
    assert np.from_dlpack(t, device="cpu").tolist() == [1.0, 2.0]
    assert t.__dlpack_device__() == (1, 0)  # kDLCPU
    with pytest.raises(nx.NxTypeError, match="DLPack"):
        nx.from_dlpack(jnp.array([1], dtype=jnp.int4))  # bf16 and f8 go through: tests/frontend/test_low_precision.py
    with pytest.raises(nx.NxValueError, match="device"):
        nx.from_dlpack(np.arange(2.0), device="cuda")
