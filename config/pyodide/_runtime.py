# Loading Python config files the way their frameworks do, inside lrspec's sandbox:
# - detectron2's `LazyConfig.load` + `LazyConfig.apply_overrides` (detectron2/config/lazy.py,
#   commit 02b5c4e), `model_zoo.get_config` relative to a checkout's configs/;
# - mmengine's `Config.fromfile` (mmengine/config/config.py, commit 2543429): `_base_` files,
#   `{{_base_.x}}`, `_delete_`, predefined variables, the `with read_base():` (lazy import)
#   style, and `Config.merge_from_dict` for `--cfg-options` with `DictAction`'s value parsing.
# The logic follows upstream function by function (Apache-2.0, both); names are upstream's.

import ast
import copy
import json
import math
import posixpath
import re
import types
import uuid
from collections import OrderedDict

import _sandbox as sb
import _stubs as st

FILES: list = []  # every file read, in order
D2_ROOT = None  # a detectron2 checkout (its configs/ serves model_zoo.get_config)


class ConfigParsingError(RuntimeError):
    pass


def _read(path):
    text = sb.read_text(path)
    path = sb.absolute(path)
    if path not in FILES:
        FILES.append(path)
    return text


# ---- imports --------------------------------------------------------------------------------

_CFG_PACKAGE_NAME = "detectron2._cfg_loader"


def _special_members(name):
    """The real pieces of the stub packages."""
    if name in ("detectron2.config", "detectron2.config.lazy"):
        return {
            "LazyCall": st.LazyCall,
            "LazyConfig": LazyConfig,
            "instantiate": st._not_run("detectron2.config.instantiate"),
        }
    if name == "detectron2.model_zoo" or name == "detectron2.model_zoo.model_zoo":
        return {"get_config": model_zoo_get_config, "get_config_file": model_zoo_get_config_file}
    if name == "omegaconf":
        return {
            "OmegaConf": st.OmegaConf, "DictConfig": st.DictConfig, "ListConfig": st.ListConfig,
            "II": st.II, "SI": st.SI,
        }
    if name == "mmengine.config" or name == "mmengine":
        return {"read_base": st.read_base}
    return {}


_stub_modules: dict = {}
_SPECIAL_MODULES = frozenset(
    ["detectron2.config", "detectron2.config.lazy", "detectron2.model_zoo",
     "detectron2.model_zoo.model_zoo", "omegaconf", "mmengine", "mmengine.config"]
)


class _StubPackage(st.StubModule):
    def __getattr__(self, name):
        full = self.__name__ + "." + name
        if not name.startswith("__") and any(
            m == full or m.startswith(full + ".") for m in _SPECIAL_MODULES
        ):
            return _stub_module(full)
        return st.StubModule.__getattr__(self, name)


def _stub_module(name):
    if name not in _stub_modules:
        mod = _StubPackage(name)
        for key, value in _special_members(name).items():
            setattr(mod, key, value)
        _stub_modules[name] = mod
        if "." in name:
            parent, _, child = name.rpartition(".")
            setattr(_stub_module(parent), child, mod)
    return _stub_modules[name]


def sandbox_import(name, globals=None, locals=None, fromlist=(), level=0):
    if (
        level != 0 and globals is not None
        and (globals.get("__package__", "") or "").startswith(_CFG_PACKAGE_NAME)
    ):
        return _lazyconfig_relative_import(name, globals, fromlist, level)
    if level != 0:
        raise ImportError(
            f"lrspec sandbox: relative import `{'.' * level}{name}` outside a detectron2 "
            "LazyConfig (mmengine configs inherit with `_base_` or `with read_base():`)"
        )
    top = name.split(".")[0]
    if name in sb.ALLOWED_STDLIB:
        sb._proxy(name)
        return sb._proxy(top) if not fromlist else sb._proxy(name)
    if top in st.STUB_PACKAGES:
        mod = _stub_module(name)
        return _stub_module(top) if not fromlist else mod
    raise sb.forbidden_import(name)


