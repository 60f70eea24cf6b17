"""nx.random against Nx.Random: every documented example of Nx's random.ex with its printed numbers, eagerly and in
one defn on IREE and on the evaluator; Random123's known answers for Threefry-2x32-20; the same bits on every
backend; the distributions' moments; gradients; errors. (nx.bitcast, added for nx.random, is tested here too.)"""
import math

import numpy as np
import pytest

import numerix as nx

R = nx.random
COMPILERS = ["iree", "evaluator"]


def on_every_backend(fn, *args):
    """fn(*args) eagerly, then under defn on each compiler: [(name, result), ...]."""
    return [("eager", fn(*args))] + [(c, nx.defn(fn, compiler=c)(*args)) for c in COMPILERS]


def assert_within_roundings(actual, expected, shift, roundings=2):
    """|actual - expected| within `roundings` ulps of |expected| + |shift|: what rounding a product before adding
    `shift` to it (or not) can change, where the sum may cancel to far fewer digits than either term."""
    a, e = actual.numpy(), expected.numpy()
    assert a.dtype == e.dtype
    bound = roundings * np.spacing(np.abs(e) + abs(shift))
    assert np.all(np.abs(a.astype(np.float64) - e) <= bound), np.max(np.abs(a.astype(np.float64) - e) / bound)


def bits_of(t):
    a = np.asarray(t.numpy())
    return a.view(np.dtype(f"u{a.dtype.itemsize}")) if a.dtype.kind in "fc" and a.dtype.itemsize <= 8 else a


# ---- Nx's examples (nx/lib/nx/random.ex), all in one defn ----

