"""Plain Python control flow inside defn (JAX's AutoGraph, Nx's defn macros): `@nx.defn` rewrites the function's
own source once, when the Defn is made, so that `if`/`elif`/`else`, `while`, `for ... in range(...)`, `break`,
`continue`, `a if c else b`, `and`, `or` and `not` decide at trace time what to become:

- on a traced tensor condition, an `if` becomes nx.cond, a `while` nx.while_loop, a `for` over a range with a traced
  bound nx.fori_loop (nx.while_loop when the loop has a `break` or a step other than 1), `a if c else b` nx.cond (not
  nx.where: only the chosen side is computed, so a side may be invalid where it is not chosen, such as a division by
  zero), and `and`/`or`/`not` nx.logical_and/or/not;
- on a Python value (or an eager tensor) they stay Python: a static `if` runs one branch, a static loop unrolls.

A `while` decides by its condition on the state it starts from; a Python loop whose condition turns into a traced
tensor (a `break` under a traced `if`, say) goes on as nx.while_loop from there.

What a branch or a loop carries is variables: for an `if`, those assigned in either branch that exist before it, and
those assigned in both; for a loop, those assigned in its body that exist before it. They must keep their tree and
tensor types (a Python number takes its default type: 0 is s64, 0.0 f32), else NxTraceError names the variable.
A variable assigned in only one branch of a traced `if` (or first inside a traced loop) may not be used after it.
An item assignment `y[i] = v` (or `y[i] += v`) to a variable of the function counts as an assignment to y, so a
branch or loop carries y (tensors take item assignment by rebinding: frontend/indexing.py's setitem). What else is
changed in place (attributes, items of lists reached through attributes or items) is not carried: inside a traced
branch or loop, keep state in variables.

Limits: only the decorated function's own body is converted (and functions defined inside it); functions it calls
run as they are, so their control flow must not depend on traced values (use nx.cond and friends there, or make them
defns). A lambda, a function whose source cannot be read (one typed into a REPL, a builtin, a callable object) or
that has decorators other than defn is left as it is. `return` inside a branch or loop on a traced condition is not
supported yet and is an NxTraceError with its line: assign to a variable and return after the `if` or loop. The
generated code keeps the user's file name and line numbers, so errors and IR locations point at the user's lines."""
import ast
import inspect
import types

import numerix  # nx.cond, nx.while_loop and nx.fori_loop, read when called: control_flow.py imports defn.py
from numerix.dialect import dtypes
from numerix.dialect.errors import NxTraceError

from .dispatch import NUMPY
from .elementwise import less, greater, logical_and, logical_not, logical_or
from .operands import as_type, tensor, to_tensor
from .tensor import Tensor, is_traced

__all__ = ["convert"]

RUNTIME = "__nx_ag"  # the name the converted code calls this module's runtime functions by
PREFIX = "__nx_"  # of every name the conversion makes up


# ---- the conversion ----

def convert(fn):
    """fn with its control flow converted, or fn itself where its source is not available (see the module's
    docstring). Called once per Defn."""
    function_def, filename = _parse(fn)
    if function_def is None or not _has_control_flow(function_def):
        return fn
    function_def.decorator_list = []
    _JumpLowering().visit(function_def)
    _ControlFlow(_liveness(function_def)).visit(function_def)
    return _build(fn, function_def, filename)


def _parse(fn):
    """(the FunctionDef of fn with the user's line numbers, its file name), or (None, None) where it cannot be read
    back from source (which then stays unconverted)."""
    if not isinstance(fn, types.FunctionType) or hasattr(fn, "__wrapped__") or fn.__name__ == "<lambda>":
        return None, None
    if fn.__code__.co_flags & (inspect.CO_GENERATOR | inspect.CO_COROUTINE | inspect.CO_ASYNC_GENERATOR):
        return None, None
    try:
        lines, first_line = inspect.getsourcelines(fn)
    except (OSError, TypeError):
        return None, None
    source = "".join(lines)
    indented = source[:1].isspace()
    try:
        # An indented def (a method, a nested function) is parsed under an `if 1:` so that its columns stay.
        module = ast.parse("if 1:\n" + source if indented else source)
    except SyntaxError:
        return None, None
    function_def = module.body[0].body[0] if indented else module.body[0]
    if not isinstance(function_def, ast.FunctionDef) or function_def.name != fn.__name__:
        return None, None
    ast.increment_lineno(function_def, first_line - (2 if indented else 1))
    parameters = [a.arg for a in function_def.args.posonlyargs + function_def.args.args]
    if parameters != list(fn.__code__.co_varnames[:len(parameters)]) or not all(
            _is_defn_decorator(d) for d in function_def.decorator_list):
        return None, None  # the file changed since it was imported, or another decorator wraps the function
    return function_def, fn.__code__.co_filename


