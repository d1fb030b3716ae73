# Recording stand-ins for the packages configs import (torch, detectron2, fvcore, ...), and the
# few real pieces a config needs from them: detectron2's LazyCall / LazyConfig / model_zoo and an
# OmegaConf DictConfig / ListConfig with the behaviour configs rely on (attribute access, nodes
# copied on assignment, `${...}` interpolation), and mmengine's `read_base`.
#
# A stand-in class records nothing but its dotted import path (`__stub_path__`): calling it gives
# an instance that keeps its arguments; its attributes are stand-ins again; it can be subclassed.
# Nothing of the real packages runs.

import collections.abc as abc
import copy
import re
import types

STUB_PACKAGES = frozenset(
    ["torch", "torchvision", "detectron2", "fvcore", "omegaconf", "mmengine", "mmdet", "mmcv",
     "mmpretrain", "mmseg", "mmpose", "numpy", "timm"]
)


# Packages whose functions compute values a config would use (numpy): calling a stand-in of
# theirs raises instead of recording, so that no made-up value reaches a schedule.
COMPUTING = ("numpy",)


class StubMeta(type):
    def __call__(cls, *args, **kwargs):
        if cls.__stub_path__.split(".")[0] in COMPUTING:
            raise NotImplementedError(
                f"lrspec sandbox: {cls.__stub_path__}(...) would compute a value, and "
                f"{cls.__stub_path__.split('.')[0]} is not available in the sandbox"
            )
        return type.__call__(cls, *args, **kwargs)

    def __getattr__(cls, name):
        if name.startswith("__"):
            raise AttributeError(name)
        child = stub_class(cls.__stub_path__ + "." + name)
        type.__setattr__(cls, name, child)
        return child

    def __repr__(cls):
        return f"<lrspec stand-in {cls.__stub_path__}>"


class Stub(metaclass=StubMeta):
    __stub_path__ = "stub"

    def __init__(self, *args, **kwargs):
        object.__setattr__(self, "_stub_args", args)
        object.__setattr__(self, "_stub_kwargs", kwargs)

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        kwargs = object.__getattribute__(self, "_stub_kwargs")
        if name in kwargs:
            return kwargs[name]
        return stub_class(type(self).__stub_path__ + "()." + name)

    def __call__(self, *args, **kwargs):
        return stub_class(type(self).__stub_path__ + "()")(*args, **kwargs)

    def __repr__(self):
        return f"<lrspec stand-in {type(self).__stub_path__}(...)>"


def stub_class(path):
    name = path.rsplit(".", 1)[-1]
    return StubMeta(name, (Stub,), {"__stub_path__": path, "__module__": path.rsplit(".", 1)[0]})


class StubModule(types.ModuleType):
    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        child = stub_class(self.__name__ + "." + name)
        setattr(self, name, child)
        return child


def target_path(target):
    """detectron2's `_convert_target_to_string` for stand-ins, classes and functions."""
    if isinstance(target, str):
        return target
    path = getattr(target, "__stub_path__", None)
    if path is not None:
        return path
    module = getattr(target, "__module__", None)
    qualname = getattr(target, "__qualname__", None) or getattr(target, "__name__", None)
    if module and qualname:
        return f"{module}.{qualname}"
    return repr(target)


# ---- OmegaConf (the parts LazyConfig files use) ---------------------------------------------


class ConfigAttributeError(AttributeError):
    pass


class ConfigKeyError(KeyError):
    pass


_INTERPOLATION = re.compile(r"\$\{([^${}]*)\}")