def nx_examples(k1, k2, k10, k12, k42, k1337, k1701, k_big, seed):
    """Each documented example of Nx.Random, keys given as arguments: (result, what Nx prints)."""
    out = {}
    out["key(12)"] = R.key(12), [0, 12]
    out["key(999999999999)"] = R.key(999999999999), [232, 3567587327]
    out["key(traced s64 seed)"] = R.key(seed), [232, 3567587327]
    out["moduledoc uniform"] = R.uniform(k12)[0], 0.7691127061843872
    out["split"] = R.split(k1701), [[56197195, 1801093307], [961309823, 1704866707]]
    out["split parts 4"] = R.split(k1701, parts=4), [[4000152724, 2030591747], [2287976877, 2598630646],
                                                     [2426625787, 580268518], [3136765380, 433355682]]
    out["fold_in 99"] = R.fold_in(k42, 99), [2015327502, 1351855566]
    out["fold_in 1234"] = R.fold_in(k42, 1234), [1356445167, 2917756949]
    out["fold_in tensor"] = R.fold_in(k42, nx.tensor([[1, 99], [1234, 13]])), [
        [[64467757, 2916123636], [2015327502, 1351855566]], [[1356445167, 2917756949], [3514951389, 229662949]]]
    # Nx's default integer is s32 (numerix's s64): its randint(key, 1, 100) draws 32-bit numbers.
    out["randint"] = R.randint(k1701, 1, 100, type=nx.s32)[0], 91
    out["randint u32"] = R.randint(k1701, 1, 100, shape=(3, 2), type="u32")[0], [[9, 20], [19, 6], [71, 15]]
    out["uniform"] = R.uniform(k1701)[0], 0.9728643894195557
    out["uniform f16"] = R.uniform(k1701, shape=(3, 2), type="f16")[0], [
        [0.75390625, 0.6484375], [0.7294921875, 0.21484375], [0.09765625, 0.0693359375]]
    out["uniform c64"] = R.uniform(k1701, shape=(2, 2), type="c64")[0], [
        [0.18404805660247803 + 0.6546461582183838j, 0.5525915622711182 + 0.11568140983581543j],
        [0.6074584722518921 + 0.8104375600814819j, 0.247686505317688 + 0.21975469589233398j]]
    out["normal"] = R.normal(k42)[0], 1.3694695234298706
    out["normal f16"] = R.normal(k42, 0, 1, shape=(3, 2), type="f16")[0], [
        [-0.32568359375, -0.77197265625], [0.39208984375, 0.5341796875], [0.270751953125, -2.080078125]]
    out["normal c64"] = R.normal(k42, 0, 1, shape=(2, 2), type="c64")[0], [
        [-0.7632761001586914 + 0.8661127686500549j, -0.14282889664173126 - 0.7384796142578125j],
        [0.678461492061615 + 0.4118310809135437j, -2.269538402557373 - 0.3689095079898834j]]
    out["normal 10 5 (1000)"] = R.normal(k1337, 10, 5, shape=(1000,))[0], None  # moments: test_normal_moments_...
    out["multivariate_normal 1d"] = R.multivariate_normal(k12, nx.tensor([0]), nx.tensor([[1]]))[0], [
        0.735927939414978]
    out["multivariate_normal 2d"] = R.multivariate_normal(k12, nx.tensor([0, 0]), nx.tensor([[1, 0], [0, 1]]))[0], [
        -1.3425945043563843, -0.40812060236930847]
    out["multivariate_normal f16"] = R.multivariate_normal(k12, nx.tensor([0]), nx.tensor([[1]]), shape=(3, 2),
                                                           type="f16")[0], [
        [[0.326904296875], [0.2176513671875]], [[0.316650390625], [0.1109619140625]],
        [[0.53955078125], [-0.8857421875]]]
    out["multivariate_normal batch"] = R.multivariate_normal(k12, nx.tensor([0, 0]), nx.tensor([[1, 0], [0, 1]]),
                                                             shape=(3, 2))[0], [
        [[0.9891449809074402, 1.0795185565948486], [-0.9467806220054626, 1.47813880443573]],
        [[2.2095863819122314, -1.529456377029419], [-0.7933920621871948, 1.121195673942566]],
        [[0.10976295918226242, -0.9959557056427002], [0.4754556119441986, 1.1413804292678833]]]
    out["shuffle"] = R.shuffle(k42, nx.iota((3, 4), axis=0))[0], [[2, 2, 2, 2], [0, 0, 0, 0], [1, 1, 1, 1]]
    out["shuffle independent"] = R.shuffle(k10, nx.iota((3, 4), axis=1), independent=True, axis=1)[0], [
        [2, 1, 3, 0], [3, 0, 1, 2], [2, 3, 0, 1]]
    t43, t32, t23 = nx.iota((4, 3)), nx.iota((3, 2)), nx.iota((2, 3))
    out["choice"] = R.choice(k1, t43, samples=4, axis=0)[0], [[6, 7, 8], [9, 10, 11], [6, 7, 8], [0, 1, 2]]
    out["choice no replace"] = R.choice(k1, t43, samples=4, axis=0, replace=False)[0], [
        [3, 4, 5], [9, 10, 11], [6, 7, 8], [0, 1, 2]]
    out["choice flat"] = R.choice(k2, t32)[0], [4]
    out["choice flat no replace"] = R.choice(k2, t32, samples=6, replace=False)[0], [2, 0, 4, 5, 1, 3]
    p3 = nx.tensor([0.1, 0.7, 0.2])
    out["choice p"] = R.choice(k1, t43, p3, samples=3, axis=1)[0], [[1, 0, 1], [4, 3, 4], [7, 6, 7], [10, 9, 10]]
    out["choice p no replace"] = R.choice(k1, t43, p3, samples=3, axis=1, replace=False)[0], [
        [1, 2, 0], [4, 5, 3], [7, 8, 6], [10, 11, 9]]
    p6 = nx.tensor([0.01, 0.1, 0.19, 0.6, 0.05, 0.05])
    out["choice p flat"] = R.choice(k2, t23, p6)[0], [3]
    out["choice p flat 6"] = R.choice(k2, t23, p6, samples=6)[0], [3, 3, 3, 0, 3, 3]
    out["choice p flat 6 no replace"] = R.choice(k2, t23, p6, samples=6, replace=False)[0], [3, 1, 2, 5, 4, 0]
    out["gumbel"] = R.gumbel(k1)[0], -0.7294610142707825
    out["gumbel (2, 3)"] = R.gumbel(k1, shape=(2, 3))[0], [
        [0.6247938275337219, -0.21740718185901642, 0.7678327560424805],
        [0.7778404355049133, 4.0895304679870605, 0.3029090166091919]]
    # Examples of an earlier random.ex, for functions whose algorithm has not changed since (its uniform drew with
    # the key it was given, as uniform_split does now).
    out["old split 4"] = R.split(k_big, parts=4), [[3959978897, 4079927650], [3769699049, 3585271160],
                                                   [3182829676, 333122445], [3185556048, 1258545461]]
    keys12 = R.split(k12)
    out["old uniform"] = R.uniform_split(k12), 0.3037703037261963
    out["old uniform of split keys"] = nx.stack([R.uniform_split(keys12[0]), R.uniform_split(keys12[1])]), [
        0.1531379222869873, 0.7691127061843872]
    out["old uniform 1701"] = R.uniform_split(k1701), 0.1725379228591919
    out["old uniform f16"] = R.uniform_split(k1701, shape=(3, 3, 2), type="f16"), [
        [[0.5712890625, 0.318359375], [0.744140625, 0.576171875], [0.2412109375, 0.9833984375]],
        [[0.0556640625, 0.42578125], [0.0263671875, 0.0634765625], [0.12890625, 0.9306640625]],
        [[0.46484375, 0.087890625], [0.3857421875, 0.169921875], [0.0419921875, 0.53125]]]
    return {name: result for name, (result, _) in out.items()}, {name: want for name, (_, want) in out.items()}


