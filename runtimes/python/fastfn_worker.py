# fastfn Python worker entry: speaks the worker protocol (docs/protocol.md) on fd 3 for ONE function. Run as
# `python3 -u -B fastfn_worker.py` by the gateway; standard library only, Python >= 3.9.
from __future__ import annotations

import base64
import json
import os
import signal
import sys

_HERE = os.path.dirname(os.path.abspath(__file__))
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)
import fastfn_protocol as P  # noqa: E402
import fastfn_runtime as rt  # noqa: E402
import fastfn_loader as loader  # noqa: E402
import fastfn_results as results  # noqa: E402

# The shim's own directory must not shadow or expose anything to the handler's imports (it is sys.path[0]).
sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != _HERE]

EXIT_PROTOCOL = 70
DEFAULT_POOL = 64


class _State:
    handler = None  # loader.Handler
    load_error = None  # (code, message) after a failed load: every request gets it
    loaded = False
    env = {}  # event.env: the function's current env (replaced on ENV, never mutated)
    context = {}  # static context fields from LOAD, merged into every event's context
    base_env = {}  # the environment the worker started with, minus the function's keys


S = _State()

# --------------------------------------------------------------------------------------------------- environment


def _platform_key(k):
    return k.startswith("FN_") or k.startswith("FASTFN_")


def _fn_env(env):
    # Defence in depth for SPEC §17 SEC-01/SEC-02 (as runtime-host/worker-env.ts): no platform variables.
    if not isinstance(env, dict):
        return {}
    return {str(k): str(v) for k, v in env.items() if v is not None and not _platform_key(str(k))}


def _apply_env(env):
    """os.environ = base + the function's env (SPEC §3.4: reflects fn.env.json changes on the next call)."""
    new = dict(S.base_env)
    new.update(env)
    environ = os.environ
    for k in [k for k in environ if k not in new]:
        del environ[k]
    for k, v in new.items():
        if environ.get(k) != v:
            environ[k] = v
    S.env = env


def _load(spec):
    if not isinstance(spec, dict):
        raise P.ProtocolError("LOAD payload is not an object")
    S.loaded = True
    # A worker may be started ahead of time (a spare) in another directory: the function's own dir is its cwd.
    if isinstance(spec.get("dir"), str) and spec["dir"]:
        try:
            os.chdir(spec["dir"])
        except OSError:
            pass  # the import below reports a missing directory
    raw_env = spec.get("env") if isinstance(spec.get("env"), dict) else {}
    S.context = spec.get("context") if isinstance(spec.get("context"), dict) else {}
    # The process started with the scrubbed gateway env plus the function's keys: the former is the base.
    S.base_env = {k: v for k, v in os.environ.items() if k not in raw_env and not _platform_key(k)}
    _apply_env(_fn_env(raw_env))
    size = spec.get("concurrency")
    ok_size = isinstance(size, int) and not isinstance(size, bool) and size > 0
    rt.pool = rt.Pool(size if ok_size else DEFAULT_POOL)
    try:
        S.handler = loader.load(spec)
    except loader.LoadFailure as exc:
        S.load_error = (exc.code, exc.message)
        rt.send(P.encode_json_frame(P.LOADED, 0, {"ok": False, "code": exc.code, "message": exc.message}))
        return
    if S.handler.mode != "sync":
        rt.ensure_loop()
    rt.send(P.encode_json_frame(P.LOADED, 0, {"ok": True}))


# ------------------------------------------------------------------------------------------------------ requests


def _make_event(payload, env):
    try:
        head, body = P.split_head_body(payload)
        event = json.loads(head)
    except (P.ProtocolError, ValueError) as exc:
        rt.die(EXIT_PROTOCOL, "protocol violation: bad REQUEST head: %s" % exc)
    if not isinstance(event, dict):
        rt.die(EXIT_PROTOCOL, "protocol violation: REQUEST head is not an object")
    if body:  # SPEC §4.2: valid UTF-8 (BOM included) as text, anything else byte-exact as base64
        try:
            event["body"] = str(body, "utf-8")
        except UnicodeDecodeError:
            event["is_base64"] = True
            event["body_base64"] = base64.b64encode(body).decode("ascii")
    event["env"] = dict(env)
    ctx = event.get("context")
    if S.context and isinstance(ctx, dict):
        ctx.update(S.context)  # the function's static context fields came once, with LOAD
    params = event.get("params")
    if params is not None and "path_params" in event:
        event["path_params"] = params  # SPEC §3.9: the same object
    return event


