"""One or more test functions per differentiable nx op, shared by the eager VJP tests (dialect/test_vjp.py) and the
gradient tests through the nx-grad pass (frontend/test_grad.py). A case builds the op with `apply` from float inputs
drawn from a domain where the op is smooth; integer operands (indices, predicates) are fixed inside the function."""
from typing import Callable, NamedTuple

import numpy as np

import numerix as nx
from numerix.dialect.elementwise import BINARY, UNARY
from numerix.dialect.grad import CALLS
from numerix.dialect.schema import SCHEMAS
from numerix.dispatch import apply


class Input(NamedTuple):
    shape: tuple
    low: float = -2.0
    high: float = 2.0


class Case(NamedTuple):
    fn: Callable  # fn(*tensors) -> Tensor or tuple of Tensors
    inputs: tuple  # one Input per argument
    complex: bool = False  # also checked at complex types
    real_only: bool = False  # no f32 run (e.g. ops whose f32 conditioning is too poor for finite differences)


def _op(name, **attrs):
    return lambda *xs: apply(name, list(xs), **attrs)


M = (3, 4)
# Domains inside which each elementwise op is smooth and well conditioned.
DOMAIN = {"log": (0.5, 3), "log1p": (-0.5, 3), "log2": (0.5, 3), "log10": (0.5, 3), "sqrt": (0.5, 3),
          "rsqrt": (0.5, 3), "cbrt": (0.5, 3), "asin": (-0.8, 0.8), "acos": (-0.8, 0.8), "acosh": (1.2, 3),
          "atanh": (-0.8, 0.8), "erf_inv": (-0.8, 0.8), "reciprocal": (0.5, 3), "tan": (-1.2, 1.2),
          "divide": (0.5, 3), "pow": (0.5, 2), "remainder": (0.5, 3), "atan2": (0.5, 3), "hypot": (0.5, 3)}
# Binary ops on complex numbers checked at real types only: max and min order complex numbers
# lexicographically, and remainder takes no complex operands.
REAL_ONLY = {"max", "min", "remainder"}

CASES = {}
for _name, _decl in UNARY.items():
    if _decl.derivative:
        _lo, _hi = DOMAIN.get(_name, (-2, 2))
        CASES[_name] = [Case(_op(_name), (Input(M, _lo, _hi),), complex=_decl.accepts in ("inexact", "number"))]
for _name, _decl in BINARY.items():
    if _decl.derivative:
        _lo, _hi = DOMAIN.get(_name, (-2, 2))
        CASES[_name] = [Case(_op(_name), (Input(M, _lo, _hi), Input(M, _lo, _hi)),
                             complex=_name not in REAL_ONLY and _decl.accepts != "float")]
# A real abs away from 0, and max/min at exact ties (each side takes half).
CASES["abs"].append(Case(_op("abs"), (Input(M, 0.5, 2),)))
CASES["max"].append(Case(lambda a: apply("max", [a, a * 1.0]), (Input(M),)))
CASES["min"].append(Case(lambda a: apply("min", [a, nx.sin(a) * 0 + a]), (Input(M),)))

