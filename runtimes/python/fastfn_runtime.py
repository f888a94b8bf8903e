# Process plumbing of the Python worker: the fd-3 channel (whole frames, one lock), output capture into LOG frames,
# the thread pool, the one asyncio loop, and process exit. No handler logic here.
from __future__ import annotations

import contextvars
import collections
import io
import os
import queue
import socket
import sys
import threading
import traceback

import fastfn_protocol as P

HERE = os.path.dirname(os.path.abspath(__file__))

# Request id of the code running now: set per pool job / asyncio task, 0 outside any request (SPEC §3.10).
current = contextvars.ContextVar("fastfn_request_id", default=0)


class Req:
    """Per in-flight request state, for CANCEL."""

    __slots__ = ("cancelled", "task")

    def __init__(self):
        self.cancelled = False
        self.task = None  # the asyncio task pulling an async generator, once streaming


inflight = {}  # request id -> Req

# ------------------------------------------------------------------------------------------------------ channel


_MAX_QUEUED_FRAMES = 256


class Channel:
    """fd 3 as a socket (the gateway's socketpair); raw fd I/O if fd 3 happens to be a pipe."""

    def __init__(self, fd):
        self._lock = threading.Lock()
        self._queue = collections.deque()
        self.dead = False
        try:
            self._sock = socket.socket(fileno=fd)
            self._sock.setblocking(True)
            self.recv = self._sock.recv
            self._sendall = self._sock.sendall
        except OSError:
            self._fd = fd
            self.recv = lambda n: os.read(fd, n)
            self._sendall = self._write_fd

    def _write_fd(self, data):
        mv = memoryview(data)
        while mv:
            mv = mv[os.write(self._fd, mv) :]

    def send(self, frame):
        """Queue one whole frame and write what is queued, unless another thread is writing: that thread takes this
        frame too (it re-checks the queue after each write). Frames of one thread keep their order, frames never
        interleave, and under load several results leave in one syscall, which also saves the gateway reads."""
        q = self._queue
        q.append(frame)
        lock = self._lock
        # Backpressure: when the gateway reads slower than handlers write (a print flood), writers wait their turn
        # instead of queueing without bound.
        block = len(q) > _MAX_QUEUED_FRAMES
        while q:
            if not lock.acquire(blocking=block):
                return
            try:
                self._drain()
            finally:
                lock.release()

    def _drain(self):
        q = self._queue
        out = []
        try:
            while True:
                out.append(q.popleft())
        except IndexError:
            pass
        if self.dead or not out:
            return
        try:
            self._sendall(out[0] if len(out) == 1 else b"".join(out))
        except OSError:
            self.dead = True  # the gateway went away; the reader sees EOF and exits

    def hold(self):
        """Take the write lock for good, right before os._exit, and write what is still queued, so no frame is cut
        in half or lost. Bounded, in case a writer is stuck on a gateway that stopped reading."""
        if self._lock.acquire(timeout=5):
            self._drain()


chan = None  # type: Channel


def send(frame):
    chan.send(frame)


def log(fid, stream, text):
    if text:
        send(P.encode_log(fid, stream, text))


def die(code, reason=None):
    if reason:
        try:
            os.write(2, ("fastfn python worker: %s\n" % reason).encode("utf-8", "backslashreplace"))
        except OSError:
            pass
    if chan is not None:
        chan.hold()
    os._exit(code)


def exit_from_handler(exc):
    """sys.exit() in a handler ends the worker for real (SPEC §17 SEC-21): in a pool thread or a task the
    SystemExit would otherwise be swallowed. The gateway answers 502 and starts a fresh worker."""
    code = exc.code
    if code is None:
        code = 0
    elif not isinstance(code, int):
        try:
            sys.stderr.write(str(code) + "\n")  # what the interpreter does for sys.exit("message")
        except Exception:
            pass
        code = 1
    die(code & 0xFF)


def error_message(exc):
    return str(exc) or type(exc).__name__


