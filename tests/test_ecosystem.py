"""SciPy and scikit-learn on numerix tensors (docs/ecosystem.md): every scikit-learn estimator and function that
its documentation lists as supporting the array API, and every function of scipy.special, scipy.fft and scipy.stats
that SciPy marks as supporting it (its capabilities table, less the NumPy-only ones), runs on numerix tensors and
matches its result on NumPy arrays.

SciPy reads SCIPY_ARRAY_API when it is first imported, and other test modules import it first, so the checks run
in one subprocess (this file run as a script, with the variable set), which reports each check's outcome as JSON.
What does not work is listed in UNSUPPORTED with the reason, as docs/ecosystem.md lists it; a check that starts to
work, or one that stops, fails the test of its group."""
import functools
import json
import os
import subprocess
import sys

import pytest

GROUPS = ["sklearn estimators", "sklearn functions", "scipy.special", "scipy.fft", "scipy.stats"]

# check name -> why it fails on numerix (docs/ecosystem.md gives the same list).
UNSUPPORTED = {
    "sklearn estimators": {
        "GammaRegressor": "its loss is Cython code that takes NumPy arrays only (PoissonRegressor's has an array API "
                          "version)",
        "TweedieRegressor": "as GammaRegressor",
        "GaussianMixture(init_params='random')": "it adds reg_covar to each covariance by writing into a view "
                                                 "(covariances[k, :, :]); numerix tensors share no memory",
        "GaussianMixture(init_params='random_from_data')": "as GaussianMixture(init_params='random')",
    },
    "sklearn functions": {
        "roc_curve": "it calls xp.diff(x, 2) and xp.where(condition) (NumPy's spellings of n= and nonzero), which "
                     "the array API's diff and where do not take",
        "cluster.contingency_matrix": "the values match, but scikit-learn computes it with NumPy and returns a NumPy "
                                      "array",
    },
    "scipy.special": {},
    "scipy.fft": {},
    "scipy.stats": {},
}

RTOL = 1e-6


@functools.lru_cache(maxsize=None)
def outcomes():
    """{group: {check: "ok" or the failure}}, from one subprocess."""
    env = dict(os.environ, SCIPY_ARRAY_API="1")
    run = subprocess.run([sys.executable, __file__], env=env, capture_output=True, text=True, timeout=1800)
    assert run.returncode == 0, run.stderr[-4000:]
    return json.loads(run.stdout.splitlines()[-1])


@pytest.mark.parametrize("group", GROUPS)
def test_group(group):
    results = outcomes()[group]
    assert results, f"no checks ran for {group}"
    failing = {name: why for name, why in results.items() if why != "ok"}
    unexpected = {name: why for name, why in failing.items() if name not in UNSUPPORTED[group]}
    fixed = sorted(set(UNSUPPORTED[group]) - set(failing))
    assert not unexpected, "\n".join(f"{name}: {why}" for name, why in unexpected.items())
    assert not fixed, f"these work now: drop them from UNSUPPORTED and docs/ecosystem.md: {fixed}"


# ---- the checks (run in the subprocess) ----

def _leaves(value):
    """The arrays and numbers of a result: tuples, lists, dicts and SciPy's result objects flattened."""
    if isinstance(value, (tuple, list)):
        return [leaf for v in value for leaf in _leaves(v)]
    if isinstance(value, dict):
        return [leaf for k in sorted(value) for leaf in _leaves(value[k])]
    if hasattr(value, "__dict__") and not hasattr(value, "__array_namespace__") and not callable(value):
        return [leaf for k in sorted(vars(value)) if not k.startswith("_") for leaf in _leaves(vars(value)[k])]
    return [value]