BUILTINS = sb.make_builtins(sandbox_import)


def _exec(code_text, filename, namespace, tree=None):
    namespace["__builtins__"] = BUILTINS
    code = sb.compile_config(code_text, filename, tree)
    exec(code, namespace)


# ---- detectron2 LazyConfig ------------------------------------------------------------------


def _validate_py_syntax(filename):
    content = _read(filename)
    try:
        ast.parse(content)
    except SyntaxError as e:
        raise SyntaxError(f"Config file {filename} has syntax error!") from e


def _cast_to_config(obj):
    if isinstance(obj, dict):
        return st.DictConfig(obj, flags={"allow_objects": True})
    return obj


def _random_package_name(filename):
    return _CFG_PACKAGE_NAME + str(uuid.uuid4())[:4] + "." + posixpath.basename(filename)


def _find_relative_file(original_file, relative_import_path, level):
    relative_import_err = (
        " Relative import of directories is not allowed within config files. "
        "Within a config file, relative import can only import other config files. "
    )
    if not len(relative_import_path):
        raise ImportError(relative_import_err)
    cur_file = posixpath.dirname(original_file)
    for _ in range(level - 1):
        cur_file = posixpath.dirname(cur_file)
    cur_name = relative_import_path.lstrip(".")
    for part in cur_name.split("."):
        cur_file = posixpath.join(cur_file, part)
    if not cur_file.endswith(".py"):
        cur_file += ".py"
    if sb.path_kind(cur_file) != "file":
        cur_file_no_suffix = cur_file[: -len(".py")]
        if not sb.inside(sb.absolute(cur_file)):
            sb.read_text(cur_file)  # raises the sandbox's error
        if sb.path_kind(cur_file_no_suffix) == "dir":
            raise ImportError(f"Cannot import from {cur_file_no_suffix}." + relative_import_err)
        raise ImportError(
            f"Cannot import name {relative_import_path} from "
            f"{original_file}: {cur_file} does not exist."
        )
    return cur_file


def _lazyconfig_relative_import(name, globals, fromlist, level):
    cur_file = _find_relative_file(globals["__file__"], name, level)
    _validate_py_syntax(cur_file)
    module = types.ModuleType(_random_package_name(cur_file))
    module.__file__ = cur_file
    module.__package__ = module.__name__
    _exec(_read(cur_file), cur_file, module.__dict__)
    for name in fromlist or ():
        val = _cast_to_config(module.__dict__[name])
        module.__dict__[name] = val
    return module


class LazyConfig:
    @staticmethod
    def load(filename, keys=None):
        has_keys = keys is not None
        filename = filename.replace("/./", "/")
        if posixpath.splitext(filename)[1] not in [".py", ".yaml", ".yml"]:
            raise ValueError(f"Config file {filename} has to be a python or yaml file.")
        if not filename.endswith(".py"):
            raise NotImplementedError(f"lrspec reads Python LazyConfigs only, not {filename}")
        filename = sb.absolute(filename)
        _validate_py_syntax(filename)
        module_namespace = {
            "__file__": filename,
            "__package__": _random_package_name(filename),
        }
        _exec(_read(filename), filename, module_namespace)
        ret = module_namespace
        if has_keys:
            if isinstance(keys, str):
                return _cast_to_config(ret[keys])
            return tuple(_cast_to_config(ret[a]) for a in keys)
        return st.DictConfig(
            {
                name: _cast_to_config(value)
                for name, value in ret.items()
                if isinstance(value, (st.DictConfig, st.ListConfig, dict))
                and not name.startswith("_")
            },
            flags={"allow_objects": True},
        )

    @staticmethod
    def apply_overrides(cfg, overrides):
        def safe_update(cfg, key, value):
            parts = key.split(".")
            for idx in range(1, len(parts)):
                prefix = ".".join(parts[:idx])
                v = st.OmegaConf.select(cfg, prefix, default=None)
                if v is None:
                    break
                if not st.OmegaConf.is_config(v):
                    raise KeyError(
                        f"Trying to update key {key}, but {prefix} "
                        f"is not a config, but has type {type(v)}."
                    )
            st.OmegaConf.update(cfg, key, value, merge=True)

        # detectron2's fallback without hydra, except that a value that is not a Python literal
        # stays a string (as hydra's grammar reads `a=b`) instead of raising.
        for o in overrides:
            key, value = o.split("=", 1)
            try:
                value = ast.literal_eval(value)
            except (ValueError, SyntaxError):
                pass
            safe_update(cfg, key, value)
        return cfg