EXAMPLE_KEYS = [1, 2, 10, 12, 42, 1337, 1701, 999999999999]


@pytest.fixture(scope="module")
def examples():
    keys = [R.key(s) for s in EXAMPLE_KEYS]
    seed = nx.tensor(999999999999)
    _, expected = nx_examples(*keys, seed)
    return expected, on_every_backend(lambda *a: nx_examples(*a)[0], *keys, seed)


def _printed(value, want):
    """What Nx printed, in the result's type: Nx prints the shortest decimal that reads back as the value, so the
    value must equal it exactly."""
    return np.asarray(want, dtype=value.type.np)


@pytest.mark.parametrize("backend", ["eager", *COMPILERS])
def test_nx_examples(examples, backend):
    expected, results = examples
    got = dict(results)[backend]
    for name, want in expected.items():
        if want is None:
            continue
        value = got[name]
        np.testing.assert_array_equal(value.numpy(), _printed(value, want), err_msg=f"{name} on {backend}")


@pytest.mark.parametrize("backend", ["eager", *COMPILERS])
def test_example_types(examples, backend):
    got = dict(examples[1])[backend]
    assert got["key(12)"].type is nx.u32 and got["split"].type is nx.u32
    assert got["randint"].type is nx.s32 and got["randint u32"].type is nx.u32
    assert got["uniform f16"].type is nx.f16 and got["uniform c64"].type is nx.c64
    assert got["normal"].type is nx.f32 and got["multivariate_normal f16"].type is nx.f16
    assert got["choice"].type is nx.s64  # the tensor's own type (Nx's iota is s32)


def test_normal_moments_as_nx_prints_them(examples):
    """Nx.mean and Nx.standard_deviation of normal(key(1337), 10, 5, shape: {1000}): 9.70022201538086 and
    5.051416397094727. IREE's CPU code computes 10 + 5 z as one fused multiply-add, so its draws may differ from
    the separately rounded product and sum in the last bit; the moments of its draws agree to a few ulps."""
    for backend, got in examples[1]:
        x = got["normal 10 5 (1000)"]
        mean, std = nx.mean(nx.tensor(x.numpy())).item(), nx.std(nx.tensor(x.numpy())).item()
        if backend == "iree":
            assert mean == pytest.approx(9.70022201538086, rel=1e-6)
            assert std == pytest.approx(5.051416397094727, rel=1e-6)
        else:
            assert (np.float32(mean), np.float32(std)) == (np.float32(9.70022201538086),
                                                             np.float32(5.051416397094727)), backend


def test_every_example_result_is_the_same_on_every_backend(examples):
    (_, eager), *compiled = examples[1]
    for backend, got in compiled:
        for name, value in eager.items():
            if name == "normal 10 5 (1000)" and backend == "iree":
                assert_within_roundings(got[name], value, 10)
                continue
            np.testing.assert_array_equal(bits_of(got[name]), bits_of(value), err_msg=f"{name} on {backend}")


# ---- Threefry-2x32-20: Random123's known answers ----

# kat_vectors of Random123: counter words, key words, result words (threefry2x32, 20 rounds).
KAT = [
    ((0x00000000, 0x00000000), (0x00000000, 0x00000000), (0x6b200159, 0x99ba4efe)),
    ((0xffffffff, 0xffffffff), (0xffffffff, 0xffffffff), (0x1cb996fc, 0xbb002be7)),
    ((0x243f6a88, 0x85a308d3), (0x13198a2e, 0x03707344), (0xc4923a9c, 0x483df7a0)),
]


def threefry_checks(keys, counters, odd):
    """The known-answer blocks, the same blocks through threefry2x32_20_concat, and an odd count of counters."""
    blocks = [R.threefry2x32(keys[i], counters[i]) for i in range(len(KAT))]
    concat = [R.threefry2x32_20_concat(nx.reshape(counters[i], (2, 1)), keys[i]) for i in range(len(KAT))]
    return blocks, concat, R.threefry2x32(keys[2], odd)