def _run_sync(fid, payload, env):
    """Pool job for a `def` handler, in its own copy of the reader's context."""
    rt.current.set(fid)
    try:
        result = S.handler.call(_make_event(payload, env))
        if hasattr(result, "__await__"):  # a sync wrapper around a coroutine: finish on the loop
            rt.run_on_loop(_finish(fid, result))
            return
        results.deliver(fid, result, False)
    except SystemExit as exc:
        rt.exit_from_handler(exc)
    except BaseException as exc:
        results.handler_failed(fid, exc)


async def _finish(fid, awaitable):
    rt.current.set(fid)
    try:
        coro = results.deliver(fid, await awaitable, True)
        if coro is not None:
            await coro
    except SystemExit as exc:
        rt.exit_from_handler(exc)
    except BaseException as exc:
        results.handler_failed(fid, exc)


async def _run_async(fid, payload, env):
    """Task for an `async def` handler or an async generator function, on the worker's one event loop."""
    rt.current.set(fid)
    try:
        result = S.handler.call(_make_event(payload, env))
        if hasattr(result, "__await__"):
            result = await result
        coro = results.deliver(fid, result, True)
        if coro is not None:
            await coro
    except SystemExit as exc:
        rt.exit_from_handler(exc)
    except BaseException as exc:
        results.handler_failed(fid, exc)


_tasks = set()  # strong references: the loop keeps only weak ones


def _spawn_task(fid, payload, env):
    task = rt.loop.create_task(_run_async(fid, payload, env))
    _tasks.add(task)
    task.add_done_callback(_tasks.discard)


def _cancel(fid):
    req = rt.inflight.get(fid)
    if req is None:
        return  # already answered: CANCEL and the result crossed on the wire
    req.cancelled = True  # a stream stops at its next chunk; a buffered result is still sent (the gateway drops it)
    if req.task is not None:
        rt.loop.call_soon_threadsafe(req.task.cancel)


# ---------------------------------------------------------------------------------------------------------- main


def _dispatch(ftype, fid, payload):
    if ftype == P.REQUEST:
        if not S.loaded:
            raise P.ProtocolError("REQUEST before LOAD")
        if S.load_error is not None:
            results.send_error(fid, S.load_error[0], S.load_error[1])
            return
        rt.inflight[fid] = rt.Req()
        if S.handler.mode == "sync":
            rt.submit(_run_sync, fid, payload, S.env)
        else:
            rt.loop.call_soon_threadsafe(_spawn_task, fid, payload, S.env)
    elif ftype == P.PING:
        rt.send(P.encode_frame(P.PONG, fid))
    elif ftype == P.CANCEL:
        _cancel(fid)
    elif ftype == P.ENV:
        msg = P.decode_json(payload)
        if not isinstance(msg, dict) or not isinstance(msg.get("env"), dict):
            raise P.ProtocolError('ENV payload must be {"env":{...}}')
        _apply_env(_fn_env(msg["env"]))
    elif ftype == P.LOAD:
        if S.loaded:
            raise P.ProtocolError("second LOAD")
        _load(P.decode_json(payload))
    else:
        raise P.ProtocolError("frame type 0x%02x is not sent to a worker" % ftype)


def main():
    try:
        # A terminal Ctrl-C that reaches the worker ends it quietly (no KeyboardInterrupt traceback); SIG_DFL
        # rather than SIG_IGN, which subprocesses started by a handler would inherit.
        signal.signal(signal.SIGINT, signal.SIG_DFL)
    except (ValueError, OSError):
        pass
    try:
        rt.chan = rt.Channel(3)
    except OSError as exc:
        rt.die(EXIT_PROTOCOL, "no protocol channel on fd 3: %s" % exc)
    rt.install_capture()
    hello = {"protocol": P.PROTOCOL_VERSION, "runtime": "python", "pid": os.getpid(),
             "version": "%d.%d.%d" % sys.version_info[:3]}
    rt.send(P.encode_json_frame(P.HELLO, 0, hello))
    decoder = P.FrameDecoder()
    recv = rt.chan.recv
    while True:
        try:
            data = recv(262144)
        except OSError:
            data = b""
        if not data:  # the gateway closed the channel: stop now, in-flight answers have nowhere to go
            if decoder.pending:
                rt.die(EXIT_PROTOCOL, "protocol violation: channel closed mid-frame")
            rt.die(0)
        try:
            for ftype, fid, payload in decoder.feed(data):
                _dispatch(ftype, fid, payload)
        except P.ProtocolError as exc:
            rt.die(EXIT_PROTOCOL, "protocol violation: %s" % exc)


if __name__ == "__main__":
    main()