def model_zoo_get_config_file(config_path):
    if D2_ROOT is None:
        raise RuntimeError(
            f"model_zoo.get_config({config_path!r}) needs detectron2's configs/: "
            "point lrspec at a detectron2 checkout (--detectron2 DIR)"
        )
    cfg_file = posixpath.join(D2_ROOT, "configs", config_path)
    if sb.path_kind(cfg_file) != "file":
        raise RuntimeError("{} not available in Model Zoo!".format(config_path))
    return cfg_file


def model_zoo_get_config(config_path, trained=False):
    cfg_file = model_zoo_get_config_file(config_path)
    if cfg_file.endswith(".py"):
        return LazyConfig.load(cfg_file)
    raise NotImplementedError(
        f"model_zoo.get_config({config_path!r}): a YAML config inside a LazyConfig is not read"
    )


# ---- mmengine Config.fromfile ---------------------------------------------------------------

BASE_KEY = "_base_"
DELETE_KEY = "_delete_"
DEPRECATION_KEY = "_deprecation_"
RESERVED_KEYS = ["filename", "text", "pretty_text", "env_variables"]


class ConfigDict(dict):
    """mmengine's ConfigDict (an addict.Dict): attribute access, nested dicts converted."""

    def __init__(self, *args, **kwargs):
        for arg in args:
            if not arg:
                continue
            if isinstance(arg, dict):
                for key, val in dict.items(arg):
                    self[key] = self._hook(val)
            elif isinstance(arg, tuple) and (not isinstance(arg[0], tuple)):
                self[arg[0]] = self._hook(arg[1])
            else:
                for key, val in iter(arg):
                    self[key] = self._hook(val)
        for key, val in dict.items(kwargs):
            self[key] = self._hook(val)

    def __missing__(self, name):
        raise KeyError(name)

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        try:
            return self[name]
        except KeyError:
            raise AttributeError(
                f"'{self.__class__.__name__}' object has no attribute '{name}'"
            ) from None

    @classmethod
    def _hook(cls, item):
        if type(item) in (dict, OrderedDict):
            return cls(item)
        if isinstance(item, (list, tuple)):
            return type(item)(cls._hook(elem) for elem in item)
        return item

    def __setattr__(self, name, value):
        if hasattr(self.__class__, name):
            raise AttributeError(f"'Dict' object attribute '{name}' is read-only")
        self[name] = value

    def __setitem__(self, name, value):
        dict.__setitem__(self, name, self._hook(value))

    def __delattr__(self, name):
        del self[name]

    def __deepcopy__(self, memo):
        other = self.__class__()
        memo[id(self)] = other
        for key, value in dict.items(self):
            other[copy.deepcopy(key, memo)] = copy.deepcopy(value, memo)
        return other

    def __copy__(self):
        other = self.__class__()
        for key, value in dict.items(self):
            other[key] = value
        return other

    copy = __copy__

    def update(self, *args, **kwargs):
        other = {}
        if args:
            if len(args) > 1:
                raise TypeError("update only accept one positional argument")
            for key, value in dict(args[0]).items():
                other[key] = value
        for key, value in dict(kwargs).items():
            other[key] = value
        for k, v in other.items():
            if (k not in self) or (not isinstance(self[k], dict)) or (not isinstance(v, dict)):
                self[k] = self._hook(v)
            else:
                self[k].update(v)