def _compare(want, got):
    """None when the results agree (within RTOL; NaN where NumPy has NaN) and each array of rank >= 1 is a numerix
    tensor where NumPy gives an array, else what differs."""
    import numpy as np
    import numerix as nx
    want, got = _leaves(want), _leaves(got)
    if len(want) != len(got):
        return f"{len(got)} results, NumPy gives {len(want)}"
    for i, (w, g) in enumerate(zip(want, got)):
        if isinstance(w, np.ndarray) and w.ndim and not isinstance(g, nx.Tensor):
            return f"result {i} is a {type(g).__name__}, not a numerix tensor"
        if isinstance(w, (np.ndarray, np.generic, int, float, complex)) and np.asarray(w).dtype.kind in "biufc":
            w, g = np.asarray(w), np.asarray(g)
            if g.shape != w.shape:
                return f"result {i}: shape {g.shape}, NumPy gives {w.shape}"
            if not np.allclose(g.astype(w.dtype), w, rtol=RTOL, atol=1e-9, equal_nan=True):
                return f"result {i}: {g.ravel()[:6]} vs NumPy {w.ravel()[:6]}"
        elif not (isinstance(w, np.ndarray) and np.array_equal(w, np.asarray(g))) and w != g:
            return f"result {i}: {g!r} vs NumPy {w!r}"
    return None


def _run(check):
    """Runs check(convert) with convert = np.asarray (the reference) and nx.asarray: "ok", or what went wrong."""
    import numpy as np
    import numerix as nx
    try:
        want = check(np.asarray)
    except Exception as e:  # noqa: BLE001
        return f"the NumPy reference fails (a bug of this test): {type(e).__name__}: {e}"
    try:
        got = check(nx.asarray)
    except Exception as e:  # noqa: BLE001  (the outcome is reported, not raised)
        return f"{type(e).__name__}: {str(e).splitlines()[0][:200] if str(e) else ''}"
    return _compare(want, got) or "ok"


def _data():
    import numpy as np
    from sklearn.datasets import make_classification, make_regression
    X, y = make_classification(n_samples=60, n_features=5, n_informative=3, n_classes=3, random_state=0)
    Xr, yr = make_regression(n_samples=60, n_features=5, random_state=0)
    return dict(X=X, y=y, Xr=Xr, yr=yr, Xpos=np.abs(X) + 0.1)


def _estimator_checks(data):
    """Each documented estimator fitted, then each of its prediction methods, on the same data."""
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.decomposition import PCA
    from sklearn.discriminant_analysis import LinearDiscriminantAnalysis
    from sklearn.kernel_approximation import Nystroem
    from sklearn.linear_model import (
        GammaRegressor, LogisticRegression, PoissonRegressor, Ridge, RidgeClassifier, RidgeClassifierCV, RidgeCV,
        TweedieRegressor,
    )
    from sklearn.mixture import GaussianMixture
    from sklearn.model_selection import GridSearchCV, RandomizedSearchCV
    from sklearn.naive_bayes import GaussianNB
    from sklearn.preprocessing import (
        Binarizer, KernelCenterer, LabelEncoder, MaxAbsScaler, MinMaxScaler, Normalizer, PolynomialFeatures,
        StandardScaler,
    )
    X, y, Xr, yr = data["X"], data["y"], data["Xr"], data["yr"]
    classify, regress, unsupervised = (X, y), (Xr, yr), (X, None)
    estimators = {
        "PCA(svd_solver='full')": (lambda: PCA(n_components=3, svd_solver="full"), unsupervised),
        "PCA(svd_solver='covariance_eigh')": (lambda: PCA(n_components=3, svd_solver="covariance_eigh"),
                                              unsupervised),
        "PCA(svd_solver='randomized', power_iteration_normalizer='QR')": (
            lambda: PCA(n_components=3, svd_solver="randomized", power_iteration_normalizer="QR", random_state=0),
            unsupervised),
        "Ridge(solver='svd')": (lambda: Ridge(solver="svd"), regress),
        "RidgeCV": (lambda: RidgeCV(), regress),
        "RidgeClassifier(solver='svd')": (lambda: RidgeClassifier(solver="svd"), classify),
        "RidgeClassifierCV": (lambda: RidgeClassifierCV(), classify),
        "LinearDiscriminantAnalysis(solver='svd')": (lambda: LinearDiscriminantAnalysis(solver="svd"), classify),
        "LogisticRegression(solver='lbfgs')": (lambda: LogisticRegression(solver="lbfgs"), classify),
        "PoissonRegressor": (lambda: PoissonRegressor(), (Xr, abs(yr))),
        "GammaRegressor": (lambda: GammaRegressor(), (Xr, abs(yr) + 1)),
        "TweedieRegressor": (lambda: TweedieRegressor(power=1.5), (Xr, abs(yr))),
        "GaussianNB": (lambda: GaussianNB(), classify),
        "GaussianMixture(init_params='random')": (
            lambda: GaussianMixture(n_components=2, init_params="random", random_state=0), unsupervised),
        "GaussianMixture(init_params='random_from_data')": (
            lambda: GaussianMixture(n_components=2, init_params="random_from_data", random_state=0),
            unsupervised),
        "Nystroem": (lambda: Nystroem(n_components=10, random_state=0), unsupervised),
        "Binarizer": (lambda: Binarizer(threshold=0.1), unsupervised),
        "KernelCenterer": (lambda: KernelCenterer(), (X @ X.T, None)),
        "MaxAbsScaler": (lambda: MaxAbsScaler(), unsupervised),
        "MinMaxScaler": (lambda: MinMaxScaler(), unsupervised),
        "Normalizer": (lambda: Normalizer(), unsupervised),
        "PolynomialFeatures": (lambda: PolynomialFeatures(degree=2), unsupervised),
        "StandardScaler": (lambda: StandardScaler(), unsupervised),
        "CalibratedClassifierCV(method='temperature')": (
            lambda: CalibratedClassifierCV(LogisticRegression(), method="temperature"), classify),
        "GridSearchCV(Ridge)": (lambda: GridSearchCV(Ridge(solver="svd"), {"alpha": [0.1, 1.0]}), regress),
        "RandomizedSearchCV(Ridge)": (
            lambda: RandomizedSearchCV(Ridge(solver="svd"), {"alpha": [0.1, 1.0, 3.0]}, n_iter=2, random_state=0),
            regress),
    }
    checks = {name: _fit_check(make, X_, y_) for name, (make, (X_, y_)) in estimators.items()}
    checks["LabelEncoder"] = lambda a: (lambda e: (e.transform(a(y)), e.inverse_transform(a(y[:5]))))(
        LabelEncoder().fit(a(y)))
    return checks