def _is_defn_decorator(node):
    """Whether a decorator reads as defn's (`@nx.defn`, `@defn(compiler=...)`, `@nx.jit`): dropping any other one
    would change the function."""
    if isinstance(node, ast.Call):
        node = node.func
    name = node.attr if isinstance(node, ast.Attribute) else node.id if isinstance(node, ast.Name) else None
    return name in ("defn", "jit")


def _has_control_flow(function_def):
    return any(isinstance(n, (ast.If, ast.While, ast.For, ast.IfExp, ast.BoolOp)) or
               (isinstance(n, ast.UnaryOp) and isinstance(n.op, ast.Not)) for n in ast.walk(function_def))


def _build(fn, function_def, filename):
    """Compiles the converted def inside a factory whose locals are fn's free variables and the runtime, so that the
    new function closes over fn's own cells (and sees later changes to them) and over this module."""
    free = list(fn.__code__.co_freevars)
    factory = _statements(f"def {PREFIX}factory():\n" + "".join(f"    {name} = None\n" for name in free + [RUNTIME])
                          + f"    return {function_def.name}", function_def)[0]
    factory.body.insert(-1, function_def)
    module = ast.fix_missing_locations(ast.Module(body=[factory], type_ignores=[]))
    factory_code = compile(module, filename, "exec").co_consts[0]
    code = next(c for c in factory_code.co_consts if isinstance(c, types.CodeType) and c.co_name == fn.__name__)
    cells = dict(zip(free, fn.__closure__ or ()))
    cells[RUNTIME] = types.CellType(_Runtime)
    converted = types.FunctionType(code, fn.__globals__, fn.__name__, fn.__defaults__,
                                   tuple(cells[name] for name in code.co_freevars))
    converted.__kwdefaults__ = fn.__kwdefaults__
    converted.__qualname__, converted.__doc__ = fn.__qualname__, fn.__doc__
    converted.__annotations__ = fn.__annotations__
    converted.__dict__.update(fn.__dict__)
    return converted


def _statements(text, origin):
    """The statements of `text`, located at `origin` (the user's statement they stand for)."""
    body = ast.parse(text).body
    for statement in body:
        for node in ast.walk(statement):
            if "lineno" in node._attributes:
                _locate(node, origin)
    return body


def _locate(node, origin):
    """node, placed on the first line of `origin`: a generated node spanning the user's statement would put some of
    its instructions (attribute loads: Python takes their end) on the statement's last line, and so its errors."""
    node.lineno, node.col_offset = origin.lineno, origin.col_offset
    node.end_lineno, node.end_col_offset = origin.lineno, origin.col_offset
    return node


def _expression(text, origin):
    return _statements(text, origin)[0].value


# ---- which names a statement binds and reads ----

_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda, ast.ListComp, ast.SetComp, ast.DictComp,
           ast.GeneratorExp)


def _own_nodes(node, into_loops=True):
    """The nodes under `node` in its own scope (not in nested functions, classes or comprehensions; nor in nested
    loops unless into_loops)."""
    for child in ast.iter_child_nodes(node):
        yield child
        if not isinstance(child, _SCOPES) and (into_loops or not isinstance(child, (ast.While, ast.For))):
            yield from _own_nodes(child, into_loops)


def _bound(statements):
    """The names the statements bind in their scope (in source order)."""
    names = {}
    for node in (n for s in statements for n in (s, *_own_nodes(s))):
        if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            names[node.id] = None
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names[node.name] = None
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update((a.asname or a.name.split(".")[0], None) for a in node.names)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            names[node.name] = None
    return [name for name in names if not name.startswith(PREFIX + "fn")]


def _item_stored(statements):
    """The variables `y` that the statements assign items of (`y[i] = v`, `y[i] += v`), in their scope."""
    names = {}
    for node in (n for s in statements for n in (s, *_own_nodes(s))):
        if isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Store) and isinstance(node.value, ast.Name):
            names[node.value.id] = None
    return list(names)