def test_threefry2x32_known_answers():
    keys = [nx.tensor(k, type=nx.u32) for _, k, _ in KAT]
    counters = [nx.tensor(c, type=nx.u32) for c, _, _ in KAT]
    # An odd count is padded with a 0: counters (a, b, c) are the blocks (a, c) and (b, 0).
    odd = nx.tensor([0x243f6a88, 7, 0x85a308d3], type=nx.u32)
    for backend, (blocks, concat, odd_out) in on_every_backend(threefry_checks, keys, counters, odd):
        for (_, _, want), block, joined in zip(KAT, blocks, concat):
            assert block.type is nx.u32 and block.tolist() == list(want), backend
            assert joined.tolist() == list(want), backend
        first = R.threefry2x32(keys[2], nx.tensor([0x243f6a88, 0x85a308d3], type=nx.u32)).tolist()
        assert odd_out.shape == (3,) and odd_out.tolist()[0::2] == first, backend


def test_threefry2x32_keeps_the_counter_shape():
    key = R.key(5)
    flat = R.threefry2x32(key, nx.arange(12, dtype=nx.u32))
    assert R.threefry2x32(key, nx.reshape(nx.arange(12, dtype=nx.u32), (3, 4))).tolist() == np.reshape(
        flat.tolist(), (3, 4)).tolist()
    assert R.threefry2x32(key, nx.zeros((0,), type=nx.u32)).shape == (0,)


# ---- the same bits on every backend ----

def draws(k):
    """Draws whose numbers every backend computes alike, bit for bit."""
    keys = R.split(k, parts=8)
    out = {f"uniform {t}": R.uniform_split(keys[0], shape=(4001,), type=t) for t in ("f16", "bf16", "f32", "f64")}
    out.update({f"normal {t}": R.normal_split(keys[1], shape=(4001,), type=t) for t in ("f16", "f32")})
    out.update({f"gumbel {t}": R.gumbel_split(keys[2], shape=(4001,), type=t) for t in ("f16", "f32")})
    out.update({f"randint {t}": R.randint_split(keys[3], -7 if t[0] == "s" else 3, 1000, shape=(2001,), type=t)
                for t in ("u8", "s8", "u16", "s16", "u32", "s32", "u64", "s64")})
    out["normal c64"] = R.normal_split(keys[4], shape=(2, 501), type="c64")
    out["uniform c128"] = R.uniform_split(keys[4], shape=(3,), type="c128")
    out["shuffle"] = R.shuffle(keys[5], nx.arange(3001))[0]
    out["shuffle independent"] = R.shuffle(keys[5], nx.iota((40, 50), axis=0), independent=True)[0]
    out["choice"] = R.choice(keys[6], nx.arange(100), samples=50, replace=False)[0]
    out["fold_in"] = R.fold_in(keys[7], nx.arange(-3, 1000))
    out["split"] = R.split(keys[7], parts=333)
    return out


def test_the_same_bits_eagerly_on_iree_and_on_the_evaluator():
    (_, eager), *compiled = on_every_backend(draws, R.key(2024))
    for backend, got in compiled:
        for name, value in eager.items():
            assert got[name].type is value.type and got[name].shape == value.shape
            np.testing.assert_array_equal(bits_of(got[name]), bits_of(value), err_msg=f"{name} on {backend}")


# name -> (what the rounded product is added to: the low bound, the mean, 1 for -log(-log(u)), the logarithm of
# numbers near 1; ulps of that): a fused multiply-add rounds once less; nx.erf_inv's f64 NumPy rule (scipy) and
# lowering (XLA's polynomials) differ by a few ulps, f64 log by one.
TOLERANCES = {"uniform": (2.5, 2), "normal": (1.5, 2), "normal f64": (0.0, 8), "gumbel f64": (1.0, 4)}


def scaled_draws(k):
    keys = R.split(k, parts=3)
    return {"uniform": R.uniform_split(keys[0], -2.5, 3.0, shape=(2000,)),
            "normal": R.normal_split(keys[1], 1.5, 2.5, shape=(2000,)),
            "normal f64": R.normal_split(keys[1], shape=(2000,), type="f64"),
            "gumbel f64": R.gumbel_split(keys[2], shape=(2000,), type="f64")}


def test_what_iree_rounds_otherwise():
    """The evaluator gives eager's bits. IREE's CPU code contracts x * scale + shift into a fused multiply-add (one
    rounding, where eager and Nx round the product first), and its f64 log and erf_inv are not NumPy's: those
    results agree to an ulp or two, not bit for bit."""
    (_, eager), (_, iree), (_, evaluator) = on_every_backend(scaled_draws, R.key(7))
    for name, value in eager.items():
        np.testing.assert_array_equal(bits_of(evaluator[name]), bits_of(value), err_msg=name)
        assert_within_roundings(iree[name], value, *TOLERANCES[name])