def _substitute_predefined_vars(filename, text):
    file_dirname = posixpath.dirname(filename)
    file_basename = posixpath.basename(filename)
    support_templates = dict(
        fileDirname=file_dirname,
        fileBasename=file_basename,
        fileBasenameNoExtension=posixpath.splitext(file_basename)[0],
        fileExtname=posixpath.splitext(filename)[1],
    )
    for key, value in support_templates.items():
        regexp = r"\{\{\s*" + str(key) + r"\s*\}\}"
        text = re.sub(regexp, value.replace("\\", "/"), text)
    return text


def _substitute_env_variables(text):
    # The sandbox has no environment: every `{{$VAR:default}}` takes its default.
    regexp = r"\{\{[\'\"]?\s*\$(\w+)\s*\:\s*(\S*?)\s*[\'\"]?\}\}"
    for var_name, value in re.findall(regexp, text):
        sub = r"\{\{[\'\"]?\s*\$" + var_name + r"\s*\:\s*" + value + r"\s*[\'\"]?\}\}"
        if not value:
            raise KeyError(
                f"`{var_name}` cannot be found in `os.environ`. Please set `{var_name}` in "
                "environment or give a default value. (lrspec's sandbox reads no environment.)"
            )
        text = re.sub(sub, value, text)
    return text


def _pre_substitute_base_vars(text):
    base_var_dict = {}
    regexp = r"\{\{\s*" + BASE_KEY + r"\.([\w\.]+)\s*\}\}"
    for base_var in set(re.findall(regexp, text)):
        randstr = f"_{base_var}_{uuid.uuid4().hex.lower()[:6]}"
        base_var_dict[randstr] = base_var
        regexp = r"\{\{\s*" + BASE_KEY + r"\." + base_var + r"\s*\}\}"
        text = re.sub(regexp, f'"{randstr}"', text)
    return text, base_var_dict


def _substitute_base_vars(cfg, base_var_dict, base_cfg):
    cfg = copy.deepcopy(cfg)
    if isinstance(cfg, dict):
        for k, v in cfg.items():
            if isinstance(v, str) and v in base_var_dict:
                new_v = base_cfg
                for new_k in base_var_dict[v].split("."):
                    new_v = new_v[new_k]
                cfg[k] = new_v
            elif isinstance(v, (list, tuple, dict)):
                cfg[k] = _substitute_base_vars(v, base_var_dict, base_cfg)
    elif isinstance(cfg, tuple):
        cfg = tuple(_substitute_base_vars(c, base_var_dict, base_cfg) for c in cfg)
    elif isinstance(cfg, list):
        cfg = [_substitute_base_vars(c, base_var_dict, base_cfg) for c in cfg]
    elif isinstance(cfg, str) and cfg in base_var_dict:
        new_v = base_cfg
        for new_k in base_var_dict[cfg].split("."):
            new_v = new_v[new_k]
        cfg = new_v
    return cfg


class _RemoveAssignFromAST(ast.NodeTransformer):
    def __init__(self, key):
        self.key = key

    def visit_Assign(self, node):
        if isinstance(node.targets[0], ast.Name) and node.targets[0].id == self.key:
            return None
        return node


def _get_base_files(filename, text):
    parsed_codes = ast.parse(text).body

    def is_base_line(c):
        return (
            isinstance(c, ast.Assign) and isinstance(c.targets[0], ast.Name)
            and c.targets[0].id == BASE_KEY
        )

    base_code = next((c for c in parsed_codes if is_base_line(c)), None)
    if base_code is not None:
        base_files = ast.literal_eval(base_code.value)  # mmengine: eval of the expression
    else:
        base_files = []
    return base_files if isinstance(base_files, list) else [base_files]


def _get_cfg_path(cfg_path, filename):
    if "::" in cfg_path:
        raise ConfigParsingError(
            f"{filename}: `_base_ = {cfg_path!r}` names a config of an installed package; "
            "lrspec reads configs from files only (copy the base config beside it)"
        )
    return posixpath.normpath(posixpath.join(posixpath.dirname(filename), cfg_path)), None