_PRED = np.array([[True, False, True, True], [False, False, True, False], [True, True, False, True]])
CASES.update({
    "select": [Case(lambda a, b: apply("select", [nx.tensor(_PRED), a, b]), (Input(M), Input(M)), complex=True)],
    "as_type": [Case(lambda a: apply("as_type", [a], type=nx.c128 if a.type is nx.f64 else nx.c64) * (1 + 2j),
                     (Input(M),)),
                Case(lambda a: apply("as_type", [a], type=a.type.real_type) * 3, (Input(M),), complex=True),
                Case(lambda a: apply("as_type", [a], type=nx.f64), (Input(M),))],
    "complex": [Case(lambda a, b: apply("complex", [a, b]) * (2 - 1j), (Input(M), Input(M)))],
    "broadcast": [Case(_op("broadcast", shape=(2, 3, 4), axes=(1, 2)), (Input(M),), complex=True),
                  Case(_op("broadcast", shape=(3, 5, 4), axes=(0, 2)), (Input((3, 4)),)),
                  Case(_op("broadcast", shape=(3, 5, 4), axes=(0, 1)), (Input((1, 5)),))],
    "reshape": [Case(_op("reshape", shape=(2, 6), names=(None, None)), (Input(M),), complex=True)],
    "transpose": [Case(_op("transpose", axes=(2, 0, 1)), (Input((2, 3, 4)),), complex=True)],
    "slice": [Case(_op("slice", start_indices=(1, 0), limit_indices=(3, 4), strides=(1, 2)), (Input(M),),
                   complex=True),
              Case(_op("slice", start_indices=(0, 1), limit_indices=(3, 4), strides=(2, 3)), (Input(M),))],
    "pad": [Case(lambda x, v: apply("pad", [x, apply("reshape", [v], shape=(), names=())],
                                    pads=((1, 2, 1), (-1, 1, 0))), (Input(M), Input((1,)))),
            Case(lambda x, v: apply("pad", [x, apply("reshape", [v], shape=(), names=())],
                                    pads=((-1, -1, 2), (0, -2, 1))), (Input(M), Input((1,))), complex=True)],
    "concatenate": [Case(_op("concatenate", axis=1), (Input(M), Input((3, 2)), Input((3, 1))), complex=True)],
    "reverse": [Case(_op("reverse", axes=(0, 1)), (Input(M),), complex=True)],
    "put_slice": [Case(lambda x, u: apply("put_slice", [x, u, nx.tensor(1), nx.tensor(3)]),
                       (Input(M), Input((2, 2))), complex=True)],
    "sum": [Case(_op("sum", axes=(1,), keep_axes=False), (Input(M),), complex=True),
            Case(_op("sum", axes=(0, 1), keep_axes=True), (Input(M),))],
    "product": [Case(_op("product", axes=(1,), keep_axes=False), (Input(M),), complex=True),
                Case(_op("product", axes=(0, 2), keep_axes=True), (Input((2, 3, 4)),)),
                # exact zeros: the rule must not divide by them, nor its derivative
                Case(lambda x: apply("product", [x * nx.tensor(np.array([[1, 0, 1, 1], [0, 1, 0, 1], [1] * 4],
                                                                         x.type.np))], axes=(1,), keep_axes=False),
                     (Input(M),))],
    "reduce_max": [Case(_op("reduce_max", axes=(1,), keep_axes=False), (Input(M),)),
                   # ties: a column repeated, so each of the equal maxima takes half
                   Case(lambda x: apply("reduce_max", [apply("concatenate", [x, x], axis=1)], axes=(1,),
                                        keep_axes=True), (Input(M),))],
    "reduce_min": [Case(_op("reduce_min", axes=(0, 1), keep_axes=False), (Input(M),)),
                   Case(lambda x: apply("reduce_min", [apply("concatenate", [x, x], axis=0)], axes=(0,),
                                        keep_axes=False), (Input(M),))],
    "cumulative_sum": [Case(_op("cumulative_sum", axis=1, reverse=False), (Input(M),), complex=True),
                       Case(_op("cumulative_sum", axis=0, reverse=True), (Input(M),))],
    "cumulative_product": [
        Case(_op("cumulative_product", axis=1, reverse=False), (Input((3, 7)),), complex=True),
        Case(_op("cumulative_product", axis=0, reverse=True), (Input((5, 2)),)),
        Case(lambda x: apply("cumulative_product", [x * nx.tensor(np.array([1, 0, 1, 1, 0, 1], x.type.np))],
                             axis=0, reverse=False), (Input((6,)),))],
    "cumulative_max": [Case(_op("cumulative_max", axis=1, reverse=False), (Input((3, 7)),)),
                       Case(_op("cumulative_max", axis=0, reverse=True), (Input((6, 2)),)),
                       # runs of ties: [x0, x0, x1, x1, ...] along the axis
                       Case(lambda x: apply("cumulative_max", [apply("reshape", [apply(
                           "broadcast", [x], shape=(5, 2), axes=(0,))], shape=(10,), names=(None,))], axis=0,
                           reverse=False), (Input((5,)),))],
    "cumulative_min": [Case(_op("cumulative_min", axis=1, reverse=True), (Input((3, 7)),)),
                       Case(lambda x: apply("cumulative_min", [apply("concatenate", [x, x], axis=0)], axis=0,
                                            reverse=False), (Input((4,)),))],
    "dot": [Case(_op("dot", contract_axes_a=(1,), batch_axes_a=(), contract_axes_b=(0,), batch_axes_b=()),
                 (Input((3, 4)), Input((4, 2))), complex=True),
            Case(_op("dot", contract_axes_a=(0, 2), batch_axes_a=(3,), contract_axes_b=(3, 0), batch_axes_b=(1,)),
                 (Input((2, 3, 4, 5)), Input((4, 5, 3, 2))))],
})