class _Container:
    def _wrap(self, value):
        if isinstance(value, (DictConfig, ListConfig)):
            value = copy.deepcopy(value)
            object.__setattr__(value, "_parent", self)
            return value
        if isinstance(value, dict):
            return DictConfig(value, _parent=self)
        if isinstance(value, (list, tuple)):
            return ListConfig(value, _parent=self)
        return value

    def _root(self):
        node = self
        while object.__getattribute__(node, "_parent") is not None:
            node = object.__getattribute__(node, "_parent")
        return node

    def _select(self, path):
        """OmegaConf's interpolation lookup: absolute, or relative with leading dots."""
        if path.startswith("."):
            dots = len(path) - len(path.lstrip("."))
            node = self
            for _ in range(dots - 1):
                node = object.__getattribute__(node, "_parent")
                if node is None:
                    raise ConfigKeyError(f"Interpolation key '{path}' not found")
            rest = path[dots:]
        else:
            node = self._root()
            rest = path
        for part in [p for p in rest.split(".") if p != ""]:
            if isinstance(node, ListConfig):
                node = node[int(part)]
            elif isinstance(node, DictConfig):
                if part not in object.__getattribute__(node, "_content"):
                    raise ConfigKeyError(f"Interpolation key '{path}' not found")
                node = node[part]
            else:
                raise ConfigKeyError(f"Interpolation key '{path}' not found")
        return node

    def _resolve(self, value):
        if not isinstance(value, str) or "${" not in value:
            return value
        whole = _INTERPOLATION.fullmatch(value)
        if whole and ":" not in whole.group(1):
            return self._select(whole.group(1).strip())
        if any(":" in m.group(1) for m in _INTERPOLATION.finditer(value)):
            return value  # custom resolvers (oc.env, ...) are not run
        return _INTERPOLATION.sub(lambda m: str(self._select(m.group(1).strip())), value)


class DictConfig(_Container, abc.MutableMapping):
    def __init__(self, content=None, flags=None, _parent=None, **kwargs):
        object.__setattr__(self, "_content", {})
        object.__setattr__(self, "_parent", _parent)
        if isinstance(content, DictConfig):
            content = dict(object.__getattribute__(content, "_content"))
        for key, value in (content or {}).items():
            self[key] = value

    def __setitem__(self, key, value):
        object.__getattribute__(self, "_content")[key] = self._wrap(value)

    def __getitem__(self, key):
        return self._resolve(object.__getattribute__(self, "_content")[key])

    def __delitem__(self, key):
        del object.__getattribute__(self, "_content")[key]

    def __iter__(self):
        return iter(object.__getattribute__(self, "_content"))

    def __len__(self):
        return len(object.__getattribute__(self, "_content"))

    def __contains__(self, key):
        return key in object.__getattribute__(self, "_content")

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        try:
            return self[name]
        except KeyError:
            raise ConfigAttributeError(f"Missing key {name}") from None

    def __setattr__(self, name, value):
        self[name] = value

    def __delattr__(self, name):
        try:
            del self[name]
        except KeyError:
            raise ConfigAttributeError(f"Missing key {name}") from None

    def __deepcopy__(self, memo):
        other = DictConfig()
        for key, value in object.__getattribute__(self, "_content").items():
            other[key] = copy.deepcopy(value, memo)
        return other

    def __eq__(self, other):
        if isinstance(other, (DictConfig, dict)):
            return dict(self.items()) == dict(other.items())
        return NotImplemented

    def __repr__(self):
        return repr(object.__getattribute__(self, "_content"))

    def raw(self, key):
        return object.__getattribute__(self, "_content")[key]


class ListConfig(_Container, abc.MutableSequence):
    def __init__(self, content=None, flags=None, _parent=None):
        object.__setattr__(self, "_content", [])
        object.__setattr__(self, "_parent", _parent)
        for value in content or []:
            self.append(value)

    def __getitem__(self, index):
        items = object.__getattribute__(self, "_content")
        if isinstance(index, slice):
            return [self._resolve(v) for v in items[index]]
        return self._resolve(items[index])

    def __setitem__(self, index, value):
        object.__getattribute__(self, "_content")[index] = self._wrap(value)

    def __delitem__(self, index):
        del object.__getattribute__(self, "_content")[index]

    def __len__(self):
        return len(object.__getattribute__(self, "_content"))

    def insert(self, index, value):
        object.__getattribute__(self, "_content").insert(index, self._wrap(value))

    def __deepcopy__(self, memo):
        return ListConfig([copy.deepcopy(v, memo) for v in object.__getattribute__(self, "_content")])

    def __eq__(self, other):
        if isinstance(other, (ListConfig, list, tuple)):
            return list(self) == list(other)
        return NotImplemented

    def __repr__(self):
        return repr(object.__getattribute__(self, "_content"))

    def raw(self, index):
        return object.__getattribute__(self, "_content")[index]


