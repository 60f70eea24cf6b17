"""Ahead-of-time export: nx.export compiles a function for given argument types into an IREE module (`.vmfb`) and
writes its signature beside it (`.json`); nx.load gives back a callable on numerix tensors that neither traces nor
compiles. nx-compile writes the same pair, nx-run runs it from the shell, and iree-run-module runs the .vmfb alone.

The signature file, format version 1, is JSON:

    {"format": "numerix-export", "version": 1,
     "numerix": "0.1.0", "iree": "3.13.0",    the versions that built it (IREE's must match to load)
     "target": "llvm-cpu", "device": null,     the IREE target; the device to load on (null: the target's default)
     "functions": {"mlp": {                     the module's function, by its name in the .vmfb (one per export)
        "inputs": [node, ...],                  one per positional argument
        "outputs": node}}}

    node  {"kind": "tensor", "type": "f32", "shape": [2, 3], "names": [null, null]}
          {"kind": "tuple", "items": [node, ...], "name": null | "Params", "fields": null | ["w", "b"]}
          {"kind": "list", "items": [node, ...]}
          {"kind": "dict", "keys": [key, ...], "items": [node, ...]}   (keys: strings, numbers, booleans, null)
          {"kind": "none"}
          {"kind": "static", "repr": "..."}    a static argument: compiled in; a call passes an equal value

The module's function takes the tensor leaves in flattening order (nx.defn's: containers depth first, dict keys in
their order) and returns the result leaves in that order; arrays the function captured are compiled in as
constants. The .vmfb keeps IREE's synchronous calling convention, so iree-run-module and any IREE runtime call it;
the hooks of the function (nx.hook, nx.print_value) are removed, since they would call back into Python."""
import collections
import json
import os
from importlib import metadata

from iree.compiler import ir
from iree.compiler.version import VERSION as IREE_VERSION

from numerix.dialect import dtypes
from numerix.dialect import ops as nx_ops
from numerix.dialect.errors import NxTypeError, NxValueError
from numerix.dialect.schema import TensorType
from numerix.passes.strip_hooks import strip_hooks
from numerix.passes.iree_policy import DEFAULT_DRIVERS, parse_device, runs_on
from numerix.runtime import iree
from numerix.runtime.iree_executable import Executable

from .defn import Defn, _describe_tree, _flatten, _unflatten, defn
from .dispatch import NUMPY
from .tensor import Tensor

__all__ = ["export", "load"]

FORMAT = "numerix-export"
FORMAT_VERSION = 1


def export(fn, *args, path, host=False, **options):
    """Compiles `fn` (a function or an nx.defn) for `args` (tensors, nx.template specs, containers of them, static
    values) into the IREE module `path` (a .vmfb) and writes its signature beside it (the same name, .json). Returns
    the signature (a dict). `options` are the iree compiler's (nx.defn's: target, device, flags, subnormals,
    cuda_target, rocm_target, vulkan_target, cpu, cpu_features), over those `fn` was defined with; a device is
    recorded as where nx.load runs the module by default. The module is built for any machine of the target's kind
    (IREE's embedded linking, a generic CPU) unless `host`: this machine's CPU, linked against its libm, which f64
    functions such as sin need.

    Examples:
        >>> import tempfile
        >>> def double(x):
        ...     return x * 2
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     signature = nx.export(double, nx.template((2,), "f32"), path=f"{folder}/double.vmfb")
        ...     print(nx.load(f"{folder}/double.vmfb")(nx.tensor([1.0, 2.5])))
        nx.Tensor<
          f32[2]
          [2., 5.]
        >
        >>> list(signature["functions"])
        ['double']
    """
    vmfb, signature = build_artifact(fn, args, host, options)
    write_artifact(path, vmfb, signature)
    return signature


def build_artifact(fn, args, host=False, options=None):
    """(.vmfb bytes, signature) of `fn` compiled for `args`, as export writes them."""
    fn = fn if isinstance(fn, Defn) else defn(fn)
    options = {**fn.options, **(options or {})}
    settings = iree.checked_options(options, load=False)
    lowered = fn.lower(*args)
    _, arg_nodes, _ = lowered.key
    built = iree.build(strip_hooks(embed_captured(lowered)), lowered.entry, settings.target, settings.flags,
                       artifact=True, host=host, subnormals=settings.subnormals)
    device = options.get("device") or options.get("driver")
    signature = {"format": FORMAT, "version": FORMAT_VERSION, "numerix": metadata.version("numerix"),
                 "iree": IREE_VERSION, "target": settings.target, "device": device,
                 "functions": {lowered.entry: {"inputs": [_encode(node) for node in arg_nodes],
                                               "outputs": _encode(lowered.out_tree)}}}
    return built.vmfb, signature


