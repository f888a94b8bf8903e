# Manual micro-benchmark of the Python worker (not collected by unittest): cold start, sequential and pipelined
# REQUEST/RESULT round trips against a hello handler. Run: python3 runtimes/python/tests/bench_roundtrip.py [N]
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import test_worker as T  # noqa: E402

HELLO = "def handler(event):\n    return {'hello': 'world'}\n\nasync def ahandler(event):\n    return {'hello': 'world'}\n"


def run(handler, n, inflight):
    t0 = time.perf_counter()
    w = T.Worker()
    assert w.load(folder="bench", handler=handler) == {"ok": True}
    cold = time.perf_counter() - t0
    head = {"id": "r", "method": "GET", "path": "/hello", "raw_path": "/hello", "query": {}, "params": {},
            "path_params": {}, "headers": {"host": "localhost", "user-agent": "bench"}, "client": {"ip": "127.0.0.1"},
            "context": {"request_id": "r"}, "version": "default"}
    frames = [T.P.encode_head_body(T.P.REQUEST, i + 1, head) for i in range(n)]
    for i in range(200):  # warm up
        w.sock.sendall(frames[i])
        w.take(lambda fr: fr[0] == T.P.RESULT)
    t0 = time.perf_counter()
    sent = 0
    done = 0
    while done < n:
        while sent < n and sent - done < inflight:
            w.sock.sendall(frames[sent])
            sent += 1
        w.take(lambda fr: fr[0] == T.P.RESULT)
        done += 1
    dt = time.perf_counter() - t0
    w.close()
    return cold, n / dt


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    T.setUpModule()
    try:
        os.makedirs(os.path.join(T.TMP, "bench"))
        with open(os.path.join(T.TMP, "bench", "handler.py"), "w") as f:
            f.write(HELLO)
        print("python %d.%d.%d, %d requests" % (sys.version_info[:3] + (n,)))
        for handler in ("handler", "ahandler"):
            for inflight in (1, 16):
                cold, rate = run(handler, n, inflight)
                print("%-8s in-flight %2d: %8.0f req/s   (spawn -> LOADED %.0f ms)" % (handler, inflight, rate, cold * 1000))
    finally:
        T.tearDownModule()


if __name__ == "__main__":
    main()