def _fit_check(make, X, y):
    """fit, then every prediction method the fitted estimator has, on the same X."""
    methods = ["predict", "predict_proba", "predict_log_proba", "decision_function", "transform", "score"]

    def check(a):
        est = make().fit(a(X)) if y is None else make().fit(a(X), a(y))
        return [getattr(est, m)(a(X)) if m != "score" or y is None else est.score(a(X), a(y))
                for m in methods if hasattr(est, m)]
    return check


def _function_checks(data):
    """The documented metrics and tools, each on inputs of its kind."""
    import numpy as np
    from sklearn import metrics
    from sklearn.linear_model import Ridge
    from sklearn.metrics import cluster, pairwise
    from sklearn.model_selection import cross_val_predict, train_test_split
    from sklearn.utils import check_consistent_length
    rng = np.random.default_rng(0)
    labels, predicted = rng.integers(0, 3, 40), rng.integers(0, 3, 40)
    binary, scores = rng.integers(0, 2, 40), rng.random(40)
    proba = rng.dirichlet(np.ones(3), 40)
    truth, estimate = rng.random(40) + 0.5, rng.random(40) + 0.5
    X, Y = rng.random((8, 4)), rng.random((6, 4))
    classification = ["accuracy_score", "balanced_accuracy_score", "cohen_kappa_score", "confusion_matrix",
                      "hamming_loss", "multilabel_confusion_matrix", "zero_one_loss"]
    averaged = ["f1_score", "jaccard_score", "precision_score", "recall_score", "precision_recall_fscore_support"]
    regression = ["d2_absolute_error_score", "d2_pinball_score", "d2_tweedie_score", "explained_variance_score",
                  "max_error", "mean_absolute_error", "mean_absolute_percentage_error", "mean_gamma_deviance",
                  "mean_pinball_loss", "mean_poisson_deviance", "mean_squared_error", "mean_squared_log_error",
                  "mean_tweedie_deviance", "median_absolute_error", "r2_score", "root_mean_squared_error",
                  "root_mean_squared_log_error"]
    ranking = ["average_precision_score", "brier_score_loss", "d2_brier_score", "det_curve",
               "precision_recall_curve", "roc_curve"]
    pairs = ["additive_chi2_kernel", "chi2_kernel", "cosine_distances", "cosine_similarity", "euclidean_distances",
             "laplacian_kernel", "linear_kernel", "manhattan_distances", "paired_cosine_distances",
             "paired_euclidean_distances", "paired_manhattan_distances", "polynomial_kernel", "rbf_kernel",
             "sigmoid_kernel"]
    checks = {}
    for name in classification:
        checks[name] = functools.partial(lambda f, a: f(a(labels), a(predicted)), getattr(metrics, name))
    for name in averaged:
        checks[name] = functools.partial(lambda f, a: f(a(labels), a(predicted), average="macro"),
                                         getattr(metrics, name))
    checks["fbeta_score"] = lambda a: metrics.fbeta_score(a(labels), a(predicted), beta=0.5, average="macro")
    for name in regression:
        checks[name] = functools.partial(lambda f, a: f(a(truth), a(estimate)), getattr(metrics, name))
    for name in ranking:
        checks[name] = functools.partial(lambda f, a: f(a(binary), a(scores)), getattr(metrics, name))
    checks["log_loss"] = lambda a: metrics.log_loss(a(labels), a(proba))
    checks["d2_log_loss_score"] = lambda a: metrics.d2_log_loss_score(a(labels), a(proba))
    for name in pairs:
        first, second = (X[:6], X[:6] + 0.1) if name.startswith("paired") else (X, Y)
        checks[name] = functools.partial(lambda f, u, v, a: f(a(u), a(v)), getattr(pairwise, name), first, second)
    for metric in ("cosine", "euclidean", "l2"):
        checks[f"pairwise_distances(metric={metric!r})"] = functools.partial(
            lambda m, a: pairwise.pairwise_distances(a(X), a(Y), metric=m), metric)
    for kernel in sorted(set(pairwise.PAIRWISE_KERNEL_FUNCTIONS) - {"laplacian"}):
        checks[f"pairwise_kernels(metric={kernel!r})"] = functools.partial(
            lambda k, a: pairwise.pairwise_kernels(a(X), a(Y), metric=k), kernel)
    checks["pairwise_distances_argmin"] = lambda a: pairwise.pairwise_distances_argmin(a(X), a(Y))
    checks["cluster.contingency_matrix"] = lambda a: cluster.contingency_matrix(a(labels), a(predicted))
    checks["cross_val_predict(Ridge)"] = lambda a: cross_val_predict(Ridge(solver="svd"), a(data["Xr"]),
                                                                     a(data["yr"]), cv=3)
    checks["train_test_split"] = lambda a: train_test_split(a(X), a(np.arange(8.0)), random_state=0)
    checks["check_consistent_length"] = lambda a: check_consistent_length(a(X), a(np.arange(8)))
    return checks