def embed_captured(lowered):
    """A copy of the lowered module with the arrays it captured (passed as trailing arguments) turned into
    constants, so that the function takes the user's arguments only."""
    module = nx_ops.clone_module(lowered.module)
    if not lowered.captured:
        return module
    with module.context, ir.Location.unknown():
        function = next(op for op in module.body.operations if op.operation.name == "func.func"
                        and ir.StringAttr(op.attributes["sym_name"]).value == lowered.entry)
        block = function.regions[0].blocks[0]
        first = len(block.arguments) - len(lowered.captured)
        with ir.InsertionPoint.at_block_begin(block):
            for argument, array in zip(list(block.arguments)[first:], lowered.captured):
                argument.replace_all_uses_with(nx_ops.build_constant(array, ir.Location.unknown()))
        for index in reversed(range(first, len(block.arguments))):
            block.erase_argument(index)
        function_type = ir.FunctionType(ir.TypeAttr(function.attributes["function_type"]).value)
        function.attributes["function_type"] = ir.TypeAttr.get(
            ir.FunctionType.get(list(function_type.inputs)[:first], list(function_type.results)))
    return module


def signature_path(path):
    """The signature file beside a .vmfb: model.vmfb -> model.json."""
    return os.path.splitext(os.fspath(path))[0] + ".json"


def write_artifact(path, vmfb, signature):
    """Writes the .vmfb at `path` and its signature beside it."""
    with open(path, "wb") as f:
        f.write(vmfb)
    with open(signature_path(path), "w") as f:
        json.dump(signature, f, indent=1)
        f.write("\n")


def load(path, device=None):
    """The exported function of the .vmfb at `path` (its signature beside it), as a callable on tensors, arrays and
    numbers that returns numerix tensors. It runs on `device` ("local-task", "cuda:0", ...; default: the one
    recorded at export, else the target's driver, local-sync for the CPU).

    Examples:
        >>> import tempfile
        >>> def double(x):
        ...     return x * 2
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     _ = nx.export(double, nx.template((2,), "f32"), path=f"{folder}/double.vmfb")
        ...     double_loaded = nx.load(f"{folder}/double.vmfb")
        >>> double_loaded(nx.tensor([1.0, 2.5]))
        nx.Tensor<
          f32[2]
          [2., 5.]
        >
    """
    signature = read_signature(path)
    functions = signature["functions"]
    if len(functions) != 1:
        raise NxValueError(f"{signature_path(path)} describes {len(functions)} functions; nx.load takes a module of "
                           "one", op="load")
    (entry, types), = functions.items()
    try:
        with open(path, "rb") as f:
            vmfb = f.read()
    except OSError as error:
        raise NxValueError(f"cannot read {path}: {error.strerror}", op="load") from None
    return Exported(entry, types, signature["target"], vmfb, device or signature["device"])


def read_signature(path):
    """The signature dict beside the .vmfb at `path`, checked: its format, its version, its IREE."""
    where = signature_path(path)
    try:
        with open(where) as f:
            signature = json.load(f)
    except OSError as error:
        raise NxValueError(f"cannot read the signature of {path}: {where}: {error.strerror} (nx.export and "
                           "nx-compile write it beside the .vmfb)", op="load") from None
    except json.JSONDecodeError as error:
        raise NxValueError(f"{where} is not JSON: {error}", op="load") from None
    if not isinstance(signature, dict) or signature.get("format") != FORMAT:
        raise NxValueError(f"{where} is not a numerix export signature", op="load")
    if signature.get("version") != FORMAT_VERSION:
        raise NxValueError(f"{where} is signature format version {signature.get('version')}; this numerix reads "
                           f"version {FORMAT_VERSION}", op="load")
    if signature["iree"] != IREE_VERSION:
        raise NxValueError(f"{path} was built by IREE {signature['iree']}; this numerix runs IREE {IREE_VERSION}, "
                           "which may not load it: export it again", op="load")
    return signature