def _merge_a_into_b(a, b, allow_list_keys=False):
    b = b.copy()
    for k, v in a.items():
        if allow_list_keys and k.isdigit() and isinstance(b, list):
            k = int(k)
            if len(b) <= k:
                raise KeyError(f"Index {k} exceeds the length of list {b}")
            b[k] = _merge_a_into_b(v, b[k], allow_list_keys)
        elif isinstance(v, dict):
            if k in b and not v.pop(DELETE_KEY, False):
                allowed_types = (dict, list) if allow_list_keys else dict
                if not isinstance(b[k], allowed_types):
                    raise TypeError(
                        f"{k}={v} in child config cannot inherit from "
                        f"base because {k} is a dict in the child config "
                        f"but is of type {type(b[k])} in base config. "
                        f"You may set `{DELETE_KEY}=True` to ignore the "
                        f"base config."
                    )
                b[k] = _merge_a_into_b(v, b[k], allow_list_keys)
            else:
                b[k] = ConfigDict(v)
        else:
            b[k] = v
    return b


def _is_builtin_module(module_name):
    if module_name.startswith("."):
        return False
    if module_name.startswith("mmengine.config"):
        return True
    return module_name.split(".")[0] in {m.split(".")[0] for m in sb.ALLOWED_STDLIB} | {
        "os", "sys", "subprocess", "socket", "shutil", "pathlib", "io", "importlib", "ctypes",
        "builtins", "types", "inspect", "gc", "signal", "threading", "time", "tempfile", "glob",
        "pickle", "marshal", "urllib", "http", "platform", "dataclasses", "enum",
    }


def _is_lazy_import(text, filename="<unknown>"):
    for node in ast.walk(ast.parse(text, filename)):
        if (
            isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name)
            and node.targets[0].id == BASE_KEY
        ):
            return False
        if isinstance(node, ast.With):
            expr = node.items[0].context_expr
            if not isinstance(expr, ast.Call) or not getattr(expr.func, "id", None) == "read_base":
                raise ConfigParsingError("Only `read_base` context manager can be used in the config")
            return True
        if isinstance(node, ast.ImportFrom):
            if node.level != 0:
                return True
            if node.module == "mmengine" and len(node.names) == 1 and node.names[0].name == "Config":
                continue
            if not isinstance(node.module, str):
                continue
            if not _is_builtin_module(node.module):
                return True
        if isinstance(node, ast.Import):
            for alias_node in node.names:
                if not _is_builtin_module(alias_node.name):
                    return True
    return False


def _file2dict(filename):
    filename = sb.absolute(filename)
    original = _read(filename)
    ext = posixpath.splitext(filename)[1]
    if ext != ".py":
        raise ConfigParsingError(f"lrspec reads Python mmengine configs only, not {filename}")
    try:
        ast.parse(original)
    except SyntaxError as e:
        raise SyntaxError(f"There are syntax errors in config file {filename}: {e}") from None
    if _is_lazy_import(original, filename):
        raise RuntimeError(
            "The configuration file type in the inheritance chain must match the current "
            'configuration file type, either "lazy_import" or non-"lazy_import". You got this '
            "error since you use the syntax like `with read_base(): ...` or import non-builtin "
            f"module in {filename}."
        )
    text = _substitute_predefined_vars(filename, original)
    text = _substitute_env_variables(text)
    text, base_var_dict = _pre_substitute_base_vars(text)
    base_cfg_dict = ConfigDict()
    for base_cfg_path in _get_base_files(filename, text):
        base_cfg_path, _scope = _get_cfg_path(base_cfg_path, filename)
        _cfg_dict = _file2dict(base_cfg_path)
        duplicate_keys = base_cfg_dict.keys() & _cfg_dict.keys()
        if len(duplicate_keys) > 0:
            raise KeyError(f"Duplicate key is not allowed among bases. Duplicate keys: {duplicate_keys}")
        base_cfg_dict.update(ConfigDict._hook(dict(_cfg_dict)))
    tree = _RemoveAssignFromAST(BASE_KEY).visit(ast.parse(text))
    global_locals_var = {BASE_KEY: base_cfg_dict}
    ori_keys = set(global_locals_var.keys())
    _exec(text, filename, global_locals_var, tree)
    cfg_dict = {
        key: value for key, value in global_locals_var.items()
        if key not in ori_keys and not key.startswith("__")
    }
    for key, value in list(cfg_dict.items()):
        if isinstance(value, (types.FunctionType, types.ModuleType)):
            cfg_dict.pop(key)
    cfg_dict.pop(DEPRECATION_KEY, None)
    cfg_dict = _substitute_base_vars(cfg_dict, base_var_dict, base_cfg_dict)
    cfg_dict.pop(BASE_KEY, None)
    cfg_dict = _merge_a_into_b(cfg_dict, base_cfg_dict)
    return {k: v for k, v in cfg_dict.items() if not k.startswith("__")}


