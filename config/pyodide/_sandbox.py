# The sandbox lrspec runs Python config files in (CPython compiled to WebAssembly by Pyodide,
# inside a worker the host can terminate). This file is trusted code; the config files are not.
#
# Layers (see config/pyodide/README.md for the threat model):
# 1. No host file system: Pyodide's file system is in memory. Files come only through `host_read`
#    (JavaScript), which serves regular files under the allowed roots and nothing else; the
#    Python side checks the same roots first, so a config gets a clear PermissionError.
# 2. A config runs with its own builtins: `__import__` allows a fixed list of standard modules
#    (given as copies without their private and module-valued attributes) and the recording
#    stub packages (detectron2, fvcore, torch, mmengine, ...); `open` reads under the roots only
#    and never writes; no eval, exec, compile, input, breakpoint.
# 3. A config's code is checked before it runs: attribute names that reach interpreter internals
#    (`__class__`, `__globals__`, `__subclasses__`, frames, code objects, ...) are rejected, in
#    the source and in getattr/setattr/hasattr/delattr.
# 4. The host terminates the worker when a file runs past its time limit.

import ast
import builtins as _builtins
import io
import posixpath
import types

import _lrspec_host  # registered by the worker: read(path) -> str | None, kind(path) -> str

ROOTS: list = []
CWD = "/"


# What a config file may not do in lrspec's sandbox raises PermissionError (messages start with
# "lrspec sandbox:").
SandboxError = PermissionError


def configure(roots, cwd):
    global CWD
    ROOTS[:] = [posixpath.normpath(r) for r in roots]
    CWD = cwd


def absolute(path, base=None):
    if not isinstance(path, str):
        raise TypeError(f"a path must be a str, not {type(path).__name__}")
    if not posixpath.isabs(path):
        path = posixpath.join(base or CWD, path)
    return posixpath.normpath(path)


def inside(path):
    return any(path == r or path.startswith(r.rstrip("/") + "/") for r in ROOTS)


def _outside(path, what):
    roots = ", ".join(ROOTS) or "(none)"
    return SandboxError(
        f"lrspec sandbox: {what} {path} is outside the config tree(s) mounted read-only: {roots}"
    )


def read_text(path):
    path = absolute(path)
    if not inside(path):
        raise _outside(path, "cannot read")
    text = _lrspec_host.read(path)
    if text is None:
        if _lrspec_host.kind(path) == "dir":
            raise IsADirectoryError(f"[Errno 21] Is a directory: '{path}'")
        raise FileNotFoundError(f"[Errno 2] No such file or directory: '{path}'")
    return text


def path_kind(path):
    path = absolute(path)
    if not inside(path):
        return None
    return _lrspec_host.kind(path)


def safe_open(file, mode="r", *args, **kwargs):
    if any(c in mode for c in "wax+"):
        raise SandboxError(
            f"lrspec sandbox: config files cannot write files: open({file!r}, {mode!r})"
        )
    text = read_text(file)
    if "b" in mode:
        return io.BytesIO(text.encode("utf-8"))
    return io.StringIO(text)


# Dunder attributes a config may use (calling a base class's __init__, naming things).
_SAFE_DUNDERS = frozenset(
    ["__init__", "__name__", "__qualname__", "__doc__", "__call__", "__len__", "__iter__",
     "__next__", "__getitem__", "__setitem__", "__contains__", "__repr__", "__str__", "__eq__",
     "__ne__", "__lt__", "__le__", "__gt__", "__ge__", "__hash__", "__bool__", "__enter__",
     "__exit__", "__post_init__"]
)
# Non-dunder attributes that reach frames, code objects or globals.
_BLOCKED = frozenset(
    ["gi_frame", "gi_code", "gi_yieldfrom", "gi_suspended", "cr_frame", "cr_code", "cr_await",
     "ag_frame", "ag_code", "ag_await", "f_globals", "f_locals", "f_builtins", "f_back", "f_code",
     "f_trace", "tb_frame", "tb_next", "co_code", "co_consts", "func_globals", "func_code",
     "mro", "format_map"]
)


def blocked_attribute(name):
    if name in _BLOCKED:
        return True
    return name.startswith("__") and name not in _SAFE_DUNDERS


def check_source(tree, filename):
    """Rejects code that names interpreter internals (layer 3)."""
    for node in ast.walk(tree):
        name = None
        if isinstance(node, ast.Attribute):
            name = node.attr
        elif isinstance(node, ast.Name) and node.id in ("__builtins__", "__loader__", "__spec__"):
            name = node.id
        if name is not None and blocked_attribute(name):
            raise SandboxError(
                f'lrspec sandbox: File "{filename}", line {node.lineno}: '
                f"`{name}` is not allowed in a config file (it reaches interpreter internals)"
            )