def format_tb(exc):
    tb = exc.__traceback__
    while tb is not None:  # hide the shim's frames and the import machinery in front of the user's code
        name = tb.tb_frame.f_code.co_filename
        if not (os.path.dirname(name) == HERE or name.startswith("<frozen importlib")):
            break
        tb = tb.tb_next
    return "".join(traceback.format_exception(type(exc), exc, tb))


# ----------------------------------------------------------------------------------------------- output capture


class _BinaryCapture(io.RawIOBase):
    def __init__(self, text):
        self._text = text

    def writable(self):
        return True

    def write(self, b):
        n = len(b)
        if n:
            self._text.emit(bytes(b))
        return n


class Capture(io.TextIOBase):
    """sys.stdout / sys.stderr replacement: every write becomes one LOG frame tagged with the current request id,
    flushed at once (a trailing line without newline is never held back)."""

    encoding = "utf-8"
    errors = "backslashreplace"
    line_buffering = True

    def __init__(self, stream, fd, name):
        self._stream = stream
        self._fd = fd
        self._name = name
        self.buffer = _BinaryCapture(self)

    @property
    def name(self):
        return self._name

    def writable(self):
        return True

    def isatty(self):
        return False

    def fileno(self):
        return self._fd  # the real fd 1/2 (faulthandler, subprocesses): the gateway reads those as outside output

    def flush(self):
        pass

    def emit(self, data):
        fid = current.get()
        limit = P.MAX_PAYLOAD - 1
        for i in range(0, len(data), limit):
            send(P.encode_log(fid, self._stream, data[i : i + limit]))

    def write(self, s):
        if not isinstance(s, str):
            raise TypeError("write() argument must be str, not %s" % type(s).__name__)
        if s:
            self.emit(s.encode("utf-8", "backslashreplace"))
        return len(s)


def install_capture():
    sys.stdout = Capture(P.STDOUT, 1, "<stdout>")
    sys.stderr = Capture(P.STDERR, 2, "<stderr>")


# -------------------------------------------------------------------------------------------------- thread pool


class Pool:
    """Lean, lazily grown pool of daemon threads for `def` handlers (no Future objects on the hot path)."""

    def __init__(self, size):
        self._q = queue.SimpleQueue()
        self._size = size
        self._threads = 0
        self._idle = 0
        self._pending = 0
        self._lock = threading.Lock()

    def submit(self, fn, *args):
        with self._lock:
            self._pending += 1
            spawn = self._pending > self._idle and self._threads < self._size
            if spawn:
                self._threads += 1
        self._q.put((fn, args))
        if spawn:
            threading.Thread(target=self._run, name="fastfn-pool-%d" % self._threads, daemon=True).start()

    def _run(self):
        get = self._q.get
        lock = self._lock
        while True:
            with lock:
                self._idle += 1
            fn, args = get()
            with lock:
                self._idle -= 1
                self._pending -= 1
            try:
                fn(*args)
            except BaseException:  # jobs handle their own errors; this is a last resort
                try:
                    os.write(2, traceback.format_exc().encode("utf-8", "backslashreplace"))
                except OSError:
                    pass


pool = None  # type: Pool


def submit(fn, *args):
    """Run fn(*args) on the pool in a copy of the caller's context."""
    pool.submit(contextvars.copy_context().run, fn, *args)


# ----------------------------------------------------------------------------------------------- asyncio loop

loop = None
asyncio = None  # imported on first need: ~50 ms of cold start that sync handlers should not pay
_loop_lock = threading.Lock()


def ensure_loop():
    """The worker's one persistent asyncio event loop, in its own daemon thread, started on first need."""
    global loop, asyncio
    if loop is not None:
        return loop
    with _loop_lock:
        if loop is None:
            import asyncio as aio

            new = aio.new_event_loop()
            ready = threading.Event()

            def run():
                aio.set_event_loop(new)
                new.call_soon(ready.set)
                new.run_forever()

            threading.Thread(target=run, name="fastfn-asyncio", daemon=True).start()
            ready.wait()
            asyncio = aio
            loop = new
    return loop


def run_on_loop(coro):
    """Schedule a coroutine on the worker's loop from any thread (fire and forget: it reports for itself)."""
    lp = ensure_loop()
    asyncio.run_coroutine_threadsafe(coro, lp)
