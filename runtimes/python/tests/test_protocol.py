# Golden-vector tests for fastfn_protocol.py: every frame in test/protocol/vectors.json must encode and decode
# byte for byte, and the incremental decoder must cope with split/coalesced input and reject bad frames.
import json
import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
SHIM = os.path.dirname(HERE)
REPO = os.path.dirname(os.path.dirname(SHIM))
sys.path.insert(0, SHIM)

import fastfn_protocol as P  # noqa: E402

with open(os.path.join(REPO, "test", "protocol", "vectors.json"), encoding="utf-8") as f:
    VECTORS = json.load(f)["frames"]


def encode_vector(v):
    body = bytes.fromhex(v.get("body_hex", ""))
    layout = v["layout"]
    if layout == "json":
        return P.encode_json_frame(v["type"], v["id"], v["json"])
    if layout == "raw":
        return P.encode_frame(v["type"], v["id"], body)
    if layout == "head_body":
        return P.encode_head_body(v["type"], v["id"], v["head"], body)
    if layout == "log":
        return P.encode_log(v["id"], v["stream"], body)
    raise AssertionError("unknown layout " + layout)


def check_decoded(tc, v, frame):
    ftype, fid, payload = frame
    tc.assertEqual(ftype, v["type"])
    tc.assertEqual(fid, v["id"])
    body = bytes.fromhex(v.get("body_hex", ""))
    layout = v["layout"]
    if layout == "json":
        tc.assertEqual(P.decode_json(payload), v["json"])
        tc.assertEqual(list(P.decode_json(payload)), list(v["json"]))  # key order kept
    elif layout == "raw":
        tc.assertEqual(payload, body)
    elif layout == "head_body":
        head, got = P.decode_head_body(payload)
        tc.assertEqual(head, v["head"])
        tc.assertEqual(got, body)
    elif layout == "log":
        tc.assertEqual(P.decode_log(payload), (v["stream"], body))


class VectorTests(unittest.TestCase):
    def test_vectors_present(self):
        self.assertGreaterEqual(len(VECTORS), 10)

    def test_encode_every_vector(self):
        for v in VECTORS:
            with self.subTest(v["name"]):
                self.assertEqual(encode_vector(v).hex(), v["hex"])

    def test_decode_every_vector(self):
        for v in VECTORS:
            with self.subTest(v["name"]):
                frames = P.FrameDecoder().feed(bytes.fromhex(v["hex"]))
                self.assertEqual(len(frames), 1)
                check_decoded(self, v, frames[0])

    def test_decode_all_coalesced(self):
        stream = b"".join(bytes.fromhex(v["hex"]) for v in VECTORS)
        frames = P.FrameDecoder().feed(stream)
        self.assertEqual(len(frames), len(VECTORS))
        for v, fr in zip(VECTORS, frames):
            check_decoded(self, v, fr)

    def test_decode_byte_by_byte(self):
        stream = b"".join(bytes.fromhex(v["hex"]) for v in VECTORS)
        dec = P.FrameDecoder()
        frames = []
        for i in range(len(stream)):
            frames.extend(dec.feed(stream[i : i + 1]))
        self.assertEqual(len(frames), len(VECTORS))
        self.assertEqual(dec.pending, 0)
        for v, fr in zip(VECTORS, frames):
            check_decoded(self, v, fr)

    def test_decode_odd_splits(self):
        stream = b"".join(bytes.fromhex(v["hex"]) for v in VECTORS) * 3
        for size in (2, 5, 9, 10, 13, 64, 1000):
            with self.subTest(size=size):
                dec = P.FrameDecoder()
                frames = []
                for i in range(0, len(stream), size):
                    frames.extend(dec.feed(stream[i : i + size]))
                self.assertEqual(len(frames), 3 * len(VECTORS))
                for v, fr in zip(VECTORS * 3, frames):
                    check_decoded(self, v, fr)


class DecoderErrors(unittest.TestCase):
    def test_unknown_type(self):
        with self.assertRaises(P.ProtocolError):
            P.FrameDecoder().feed(bytes.fromhex("0000000099000000007b7d"))

    def test_unknown_type_in_header_only(self):
        dec = P.FrameDecoder()
        self.assertEqual(dec.feed(bytes.fromhex("00000005")), [])
        with self.assertRaises(P.ProtocolError):
            dec.feed(bytes.fromhex("7700000001"))  # header complete, payload not yet: still rejected

    def test_oversized_length(self):
        with self.assertRaises(P.ProtocolError):
            P.FrameDecoder().feed(bytes.fromhex("400000011000000001"))

    def test_limit_itself_is_allowed(self):
        dec = P.FrameDecoder()
        self.assertEqual(dec.feed(bytes.fromhex("400000001000000001")), [])  # waits for 1 GiB of payload

    def test_decoder_unusable_after_error(self):
        dec = P.FrameDecoder()
        with self.assertRaises(P.ProtocolError):
            dec.feed(bytes.fromhex("000000000000000000"))
        with self.assertRaises(P.ProtocolError):
            dec.feed(bytes.fromhex("000000004000000001"))

    def test_bad_head_length(self):
        with self.assertRaises(P.ProtocolError):
            P.decode_head_body(bytes.fromhex("000000ff7b7d"))
        with self.assertRaises(P.ProtocolError):
            P.decode_head_body(b"\x00\x00")


class EncoderDetails(unittest.TestCase):
    def test_compact_unicode_json(self):
        self.assertEqual(P.dumps({"a": "é", "b": [1, 2]}), '{"a":"é","b":[1,2]}'.encode("utf-8"))

    def test_lone_surrogate_escaped(self):
        self.assertEqual(P.dumps("\ud800x"), b'"\\ud800x"')

    def test_nan_refused(self):
        with self.assertRaises(ValueError):
            P.dumps(float("nan"))

    def test_head_body_accepts_bytearray_and_memoryview(self):
        a = P.encode_head_body(P.RESULT, 1, {"kind": "bytes"}, b"\x00\x01")
        self.assertEqual(P.encode_head_body(P.RESULT, 1, {"kind": "bytes"}, bytearray(b"\x00\x01")), a)
        self.assertEqual(P.encode_head_body(P.RESULT, 1, {"kind": "bytes"}, memoryview(b"\x00\x01")), a)
        self.assertEqual(P.encode_head_body(P.RESULT, 1, b'{"kind":"bytes"}', b"\x00\x01"), a)


if __name__ == "__main__":
    unittest.main()
