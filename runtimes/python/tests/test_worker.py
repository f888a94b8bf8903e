# End-to-end tests of fastfn_worker.py: spawn the real worker with a socketpair end as fd 3, speak the protocol
# to it (docs/protocol.md) and check its answers against tiny fixture handlers written to a temp dir.
import base64
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
SHIM = os.path.dirname(HERE)
WORKER = os.path.join(SHIM, "fastfn_worker.py")
sys.path.insert(0, SHIM)
sys.path.insert(0, HERE)

import fastfn_protocol as P  # noqa: E402
import fixtures_src as F  # noqa: E402

TMP = None


def setUpModule():
    global TMP
    TMP = tempfile.mkdtemp(prefix="fastfn-py-worker-")
    files = {
        "fn/handler.py": F.HANDLERS,
        "fn/db.py": F.DB,
        "fn/_shared.py": F.SHARED,
        "fn/.deps/depmod.py": F.DEPMOD,
        "mainonly/[id].py": F.MAIN_ONLY,
        "syntax/handler.py": F.SYNTAX_ERROR,
        "importerr/handler.py": F.IMPORT_ERROR,
        "exitimport/handler.py": F.EXIT_AT_IMPORT,
    }
    for rel, text in files.items():
        path = os.path.join(TMP, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)


def tearDownModule():
    shutil.rmtree(TMP, ignore_errors=True)


class Worker:
    """A real worker process plus a minimal gateway-side client."""

    def __init__(self, fn_env=None, proc_env=None):
        parent, child = socket.socketpair()
        fd = child.fileno()

        def to_fd3():  # runs in the child between fork and exec
            if fd == 3:
                os.set_inheritable(3, True)
            else:
                os.dup2(fd, 3)

        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": TMP, "LANG": "C.UTF-8"}
        env.update(proc_env or {})
        env.update(fn_env or {})
        self.out = tempfile.TemporaryFile()
        self.err = tempfile.TemporaryFile()
        self.proc = subprocess.Popen(
            [sys.executable, "-u", "-B", WORKER],
            stdin=subprocess.DEVNULL,
            stdout=self.out,
            stderr=self.err,
            env=env,
            close_fds=False,
            preexec_fn=to_fd3,
        )
        child.close()
        self.sock = parent
        self.sock.settimeout(10)
        self.dec = P.FrameDecoder()
        self.inbox = []
        self.logs = []  # (id, stream, bytes)

    # -- wire
    def send(self, ftype, fid, payload=b""):
        self.sock.sendall(P.encode_frame(ftype, fid, payload))

    def pump(self):
        data = self.sock.recv(1 << 20)
        if not data:
            raise EOFError("worker closed the channel")
        for fr in self.dec.feed(data):
            if fr[0] == P.LOG:
                self.logs.append((fr[1],) + P.decode_log(fr[2]))
            else:
                self.inbox.append(fr)

    def take(self, pred):
        while True:
            for i, fr in enumerate(self.inbox):
                if pred(fr):
                    del self.inbox[i]
                    return fr
            self.pump()

    def next_frame(self):
        return self.take(lambda fr: True)

    # -- lifecycle
    def hello(self):
        ftype, fid, payload = self.next_frame()
        assert ftype == P.HELLO and fid == 0, (ftype, fid)
        return P.decode_json(payload)

    def load(self, folder="fn", entry="handler.py", handler="handler", adapter="native", env=None, **extra):
        self.hello()
        d = os.path.join(TMP, folder)
        spec = {
            "key": "python/%s/%s@default" % (folder, entry), "runtime": "python", "name": folder,
            "version": "default", "root": TMP, "dir": d, "entry": os.path.join(d, entry),
            "file": "%s/%s" % (folder, entry), "handler": handler, "adapter": adapter, "env": env or {},
        }
        spec.update(extra)
        self.sock.sendall(P.encode_json_frame(P.LOAD, 0, spec))
        ftype, fid, payload = self.take(lambda fr: fr[0] == P.LOADED)
        return P.decode_json(payload)

    def request(self, fid, query=None, params=None, body=b"", method="GET"):
        head = {"id": "req-%d" % fid, "method": method, "path": "/x", "query": query or {},
                "params": params or {}, "path_params": params or {}, "headers": {}}
        self.sock.sendall(P.encode_head_body(P.REQUEST, fid, head, body))

    def response(self, fid):
        """('result', head, body) or ('stream', head, [chunks], end)."""
        ftype, _, payload = self.take(lambda fr: fr[1] == fid and fr[0] in (P.RESULT, P.STREAM_HEAD))
        if ftype == P.RESULT:
            head, body = P.decode_head_body(payload)
            return ("result", head, body)
        head = P.decode_json(payload)
        chunks = []
        while True:
            ftype, _, payload = self.take(lambda fr: fr[1] == fid and fr[0] in (P.STREAM_CHUNK, P.STREAM_END))
            if ftype == P.STREAM_END:
                return ("stream", head, chunks, P.decode_json(payload))
            chunks.append(payload)

    def call(self, fid, **kw):
        self.request(fid, **kw)
        return self.response(fid)

    def logs_for(self, fid, stream=None):
        return b"".join(d for i, s, d in self.logs if i == fid and (stream is None or s == stream)).decode()

    def wait(self, timeout=10):
        return self.proc.wait(timeout)

    def close(self):
        try:
            self.sock.close()
        finally:
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
            self.out.close()
            self.err.close()

    def stderr_text(self):
        self.err.seek(0)
        return self.err.read().decode("utf-8", "replace")


