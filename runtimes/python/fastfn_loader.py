# Loads a function's handler module for the Python worker (SPEC §3.2, §3.4) and plans how to call it with direct
# params (SPEC §3.9). Signatures are inspected once here, never per request.
from __future__ import annotations

import importlib.util
import inspect
import os
import sys

import fastfn_runtime as rt

NATIVE_ADAPTERS = ("", "none", "default", "native")


class LoadFailure(Exception):
    def __init__(self, code, message):
        super().__init__(message)
        self.code = code
        self.message = message


class Handler:
    """The loaded callable, how it runs (sync | async | asyncgen) and its call plan."""

    __slots__ = ("fn", "mode", "_plan")

    def __init__(self, fn):
        self.fn = fn
        self._plan = _plan_call(fn)
        target = fn if inspect.isroutine(fn) else getattr(fn, "__call__", None)
        if inspect.isasyncgenfunction(fn) or inspect.isasyncgenfunction(target):
            self.mode = "asyncgen"
        elif inspect.iscoroutinefunction(fn) or inspect.iscoroutinefunction(target):
            self.mode = "async"
        else:
            self.mode = "sync"

    def call(self, event):
        plan = self._plan
        if plan is None:
            return self.fn(event)
        pass_event, extras, varkw, declared = plan
        params = event.get("params")
        if not isinstance(params, dict):
            params = {}
        args = [event] if pass_event else []
        kw = {}
        for name, positional, has_default, default in extras:
            if name in params:
                v = params[name]
            elif name == "params":  # the whole dict, unless a route param is literally named `params`
                v = params
            elif has_default:
                if not positional:
                    continue  # keeps its default
                v = default
            else:
                v = None
            if positional:
                args.append(v)
            else:
                kw[name] = v
        if varkw:
            for k, v in params.items():
                if k not in declared:
                    kw[k] = v
        return self.fn(*args, **kw)


def _plan_call(fn):
    """None means plain fn(event); otherwise (pass_event, extras, varkw, declared names)."""
    try:
        sig = inspect.signature(fn)
    except (TypeError, ValueError):
        return None
    pass_event = False
    extras = []
    varkw = False
    declared = set()
    for p in sig.parameters.values():
        declared.add(p.name)
        if p.kind is p.VAR_KEYWORD:
            varkw = True
        elif p.kind is p.VAR_POSITIONAL:
            pass_event = True  # def handler(*args): the event is args[0]
        elif not pass_event and p.kind is not p.KEYWORD_ONLY:
            pass_event = True  # the first positional parameter receives the event
        else:
            has_default = p.default is not p.empty
            extras.append((p.name, p.kind is p.POSITIONAL_ONLY, has_default, p.default if has_default else None))
    if pass_event and not extras and not varkw:
        return None
    return (pass_event, tuple(extras), varkw, frozenset(declared))


def load(spec):
    """Import spec["entry"] and find its handler. Raises LoadFailure; SystemExit at import ends the worker."""
    adapter = spec.get("adapter")
    adapter = "" if adapter is None else str(adapter)
    if adapter.strip().lower() not in NATIVE_ADAPTERS:
        raise LoadFailure("UNSUPPORTED_ADAPTER", adapter)

    name = str(spec.get("handler") or "handler")
    entry = str(spec.get("entry") or "")
    fdir = str(spec.get("dir") or os.path.dirname(entry))
    deps = os.path.join(fdir, ".deps")
    front = [fdir] + ([deps] if os.path.isdir(deps) else [])
    sys.path[:] = front + [p for p in sys.path if p not in front]

    # A module name of its own, so sibling files (even one called handler.py) import as plain modules.
    label = str(spec.get("key") or spec.get("file") or entry)
    modname = "fastfn_fn_" + "".join(c if c.isalnum() else "_" for c in label)
    try:
        mspec = importlib.util.spec_from_file_location(modname, entry)
        if mspec is None or mspec.loader is None:
            raise ImportError("cannot load %s" % (spec.get("file") or entry))
        module = importlib.util.module_from_spec(mspec)
        sys.modules[modname] = module
        try:
            mspec.loader.exec_module(module)
        except BaseException:
            sys.modules.pop(modname, None)
            raise
    except SystemExit as exc:
        rt.exit_from_handler(exc)
    except BaseException as exc:
        rt.log(0, 2, rt.format_tb(exc))
        msg = str(exc)
        raise LoadFailure("HANDLER_LOAD_FAILED", type(exc).__name__ + (": " + msg if msg else "")) from None

    fn = getattr(module, name, None)
    if not callable(fn) and name == "handler":
        fn = getattr(module, "main", None)
    if not callable(fn):
        raise LoadFailure("HANDLER_NOT_FOUND", name)
    return Handler(fn)
