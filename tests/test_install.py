"""numerix installed from its wheel, not editable, points its errors at the user's line as the source checkout does.
An installed package's files live in site-packages/numerix/..., not in the checkout's folders, so telling numerix's
own stack frames from the user's by folder fails there (every error pointed into numerix); this catches that."""
import json
import pathlib
import shutil
import site
import subprocess
import sys
import venv

REPO = pathlib.Path(__file__).resolve().parent.parent

USER_SCRIPT = '''\
import json

import numerix as nx


@nx.defn
def add(x, y):
    return x + y  # defn error


report = {"numerix": nx.__file__}
try:
    add(nx.iota((3,)), nx.iota((4,)))
except nx.NxShapeError as e:
    report["defn"] = str(e)
try:
    nx.iota((3,)) * nx.iota((4,))  # eager error
except nx.NxShapeError as e:
    report["eager"] = str(e)
print(json.dumps(report))
'''


def _run(what, *command, **kwargs):
    run = subprocess.run([str(part) for part in command], capture_output=True, text=True, **kwargs)
    assert run.returncode == 0, f"{what} failed:\n{run.stdout}{run.stderr}"
    return run.stdout


def _line_of(marker):
    return next(number for number, line in enumerate(USER_SCRIPT.splitlines(), 1) if line.endswith(f"# {marker}"))


def test_installed_package_errors_name_the_user_line(tmp_path):
    # Built from a copy: setuptools' build/ folder would otherwise land in the checkout (and carry stale modules
    # from one build into the next wheel).
    source = tmp_path / "source"
    shutil.copytree(REPO, source, ignore=shutil.ignore_patterns(
        ".git", ".venv", "build", "*.egg-info", "__pycache__", ".hypothesis", ".pytest_cache"))
    _run("building the wheel (needs setuptools>=70.1, from the test extra)", sys.executable, "-m", "pip", "wheel",
         "--no-deps", "--no-build-isolation", "--no-index", "--quiet", "-w", tmp_path / "dist", source)
    environment = tmp_path / "venv"
    venv.create(environment, with_pip=False)
    python = environment / "bin" / "python"
    _run("installing the wheel", sys.executable, "-m", "pip", "--python", python, "install", "--no-deps",
         "--no-index", "--quiet", *(tmp_path / "dist").glob("numerix-*.whl"))
    # numpy, IREE and the other dependencies come from this interpreter's site-packages, listed after the venv's own
    # so its numerix comes first; the .pth files there (the editable install's finder) stay unrun.
    packages = pathlib.Path(_run("locating site-packages", python, "-c",
                                 "import sysconfig; print(sysconfig.get_path('purelib'))").strip())
    (packages / "dependencies.pth").write_text("\n".join(site.getsitepackages()) + "\n")

    script = tmp_path / "user_script.py"
    script.write_text(USER_SCRIPT)
    report = json.loads(_run("the user script", python, script, cwd=tmp_path))

    assert pathlib.Path(report["numerix"]).is_relative_to(environment), report["numerix"]
    assert f"\n  at {script}:{_line_of('defn error')}:" in report["defn"], report["defn"]
    assert f"\n  at {script}:{_line_of('eager error')}:" in report["eager"], report["eager"]