class Exported:
    """A function loaded by nx.load: `f(*args)` with arguments of the exported signature (`f.inputs`, a tuple of
    trees; `f.outputs` the result tree, both as nx.defn flattens them) returns its results as numerix tensors."""

    def __init__(self, entry, types, target, vmfb, device):
        self.entry = entry
        self.target = target
        self.inputs = tuple(_decode(node) for node in types["inputs"])
        self.outputs = _decode(types["outputs"])
        self.input_types, self._out_types = _leaf_types(self.inputs), _leaf_types((self.outputs,))
        driver, index = parse_device(device or DEFAULT_DRIVERS[target] or "local-sync")
        if not runs_on(target, driver):
            raise NxValueError(f"device {device!r} does not run target {target} modules", op="load")
        self.device = f"{driver}:{index}"
        self._executable = Executable(vmfb, entry, self.input_types, self._out_types, driver, index)

    def __repr__(self):
        return f"<nx.load {self.entry}{self.signature()} -> {_describe_tree(self.outputs)} on {self.device}>"

    def signature(self):
        """The arguments it takes, as text: (f32[2][4], {'w': f32[4][3]})."""
        return "(" + ", ".join(_describe_tree(node) for node in self.inputs) + ")"

    def __call__(self, *args):
        leaves = []
        nodes = tuple(_flatten(a, False, leaves, (i,)) for i, a in enumerate(args))
        if len(nodes) != len(self.inputs) or not all(map(_same, self.inputs, nodes)):
            called = "(" + ", ".join(_describe_tree(node) for node in nodes) + ")"
            raise NxValueError(f"{self.entry} was exported for arguments {self.signature()}, called with {called}",
                               op="load")
        results = iter(self.run_arrays([leaf.numpy() for leaf in leaves]))
        return _unflatten(self.outputs, lambda ttype: Tensor(next(results), ttype, NUMPY))

    def input_paths(self):
        """Where each array that run_arrays takes goes: "0" (the first argument), "1.w" (its key "w"), ..."""
        return [path for i, node in enumerate(self.inputs) for path in leaf_paths(node, (str(i),))]

    def run_arrays(self, arrays):
        """Runs on NumPy arrays, one per tensor leaf of the arguments in flattening order (input_paths), each of its
        leaf's shape and type; returns the result leaves' arrays in order (leaf_paths(f.outputs))."""
        if len(arrays) != len(self.input_types):
            raise NxValueError(f"{self.entry} takes {len(self.input_types)} arrays, the tensors of {self.signature()}; "
                               f"got {len(arrays)}", op="load")
        for index, (array, ttype, path) in enumerate(zip(arrays, self.input_types, self.input_paths())):
            if array.shape != ttype.shape or array.dtype != ttype.type.np:
                raise NxTypeError(f"array {index} ({path}) is {array.dtype}{list(array.shape)}; {self.entry} takes "
                                  f"{ttype} there", op="load")
        return self._executable(*arrays)


def leaf_paths(node, prefix=()):
    """The paths of a tree's tensor leaves in flattening order: `prefix` and its containers' keys and indices joined
    by dots ("0", "w", "1.w"); a bare tensor without a prefix is "result"."""
    kind = node[0]
    if kind == "tensor":
        return [".".join(prefix) or "result"]
    if kind not in ("tuple", "list", "dict"):
        return []
    keys = node[1] if kind == "dict" else range(len(node[-1]))
    return [path for k, child in zip(keys, node[-1]) for path in leaf_paths(child, (*prefix, str(k)))]


def _leaf_types(nodes):
    """The TensorTypes of the tensor leaves of trees, in flattening order."""
    types = []
    for node in nodes:
        _unflatten(node, types.append)
    return types


def _same(expected, node):
    """Whether a call's argument tree fits an exported one: the same containers, each tensor of the same shape and
    type (axis names need not match: the result's are the export's), each static value equal by its repr."""
    kind = expected[0]
    if kind != node[0]:
        return False
    if kind == "tensor":
        return expected[1].shape == node[1].shape and expected[1].type == node[1].type
    if kind == "static":
        return expected[2] == repr(node[2])
    if kind == "none":
        return True
    if kind == "dict" and list(expected[1]) != list(node[1]):
        return False
    return len(expected[-1]) == len(node[-1]) and all(map(_same, expected[-1], node[-1]))


# ---- trees as JSON ----

def _encode(node):
    """A flattened tree (nx.defn's _flatten, _flatten_output) as JSON (the module docstring's node)."""
    kind = node[0]
    if kind == "tensor":
        ttype = node[1]
        return {"kind": "tensor", "type": ttype.type.name, "shape": list(ttype.shape), "names": list(ttype.names)}
    if kind == "static":
        return {"kind": "static", "repr": repr(node[2])}
    if kind == "none":
        return {"kind": "none"}
    if kind == "list":
        return {"kind": "list", "items": [_encode(n) for n in node[1]]}
    if kind == "dict":
        for k in node[1]:
            if not (k is None or isinstance(k, (str, int, float, bool))):
                raise NxTypeError(f"dict key {k!r} cannot be written to an export signature (JSON): keys are "
                                  "strings, numbers, booleans or None", op="export")
        return {"kind": "dict", "keys": list(node[1]), "items": [_encode(n) for n in node[2]]}
    named = hasattr(node[1], "_fields")
    return {"kind": "tuple", "items": [_encode(n) for n in node[2]], "name": node[1].__name__ if named else None,
            "fields": list(node[1]._fields) if named else None}


class _Repr(str):
    """A static value as the signature keeps it, its repr: shown as it was written."""

    def __repr__(self):
        return str(self)


def _decode(obj):
    """A JSON node back as a flattened tree; a named tuple as a namedtuple of the same name and fields, a static
    value as its repr."""
    kind = obj["kind"]
    if kind == "tensor":
        return ("tensor", TensorType.of(obj["shape"], dtypes.as_dtype(obj["type"]), obj["names"]))
    if kind == "static":
        return ("static", str, _Repr(obj["repr"]))
    if kind == "none":
        return ("none",)
    children = tuple(_decode(item) for item in obj["items"])
    if kind == "list":
        return ("list", children)
    if kind == "dict":
        return ("dict", tuple(obj["keys"]), children)
    if kind == "tuple":
        named = collections.namedtuple(obj["name"], obj["fields"]) if obj["name"] else tuple
        return ("tuple", named, children)
    raise NxValueError(f"unknown node kind {kind!r} in an export signature", op="load")