_ROWS = np.array([[1], [3], [1], [4]])  # row 1 twice: its cotangents add up
_LOOKUP = dict(offset_dims=(1,), collapsed_slice_dims=(0,), start_index_map=(0,), index_vector_dim=1,
               slice_sizes=(1, 3))
_WINDOWS = dict(offset_dims=(1, 2), collapsed_slice_dims=(), start_index_map=(0, 1), index_vector_dim=1,
                slice_sizes=(2, 2))
CASES.update({
    "gather": [Case(lambda x: apply("gather", [x, nx.tensor(_ROWS)], **_LOOKUP), (Input((5, 3)),), complex=True),
               # the second window's start (3, 4) is clamped to (2, 3)
               Case(lambda x: apply("gather", [x, nx.tensor(np.array([[0, 1], [3, 4]]))], **_WINDOWS),
                    (Input((4, 5)),))],
    "scatter_add": [Case(lambda x, u: apply("scatter_add", [x, nx.tensor(_ROWS), u], **_LOOKUP),
                         (Input((5, 3)), Input((4, 3))), complex=True)],
    "sort": [Case(_op("sort", axis=1, descending=False), (Input((3, 5)),)),
             Case(_op("sort", axis=0, descending=True), (Input((4, 2)),))],
    "top_k": [Case(_op("top_k", k=2), (Input((3, 5)),))],
    "hook": [Case(lambda x, y: nx.hook((x, y), lambda values: None)[1] * 2, (Input(M), Input(M)), complex=True)],
})


_CONV = dict(input_permutation=(0, 1, 2, 3), kernel_permutation=(0, 1, 2, 3), output_permutation=(0, 1, 2, 3))
CASES["conv"] = [
    # strides, negative and positive padding, both dilations, feature groups
    Case(_op("conv", **_CONV, strides=(2, 1), padding_low=(1, 0), padding_high=(0, -1), input_dilation=(1, 2),
             kernel_dilation=(2, 1), feature_group_size=2, batch_group_size=1),
         (Input((2, 4, 4, 3)), Input((4, 2, 2, 2))), complex=True),
    # batch groups, 1-D, channels last with the output's axes reordered
    Case(_op("conv", strides=(1,), padding_low=(1,), padding_high=(0,), input_dilation=(1,), kernel_dilation=(1,),
             feature_group_size=1, batch_group_size=2, input_permutation=(0, 2, 1), kernel_permutation=(2, 1, 0),
             output_permutation=(1, 2, 0)),
         (Input((4, 3, 2)), Input((2, 2, 4)))),
]


# Windows over (4, 5) whose results are (4, 3), dilated (3, 3): overlapping, spaced and padded.
_WINDOW = dict(window_dimensions=(2, 3), strides=(1, 2), padding_low=(1, 0), padding_high=(0, 2))
_ZEROS = np.array([[1, 0, 1, 1, 1], [1, 1, 1, 0, 1], [0, 1, 1, 1, 1], [1, 1, 1, 1, 0]])
CASES.update({
    "window_sum": [Case(_op("window_sum", **_WINDOW, window_dilations=(2, 1)), (Input((4, 5)),), complex=True)],
    "window_product": [
        Case(_op("window_product", **_WINDOW, window_dilations=(1, 1)), (Input((4, 5)),), complex=True),
        # zeros in windows, one or two (the product of the others, without dividing)
        Case(lambda x: apply("window_product", [x * nx.tensor(_ZEROS.astype(x.type.np))], **_WINDOW,
                             window_dilations=(2, 1)), (Input((4, 5)),))],
    "window_max": [Case(_op("window_max", **_WINDOW, window_dilations=(1, 1)), (Input((4, 5)),)),
                   Case(_op("window_max", **_WINDOW, window_dilations=(2, 1)), (Input((4, 5)),))],
    "window_min": [Case(_op("window_min", **_WINDOW, window_dilations=(1, 1)), (Input((4, 5)),)),
                   Case(_op("window_min", **_WINDOW, window_dilations=(2, 1)), (Input((4, 5)),))],
    "window_scatter_max": [Case(_op("window_scatter_max", **_WINDOW), (Input((4, 5)), Input((4, 3)), Input(())))],
    "window_scatter_min": [Case(_op("window_scatter_min", **_WINDOW), (Input((4, 5)), Input((4, 3)), Input(())))],
})