def bf16_draws(k):
    return {"normal": R.normal(k, shape=(1000,), type="bf16")[0], "gumbel": R.gumbel(k, shape=(1000,), type="bf16")[0]}


def test_bf16_normal_and_gumbel_on_iree():
    (_, eager), (_, iree), _ = on_every_backend(bf16_draws, R.key(3))
    for name, value in eager.items():
        np.testing.assert_array_equal(bits_of(iree[name]), bits_of(value), err_msg=name)


# ---- keys ----

def test_key_seeds():
    assert R.key(0).tolist() == [0, 0] and R.key(2 ** 64 - 1).tolist() == [2 ** 32 - 1, 2 ** 32 - 1]
    # A negative seed is its two's complement, as an s64 tensor is read (bitcast to u64).
    assert R.key(-1).tolist() == R.key(nx.tensor(-1)).tolist() == R.key(2 ** 64 - 1).tolist()
    assert R.key(nx.tensor(2 ** 40 + 5, type=nx.u64)).tolist() == [256, 5]
    assert R.key(np.int64(12)).tolist() == [0, 12]


def test_split_and_fold_in_shapes():
    key = R.key(3)
    assert R.split(key, parts=5).shape == (5, 2) and R.split(key, parts=1).shape == (1, 2)
    assert R.fold_in(key, nx.zeros((2, 3), type=nx.u8)).shape == (2, 3, 2)
    # fold_in reads data as u64: -1 is 2^64 - 1.
    assert R.fold_in(key, -1).tolist() == R.fold_in(key, nx.tensor(2 ** 64 - 1, type=nx.u64)).tolist()


def test_keys_from_split_and_new_keys_differ():
    key = R.key(9)
    x, new = R.uniform(key, shape=(4,))
    keys = R.split(key)
    assert new.tolist() == keys[0].tolist()
    assert x.tolist() == R.uniform_split(keys[1], shape=(4,)).tolist()
    assert R.uniform(new, shape=(4,))[0].tolist() != x.tolist()


# ---- distributions (10^5 draws; bounds of 5 standard errors) ----

N = 100_000


def assert_moments(x, mean, variance):
    x = np.asarray(x, dtype=np.float64)
    assert abs(x.mean() - mean) < 5 * math.sqrt(variance / N)
    # The sample variance's standard error is sqrt((m4 - sigma^4) / N): sigma^2 sqrt(2 / N) for a normal (m4 = 3
    # sigma^4), less for the uniform distributions (m4 = 1.8 sigma^4).
    assert abs(x.var() - variance) < 5 * variance * math.sqrt(2 / N)


@pytest.mark.parametrize("type", ["f16", "bf16", "f32", "f64"])
def test_uniform_moments_and_range(type):
    x = R.uniform(R.key(11), -2.0, 6.0, shape=(N,), type=type)[0]
    assert x.type is nx.as_dtype(type)
    a = x.numpy().astype(np.float64)
    assert a.min() >= -2.0 and a.max() < 6.0
    assert_moments(a, 2.0, 64 / 12)


@pytest.mark.parametrize("type", ["f16", "bf16", "f32", "f64"])
def test_normal_moments(type):
    x = R.normal(R.key(12), 3.0, 2.0, shape=(N,), type=type)[0]
    assert x.type is nx.as_dtype(type) and np.isfinite(x.numpy().astype(np.float64)).all()
    assert_moments(x.numpy(), 3.0, 4.0)


def test_complex_normal_draws_both_parts():
    z = R.normal(R.key(13), 1.0, 2.0, shape=(N,), type="c128")[0].numpy()
    assert_moments(z.real, 1.0, 4.0)
    assert_moments(z.imag, 1.0, 4.0)
    assert abs(np.corrcoef(z.real, z.imag)[0, 1]) < 5 / math.sqrt(N)


@pytest.mark.parametrize("type", ["f32", "f64"])
def test_gumbel_moments(type):
    x = R.gumbel(R.key(14), shape=(N,), type=type)[0].numpy()
    euler_gamma, variance = 0.5772156649015329, math.pi ** 2 / 6
    assert abs(x.mean() - euler_gamma) < 5 * math.sqrt(variance / N)
    assert abs(x.var() - variance) < 0.05 * variance


@pytest.mark.parametrize("type", ["u8", "s8", "u32", "s32", "s64", "u64"])
def test_randint_range_and_moments(type):
    lo, hi = (-50, 50) if type[0] == "s" else (3, 103)
    x = R.randint(R.key(15), lo, hi, shape=(N,), type=type)[0]
    assert x.type is nx.as_dtype(type)
    a = x.numpy().astype(np.int64)
    assert a.min() == lo and a.max() == hi - 1
    assert_moments(a, (lo + hi - 1) / 2, (100 ** 2 - 1) / 12)


