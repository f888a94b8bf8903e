# Source text of the tiny handler files that test_worker.py writes to a temp dir (kept here so the tests read
# as behaviour, not as strings). Not a test module itself.

HANDLERS = r'''
import asyncio, json, logging, os, sys, threading, time
import db                      # plain sibling import (function dir first on sys.path)
from _shared import GREETING   # private sibling module
import depmod                  # from <dir>/.deps

print("module loaded")         # outside any request: LOG id 0
CALLS = {"n": 0}


def hello(event):
    return {"hello": GREETING, "db": db.NAME, "dep": depmod.VALUE, "thread": threading.current_thread().name}


async def ahello(event):
    await asyncio.sleep(0)
    return {"async": True, "thread": threading.current_thread().name, "loop": id(asyncio.get_running_loop())}


def wrapped(event):
    return ahello(event)  # a sync wrapper returning a coroutine: awaited on the worker's loop


def named(event, id, missing, other="dflt"):
    return {"id": id, "missing": missing, "other": other}


def whole(event, params):
    return {"params": params, "same": params is event["params"]}


def kw(event, id=None, **rest):
    return {"id": id, "rest": rest}


def shadow(event, params):
    return {"params": params}


def only_event(event):
    return sorted(event)


class Resp:
    def __init__(self, body, status=200, headers=None):
        self.body, self.status, self.headers = body, status, headers or {}


def gen3():
    yield "one"
    yield b"\x00two"
    yield {"three": 3}


async def agen3():
    for x in ("a", "b", "c"):
        await asyncio.sleep(0)
        yield x


SHAPES = {
    "dict": lambda: {"a": 1, "nested": {"b": [1, 2]}},
    "list": lambda: [1, "x", None],
    "str": lambda: "héllo",
    "int": lambda: 7,
    "float": lambda: 1.5,
    "bool": lambda: False,
    "none": lambda: None,
    "bytes": lambda: b"\x89PNG\x00",
    "bytearray": lambda: bytearray(b"ab"),
    "dict_bytes": lambda: {"status": 201, "headers": {"content-type": "image/png"}, "body": b"\x89PNG"},
    "tuple1": lambda: ("hi",),
    "tuple2": lambda: ("created", 201),
    "tuple3": lambda: ({"a": 1}, 202, {"x-a": "1"}),
    "tuple_bytes": lambda: (b"\x01\x02", 200, {"content-type": "application/x"}),
    "resp": lambda: Resp("made", 203, {"x-r": "1"}),
    "resp_bytes": lambda: Resp(b"\xff", 200),
    "set": lambda: {1, 2},
    "nan": lambda: {"x": float("nan")},
    "gen": gen3,
    "agen": agen3,
    "env_gen": lambda: {"status": 206, "headers": {"content-type": "text/event-stream"}, "body": gen3()},
    "tuple_gen": lambda: (agen3(), 201, {"x-s": "1"}),
}


def shape(event):
    return SHAPES[event["query"]["kind"]]()


async def ashape(event):
    return SHAPES[event["query"]["kind"]]()


async def agen_handler(event):
    for x in ("x", "y", "z"):
        await asyncio.sleep(0.01)
        yield x


def echo(event):
    return {k: event[k] for k in ("body", "is_base64", "body_base64") if k in event}


def boom(event):
    CALLS["n"] += 1
    raise ValueError('boom "quoted"')


def once(event):
    CALLS["n"] += 1
    if event["query"].get("fail"):
        raise ValueError("fail")
    return CALLS["n"]


def empty_boom(event):
    raise RuntimeError()


def base_exc(event):
    raise KeyboardInterrupt("ctrl-c")


async def aboom(event):
    await asyncio.sleep(0)
    raise KeyError("k")


logging.basicConfig(level=logging.INFO, format="%(message)s")
log = logging.getLogger("fixture")


def printer(event):
    m = event["query"]["m"]
    for i in range(3):
        print("out", m, i)
        time.sleep(0.002)
        sys.stderr.write("err " + m + "\n")
        log.info("log %s", m)
    sys.stdout.write("tail " + m)  # no newline
    return m


async def aprinter(event):
    m = event["query"]["m"]
    for i in range(3):
        print("out", m, i)
        await asyncio.sleep(0.002)
        sys.stderr.write("err " + m + "\n")
    await asyncio.to_thread(print, "thread", m)
    return m


def env(event):
    if "s" in event["query"]:
        time.sleep(float(event["query"]["s"]))
    return {"event": event["env"], "os": {k: os.environ.get(k) for k in ("A", "B", "PATH_KEPT")},
            "fn_keys": sorted(k for k in os.environ if k.startswith("FN_"))}


def slow(event):
    time.sleep(float(event["query"]["s"]))
    return event["query"]["s"]


async def aslow(event):
    await asyncio.sleep(float(event["query"]["s"]))
    return event["query"]["s"]


def exit3(event):
    print("bye")
    sys.exit(3)


async def aexit(event):
    sys.exit(4)


def cancellable(event):
    def g():
        try:
            for i in range(1000):
                yield "tick %d\n" % i
                time.sleep(0.02)
        except GeneratorExit:
            print("generator closed")
            raise
    return {"status": 200, "headers": {}, "body": g()}


async def acancellable(event):
    async def g():
        try:
            for i in range(1000):
                yield "tick %d\n" % i
                await asyncio.sleep(0.02)
        finally:
            print("agen finalised")
    return {"body": g()}


def stream_fail(event):
    def g():
        yield "a"
        raise RuntimeError("mid-stream")
    return g()


def main(event):
    return "main called"
'''

DB = 'NAME = "db-sibling"\n'
SHARED = 'GREETING = "hi from _shared"\n'
DEPMOD = 'VALUE = "from .deps"\n'

MAIN_ONLY = '''
def main(event, id):
    return {"via": "main", "id": id}
'''

SYNTAX_ERROR = '''
def handler(event)
    return 1
'''

IMPORT_ERROR = '''
import definitely_not_a_module_fastfn
def handler(event):
    return 1
'''

EXIT_AT_IMPORT = '''
import sys
sys.exit(5)
'''