def _get_base_modules(nodes):
    for idx, node in enumerate(nodes):
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name) and \
                node.targets[0].id == BASE_KEY:
            raise ConfigParsingError(
                "The configuration file type in the inheritance chain must match the current "
                'configuration file type, either "lazy_import" or non-"lazy_import".'
            )
        if not isinstance(node, ast.With):
            continue
        expr = node.items[0].context_expr
        if not isinstance(expr, ast.Call) or not getattr(expr.func, "id", None) == "read_base" \
                or len(node.items) > 1:
            raise ConfigParsingError("Only `read_base` context manager can be used in the config")
        for nested_idx, nested_node in enumerate(node.body):
            nodes.insert(idx + nested_idx + 1, nested_node)
        nodes.pop(idx)
        base_modules = []
        for n in node.body:
            if not isinstance(n, ast.ImportFrom):
                raise ConfigParsingError(
                    "Illegal syntax in config file! Only `from ... import ...` could be "
                    "implemented` in with read_base()`"
                )
            if n.module is None:
                raise ConfigParsingError(
                    "Illegal syntax in config file! Syntax like `from . import xxx` is not "
                    "allowed in `with read_base()`"
                )
            base_modules.append(n.level * "." + n.module)
        return base_modules
    return []


def _located(new, old):
    """`new` and every node in it at `old`'s position (mmengine parses generated source)."""
    for n in ast.walk(new):
        ast.copy_location(n, old)
    return new


class _ImportTransformer(ast.NodeTransformer):
    def __init__(self, global_dict, base_dict, filename):
        self.base_dict = base_dict
        self.global_dict = global_dict
        self.filename = filename
        self.imported_obj = set()

    def visit_ImportFrom(self, node):
        module = f'{node.level * "."}{node.module}'
        if _is_builtin_module(module):
            for alias in node.names:
                if alias.asname is not None:
                    self.imported_obj.add(alias.asname)
                elif alias.name == "*":
                    raise ConfigParsingError("Cannot import * from non-base config")
                else:
                    self.imported_obj.add(alias.name)
            return node
        if module in self.base_dict:
            for alias_node in node.names:
                if alias_node.name == "*":
                    self.global_dict.update(self.base_dict[module])
                    return None
                base_key = alias_node.asname if alias_node.asname is not None else alias_node.name
                self.global_dict[base_key] = self.base_dict[module][alias_node.name]
            return None
        nodes = []
        for alias_node in node.names:
            if alias_node.name == "*":
                raise ConfigParsingError(
                    "Illegal syntax in config! `from xxx import *` is not allowed to appear "
                    "outside the `if base:` statement"
                )
            target = alias_node.asname if alias_node.asname is not None else alias_node.name
            self.imported_obj.add(target)
            nodes.append(_located(ast.Assign(
                targets=[ast.Name(id=target, ctx=ast.Store())],
                value=ast.Call(
                    func=ast.Name(id="LazyObject", ctx=ast.Load()),
                    args=[ast.Constant(module), ast.Constant(alias_node.name)], keywords=[],
                ),
            ), node))
        return nodes

    def visit_Import(self, node):
        if len(node.names) != 1:
            raise ConfigParsingError(
                "Illegal syntax in config! import multiple modules in one line is not supported"
            )
        alias = node.names[0]
        if alias.asname is not None:
            self.imported_obj.add(alias.asname)
            if _is_builtin_module(alias.name.split(".")[0]):
                return node
            return _located(ast.Assign(
                targets=[ast.Name(id=alias.asname, ctx=ast.Store())],
                value=ast.Call(
                    func=ast.Name(id="LazyObject", ctx=ast.Load()),
                    args=[ast.Constant(alias.name)], keywords=[],
                ),
            ), node)
        return node