def test_randint_bounds_broadcast_to_the_shape():
    x = R.randint(R.key(16), nx.tensor([0, 10, 100]), nx.tensor([5, 20, 1000]), shape=(1000, 3))[0].numpy()
    assert x.dtype == np.int64
    for column, (lo, hi) in enumerate([(0, 5), (10, 20), (100, 1000)]):
        assert x[:, column].min() >= lo and x[:, column].max() < hi


@pytest.mark.parametrize("method", ["cholesky", "svd", "eigh"])
def test_multivariate_normal_covariance(method):
    mean = nx.tensor([1.0, -2.0, 0.5])
    covariance = np.array([[2.0, 0.6, -0.3], [0.6, 1.0, 0.2], [-0.3, 0.2, 0.5]])
    x = R.multivariate_normal(R.key(17), mean, nx.tensor(covariance, type=nx.f32), shape=(N,), method=method)[0]
    assert x.shape == (N, 3) and x.type is nx.f32
    a = x.numpy().astype(np.float64)
    np.testing.assert_allclose(a.mean(axis=0), [1.0, -2.0, 0.5], atol=5 * math.sqrt(2.0 / N))
    np.testing.assert_allclose(np.cov(a.T), covariance, atol=0.03)


def test_shuffle_is_a_permutation():
    x = nx.arange(10_000)
    shuffled, _ = R.shuffle(R.key(18), x)
    assert sorted(shuffled.tolist()) == x.tolist() and shuffled.tolist() != x.tolist()
    rows, _ = R.shuffle(R.key(18), nx.reshape(nx.arange(40), (8, 5)), axis=1)
    assert all(sorted(r) == list(range(5 * i, 5 * i + 5)) for i, r in enumerate(rows.tolist()))
    assert len({tuple(np.argsort(r)) for r in rows.tolist()}) == 1  # one permutation for every row
    lanes, _ = R.shuffle(R.key(19), nx.iota((50, 8), axis=0), axis=0, independent=True)
    a = lanes.numpy()
    assert all(sorted(a[:, j]) == list(range(50)) for j in range(8))
    assert len({tuple(a[:, j]) for j in range(8)}) == 8  # each lane its own permutation


def test_shuffle_of_one_element_keeps_the_key():
    key = R.key(4)
    x, new = R.shuffle(key, nx.tensor([5]))
    assert x.tolist() == [5] and new.tolist() == key.tolist()  # Nx: no round for fewer than 2 elements


def test_choice_without_replacement_never_repeats():
    for seed in range(5):
        picked, _ = R.choice(R.key(seed), nx.arange(1000), samples=500, replace=False)
        assert len(set(picked.tolist())) == 500
        weighted, _ = R.choice(R.key(seed), nx.arange(6), nx.tensor([0.3, 0.1, 0.1, 0.2, 0.2, 0.1]), samples=6,
                               replace=False)
        assert sorted(weighted.tolist()) == list(range(6))


def test_choice_follows_the_probabilities():
    p = np.array([0.5, 0.25, 0.15, 0.1])
    picked, _ = R.choice(R.key(20), nx.arange(4), nx.tensor(p, type=nx.f32), samples=N)
    frequencies = np.bincount(picked.numpy(), minlength=4) / N
    np.testing.assert_allclose(frequencies, p, atol=5 * math.sqrt(0.25 / N))
    uniform_picks, _ = R.choice(R.key(21), nx.arange(4), samples=N)
    np.testing.assert_allclose(np.bincount(uniform_picks.numpy(), minlength=4) / N, 0.25, atol=5 * math.sqrt(0.25 / N))


# ---- options ----

def test_names_and_shapes():
    key = R.key(22)
    assert R.uniform(key, shape=(2, 3), names=("a", "b"))[0].names == ("a", "b")
    assert R.normal(key, shape=(2,), names=("x",), type="c64")[0].names == ("x",)
    assert R.randint(key, 0, 4, shape=(2, 2), names=("r", None))[0].names == ("r", None)
    assert R.multivariate_normal(key, [0.0, 0.0], [[1.0, 0.0], [0.0, 1.0]], shape=(3,), names=("n", "d"))[0].names \
        == ("n", "d")
    assert R.uniform(key, shape=4)[0].shape == (4,)