class WorkerCase(unittest.TestCase):
    def spawn(self, **kw):
        w = Worker(**kw)
        self.addCleanup(w.close)
        return w

    def loaded(self, handler, **kw):
        w = self.spawn()
        self.assertEqual(w.load(handler=handler, **kw), {"ok": True})
        return w

    def value(self, w, fid, **kw):
        kind, head, body = w.call(fid, **kw)
        self.assertEqual(kind, "result")
        self.assertEqual(head["kind"], "value", head)
        self.assertEqual(body, b"")
        return head["value"]


class Lifecycle(WorkerCase):
    def test_hello(self):
        w = self.spawn()
        hello = w.hello()
        self.assertEqual(list(hello), ["protocol", "runtime", "pid", "version"])
        self.assertEqual(hello["protocol"], 1)
        self.assertEqual(hello["runtime"], "python")
        self.assertEqual(hello["pid"], w.proc.pid)
        self.assertEqual(hello["version"], "%d.%d.%d" % sys.version_info[:3])

    def test_load_ok_sibling_and_deps_imports(self):
        w = self.loaded("hello")
        v = self.value(w, 1)
        self.assertEqual(v["hello"], "hi from _shared")
        self.assertEqual(v["db"], "db-sibling")
        self.assertEqual(v["dep"], "from .deps")
        self.assertIn("module loaded", w.logs_for(0, P.STDOUT))

    def test_ping_pong(self):
        w = self.loaded("hello")
        w.send(P.PING, 77)
        self.assertEqual(w.take(lambda fr: fr[0] == P.PONG), (P.PONG, 77, b""))
        w.send(P.PING, 0xFFFFFFFF)
        self.assertEqual(w.take(lambda fr: fr[0] == P.PONG)[1], 0xFFFFFFFF)

    def test_eof_exits_zero(self):
        w = self.loaded("hello")
        w.sock.shutdown(socket.SHUT_WR)
        self.assertEqual(w.wait(), 0)

    def test_unknown_frame_type_exits_70(self):
        w = self.loaded("hello")
        w.sock.sendall(bytes.fromhex("000000009900000000"))
        self.assertEqual(w.wait(), 70)
        self.assertIn("unknown frame type", w.stderr_text())

    def test_oversized_frame_exits_70(self):
        w = self.loaded("hello")
        w.sock.sendall(bytes.fromhex("7fffffff1000000001"))
        self.assertEqual(w.wait(), 70)

    def test_request_before_load_exits_70(self):
        w = self.spawn()
        w.hello()
        w.request(1)
        self.assertEqual(w.wait(), 70)

    def test_worker_frame_type_sent_to_worker_exits_70(self):
        w = self.loaded("hello")
        w.sock.sendall(P.encode_head_body(P.RESULT, 1, {"kind": "bytes"}))
        self.assertEqual(w.wait(), 70)