def _gather_abs_import_lazyobj(tree):
    imported = {}
    first = {}
    abs_imported = set()
    new_body = []
    for node in tree.body:
        if isinstance(node, ast.Import):
            for alias in node.names:
                if _is_builtin_module(alias.name):
                    new_body.append(node)
                    continue
                imported.setdefault(alias.name.split(".")[0], []).append(alias.name)
                first.setdefault(alias.name.split(".")[0], node)
            continue
        new_body.append(node)
    for key, names in imported.items():
        abs_imported.add(key)
        new_body.insert(0, _located(ast.Assign(
            targets=[ast.Name(id=key, ctx=ast.Store())],
            value=ast.Call(
                func=ast.Name(id="LazyObject", ctx=ast.Load()),
                args=[ast.List(elts=[ast.Constant(n) for n in names], ctx=ast.Load())],
                keywords=[],
            ),
        ), first[key]))
    tree.body = new_body
    return tree, abs_imported


def _dict_to_config_dict_lazy(cfg):
    if isinstance(cfg, dict):
        cfg_dict = ConfigDict()
        for key, value in cfg.items():
            cfg_dict[key] = _dict_to_config_dict_lazy(value)
        return cfg_dict
    if isinstance(cfg, (tuple, list)):
        return type(cfg)(_dict_to_config_dict_lazy(_cfg) for _cfg in cfg)
    return cfg


def _parse_lazy_import(filename):
    filename = sb.absolute(filename)
    text = _read(filename)
    global_dict = {"LazyObject": st.LazyObject, "__file__": filename}
    base_dict = {}
    parsed_codes = ast.parse(text)
    base_modules = _get_base_modules(parsed_codes.body)
    base_imported_names = set()
    for base_module in base_modules:
        level = len(re.match(r"\.*", base_module).group())
        if level > 0:
            module_path = posixpath.normpath(posixpath.join(
                posixpath.dirname(filename), *([".."] * (level - 1)),
                f'{base_module[level:].replace(".", "/")}.py',
            ))
        else:
            raise ConfigParsingError(
                f"{filename}: `with read_base(): from {base_module} import ...` names an "
                "installed package; lrspec reads base configs by relative import only"
            )
        if sb.path_kind(module_path) != "file":
            if not sb.inside(module_path):
                sb.read_text(module_path)
            raise ConfigParsingError(
                f"{module_path} not found! It means that incorrect module is defined in "
                f"`with read_base(): = from {base_module} import ...`, please make sure the "
                "base config module is valid and is consistent with the prior import logic"
            )
        _base_cfg_dict, _base_imported_names = _parse_lazy_import(module_path)
        base_imported_names |= _base_imported_names
        base_dict[base_module] = _base_cfg_dict
    transform = _ImportTransformer(global_dict, base_dict, filename)
    modified_code = transform.visit(parsed_codes)
    modified_code, abs_imported = _gather_abs_import_lazyobj(modified_code)
    imported_names = transform.imported_obj | abs_imported | base_imported_names
    modified_code = ast.fix_missing_locations(modified_code)
    _exec(text, filename, global_dict, modified_code)
    ret = {}
    for key, value in global_dict.items():
        if key.startswith("__") or key in ["LazyObject"]:
            continue
        ret[key] = value
    return _dict_to_config_dict_lazy(ret), imported_names


