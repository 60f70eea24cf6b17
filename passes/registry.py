"""Passes by name. A pass is `fn(module)` that rewrites an `ir.Module` in place (or raises a located error);
nx-opt's flags, the defn pipeline and `f.lower()` all look passes up here."""
import functools

from numerix.dialect.ir import use_dialects

PASSES = {}


def register_pass(name, dialects=()):
    """Registers `fn` as pass `name`. `dialects`: those it builds ops of, loaded into the module's context before it
    runs (see dialect/ir.py's new_context)."""
    def register(fn):
        if name in PASSES:
            raise ValueError(f"pass {name} is registered twice")

        @functools.wraps(fn)
        def run(module):
            use_dialects(module.context, dialects)
            return fn(module)
        PASSES[name] = run
        run.pass_name = name
        return run
    return register


def run_passes(module, names, dump=None):
    """Runs the named passes in order; `dump(name, module)` is called after each when given (debug dumps)."""
    for name in names:
        PASSES[name](module)
        if dump is not None:
            dump(name, module)
    return module