class Loading(WorkerCase):
    def test_missing_handler(self):
        w = self.spawn()
        self.assertEqual(w.load(handler="nope"), {"ok": False, "code": "HANDLER_NOT_FOUND", "message": "nope"})
        kind, head, _ = w.call(1)
        self.assertEqual(head, {"kind": "error", "code": "HANDLER_NOT_FOUND", "message": "nope"})
        w.send(P.PING, 2)  # still serving
        self.assertEqual(w.take(lambda fr: fr[0] == P.PONG)[1], 2)

    def test_main_fallback_and_odd_entry_name(self):
        w = self.spawn()
        self.assertEqual(w.load(folder="mainonly", entry="[id].py"), {"ok": True})
        self.assertEqual(self.value(w, 1, params={"id": "42"}), {"via": "main", "id": "42"})

    def test_main_not_used_for_custom_name(self):
        w = self.spawn()
        res = w.load(folder="mainonly", entry="[id].py", handler="other")
        self.assertEqual(res, {"ok": False, "code": "HANDLER_NOT_FOUND", "message": "other"})

    def test_syntax_error(self):
        w = self.spawn()
        res = w.load(folder="syntax")
        self.assertFalse(res["ok"])
        self.assertEqual(res["code"], "HANDLER_LOAD_FAILED")
        self.assertTrue(res["message"].startswith("SyntaxError: "), res["message"])
        tb = w.logs_for(0, P.STDERR)
        self.assertIn("SyntaxError", tb)
        self.assertIn("syntax/handler.py", tb)
        self.assertNotIn("importlib", tb)
        kind, head, _ = w.call(1)
        self.assertEqual(head, {"kind": "error", "code": "HANDLER_LOAD_FAILED", "message": res["message"]})

    def test_import_error(self):
        w = self.spawn()
        res = w.load(folder="importerr")
        self.assertEqual(res["code"], "HANDLER_LOAD_FAILED")
        self.assertEqual(res["message"], "ModuleNotFoundError: No module named 'definitely_not_a_module_fastfn'")
        self.assertIn("Traceback", w.logs_for(0, P.STDERR))

    def test_unsupported_adapter(self):
        w = self.spawn()
        res = w.load(adapter="aws-lambda")
        self.assertEqual(res, {"ok": False, "code": "UNSUPPORTED_ADAPTER", "message": "aws-lambda"})
        self.assertEqual(w.call(1)[1]["code"], "UNSUPPORTED_ADAPTER")

    def test_native_adapter_aliases(self):
        for alias in ("", "none", "default"):
            with self.subTest(alias=alias):
                w = self.spawn()
                self.assertEqual(w.load(handler="hello", adapter=alias), {"ok": True})

    def test_sys_exit_at_import_exits(self):
        w = self.spawn()
        w.hello()
        d = os.path.join(TMP, "exitimport")
        w.sock.sendall(P.encode_json_frame(P.LOAD, 0, {"dir": d, "entry": os.path.join(d, "handler.py"),
                                                      "handler": "handler", "adapter": "native", "env": {}}))
        self.assertEqual(w.wait(), 5)


