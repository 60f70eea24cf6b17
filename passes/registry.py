"""Passes by name. A pass is `fn(module)` that rewrites an `ir.Module` in place (or raises a located error);
nx-opt's flags, the defn pipeline and `f.lower()` all look passes up here."""
PASSES = {}


def register_pass(name):
    def register(fn):
        if name in PASSES:
            raise ValueError(f"pass {name} is registered twice")
        PASSES[name] = fn
        fn.pass_name = name
        return fn
    return register


def run_passes(module, names, dump=None):
    """Runs the named passes in order; `dump(name, module)` is called after each when given (debug dumps)."""
    for name in names:
        PASSES[name](module)
        if dump is not None:
            dump(name, module)
    return module