def _parameters(function_def):
    arguments = function_def.args
    every = arguments.posonlyargs + arguments.args + arguments.kwonlyargs + [arguments.vararg, arguments.kwarg]
    return {a.arg for a in every if a is not None}


def _loads(node):
    """Every name `node` reads, nested functions included (they may run later)."""
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}


def _upward_reads(statements):
    """The names the statements may read before they assign them."""
    reads, assigned = set(), set()
    for statement in statements:
        reads |= _reads(statement) - assigned
        assigned |= _definitely_assigned(statement)
    return reads


def _reads(statement):
    if isinstance(statement, ast.If):
        return _loads(statement.test) | _upward_reads(statement.body) | _upward_reads(statement.orelse)
    if isinstance(statement, ast.While):
        return _loads(statement.test) | _upward_reads(statement.body) | _upward_reads(statement.orelse)
    if isinstance(statement, ast.For):  # the body reads the target after the loop binds it
        targets = {n.id for n in ast.walk(statement.target) if isinstance(n, ast.Name)}
        return _loads(statement.iter) | (_upward_reads(statement.body) - targets) | _upward_reads(statement.orelse)
    return _loads(statement)


def _definitely_assigned(statement):
    if isinstance(statement, ast.Assign):
        return {n.id for t in statement.targets for n in ast.walk(t)
                if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
    if isinstance(statement, ast.If):
        return _definitely_assigned_in(statement.body) & _definitely_assigned_in(statement.orelse)
    return set()


def _definitely_assigned_in(statements):
    return set().union(*(_definitely_assigned(s) for s in statements))


def _liveness(function_def):
    """{id of each if and loop: the names that may be read after it (for a loop, also by its next pass)}."""
    live = {}

    def walk(block, live_out):
        for k, statement in enumerate(block):
            after = _upward_reads(block[k + 1:]) | live_out
            if isinstance(statement, (ast.While, ast.For)):
                after = after | _reads(statement)
            live[id(statement)] = after
            for field in ("body", "orelse", "finalbody"):
                walk(getattr(statement, field, []), set() if isinstance(statement, ast.FunctionDef) else after)
            for handler in getattr(statement, "handlers", []):
                walk(handler.body, after)
    walk(function_def.body, set())
    return live


def _contains(statements, kinds, into_loops=True):
    return any(isinstance(n, kinds) for s in statements for n in (s, *_own_nodes(s, into_loops)))


# ---- break and continue become flags (AutoGraph's lowering) ----

class _JumpLowering(ast.NodeTransformer):
    """In each loop that will be converted (one without a `return`), `break` sets a flag that ends the loop (ANDed
    into a while's condition, the extra test of a for) and `continue` one that lasts for the pass; each guards the
    rest of the body. A loop's `else` runs after it unless the break flag is set."""

    def __init__(self):
        self.count = 0

    def _visit_loop(self, node):
        self.generic_visit(node)  # inner loops first: their jumps are their own
        if _contains(node.body, ast.Return):
            return node  # stays a Python loop (see _ControlFlow), with its jumps
        self.count += 1
        flags = {kind: f"{PREFIX}{kind.__name__.lower()}_{self.count}" for kind in _jumps(node.body)}
        before, after = [], node.orelse
        if ast.Break in flags:
            before = _statements(f"{flags[ast.Break]} = False", node)
            if isinstance(node, ast.While):
                not_broken = _expression(f"not {flags[ast.Break]}", node)
                node.test = _locate(ast.BoolOp(ast.And(), [not_broken, node.test]), node)
            else:
                node.nx_break_flag = flags[ast.Break]
            if node.orelse:
                after = [_locate(ast.If(_expression(f"not {flags[ast.Break]}", node.orelse[0]), node.orelse, []),
                                 node.orelse[0])]
        node.orelse = []
        if flags:
            node.body = _lower_block(node.body, flags)
        if ast.Continue in flags:
            node.body = _statements(f"{flags[ast.Continue]} = False", node) + node.body
        return before + [node] + after

    visit_While = visit_For = _visit_loop


def _jumps(statements):
    """The kinds of jump (Break, Continue) among the statements that belong to the loop whose body they are."""
    found = set()
    for statement in statements:
        if isinstance(statement, (ast.Break, ast.Continue)):
            found.add(type(statement))
        elif not isinstance(statement, (ast.While, ast.For) + _SCOPES):
            found |= {type(n) for n in _own_nodes(statement, into_loops=False)
                      if isinstance(n, (ast.Break, ast.Continue))}
    return found


def _lower_block(block, flags):
    """The block with its jumps (not those of inner loops) set as flags, and what follows each guarded by them."""
    out = []
    for k, statement in enumerate(block):
        if isinstance(statement, (ast.Break, ast.Continue)):
            return out + _statements(f"{flags[type(statement)]} = True", statement)
        out.append(statement)
        if not _jumps([statement]):
            continue
        for field in ("body", "orelse", "finalbody"):
            if getattr(statement, field, None):
                setattr(statement, field, _lower_block(getattr(statement, field), flags))
        for handler in getattr(statement, "handlers", []):
            handler.body = _lower_block(handler.body, flags)
        rest = _lower_block(block[k + 1:], flags)
        if rest:
            set_flags = " or ".join(flags.values())
            out.append(_locate(ast.If(_expression(f"not ({set_flags})", rest[0]), rest, []), rest[0]))
        return out
    return out


# ---- if, while, for and the expressions become runtime calls ----

class _ControlFlow(ast.NodeTransformer):
    """Each `if` and loop becomes local functions (its branches or body, with the variables it assigns declared
    nonlocal, and a setter of those variables) and one call of the runtime, which runs them as Python or traces them
    into nx.cond / nx.while_loop. Before the statement a variable not yet bound is bound to UNDEFINED, so that the
    functions can name it nonlocal; after it, one still UNDEFINED is unbound again, as Python would leave it."""

    def __init__(self, live):
        self.live = live
        self.global_names = [set()]
        self.local_names = [set()]  # of the function being converted: its parameters and the names it binds

    def visit_FunctionDef(self, node):
        self.global_names.append({n for s in node.body for g in (s, *_own_nodes(s)) if isinstance(g, ast.Global)
                                  for n in g.names})
        self.local_names.append(_parameters(node) | set(_bound(node.body)))
        self.generic_visit(node)
        self.global_names.pop()
        self.local_names.pop()
        return node

    def visit_If(self, node):
        if _contains(node.body + node.orelse, (ast.Return, ast.Break, ast.Continue)):
            return self._stays_python(node, "if", node.body + node.orelse)
        names, live = self._variables(node, node.body + node.orelse)
        self.generic_visit(node)
        then = self._function(f"{PREFIX}fn_then", "", names, node.body, node)
        orelse = self._function(f"{PREFIX}fn_else", "", names, node.orelse, node)
        return self._converted("if_stmt", [node.test, _name(then.name), _name(orelse.name)], [then, orelse],
                               names, live, node)

    def visit_While(self, node):
        if _contains(node.body, ast.Return):
            return self._stays_python(node, "while", node.body)
        names, live = self._variables(node, node.body)
        self.generic_visit(node)
        body = self._function(f"{PREFIX}fn_body", "", names, node.body, node)
        test = _lambda(node.test)
        return self._converted("while_stmt", [test, _name(body.name)], [body], names, live, node)

    def visit_For(self, node):
        if _contains(node.body, ast.Return):
            return self._stays_python(node, "for", node.body)
        item = f"{PREFIX}item"
        bind_target = _locate(ast.Assign([node.target], _locate(_name(item), node)), node)
        names, live = self._variables(node, [bind_target] + node.body)
        self.generic_visit(node)
        flag = getattr(node, "nx_break_flag", None)
        extra_test = _expression(f"lambda: {RUNTIME}.not_({flag})", node) if flag else ast.Constant(None)
        body = self._function(f"{PREFIX}fn_body", item, names, [bind_target] + node.body, node)
        return self._converted("for_stmt", [self._iterable(node.iter), extra_test, _name(body.name)], [body],
                               names, live, node)

    def visit_IfExp(self, node):
        self.generic_visit(node)
        return _runtime_call("if_exp", [node.test, _lambda(node.body), _lambda(node.orelse)], node)

    def visit_BoolOp(self, node):
        if any(isinstance(n, ast.NamedExpr) for n in ast.walk(node)):
            return node  # a := inside would bind in the lambda below instead
        self.generic_visit(node)
        kind = "and_" if isinstance(node.op, ast.And) else "or_"
        return _runtime_call(kind, [_lambda(v) for v in node.values], node)

    def visit_UnaryOp(self, node):
        self.generic_visit(node)
        return _runtime_call("not_", [node.operand], node) if isinstance(node.op, ast.Not) else node

    def _variables(self, node, statements):
        """The variables the statement assigns (its state), and those of them read after it. A local variable whose
        items it assigns counts (a free or global one is not the function's to carry)."""
        bound = _bound(statements)
        items = [n for n in _item_stored(statements) if n in self.local_names[-1] and n not in bound]
        names = [n for n in bound + items if n not in self.global_names[-1]]
        return names, [n for n in names if n in self.live[id(node)]]

    def _stays_python(self, node, kind, body):
        """A statement with a `return` inside (or a jump, in a loop that stays Python) stays a Python statement: its
        condition must then be a Python value, which the runtime checks."""
        self.generic_visit(node)
        inside = "`return`" if _contains(body, ast.Return) else "`break` or `continue` in a loop with a `return`"
        if kind == "for":
            node.iter = _runtime_call("python_iterable", [self._iterable(node.iter), ast.Constant(inside)], node.iter)
        else:
            node.test = _runtime_call("python_test", [node.test, ast.Constant(kind), ast.Constant(inside)],
                                      node.test)
        return node

    @staticmethod
    def _iterable(node):
        """`range(...)` goes through the runtime, which makes a traced range where a bound is traced."""
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "range" and \
                not node.keywords and not any(isinstance(a, ast.Starred) for a in node.args):
            return _runtime_call("range_", [node.func, *node.args], node)
        return node

    def _function(self, name, parameter, names, body, origin):
        """def name(parameter): nonlocal names; body"""
        function_def = _statements(f"def {name}({parameter}):\n    pass", origin)[0]
        assigned_globals = sorted(self.global_names[-1] & set(_bound(body)))
        function_def.body = ((_statements(f"nonlocal {', '.join(names)}", origin) if names else []) +
                             (_statements(f"global {', '.join(assigned_globals)}", origin) if assigned_globals else [])
                             + (body or function_def.body))
        return function_def

    def _converted(self, kind, arguments, functions, names, live, origin):
        """The statement as: bind its unbound variables; its functions; a setter of its variables;
        __nx_ag.kind(*arguments, get_state, set_state, names, live); unbind those still UNDEFINED. The getter gives
        UNDEFINED for a variable unbound inside (by an inner statement's unbinding)."""
        before, after = [], []
        for n in names:
            before += _statements(f"try:\n    {n}\nexcept NameError:\n    {n} = {RUNTIME}.UNDEFINED", origin)
            after += _statements(f"try:\n    if {n} is {RUNTIME}.UNDEFINED:\n        del {n}\n"
                                 f"except NameError:\n    pass", origin)
        reads = "".join(f"{RUNTIME}.read(lambda: {n}), " for n in names)
        get_state = _expression(f"lambda: ({reads})", origin)
        setter = []
        if names:
            setter = [self._function(f"{PREFIX}fn_set_state", f"{PREFIX}values", names,
                                     _statements(f"({', '.join(names)},) = {PREFIX}values", origin), origin)]
        call = ast.Expr(_runtime_call(kind, [*arguments, get_state, _name(setter[0].name) if setter else
                                             ast.Constant(None), ast.Constant(tuple(names)),
                                             ast.Constant(tuple(live))], origin))
        return before + functions + setter + [_locate(call, origin)] + after


def _runtime_call(kind, arguments, origin):
    function = _locate(ast.Attribute(_locate(_name(RUNTIME), origin), kind, ast.Load()), origin)
    return _locate(ast.Call(function, arguments, []), origin)


def _name(identifier):
    return ast.Name(identifier, ast.Load())


def _lambda(body):
    return ast.copy_location(ast.Lambda(_no_arguments(), body), body)


def _no_arguments():
    return ast.arguments(posonlyargs=[], args=[], vararg=None, kwonlyargs=[], kw_defaults=[], kwarg=None, defaults=[])


# ---- the runtime the converted code calls ----

class _Undefined:
    """The value of a variable not bound yet, while a statement runs (the converted code unbinds it after)."""

    def __repr__(self):
        return "UNDEFINED"


UNDEFINED = _Undefined()


def read(thunk):
    """thunk(), which reads one variable; UNDEFINED where it is unbound."""
    try:
        return thunk()
    except NameError:
        return UNDEFINED


def if_stmt(test, then, orelse, get_state, set_state, names, live):
    if not is_traced(test):
        (then if test else orelse)()
        return
    before = dict(zip(names, get_state()))
    carried = [n for n in names if before[n] is not UNDEFINED]
    after = {}  # branch -> {variable: its value described, after the branch}

    def traced(branch, label):
        def run(*values):
            _set(set_state, names, dict(zip(carried, values)))
            branch()
            state = dict(zip(names, get_state()))
            after[label] = {n: _describe(v) for n, v in state.items()}
            return tuple(state[n] for n in names if n in carried or (n in live and state[n] is not UNDEFINED))
        return _named(run, branch, label)
    try:
        results = numerix.cond(test, traced(then, "if"), traced(orelse, "else"), *[before[n] for n in carried])
    except NxTraceError:
        if len(after) == 2:  # both branches traced, so they disagree: say on which variable
            _raise_branch_mismatch(after, [n for n in names if n in carried or n in live])
        raise
    outputs = [n for n in names if n in carried or (n in live and after["if"][n] != "undefined")]
    _set(set_state, names, dict(zip(outputs, results)))


def _raise_branch_mismatch(after, names):
    for n in names:
        if_type, else_type = after["if"][n], after["else"][n]
        if "undefined" in (if_type, else_type):
            branch = "if" if else_type == "undefined" else "else"
            raise NxTraceError(f"variable {n!r} is assigned only in the {branch} branch of an `if` on a traced "
                               f"condition, and used after it: assign it in both branches, or before the if",
                               op="if") from None
        if if_type != else_type:
            raise NxTraceError(f"variable {n!r} is {if_type} after the if branch and {else_type} after the else "
                               "branch of an `if` on a traced condition: both must give it one shape and type",
                               op="if") from None


def while_stmt(test, body, get_state, set_state, names, live):
    """A Python loop while the condition is a Python value; from where it is a traced tensor, nx.while_loop."""
    while True:
        condition = test()
        if is_traced(condition):
            _traced_while(test, body, _TracedLoop(get_state, set_state, names, live, "while"))
            return
        if not condition:
            return
        body()


def _traced_while(test, body, loop):
    def cond(values):
        loop.enter(values)
        return test()

    def step(values):
        loop.enter(values)
        body()
        return loop.leave()
    loop.run(lambda init: numerix.while_loop(_named(cond, test, "while_cond"), _named(step, body, "while_body"), init))


def for_stmt(iterable, extra_test, body, get_state, set_state, names, live):
    """A range with a traced bound loops with nx.fori_loop (nx.while_loop with a break or a step); anything else
    loops in Python, each pass under an `if` once a break flag is traced."""
    if isinstance(iterable, _TracedRange):
        _traced_for(iterable, extra_test, body, get_state, set_state, names, live)
        return
    for item in iterable:
        go = extra_test() if extra_test is not None else True
        if is_traced(go):
            def this_pass(item=item):
                body(item)
            if_stmt(go, _named(this_pass, body, "for_body"), _nothing, get_state, set_state, names, live)
        elif not go:
            break
        else:
            body(item)


def _traced_for(iterable, extra_test, body, get_state, set_state, names, live):
    loop = _TracedLoop(get_state, set_state, names, live, "for")
    if extra_test is None and iterable.step == 1:
        def fori_body(i, values):
            loop.enter(values)
            body(i)
            return loop.leave()
        loop.run(lambda init: numerix.fori_loop(iterable.start, iterable.stop, _named(fori_body, body, "for_body"),
                                                init))
        return
    counter_type = next((b.type for b in (iterable.start, iterable.stop) if isinstance(b, Tensor)), dtypes.s32)
    start, stop = (as_type(to_tensor(b), counter_type) for b in (iterable.start, iterable.stop))
    compare = less if iterable.step > 0 else greater

    def cond(state):
        i, values = state
        loop.enter(values)
        return and_(lambda: compare(i, stop), *([extra_test] if extra_test is not None else []))

    def step(state):
        i, values = state
        loop.enter(values)
        body(i)
        return i + iterable.step, loop.leave()
    loop.run(lambda init: numerix.while_loop(_named(cond, body, "for_cond"), _named(step, body, "for_body"),
                                             (start, init))[1])


class _TracedLoop:
    """The variables a traced loop carries: those its body assigns that are bound before it."""

    def __init__(self, get_state, set_state, names, live, kind):
        self.set_state, self.get_state, self.names, self.kind = set_state, get_state, names, kind
        before = dict(zip(names, get_state()))
        self.carried = [n for n in names if before[n] is not UNDEFINED]
        self.init = tuple(before[n] for n in self.carried)
        self.after_body = {}
        for n in live:
            if n not in self.carried:
                raise NxTraceError(f"variable {n!r} is first assigned inside a `{kind}` loop on a traced condition "
                                   "and used after it (or in its next pass): assign it before the loop", op=kind)

    def enter(self, values):
        _set(self.set_state, self.names, dict(zip(self.carried, values)))

    def leave(self):
        state = dict(zip(self.names, self.get_state()))
        self.after_body = {n: state[n] for n in self.carried}
        return tuple(state[n] for n in self.carried)

    def run(self, loop):
        """loop(init) -> the carried values after it; sets them. A loop variable whose type changed is named."""
        try:
            results = loop(self.init)
        except NxTraceError:
            for n, value in zip(self.carried, self.init):
                if n in self.after_body and _describe(value) != _describe(self.after_body[n]):
                    raise NxTraceError(
                        f"loop variable {n!r} is {_describe(value)} before the `{self.kind}` loop and "
                        f"{_describe(self.after_body[n])} after its body: a variable a loop on a traced condition "
                        "carries must keep its shape and type", op=self.kind) from None
            raise
        self.enter(results)


def if_exp(test, then, orelse):
    if not is_traced(test):
        return then() if test else orelse()
    return numerix.cond(test, _named(lambda: then(), then, "if_exp"), _named(lambda: orelse(), orelse, "else_exp"))


def and_(*operands):
    """Python's `and` over thunks of the operands; from the first traced one on, nx.logical_and."""
    value = operands[0]()
    for operand in operands[1:]:
        if is_traced(value):
            value = logical_and(value, operand())
        elif not value:
            return value
        else:
            value = operand()
    return value


def or_(*operands):
    value = operands[0]()
    for operand in operands[1:]:
        if is_traced(value):
            value = logical_or(value, operand())
        elif value:
            return value
        else:
            value = operand()
    return value


def not_(value):
    return logical_not(value) if is_traced(value) else not value


class _TracedRange:
    __slots__ = ("start", "stop", "step")

    def __init__(self, start, stop, step):
        self.start, self.stop, self.step = start, stop, step


def range_(range_fn, *bounds):
    """range(*bounds), or a _TracedRange where a bound is traced (and range_fn is the builtin)."""
    if range_fn is not range or not any(is_traced(b) for b in bounds):
        return range_fn(*bounds)
    start, stop, step = (0, bounds[0], 1) if len(bounds) == 1 else (*bounds, 1)[:3]
    if is_traced(step) or not isinstance(step, int) or step == 0:
        raise NxTraceError(f"a range with a traced bound needs a Python int step other than 0, got {step!r}",
                           op="for")
    return _TracedRange(start, stop, step)


def python_test(test, kind, inside):
    if is_traced(test):
        raise NxTraceError(f"Python control flow: an `{kind}` on a traced condition with {inside} inside is not "
                           f"supported yet: assign the result to a variable and return it after the {kind}", op=kind)
    return test


def python_iterable(iterable, inside):
    if isinstance(iterable, _TracedRange):
        raise NxTraceError(f"Python control flow: a `for` loop over a range with a traced bound with {inside} "
                           "inside is not supported yet: assign the result to a variable and return it after the loop",
                           op="for")
    return iterable


def _set(set_state, names, values):
    """Sets each variable of `names` to its value in `values`, or to UNDEFINED."""
    if set_state is not None:
        set_state(tuple(values.get(n, UNDEFINED) for n in names))


def _nothing():
    pass


def _named(run, user_function, label):
    """run, named for the private function it is traced into and located at the user's statement."""
    run.__name__ = f"{label}_{user_function.__code__.co_firstlineno}"
    run.__wrapped__ = user_function
    return run


def _describe(value):
    if value is UNDEFINED:
        return "undefined"
    if isinstance(value, Tensor):
        return str(value.ttype)
    if isinstance(value, (bool, int, float, complex)):
        return str(tensor(value, backend=NUMPY).ttype)
    return type(value).__name__


_Runtime = types.SimpleNamespace(
    UNDEFINED=UNDEFINED, read=read, if_stmt=if_stmt, while_stmt=while_stmt, for_stmt=for_stmt, if_exp=if_exp,
    and_=and_, or_=or_, not_=not_, range_=range_, python_test=python_test, python_iterable=python_iterable)