class Calling(WorkerCase):
    def test_sync_runs_on_pool_thread(self):
        w = self.loaded("hello")
        self.assertTrue(self.value(w, 1)["thread"].startswith("fastfn-pool"))

    def test_async_runs_on_one_persistent_loop(self):
        w = self.loaded("ahello")
        a, b = self.value(w, 1), self.value(w, 2)
        self.assertTrue(a["async"])
        self.assertEqual(a["thread"], "fastfn-asyncio")
        self.assertEqual(a["loop"], b["loop"])

    def test_sync_wrapper_returning_coroutine(self):
        w = self.loaded("wrapped")
        v = self.value(w, 1)
        self.assertTrue(v["async"])
        self.assertEqual(v["thread"], "fastfn-asyncio")

    def test_cancel_of_buffered_request_still_answers(self):
        w = self.loaded("slow")
        w.request(1, query={"s": "0.2"})
        w.send(P.CANCEL, 1)
        self.assertEqual(w.response(1), ("result", {"kind": "value", "value": "0.2"}, b""))

    def test_named_params_defaults_and_none(self):
        w = self.loaded("named")
        self.assertEqual(self.value(w, 1, params={"id": "42"}), {"id": "42", "missing": None, "other": "dflt"})
        self.assertEqual(self.value(w, 2, params={"id": "1", "other": "o", "missing": "m"}),
                         {"id": "1", "missing": "m", "other": "o"})

    def test_params_dict(self):
        w = self.loaded("whole")
        self.assertEqual(self.value(w, 1, params={"sku": "42"}), {"params": {"sku": "42"}, "same": True})

    def test_route_param_named_params_wins(self):
        w = self.loaded("shadow")
        self.assertEqual(self.value(w, 1, params={"params": "lit"}), {"params": "lit"})

    def test_kwargs_gets_unbound_params(self):
        w = self.loaded("kw")
        self.assertEqual(self.value(w, 1, params={"id": "1", "a": "x", "b": "y"}),
                         {"id": "1", "rest": {"a": "x", "b": "y"}})
        self.assertEqual(self.value(w, 2), {"id": None, "rest": {}})

    def test_event_fields(self):
        w = self.loaded("only_event")
        self.assertEqual(self.value(w, 1),
                         sorted(["id", "method", "path", "query", "params", "path_params", "headers", "env"]))

    def test_handler_error(self):
        w = self.loaded("boom")
        kind, head, body = w.call(5)
        self.assertEqual(head, {"kind": "error", "code": "HANDLER_ERROR", "message": 'boom "quoted"'})
        tb = w.logs_for(5, P.STDERR)
        self.assertIn("Traceback", tb)
        self.assertIn("ValueError", tb)
        self.assertNotIn("fastfn_worker.py", tb)

    def test_handler_called_exactly_once(self):
        w = self.loaded("once")
        self.assertEqual(w.call(1, query={"fail": "1"})[1]["code"], "HANDLER_ERROR")
        self.assertEqual(self.value(w, 2), 2)  # 1 failed call + this one: never retried

    def test_empty_message_uses_class_name(self):
        w = self.loaded("empty_boom")
        self.assertEqual(w.call(1)[1]["message"], "RuntimeError")

    def test_async_error(self):
        w = self.loaded("aboom")
        self.assertEqual(w.call(1)[1], {"kind": "error", "code": "HANDLER_ERROR", "message": "'k'"})

    def test_base_exception_is_an_error_and_worker_survives(self):
        w = self.loaded("base_exc")
        self.assertEqual(w.call(1)[1], {"kind": "error", "code": "HANDLER_ERROR", "message": "ctrl-c"})
        self.assertEqual(w.call(2)[1]["code"], "HANDLER_ERROR")

    def test_sys_exit_exits_process(self):
        w = self.loaded("exit3")
        w.request(1)
        self.assertEqual(w.wait(), 3)
        try:
            while True:
                w.pump()
        except (EOFError, OSError):
            pass
        self.assertIn("bye", w.logs_for(1, P.STDOUT))
        self.assertFalse([fr for fr in w.inbox if fr[0] == P.RESULT])

    def test_sys_exit_in_async_handler(self):
        w = self.loaded("aexit")
        w.request(1)
        self.assertEqual(w.wait(), 4)

    def test_out_of_order(self):
        w = self.loaded("slow")
        w.request(1, query={"s": "0.6"})
        w.request(2, query={"s": "0.01"})
        first = w.take(lambda fr: fr[0] == P.RESULT)
        self.assertEqual(first[1], 2)
        self.assertEqual(P.decode_head_body(w.take(lambda fr: fr[0] == P.RESULT)[2])[0]["value"], "0.6")

    def test_many_concurrent_sync(self):
        w = self.loaded("slow")
        t0 = time.monotonic()
        for i in range(1, 41):
            w.request(i, query={"s": "0.3"})
        got = sorted(w.take(lambda fr: fr[0] == P.RESULT)[1] for _ in range(40))
        self.assertEqual(got, list(range(1, 41)))
        self.assertLess(time.monotonic() - t0, 2.5)  # 40 x 0.3 s in parallel, not 12 s

    def test_many_concurrent_async(self):
        w = self.loaded("aslow")
        t0 = time.monotonic()
        for i in range(1, 201):
            w.request(i, query={"s": "0.3"})
        got = sorted(w.take(lambda fr: fr[0] == P.RESULT)[1] for _ in range(200))
        self.assertEqual(got, list(range(1, 201)))
        self.assertLess(time.monotonic() - t0, 2.5)

    def test_concurrency_field_limits_pool(self):
        w = self.loaded("slow", concurrency=1)
        w.request(1, query={"s": "0.3"})
        w.request(2, query={"s": "0.01"})
        self.assertEqual(w.take(lambda fr: fr[0] == P.RESULT)[1], 1)  # one thread: strictly in order