def _parse_int_float_bool(val):
    try:
        return int(val)
    except ValueError:
        pass
    try:
        return float(val)
    except ValueError:
        pass
    if val.lower() in ["true", "false"]:
        return True if val.lower() == "true" else False
    if val == "None":
        return None
    return val


def _parse_iterable(val):
    def find_next_comma(string):
        assert (string.count("(") == string.count(")")) and (
            string.count("[") == string.count("]")
        ), f"Imbalanced brackets exist in {string}"
        end = len(string)
        for idx, char in enumerate(string):
            pre = string[:idx]
            if (char == ",") and (pre.count("(") == pre.count(")")) and (
                pre.count("[") == pre.count("]")
            ):
                end = idx
                break
        return end

    val = val.strip("'\"").replace(" ", "")
    is_tuple = False
    if val.startswith("(") and val.endswith(")"):
        is_tuple = True
        val = val[1:-1]
    elif val.startswith("[") and val.endswith("]"):
        val = val[1:-1]
    elif "," not in val:
        return _parse_int_float_bool(val)
    values = []
    while len(val) > 0:
        comma_idx = find_next_comma(val)
        values.append(_parse_iterable(val[:comma_idx]))
        val = val[comma_idx + 1:]
    if is_tuple:
        return tuple(values)
    return values


def mmengine_fromfile(filename, cfg_options):
    filename = sb.absolute(filename)
    text = _read(filename)
    if _is_lazy_import(text, filename):
        cfg_dict, imported_names = _parse_lazy_import(filename)
        cfg_dict = {k: v for k, v in cfg_dict.items() if k not in imported_names}
    else:
        cfg_dict = _file2dict(filename)
    for key in cfg_dict:
        if key in RESERVED_KEYS:
            raise KeyError(f"{key} is reserved for config file")
    cfg_dict = ConfigDict(cfg_dict)
    if cfg_options:
        options = {}
        for kv in cfg_options:
            key, val = kv.split("=", maxsplit=1)
            options[key] = _parse_iterable(val)
        option_cfg_dict = {}
        for full_key, v in options.items():
            d = option_cfg_dict
            key_list = full_key.split(".")
            for subkey in key_list[:-1]:
                d.setdefault(subkey, ConfigDict())
                d = d[subkey]
            d[key_list[-1]] = v
        cfg_dict = _merge_a_into_b(option_cfg_dict, cfg_dict, allow_list_keys=True)
    return cfg_dict


# ---- to JSON --------------------------------------------------------------------------------


def to_json(value):
    if isinstance(value, st.DictConfig):
        return {str(k): to_json(value[k]) for k in value}
    if isinstance(value, st.ListConfig):
        return [to_json(value[i]) for i in range(len(value))]
    if isinstance(value, dict):
        return {str(k): to_json(v) for k, v in dict.items(value)}
    if isinstance(value, (list, tuple)):
        return [to_json(v) for v in value]
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):
        if abs(value) > 2**53:
            return {"$int": str(value)}
        return value
    if isinstance(value, float):
        if math.isfinite(value):
            return value
        return {"$float": repr(value)}
    if isinstance(value, (st.LazyObject, st.LazyAttr)):
        return f"{value.module}.{value}"
    if isinstance(value, type) or callable(value):
        return st.target_path(value)
    return {"$python": repr(value)}


def load(request):
    global D2_ROOT
    FILES.clear()
    st_modules_reset()
    sb.configure(request["roots"], request["cwd"])
    D2_ROOT = request.get("detectron2Root")
    path = request["path"]
    kind = request["kind"]
    if kind == "lazyconfig":
        cfg = LazyConfig.load(path)
        LazyConfig.apply_overrides(cfg, request.get("overrides") or [])
        config = to_json(cfg)
    elif kind == "mmengine":
        config = to_json(mmengine_fromfile(path, request.get("overrides") or []))
    else:
        raise ValueError(f"unknown config kind {kind!r}")
    return json.dumps({"config": config, "files": list(FILES)}, allow_nan=False)


def st_modules_reset():
    _stub_modules.clear()
