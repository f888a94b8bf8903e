# Turns what a Python handler returned into RESULT or STREAM_* frames (docs/protocol.md, SPEC §5.3, §5.5). Only
# Python-specific shapes are converted here; envelope normalisation happens once, in the gateway.
from __future__ import annotations

import inspect

import fastfn_protocol as P
import fastfn_runtime as rt

_BYTES = (bytes, bytearray, memoryview)
_BYTES_HEAD = b'{"kind":"bytes"}'
_END_OK = b"{}"


def done(fid):
    rt.inflight.pop(fid, None)


def send_error(fid, code, message):
    rt.send(P.encode_head_body(P.RESULT, fid, {"kind": "error", "code": code, "message": message}))


def handler_failed(fid, exc):
    """An uncaught exception: traceback to the request's stderr, message to the client (SPEC §5.6)."""
    rt.log(fid, P.STDERR, rt.format_tb(exc))
    send_error(fid, "HANDLER_ERROR", rt.error_message(exc))
    done(fid)


def deliver(fid, result, on_loop):
    """Send the frames for an (already awaited) result. Returns a coroutine for the caller to await when the result
    is an async generator and we are on the event loop; else None."""
    try:
        t = type(result)
        if t is dict or t is list or t is str or t is int or t is float or t is bool or result is None:
            env = result
        elif isinstance(result, _BYTES):
            rt.send(P.encode_head_body(P.RESULT, fid, _BYTES_HEAD, result))
            return done(fid)
        elif inspect.isgenerator(result) or inspect.isasyncgen(result):
            return _start_stream(fid, result, 200, {}, on_loop)
        else:
            env = _envelope_of(result)
            if env is None:
                env = result  # dict subclasses, enums, ...; or something JSON refuses below
        if isinstance(env, dict) and "body" in env:
            body = env["body"]
            if isinstance(body, _BYTES):
                value = {k: v for k, v in env.items() if k != "body"}
                rt.send(P.encode_head_body(P.RESULT, fid, {"kind": "value", "value": value, "body": "bytes"}, body))
                return done(fid)
            if inspect.isgenerator(body) or inspect.isasyncgen(body):
                status = env.get("status", env.get("statusCode", 200))
                return _start_stream(fid, body, status, env.get("headers") or {}, on_loop)
        frame = P.encode_head_body(P.RESULT, fid, {"kind": "value", "value": env})
    except (TypeError, ValueError, RecursionError, OverflowError) as exc:
        send_error(fid, "INVALID_RESPONSE", "cannot serialise handler result: %s" % rt.error_message(exc))
        return done(fid)
    rt.send(frame)
    return done(fid)


def _envelope_of(result):
    """tuple (body,), (body, status), (body, status, headers), or a Response-like object -> envelope dict."""
    if isinstance(result, tuple):
        n = len(result)
        if n == 0 or n > 3:
            raise ValueError("a tuple response must be (body,), (body, status) or (body, status, headers)")
        env = {"body": result[0]}
        if n > 1:
            env["status"] = result[1]
        if n > 2:
            env["headers"] = result[2]
        return env
    if hasattr(result, "body") and hasattr(result, "headers"):
        if hasattr(result, "status"):
            status = result.status
        elif hasattr(result, "status_code"):  # Starlette-style objects
            status = result.status_code
        else:
            return None
        env = {"status": status}
        headers = result.headers
        if headers is not None:
            env["headers"] = _plain_headers(headers)
        env["body"] = result.body
        return env
    return None


def _plain_headers(headers):
    if type(headers) is dict or not hasattr(headers, "items"):
        return headers
    out = {}
    for k, v in headers.items():  # multi-dicts may repeat a name: keep every value
        if k in out:
            prev = out[k]
            out[k] = prev + [v] if isinstance(prev, list) else [prev, v]
        else:
            out[k] = v
    return out


# ----------------------------------------------------------------------------------------------------- streams


def _chunk_bytes(item):
    if isinstance(item, str):
        return item.encode("utf-8")
    if isinstance(item, _BYTES):
        return item
    return P.dumps(item)


def _send_chunk(fid, data):
    limit = P.MAX_PAYLOAD
    for i in range(0, max(len(data), 1), limit):
        rt.send(P.encode_frame(P.STREAM_CHUNK, fid, data[i : i + limit]))


def _start_stream(fid, gen, status, headers, on_loop):
    try:
        head = P.encode_json_frame(P.STREAM_HEAD, fid, {"status": status, "headers": headers})
    except (TypeError, ValueError) as exc:
        _close_quietly(gen)
        raise ValueError("stream head: %s" % rt.error_message(exc)) from None
    if inspect.isgenerator(gen):
        if on_loop:  # a sync generator must not block the event loop
            rt.submit(_stream_sync, fid, gen, head)
        else:
            _stream_sync(fid, gen, head)
        return None
    coro = _stream_async(fid, gen, head)
    if on_loop:
        return coro
    rt.run_on_loop(_with_id(fid, coro))
    return None


async def _with_id(fid, coro):
    rt.current.set(fid)
    return await coro


def _close_quietly(gen):
    try:
        if inspect.isgenerator(gen):
            gen.close()
        else:
            rt.run_on_loop(gen.aclose())
    except BaseException:
        pass


def _stream_sync(fid, gen, head):
    rt.current.set(fid)
    req = rt.inflight.get(fid)
    rt.send(head)
    end = _END_OK
    try:
        while True:
            if req is not None and req.cancelled:
                gen.close()  # GeneratorExit at the generator's current yield
                break
            try:
                item = next(gen)
            except StopIteration:
                break
            _send_chunk(fid, _chunk_bytes(item))
    except SystemExit as exc:
        rt.exit_from_handler(exc)
    except BaseException as exc:
        rt.log(fid, P.STDERR, rt.format_tb(exc))
        end = P.dumps({"error": rt.error_message(exc)})
    rt.send(P.encode_frame(P.STREAM_END, fid, end))
    done(fid)


async def _stream_async(fid, agen, head):
    req = rt.inflight.get(fid)
    if req is not None:
        req.task = rt.asyncio.current_task()
    rt.send(head)
    end = _END_OK
    try:
        while True:
            if req is not None and req.cancelled:
                await agen.aclose()  # GeneratorExit at the generator's current yield
                break
            try:
                item = await agen.__anext__()
            except StopAsyncIteration:
                break
            _send_chunk(fid, _chunk_bytes(item))
    except rt.asyncio.CancelledError:
        # CANCEL arrived while the generator was awaiting: the CancelledError went through its frame.
        if req is None or not req.cancelled:
            end = P.dumps({"error": "cancelled"})
        try:
            await agen.aclose()
        except BaseException:
            pass
    except SystemExit as exc:
        rt.exit_from_handler(exc)
    except BaseException as exc:
        rt.log(fid, P.STDERR, rt.format_tb(exc))
        end = P.dumps({"error": rt.error_message(exc)})
    rt.send(P.encode_frame(P.STREAM_END, fid, end))
    done(fid)