class Bodies(WorkerCase):
    def test_binary_body_all_byte_values(self):
        w = self.loaded("echo")
        data = bytes(range(256))
        v = self.value(w, 1, body=data, method="POST")
        self.assertEqual(v, {"is_base64": True, "body_base64": base64.b64encode(data).decode()})
        self.assertEqual(base64.b64decode(v["body_base64"]), data)

    def test_utf8_body_with_bom(self):
        w = self.loaded("echo")
        text = "\ufeff{\"x\":\"héllo ✓ 😀\"}"
        self.assertEqual(self.value(w, 1, body=text.encode(), method="POST"), {"body": text})

    def test_empty_body_adds_nothing(self):
        w = self.loaded("echo")
        self.assertEqual(self.value(w, 1), {})

    def test_large_bodies_both_ways(self):
        w = self.loaded("echo")
        data = bytes(range(256)) * 12289  # ~3 MiB, split over many socket reads
        v = self.value(w, 1, body=data, method="POST")
        self.assertEqual(base64.b64decode(v["body_base64"]), data)
        text = ("é" * 1_500_000).encode()
        self.assertEqual(self.value(w, 2, body=text, method="POST"), {"body": text.decode()})

    def test_invalid_utf8_surrogate_is_binary(self):
        w = self.loaded("echo")
        self.assertTrue(self.value(w, 1, body=b"\xed\xa0\x80")["is_base64"])