def empty_draws(k):
    return (R.uniform(k, shape=(0, 3))[0], R.randint(k, 0, 5, shape=(0,))[0], R.normal(k, shape=(2, 0), type="c64")[0],
            R.fold_in(k, nx.zeros((0,), type=nx.s64)), R.threefry2x32(k, nx.zeros((0,), type=nx.u32)))


def test_empty_draws():
    for backend, out in on_every_backend(empty_draws, R.key(26)):
        assert [t.shape for t in out] == [(0, 3), (0,), (2, 0), (0, 2), (0,)], backend


def test_parameter_types():
    key = R.key(23)
    # The type follows the parameters, as Nx's infer_float_type: integers give f32, f64 tensors f64.
    assert R.uniform(key, 0, 10)[0].type is nx.f32
    assert R.uniform(key, nx.tensor(0.0, type=nx.f64), 1.0)[0].type is nx.f64
    assert R.normal(key, nx.tensor([0.0, 1.0], type=nx.f16), 1.0, shape=(2,))[0].type is nx.f16
    # A Python bound is made in the result's type: 0.1 in f64 is not 0.1 in f32.
    x = R.uniform(key, 0.1, 0.1 + 2 ** -40, shape=(100,), type=nx.f64)[0].numpy()
    assert x.min() >= 0.1 and x.max() < 0.1 + 2 ** -40
    assert R.randint(key, 0, 10)[0].type is nx.s64
    assert R.randint(key, nx.tensor(0, type=nx.u8), nx.tensor(10, type=nx.u8))[0].type is nx.u8


# ---- gradients ----

def test_draws_are_constants_for_grad():
    """Nx stops gradients at every result of uniform, normal, multivariate_normal and gumbel: the mean and the
    standard deviation get none either."""
    key = R.key(24)

    def loss(mean, scale, low):
        return (nx.sum(R.normal(key, mean, scale, shape=(5,))[0]) + nx.sum(R.uniform(key, low, 2.0, shape=(5,))[0])
                + nx.sum(R.multivariate_normal(key, nx.stack([mean, mean]), [[1.0, 0.0], [0.0, 1.0]])[0]))

    args = (nx.tensor(0.5), nx.tensor(2.0), nx.tensor(-1.0))
    for compiler in COMPILERS:
        grads = nx.defn(nx.grad(loss, argnums=(0, 1, 2)), compiler=compiler)(*args)
        assert [g.item() for g in grads] == [0.0, 0.0, 0.0]


def test_shuffle_and_choice_pass_gradients_to_their_tensor():
    key = R.key(25)
    weights = nx.arange(1.0, 7.0)

    def loss(x):
        shuffled = R.shuffle(key, x)[0]
        picked = R.choice(key, x, samples=4)[0]
        return nx.sum(shuffled * weights) + nx.sum(picked ** 2)

    x = nx.tensor([0.3, -1.2, 2.0, 0.7, -0.4, 1.1])
    nx.testing.check_grads(loss, [x], compiler="evaluator")
    order = R.shuffle(key, nx.arange(6))[0].numpy()
    picked = R.choice(key, nx.arange(6), samples=4)[0].numpy()
    expected = np.zeros(6)
    np.add.at(expected, order, weights.numpy())
    np.add.at(expected, picked, 2 * x.numpy()[picked])
    np.testing.assert_allclose(nx.grad(loss)(x).numpy(), expected, rtol=1e-6)


# ---- errors ----

@pytest.mark.parametrize("bad, error, words", [
    ([0, 1], nx.NxTypeError, "u32 tensor of shape (2,)"),
    (7, nx.NxTypeError, "u32 tensor of shape (2,)"),
    (nx.tensor([0, 1, 2], type=nx.u32), nx.NxShapeError, "shape (2,)"),
    (nx.tensor([0, 1]), nx.NxTypeError, "32-bit unsigned"),
])
def test_bad_keys(bad, error, words):
    calls = [lambda: R.split(bad), lambda: R.uniform(bad), lambda: R.normal_split(bad), lambda: R.gumbel(bad),
             lambda: R.randint(bad, 0, 3), lambda: R.shuffle(bad, nx.arange(3)), lambda: R.choice(bad, nx.arange(3)),
             lambda: R.fold_in(bad, 1), lambda: R.threefry2x32(bad, [1, 2]),
             lambda: R.multivariate_normal(bad, [0.0], [[1.0]])]
    for call in calls:
        with pytest.raises(error, match=r"random\.\w+: .*" + words.replace("(", r"\(").replace(")", r"\)")):
            call()