def _scipy_functions(module):
    """The functions of scipy.`module` that SciPy's capabilities table marks as not NumPy-only."""
    import importlib

    from scipy._lib._array_api import xp_capabilities_table
    importlib.import_module(f"scipy.{module}")
    return {f.__name__: f for f, capabilities in xp_capabilities_table.items()
            if getattr(f, "__module__", "").startswith(f"scipy.{module}") and not capabilities["np_only"]
            and not f.__name__.startswith("_")}


def _discovered(fn, candidates):
    """A check calling fn with the first candidate argument tuple that NumPy accepts with some finite result."""
    import numpy as np
    for args in candidates:
        try:
            with np.errstate(all="ignore"):
                result = fn(*args)
        except Exception:  # noqa: BLE001  (trying the next signature)
            continue
        if any(np.isfinite(leaf).any() for leaf in map(np.asarray, _leaves(result)) if leaf.dtype.kind in "fc"):
            return lambda a: fn(*(a(x) if isinstance(x, np.ndarray) else x for x in args))
    return None


def _special_checks():
    import numpy as np
    p = np.array([0.1, 0.25, 0.4, 0.6, 0.75, 0.9])
    n = np.array([1.0, 2.0, 3.0, 4.0, 5.0, 6.0])
    candidates = [(p,), (n,), (n, p), (p, n), (n, n + 1), (n, 2), (p, 2),
                  (n, n + 3, p), (p, n, n), (n, n, p), (n, p, n), (n, n, n)]
    checks = {}
    for name, fn in _scipy_functions("special").items():
        checks[name] = _discovered(fn, candidates) or (lambda a, name=name: _no_signature(name))
    return checks