class Results(WorkerCase):
    def shape(self, w, fid, kind):
        return w.call(fid, query={"kind": kind})

    def check_shapes(self, handler):
        w = self.loaded(handler)
        values = {
            "dict": {"a": 1, "nested": {"b": [1, 2]}}, "list": [1, "x", None], "str": "héllo", "int": 7,
            "float": 1.5, "bool": False, "none": None,
            "tuple1": {"body": "hi"}, "tuple2": {"body": "created", "status": 201},
            "tuple3": {"body": {"a": 1}, "status": 202, "headers": {"x-a": "1"}},
            "resp": {"status": 203, "headers": {"x-r": "1"}, "body": "made"},
        }
        fid = 0
        for kind, expected in values.items():
            fid += 1
            with self.subTest(kind=kind):
                self.assertEqual(self.shape(w, fid, kind), ("result", {"kind": "value", "value": expected}, b""))
        cases = {
            "bytes": ({"kind": "bytes"}, b"\x89PNG\x00"),
            "bytearray": ({"kind": "bytes"}, b"ab"),
            "dict_bytes": ({"kind": "value", "value": {"status": 201, "headers": {"content-type": "image/png"}},
                            "body": "bytes"}, b"\x89PNG"),
            "tuple_bytes": ({"kind": "value", "value": {"status": 200, "headers": {"content-type": "application/x"}},
                             "body": "bytes"}, b"\x01\x02"),
            "resp_bytes": ({"kind": "value", "value": {"status": 200, "headers": {}}, "body": "bytes"}, b"\xff"),
        }
        for kind, (head, body) in cases.items():
            fid += 1
            with self.subTest(kind=kind):
                self.assertEqual(self.shape(w, fid, kind), ("result", head, body))
        for kind in ("set", "nan"):
            fid += 1
            with self.subTest(kind=kind):
                _, head, _ = self.shape(w, fid, kind)
                self.assertEqual(head["kind"], "error")
                self.assertEqual(head["code"], "INVALID_RESPONSE")
                self.assertTrue(head["message"].startswith("cannot serialise handler result: "), head["message"])
        fid += 1
        self.assertEqual(self.shape(w, fid, "gen"),
                         ("stream", {"status": 200, "headers": {}}, [b"one", b"\x00two", b'{"three":3}'], {}))
        fid += 1
        self.assertEqual(self.shape(w, fid, "agen"), ("stream", {"status": 200, "headers": {}}, [b"a", b"b", b"c"], {}))
        fid += 1
        self.assertEqual(self.shape(w, fid, "env_gen"),
                         ("stream", {"status": 206, "headers": {"content-type": "text/event-stream"}},
                          [b"one", b"\x00two", b'{"three":3}'], {}))
        fid += 1
        self.assertEqual(self.shape(w, fid, "tuple_gen"),
                         ("stream", {"status": 201, "headers": {"x-s": "1"}}, [b"a", b"b", b"c"], {}))

    def test_shapes_from_sync_handler(self):
        self.check_shapes("shape")

    def test_shapes_from_async_handler(self):
        self.check_shapes("ashape")

    def test_async_generator_function(self):
        w = self.loaded("agen_handler")
        self.assertEqual(w.call(1), ("stream", {"status": 200, "headers": {}}, [b"x", b"y", b"z"], {}))

    def test_stream_error_after_head(self):
        w = self.loaded("stream_fail")
        self.assertEqual(w.call(1), ("stream", {"status": 200, "headers": {}}, [b"a"], {"error": "mid-stream"}))
        self.assertIn("RuntimeError: mid-stream", w.logs_for(1, P.STDERR))

    def test_cancel_sync_stream_closes_generator(self):
        w = self.loaded("cancellable")
        w.request(1)
        w.take(lambda fr: fr[0] == P.STREAM_HEAD)
        w.take(lambda fr: fr[0] == P.STREAM_CHUNK)
        w.send(P.CANCEL, 1)
        end = w.take(lambda fr: fr[0] == P.STREAM_END and fr[1] == 1)
        self.assertEqual(P.decode_json(end[2]), {})
        self.assertIn("generator closed", w.logs_for(1, P.STDOUT))

    def test_cancel_async_stream(self):
        w = self.loaded("acancellable")
        w.request(1)
        w.take(lambda fr: fr[0] == P.STREAM_HEAD)
        w.take(lambda fr: fr[0] == P.STREAM_CHUNK)
        w.send(P.CANCEL, 1)
        end = w.take(lambda fr: fr[0] == P.STREAM_END and fr[1] == 1)
        self.assertEqual(P.decode_json(end[2]), {})
        self.assertIn("agen finalised", w.logs_for(1, P.STDOUT))

    def test_cancel_unknown_id_is_ignored(self):
        w = self.loaded("hello")
        w.send(P.CANCEL, 999)
        self.assertEqual(self.value(w, 1)["db"], "db-sibling")