class OmegaConf:
    @staticmethod
    def create(obj=None, parent=None, flags=None):
        if obj is None:
            obj = {}
        if isinstance(obj, (list, tuple, ListConfig)):
            return ListConfig(list(obj))
        return DictConfig(obj)

    @staticmethod
    def is_config(obj):
        return isinstance(obj, (DictConfig, ListConfig))

    @staticmethod
    def is_dict(obj):
        return isinstance(obj, DictConfig)

    @staticmethod
    def is_list(obj):
        return isinstance(obj, ListConfig)

    @staticmethod
    def select(cfg, key, default=None):
        node = cfg
        for part in key.split("."):
            if isinstance(node, DictConfig) and part in node:
                node = node[part]
            elif isinstance(node, ListConfig) and part.isdigit() and int(part) < len(node):
                node = node[int(part)]
            else:
                return default
        return node

    @staticmethod
    def update(cfg, key, value, merge=True):
        parts = key.split(".")
        node = cfg
        for part in parts[:-1]:
            if isinstance(node, ListConfig):
                node = node[int(part)]
                continue
            if part not in node or not isinstance(node.raw(part), (DictConfig, ListConfig)):
                node[part] = {}
            node = node[part]
        last = parts[-1]
        if isinstance(node, ListConfig):
            node[int(last)] = value
        elif (
            merge and isinstance(value, (dict, DictConfig)) and last in node
            and isinstance(node.raw(last), DictConfig)
        ):
            target = node[last]
            for k, v in value.items():
                OmegaConf.update(target, k, v, merge=True)
        else:
            node[last] = value

    @staticmethod
    def to_container(cfg, resolve=False, **kwargs):
        if isinstance(cfg, DictConfig):
            get = cfg.__getitem__ if resolve else cfg.raw
            return {k: OmegaConf.to_container(get(k), resolve) for k in cfg}
        if isinstance(cfg, ListConfig):
            get = cfg.__getitem__ if resolve else cfg.raw
            return [OmegaConf.to_container(get(i), resolve) for i in range(len(cfg))]
        return cfg


def II(interpolation):
    return "${" + interpolation + "}"


def SI(interpolation):
    return interpolation


# ---- detectron2.config.LazyCall --------------------------------------------------------------


class LazyCall:
    def __init__(self, target):
        if not (callable(target) or isinstance(target, (str, abc.Mapping))):
            raise TypeError(
                f"target of LazyCall must be a callable or defines a callable! Got {target}"
            )
        self._target = target

    def __call__(self, **kwargs):
        kwargs["_target_"] = self._target
        return DictConfig(content=kwargs, flags={"allow_objects": True})


def _not_run(name):
    def refused(*args, **kwargs):
        raise NotImplementedError(
            f"{name} is not run by lrspec: a config file is read, never instantiated"
        )

    return refused


# ---- mmengine ------------------------------------------------------------------------------


class read_base:  # noqa: N801 (mmengine's name)
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


class LazyObject:
    def __init__(self, module, imported=None, location=None):
        if not isinstance(module, (str, list)):
            raise TypeError(f"module should be `str` or `list`, but got {type(module)}")
        self._module = module
        self._imported = imported
        self.location = location

    @property
    def module(self):
        if isinstance(self._module, str):
            return self._module
        return self._module[0].split(".")[0]

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return LazyAttr(name, self)

    def __call__(self, *args, **kwargs):
        raise RuntimeError("lrspec: a lazily imported object cannot be called in a config")

    def __str__(self):
        if self._imported is not None:
            return self._imported
        return self.module

    __repr__ = __str__

    def __deepcopy__(self, memo):
        return LazyObject(self._module, self._imported, self.location)


class LazyAttr:
    def __init__(self, name, source, location=None):
        self.name = name
        self.source = source
        if isinstance(source, LazyObject):
            if isinstance(source._module, str):
                if source._imported is None:
                    self._module = source._module
                else:
                    self._module = f"{source._module}.{source}"
            else:
                self._module = str(source)
        else:
            self._module = f"{source._module}.{source}"
        self.location = location

    @property
    def module(self):
        return self._module

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return LazyAttr(name, self)

    def __call__(self, *args, **kwargs):
        raise RuntimeError("lrspec: a lazily imported object cannot be called in a config")

    def __str__(self):
        return self.name

    __repr__ = __str__

    def __deepcopy__(self, memo):
        return LazyAttr(self.name, self.source, self.location)