def test_bad_arguments():
    key = R.key(1)
    cases = [
        (lambda: R.key(1.5), nx.NxTypeError, "random.key"),
        (lambda: R.key(2 ** 64), nx.NxValueError, "random.key"),
        (lambda: R.key(nx.tensor(3, type=nx.s32)), nx.NxTypeError, "random.key"),
        (lambda: R.key(nx.tensor([1, 2])), nx.NxValueError, "random.key"),
        (lambda: R.split(key, parts=0), nx.NxValueError, "random.split"),
        (lambda: R.fold_in(key, 1.5), nx.NxTypeError, "random.fold_in"),
        (lambda: R.threefry2x32(key, nx.tensor([1, 2])), nx.NxTypeError, "random.threefry2x32"),
        (lambda: R.threefry2x32_20_concat(nx.tensor([1, 2], type=nx.u32), key), nx.NxValueError,
         "random.threefry2x32_20_concat"),
        (lambda: R.uniform(key, type=nx.s32), nx.NxTypeError, "random.uniform"),
        (lambda: R.uniform_split(key, 0j, 1.0), nx.NxTypeError, "random.uniform_split"),
        (lambda: R.uniform(key, shape=(-1,)), nx.NxValueError, "random.uniform"),
        (lambda: R.normal(key, type=nx.u8), nx.NxTypeError, "random.normal"),
        (lambda: R.randint(key, 0, 10, type=nx.f32), nx.NxTypeError, "random.randint"),
        (lambda: R.randint_split(key, 0.0, 1.0), nx.NxTypeError, "random.randint_split"),
        (lambda: R.gumbel(key, type=nx.c64), nx.NxTypeError, "random.gumbel"),
        (lambda: R.gumbel_split(key, type=nx.s32), nx.NxTypeError, "random.gumbel_split"),
        (lambda: R.multivariate_normal(key, [0.0], [[1.0]], method="qr"), nx.NxValueError, "method"),
        (lambda: R.multivariate_normal(key, [0.0], [[1.0]], type=nx.c64), nx.NxTypeError, "float"),
        (lambda: R.multivariate_normal(key, [[0.0]], [[1.0]]), nx.NxValueError, "rank 1"),
        (lambda: R.multivariate_normal(key, [0.0, 0.0], [[1.0, 0.0]]), nx.NxValueError, "square"),
        (lambda: R.multivariate_normal_split(key, [0.0], [[1.0, 0.0], [0.0, 1.0]]), nx.NxValueError, "dimensions"),
        (lambda: R.shuffle(key, nx.tensor(3)), nx.NxValueError, "random.shuffle"),
        (lambda: R.shuffle(key, nx.arange(3), axis=1), nx.NxValueError, "random.shuffle"),
        (lambda: R.shuffle(key, nx.arange(3), independent=1), nx.NxTypeError, "random.shuffle"),
        (lambda: R.choice(key, nx.tensor(3)), nx.NxValueError, "rank 1 or greater"),
        (lambda: R.choice(key, nx.arange(3), samples=0), nx.NxValueError, "samples"),
        (lambda: R.choice(key, nx.arange(3), samples=4, replace=False), nx.NxValueError, "more samples"),
        (lambda: R.choice(key, nx.arange(3), nx.tensor([0.5, 0.5])), nx.NxValueError, "size 3"),
        (lambda: R.choice(key, nx.arange(3), nx.tensor([1, 1, 1])), nx.NxTypeError, "floats"),
    ]
    for call, error, words in cases:
        with pytest.raises(error, match=words.replace(".", r"\.")):
            call()


# ---- nx.bitcast (Nx.bitcast) ----

def test_bitcast_examples():
    t = nx.bitcast(nx.tensor([0, 0, 0], type=nx.s32, names=["data"]), nx.f32)
    assert t.type is nx.f32 and t.names == ("data",) and t.tolist() == [0.0, 0.0, 0.0]
    assert nx.bitcast(t, nx.s32).tolist() == [0, 0, 0]
    assert nx.bitcast(nx.tensor([0, -1, -2], type=nx.s8), nx.u8).tolist() == [0, 255, 254]
    for backend, out in on_every_backend(lambda x: nx.bitcast(x, nx.u32), nx.tensor([1.0, -2.0])):
        assert out.tolist() == [0x3F800000, 0xC0000000], backend
    with pytest.raises(nx.NxTypeError, match="bitcast: input type width must match new type width"):
        nx.bitcast(nx.tensor([0, 1, 2], type=nx.s16), nx.f32)
    for source, target in [(nx.c64, nx.s64), (nx.s64, nx.c64), (nx.bool, nx.u8)]:
        with pytest.raises(nx.NxTypeError, match="bitcast: takes integer and float types"):
            nx.bitcast(nx.zeros((1,), type=source), target)