class Output(WorkerCase):
    def check_attribution(self, handler, n=20):
        w = self.loaded(handler)
        markers = {i: "m%02d" % i for i in range(1, n + 1)}
        for i, m in markers.items():
            w.request(i, query={"m": m})
        for i in markers:
            w.response(i)
        for i, m in markers.items():
            out = w.logs_for(i, P.STDOUT)
            err = w.logs_for(i, P.STDERR)
            self.assertTrue(out, i)
            for other in markers.values():
                if other != m:
                    self.assertNotIn(other, out + err)
            self.assertEqual(out.count("out %s" % m), 3)
            self.assertEqual(err.count("err %s" % m), 3)
        return w, markers

    def test_print_attributed_sync(self):
        w, markers = self.check_attribution("printer")
        for i, m in markers.items():
            self.assertTrue(w.logs_for(i, P.STDOUT).endswith("tail " + m))  # trailing text without newline
            self.assertEqual(w.logs_for(i, P.STDERR).count("log %s" % m), 3)  # logging -> stderr

    def test_print_attributed_async(self):
        w, markers = self.check_attribution("aprinter")
        for i, m in markers.items():
            self.assertIn("thread %s" % m, w.logs_for(i, P.STDOUT))  # asyncio.to_thread keeps the context

    def test_request_output_not_on_fd1_fd2(self):
        w = self.loaded("printer")
        w.call(1, query={"m": "x"})
        w.sock.close()
        self.assertEqual(w.wait(), 0)
        w.out.seek(0)
        self.assertEqual(w.out.read(), b"")
        self.assertEqual(w.stderr_text(), "")


class Env(WorkerCase):
    def test_env_update(self):
        w = self.spawn(fn_env={"A": "1", "B": "2"}, proc_env={"FN_ADMIN_TOKEN": "secret", "PATH_KEPT": "k"})
        self.assertEqual(w.load(handler="env", env={"A": "1", "B": "2"}), {"ok": True})
        v = self.value(w, 1)
        self.assertEqual(v["event"], {"A": "1", "B": "2"})
        self.assertEqual(v["os"], {"A": "1", "B": "2", "PATH_KEPT": "k"})
        self.assertEqual(v["fn_keys"], [])
        w.sock.sendall(P.encode_json_frame(P.ENV, 0, {"env": {"A": "10", "C": "héllo ✓"}}))
        v = self.value(w, 2)
        self.assertEqual(v["event"], {"A": "10", "C": "héllo ✓"})
        self.assertEqual(v["os"], {"A": "10", "B": None, "PATH_KEPT": "k"})

    def test_env_applies_to_requests_after_it(self):
        w = self.spawn()
        # One pool thread, busy with request 1: request 2 is built only after the ENV frame was applied, yet it
        # arrived before it, so it must still see the old env.
        self.assertEqual(w.load(handler="env", env={"A": "old"}, concurrency=1), {"ok": True})
        w.request(1, query={"s": "0.2"})
        w.request(2)
        w.sock.sendall(P.encode_json_frame(P.ENV, 0, {"env": {"A": "new"}}))
        w.request(3)
        self.assertEqual(w.response(1)[1]["value"]["event"], {"A": "old"})
        self.assertEqual(w.response(2)[1]["value"]["event"], {"A": "old"})
        self.assertEqual(w.response(3)[1]["value"]["event"], {"A": "new"})


if __name__ == "__main__":
    unittest.main()
