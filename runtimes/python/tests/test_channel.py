# The worker's write side (fastfn_runtime.Channel): frames written by many handler threads at once arrive whole, in
# each thread's order, and writers wait (backpressure) instead of queueing without bound when the gateway is slow.
import os
import socket
import sys
import threading
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

import fastfn_protocol as P  # noqa: E402
import fastfn_runtime as rt  # noqa: E402

THREADS = 8
PER_THREAD = 2000


class ChannelTests(unittest.TestCase):
    def setUp(self):
        self.gw, worker_end = socket.socketpair()
        self.chan = rt.Channel(os.dup(worker_end.fileno()))
        worker_end.close()

    def tearDown(self):
        self.gw.close()
        self.chan._sock.close()

    def _read_frames(self, count, timeout=60):
        dec = P.FrameDecoder()
        frames = []
        self.gw.settimeout(timeout)
        while len(frames) < count:
            data = self.gw.recv(262144)
            if not data:
                break
            frames.extend(dec.feed(data))
        return frames

    def test_concurrent_writers_keep_frames_whole_and_in_order(self):
        def writer(t):
            for i in range(PER_THREAD):
                self.chan.send(P.encode_json_frame(P.RESULT, t * PER_THREAD + i, {"t": t, "i": i, "pad": "x" * (i % 300)}))

        threads = [threading.Thread(target=writer, args=(t,)) for t in range(THREADS)]
        for th in threads:
            th.start()
        frames = self._read_frames(THREADS * PER_THREAD)
        for th in threads:
            th.join()
        self.assertEqual(len(frames), THREADS * PER_THREAD)
        last = {}
        for ftype, fid, payload in frames:
            msg = P.decode_json(payload)
            self.assertEqual(ftype, P.RESULT)
            self.assertEqual(fid, msg["t"] * PER_THREAD + msg["i"])
            self.assertGreater(msg["i"], last.get(msg["t"], -1), "a thread's frames keep their order")
            last[msg["t"]] = msg["i"]

    def test_writers_wait_when_the_gateway_does_not_read(self):
        big = P.encode_frame(P.LOG, 1, b"\x01" + b"y" * 65536)
        done = []

        def flood():
            for _ in range(1000):  # two threads: ~130 MB queued if nothing pushed back
                self.chan.send(big)
            done.append(True)

        threads = [threading.Thread(target=flood, daemon=True) for _ in range(2)]
        for th in threads:
            th.start()
        time.sleep(1.0)
        # One thread is stuck writing to the full socket; the other must wait too rather than queue every frame.
        self.assertEqual(done, [], "writers are held back while nobody reads")
        self.assertLessEqual(len(self.chan._queue), rt._MAX_QUEUED_FRAMES + 2)
        frames = self._read_frames(2000)
        for th in threads:
            th.join(30)
        self.assertEqual(len(done), 2)
        self.assertEqual(len(frames), 2000)


if __name__ == "__main__":
    unittest.main()