def _shifted(x, by):
    """x + by * I: diagonally dominant, so well conditioned (and positive definite read from one triangle)."""
    return x + nx.eye(x.shape[-1], type=x.type) * by


def _complex(t):
    return t if t.type.is_complex else apply("as_type", [t], type=nx.c128 if t.type is nx.f64 else nx.c64)


def _rank_one(left, right):
    """The rank-one matrices left[..., :, k] right[..., :, k]^H, stacked on a last axis k. A decomposition determines
    its vectors only up to a sign (a phase for complex numbers, which an SVD's u_k and v_k share) that compiled code
    and LAPACK may choose differently; these products are free of it, while every entry of every vector still
    counts."""
    return nx.expand_dims(left, axis=-2) * nx.expand_dims(nx.conj(right), axis=-3)


def _eigh_parts(x):
    values, vectors = apply("eigh", [x])
    return values, _rank_one(vectors, vectors)


def _svd_parts(full_matrices):
    def fn(x):
        u, values, vh = apply("svd", [x], full_matrices=full_matrices)
        return values, _rank_one(u, nx.conj(nx.matrix_transpose(vh)))
    return fn


CASES.update({
    "cholesky": [Case(lambda x: apply("cholesky", [_shifted(x, 4)]), (Input((3, 3), -1, 1),), complex=True),
                 Case(lambda x: apply("cholesky", [_shifted(x @ nx.matrix_transpose(x), 1)]), (Input((2, 3, 3)),))],
    "eigh": [Case(_eigh_parts, (Input((3, 3)),)),
             Case(_eigh_parts, (Input((2, 3, 3)),), complex=True)],
    "qr": [Case(_op("qr", mode="reduced"), (Input((4, 3)),), complex=True),
           Case(_op("qr", mode="complete"), (Input((2, 3, 3)),))],
    "svd": [Case(_svd_parts(False), (Input((4, 3)),), complex=True),
            Case(_svd_parts(False), (Input((3, 4)),), complex=True),
            Case(_svd_parts(True), (Input((2, 3, 3)),), complex=True)],
    "solve": [Case(lambda a, b: apply("solve", [_shifted(a, 4), b]), (Input((3, 3)), Input((3, 2))), complex=True),
              Case(lambda a, b: apply("solve", [_shifted(a, 4), b]), (Input((2, 3, 3)), Input((2, 3, 1))))],
    "det": [Case(lambda a: apply("det", [_shifted(a, 3)]), (Input((2, 3, 3)),), complex=True)],
    "triangular_solve": [
        Case(lambda a, b: apply("triangular_solve", [_shifted(a, 4), b], lower=True), (Input((3, 3)), Input((3, 2))),
             complex=True),
        Case(lambda a, b: apply("triangular_solve", [_shifted(a, 4), b], lower=False),
             (Input((2, 3, 3)), Input((2, 3, 1))))],
    "lu": [Case(lambda a: apply("lu", [_shifted(a, 4)])[1:], (Input((3, 3)),), complex=True),
           Case(lambda a: apply("lu", [a])[1:], (Input((2, 3, 3)),))],
    "slogdet": [Case(lambda a: apply("slogdet", [_shifted(a, -4)]), (Input((3, 3)),), complex=True)],
    "fft": [Case(lambda x: apply("fft", [_complex(x)], kind="fft", lengths=(4,)), (Input((3, 4)),), complex=True),
            Case(lambda x: apply("fft", [_complex(x)], kind="ifft", lengths=(3, 6)), (Input((2, 4, 5)),),
                 complex=True),
            Case(_op("fft", kind="rfft", lengths=(6,)), (Input((3, 5)),)),
            Case(_op("fft", kind="rfft", lengths=(3, 5)), (Input((3, 4)),)),
            Case(lambda x: apply("fft", [_complex(x)], kind="irfft", lengths=(6,)), (Input((3, 4)),), complex=True),
            Case(lambda x: apply("fft", [_complex(x)], kind="irfft", lengths=(2, 5)), (Input((3, 4)),),
                 complex=True)],
})


def differentiable_ops():
    """The ops a gradient goes through: the differentiable ones, less those that call a function (nx.grad and
    nx.value_and_grad), which nx-grad expands instead."""
    return sorted(name for name, schema in SCHEMAS.items() if schema.differentiable and name not in CALLS)