def _checked(name):
    if not isinstance(name, str):
        raise TypeError("attribute name must be string")
    if blocked_attribute(name):
        raise SandboxError(f"lrspec sandbox: attribute `{name}` is not allowed in a config file")
    return name


def safe_getattr(obj, name, *default):
    return getattr(obj, _checked(name), *default)


def safe_hasattr(obj, name):
    return hasattr(obj, _checked(name))


def safe_setattr(obj, name, value):
    return setattr(obj, _checked(name), value)


def safe_delattr(obj, name):
    return delattr(obj, _checked(name))


def _no(name):
    def refused(*args, **kwargs):
        raise SandboxError(f"lrspec sandbox: `{name}` is not available to config files")

    refused.__name__ = name
    return refused


# The standard modules a config may import, given as filtered copies (layer 2): public names
# only, no module-valued attributes, and none of the functions that fetch an attribute by a name
# given as a string or evaluate a string (they would step around layer 3): operator.attrgetter /
# methodcaller, functools.update_wrapper / wraps, string.Formatter, typing's annotation
# evaluation (get_type_hints, ForwardRef, ...). dataclasses, enum and inspect are not offered.
ALLOWED_STDLIB = frozenset(
    ["math", "cmath", "functools", "itertools", "collections", "collections.abc", "copy",
     "typing", "numbers", "operator", "re", "fractions", "decimal", "string", "abc", "bisect",
     "heapq", "json", "statistics", "random", "datetime"]
)
_WITHHELD = {
    "operator": {"attrgetter", "methodcaller"},
    "functools": {"update_wrapper", "wraps", "WRAPPER_ASSIGNMENTS", "WRAPPER_UPDATES"},
    "string": {"Formatter"},
}
# typing: the names configs write in annotations, nothing that evaluates one.
_ONLY = {
    "typing": {"Any", "Callable", "Dict", "FrozenSet", "Iterable", "Iterator", "List", "Literal",
               "Mapping", "MutableMapping", "NamedTuple", "Optional", "Sequence", "Set", "Tuple",
               "Type", "TypedDict", "Union"},
}

_stdlib_proxies: dict = {}


def _proxy(name):
    if name in _stdlib_proxies:
        return _stdlib_proxies[name]
    real = _builtins.__import__(name, fromlist=["_"])
    mod = types.ModuleType(name)
    only = _ONLY.get(name)
    withheld = _WITHHELD.get(name, set())
    for key, value in vars(real).items():
        if key.startswith("_") or isinstance(value, types.ModuleType) or key in withheld:
            continue
        if only is not None and key not in only:
            continue
        setattr(mod, key, value)
    # Submodules that are allowed themselves.
    for sub in ALLOWED_STDLIB:
        if sub.startswith(name + "."):
            setattr(mod, sub[len(name) + 1:], _proxy(sub))
    _stdlib_proxies[name] = mod
    return mod


def forbidden_import(name):
    return ImportError(
        f"lrspec sandbox: import of `{name}` is not allowed in a config file "
        f"(allowed: the standard modules {', '.join(sorted(ALLOWED_STDLIB))}, "
        "and recorded stand-ins for detectron2, fvcore, torch, torchvision, omegaconf, "
        "mmengine, mmdet, mmcv, mmpretrain)"
    )


def make_builtins(importer):
    """The builtins a config runs with."""
    allowed = [
        "abs", "all", "any", "ascii", "bin", "bool", "bytearray", "bytes", "callable", "chr",
        "classmethod", "complex", "dict", "dir", "divmod", "enumerate", "filter", "float",
        "format", "frozenset", "hash", "hex", "id", "int", "isinstance", "issubclass", "iter",
        "len", "list", "map", "max", "min", "next", "object", "oct", "ord", "pow", "property",
        "range", "repr", "reversed", "round", "set", "slice", "sorted", "staticmethod", "str",
        "sum", "super", "tuple", "type", "zip", "memoryview", "True", "False", "None",
        "NotImplemented", "Ellipsis", "__build_class__",
    ]
    b = {name: getattr(_builtins, name) for name in allowed}
    for name, value in vars(_builtins).items():
        if isinstance(value, type) and issubclass(value, BaseException):
            b[name] = value
    b.update(
        __import__=importer,
        open=safe_open,
        getattr=safe_getattr,
        hasattr=safe_hasattr,
        setattr=safe_setattr,
        delattr=safe_delattr,
        print=lambda *a, **k: None,
        vars=_no("vars"),
        globals=_no("globals"),
        locals=_no("locals"),
        eval=_no("eval"),
        exec=_no("exec"),
        compile=_no("compile"),
        input=_no("input"),
        breakpoint=_no("breakpoint"),
        help=_no("help"),
        exit=_no("exit"),
        quit=_no("quit"),
        __name__="builtins",
    )
    return b


def compile_config(source, filename, tree=None):
    if tree is None:
        tree = ast.parse(source, filename)
    check_source(tree, filename)
    return compile(tree, filename, "exec")