def _fft_checks():
    import numpy as np
    from scipy._lib._array_api import array_namespace
    rng = np.random.default_rng(0)
    x, z = rng.random((4, 6)), rng.random((4, 6)) + 1j * rng.random((4, 6))
    candidates = [(x,), (z,), (8,), (8, 0.5)]
    checks = {}
    for name, fn in _scipy_functions("fft").items():
        if name in ("fht", "ifht"):
            checks[name] = functools.partial(lambda f, a: f(a(x[0] + 1), dln=0.1, mu=0.5), fn)
        elif name in ("fftfreq", "rfftfreq"):  # no array argument: the namespace is given
            checks[name] = functools.partial(lambda f, a: f(8, 0.5, xp=array_namespace(a(x))), fn)
        else:
            checks[name] = _discovered(fn, candidates) or (lambda a, name=name: _no_signature(name))
    return checks


def _stats_checks():
    import numpy as np
    from scipy import special, stats
    from scipy._lib._array_api import array_namespace
    rng = np.random.default_rng(0)
    x, y, w = rng.gamma(2.0, size=12), rng.gamma(2.5, size=12) + 0.3, rng.gamma(3.0, size=12)

    def mean(v, axis=-1):
        return array_namespace(v).mean(v, axis=axis)

    def difference(u, v, axis=-1):
        xp = array_namespace(u)
        return xp.mean(u, axis=axis) - xp.mean(v, axis=axis)

    explicit = {
        "bootstrap": lambda a: stats.bootstrap((a(x),), mean, n_resamples=50, rng=0).confidence_interval,
        "permutation_test": lambda a: stats.permutation_test((a(x), a(y)), difference, n_resamples=50, rng=0),
        "monte_carlo_test": lambda a: stats.monte_carlo_test(
            a(x), lambda size: a(np.random.default_rng(1).normal(size=size)), mean, n_resamples=50),
        "power": lambda a: stats.power(
            stats.ttest_1samp, lambda size: a(np.random.default_rng(1).normal(size=size) + 0.5),
            n_observations=a(np.array([10.0])), n_resamples=50, kwargs={"popmean": 0.0}),
        "ks_1samp": lambda a: stats.ks_1samp(a(x - 2), special.ndtr),
        "ttest_ind_from_stats": lambda a: stats.ttest_ind_from_stats(a(x[:3]), a(w[:3]), 10.0, a(y[:3]),
                                                                     a(w[3:6]), 12.0),
        "quantile": lambda a: stats.quantile(a(x), a(np.array([0.25, 0.5]))),
        "cramervonmises": lambda a: stats.cramervonmises(a(x - 2), special.ndtr),
        "boxcox_llf": lambda a: stats.boxcox_llf(0.5, a(x)),
        "yeojohnson_llf": lambda a: stats.yeojohnson_llf(0.5, a(x)),
        "directional_stats": lambda a: stats.directional_stats(a(np.stack([x, y], axis=1))),
        "false_discovery_control": lambda a: stats.false_discovery_control(a(x / 10)),
    }
    candidates = [(x,), (x, y), (x, y, w), (x, 0.1), (x, 2)]
    checks = {}
    for name, fn in _scipy_functions("stats").items():
        checks[name] = explicit.get(name) or _discovered(fn, candidates) or (
            lambda a, name=name: _no_signature(name))
    return checks


def _no_signature(name):
    raise LookupError(f"the test found no arguments that {name} accepts on NumPy arrays")


def main():
    import warnings

    import sklearn
    sklearn.set_config(array_api_dispatch=True)
    warnings.simplefilter("ignore")
    data = _data()
    groups = {"sklearn estimators": _estimator_checks(data), "sklearn functions": _function_checks(data),
              "scipy.special": _special_checks(), "scipy.fft": _fft_checks(), "scipy.stats": _stats_checks()}
    print(json.dumps({group: {name: _run(check) for name, check in checks.items()}
                      for group, checks in groups.items()}))


if __name__ == "__main__":
    main()
