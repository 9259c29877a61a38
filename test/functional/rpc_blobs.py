#!/usr/bin/env python3
# Copyright (c) The HPIPS developers. Distributed under the MIT software license.
"""Job data (blobs) through a real hpipsd: putblob with hex and with a path,
getblobinfo, listblobs, getblobchunk (every chunk checked here against the id
with an independent implementation of doc/blobs.md), putblobchunk with good
and bad proofs, hpips-cli putblob FILE (chunked upload), a file one byte over
MAX_BLOB_SIZE refused by the RPC and by the CLI, the quota at its limit and one
byte over (-blobquota), blobs kept across a restart, an upload cut by SIGKILL
leaving nothing listed, damaged metadata removed at startup, removeblob."""
import hashlib
import json
import os
import struct

from test_framework.test_framework import HpipsTestFramework
from test_framework.util import assert_equal, assert_in, assert_raises_rpc_error

CHUNK = 1 << 20
MAX_BLOB_SIZE = 256 << 20
MAX_BLOB_CHUNKS = 256
QUOTA = 3 * CHUNK


def tagged(tag, data):
    t = hashlib.sha256(tag.encode()).digest()
    return hashlib.sha256(t + t + data).digest()


def chunks_of(data):
    return [data[i:i + CHUNK] for i in range(0, len(data), CHUNK)]


def blob_id_from_hashes(size, leaves):
    level = list(leaves)
    while len(level) > 1:
        nxt = [tagged("HPIPS/blob-node", level[i] + level[i + 1]) for i in range(0, len(level) - 1, 2)]
        if len(level) % 2:
            nxt.append(level[-1])
        level = nxt
    root = tagged("HPIPS/blob-root", struct.pack("<Q", len(leaves)) + level[0])
    return tagged("HPIPS/blob-id", struct.pack("<Q", size) + root)


def blob_id(data):
    """The display hex of a blob's id (doc/blobs.md, "Id")."""
    leaves = [tagged("HPIPS/blob-leaf", c) for c in chunks_of(data)]
    return blob_id_from_hashes(len(data), leaves)[::-1].hex()


def read_compact(buf, pos):
    first = buf[pos]
    if first < 0xfd:
        return first, pos + 1
    width = {0xfd: 2, 0xfe: 4, 0xff: 8}[first]
    return int.from_bytes(buf[pos + 1:pos + 1 + width], "little"), pos + 1 + width


def verify_chunk(id_hex, size, index, chunk, proof_hex):
    """Checks a chunk against an id as a peer would (doc/blobs.md, "Chunk proofs")."""
    proof = bytes.fromhex(proof_hex)
    count, pos = read_compact(proof, 0)
    leaf_index, pos = read_compact(proof, pos)
    n, pos = read_compact(proof, pos)
    branch = [proof[pos + 32 * i:pos + 32 * (i + 1)] for i in range(n)]
    assert pos + 32 * n == len(proof)
    assert leaf_index == index and count == (size + CHUNK - 1) // CHUNK
    node = tagged("HPIPS/blob-leaf", chunk)
    used = 0
    position, width = index, count
    while width > 1:
        sibling = position ^ 1
        if sibling < width:
            other = branch[used]
            used += 1
            node = tagged("HPIPS/blob-node", node + other if position % 2 == 0 else other + node)
        position //= 2
        width = (width + 1) // 2
    assert used == len(branch)
    root = tagged("HPIPS/blob-root", struct.pack("<Q", count) + node)
    return tagged("HPIPS/blob-id", struct.pack("<Q", size) + root)[::-1].hex() == id_hex


def encode_proof(leaves, index):
    """A chunk proof built here (doc/blobs.md), for putblobchunk."""
    branch = []
    level = list(leaves)
    position = index
    while len(level) > 1:
        sibling = position ^ 1
        if sibling < len(level):
            branch.append(level[sibling])
        nxt = [tagged("HPIPS/blob-node", level[i] + level[i + 1]) for i in range(0, len(level) - 1, 2)]
        if len(level) % 2:
            nxt.append(level[-1])
        level = nxt
        position //= 2
    assert len(leaves) < 0xfd and index < 0xfd
    return (bytes([len(leaves), index, len(branch)]) + b"".join(branch)).hex()


def sparse_file(path, size):
    with open(path, "wb") as f:
        f.truncate(size)


class BlobsTest(HpipsTestFramework):
    def set_test_params(self):
        self.num_nodes = 2
        self.extra_args = [[], [f"-blobquota={QUOTA}"]]

    def run_test(self):
        self.files = os.path.join(self.tmpdir, "files")
        os.makedirs(self.files)
        self.subtest("putblob hexdata, getblobinfo, getblobchunk", self.test_put_hex)
        self.subtest("putblob path", self.test_put_path)
        self.subtest("putblob argument errors", self.test_put_errors)
        self.subtest("MAX_BLOB_SIZE by path, and one byte over refused", self.test_over_max)
        self.subtest("hpips-cli putblob FILE", self.test_cli_put)
        self.subtest("putblobchunk checks every chunk", self.test_put_chunk)
        self.subtest("listblobs", self.test_list)
        self.subtest("quota at its limit and one byte over", self.test_quota)
        self.subtest("blobs survive a restart", self.test_restart)
        self.subtest("an upload cut by SIGKILL is never listed", self.test_kill_mid_upload)
        self.subtest("corrupt metadata: the node starts without that blob", self.test_corrupt_meta)
        self.subtest("removeblob", self.test_remove)
        self.subtest("-blobquota out of range", self.test_bad_option)

    def write(self, name, data):
        path = os.path.join(self.files, name)
        with open(path, "wb") as f:
            f.write(data)
        return path

    def check_served(self, node, data):
        """Every chunk served verifies against the id, and they reassemble the blob."""
        id_hex = blob_id(data)
        assembled = b""
        for i in range((len(data) + CHUNK - 1) // CHUNK):
            chunk = node.getblobchunk(id_hex, i)
            chunk_bytes = bytes.fromhex(chunk["data"])
            assert verify_chunk(id_hex, len(data), i, chunk_bytes, chunk["proof"])
            assembled += chunk_bytes
        assert assembled == data

    def test_put_hex(self):
        node = self.nodes[0]
        result = node.putblob(b"abc".hex())
        assert_equal(result, {"id": blob_id(b"abc"), "size": 3, "chunks": 1})
        # The known vector of doc/blobs.md.
        assert_equal(result["id"], "dab25cff9aaf4eb55e13e095bb05ce9984c6f70bca833bf69ef5c01de265b0e3")
        info = node.getblobinfo(result["id"])
        assert_equal(info, {"id": result["id"], "size": 3, "chunks": 1, "complete": True, "received": 1,
                            "refcount": 0, "pinned": True})
        assert_equal(node.getblobchunk(result["id"], 0), {"data": "616263", "proof": "010000"})
        # Again: the same answer, nothing stored twice.
        assert_equal(node.putblob(b"abc".hex()), result)
        data = os.urandom(CHUNK + 1)
        result = node.putblob(data.hex())
        assert_equal(result, {"id": blob_id(data), "size": CHUNK + 1, "chunks": 2})
        self.check_served(node, data)
        assert_raises_rpc_error(-8, "index must be between 0 and 255", node.getblobchunk, result["id"], 256)
        assert_raises_rpc_error(-8, "chunk 2 of a blob of 2 chunks", node.getblobchunk, result["id"], 2)
        assert_raises_rpc_error(-5, "Blob not found", node.getblobinfo, "00" * 32)
        assert_raises_rpc_error(-5, "Blob not found", node.getblobchunk, "00" * 32, 0)
        assert_raises_rpc_error(-8, "id must be of length 64", node.getblobinfo, "00")

    def test_put_path(self):
        node = self.nodes[0]
        data = os.urandom(2 * CHUNK + CHUNK // 2)
        path = self.write("two_and_a_half.bin", data)
        result = node.putblob(path=path)
        assert_equal(result, {"id": blob_id(data), "size": len(data), "chunks": 3})
        self.check_served(node, data)
        # On disk as doc/blobs.md says.
        with open(os.path.join(node.net_dir, "blobs", result["id"] + ".blob"), "rb") as f:
            assert f.read() == data
        assert os.path.exists(os.path.join(node.net_dir, "blobs", result["id"] + ".meta"))
        assert_equal(os.listdir(os.path.join(node.net_dir, "blobs", "tmp")), [])

    def test_put_errors(self):
        node = self.nodes[0]
        assert_raises_rpc_error(-8, "Specify exactly one of hexdata and path", node.putblob)
        assert_raises_rpc_error(-8, "Specify exactly one of hexdata and path", node.putblob, "00", "/x")
        assert_raises_rpc_error(-8, "path must be absolute", node.putblob, path="relative.bin")
        assert_raises_rpc_error(-1, "cannot open", node.putblob, path=os.path.join(self.files, "missing"))
        assert_raises_rpc_error(-1, "not a regular file", node.putblob, path=self.files)
        assert_raises_rpc_error(-8, "hexdata must be hexadecimal", node.putblob, "0g")
        assert_raises_rpc_error(-8, "hexdata must be hexadecimal", node.putblob, "abc")
        assert_raises_rpc_error(-8, "at least 1 byte", node.putblob, "")
        empty = self.write("empty.bin", b"")
        assert_raises_rpc_error(-8, "at least 1 byte", node.putblob, path=empty)

    def test_over_max(self):
        node = self.nodes[0]
        before = node.listblobs()
        # Sparse: no disk is used, and the node refuses it by its size before reading.
        path = os.path.join(self.files, "too_big.bin")
        sparse_file(path, MAX_BLOB_SIZE + 1)
        assert_raises_rpc_error(-8, "exceeds MAX_BLOB_SIZE (268435456 bytes)", node.putblob, path=path)
        code, out, err = node.cli_run("putblob", path)
        assert_equal(code, 1)
        assert_in("exceeds MAX_BLOB_SIZE", err)
        assert_equal(node.listblobs(), before)
        assert_equal(os.listdir(os.path.join(node.net_dir, "blobs", "tmp")), [])
        # Exactly MAX_BLOB_SIZE is a blob (256 chunks, full-depth proofs).
        with open(path, "r+b") as f:
            f.truncate(MAX_BLOB_SIZE)
        result = node.putblob(path=path)
        zero_leaf = tagged("HPIPS/blob-leaf", bytes(CHUNK))
        assert_equal(result, {"id": blob_id_from_hashes(MAX_BLOB_SIZE, [zero_leaf] * MAX_BLOB_CHUNKS)[::-1].hex(),
                              "size": MAX_BLOB_SIZE, "chunks": MAX_BLOB_CHUNKS})
        last = node.getblobchunk(result["id"], MAX_BLOB_CHUNKS - 1)
        assert verify_chunk(result["id"], MAX_BLOB_SIZE, MAX_BLOB_CHUNKS - 1, bytes(CHUNK), last["proof"])
        node.removeblob(result["id"])
        assert_equal(node.listblobs(), before)
        os.remove(path)

    def test_cli_put(self):
        node = self.nodes[0]
        data = os.urandom(2 * CHUNK + 5)
        path = self.write("cli.bin", data)
        expected = {"id": blob_id(data), "size": len(data), "chunks": 3}
        assert_equal(node.cli.putblob(path), expected)
        info = node.getblobinfo(expected["id"])
        assert info["complete"] and info["pinned"], info
        self.check_served(node, data)
        # A second upload finds the blob at once.
        assert_equal(node.cli.putblob(path), expected)
        # A relative path is the client's own (the node never sees it).
        code, out, err = node.cli_run("putblob", "cli.bin")
        assert_equal(code, 1)
        assert_in("cannot read file cli.bin", err)
        code, out, err = node.cli_run("putblob")
        assert_equal(code, 1)
        assert_in("putblob takes one argument", err)
        # -named reaches the RPC's own forms.
        small = b"named"
        assert_equal(node.cli("-named").putblob(f"hexdata={small.hex()}")["id"], blob_id(small))

    def test_put_chunk(self):
        node = self.nodes[0]
        data = os.urandom(2 * CHUNK + 3)
        parts = chunks_of(data)
        leaves = [tagged("HPIPS/blob-leaf", c) for c in parts]
        id_hex = blob_id(data)
        info = node.putblobchunk(id_hex, len(data), 2, parts[2].hex(), encode_proof(leaves, 2))
        assert_equal((info["complete"], info["received"], info["chunks"]), (False, 1, 3))
        # Not served while incomplete.
        assert_raises_rpc_error(-5, "Blob not found", node.getblobchunk, id_hex, 2)
        # Wrong data, wrong proof, wrong length, wrong size claim: each refused with its class.
        assert_raises_rpc_error(-8, "Chunk refused (bad-proof)", node.putblobchunk, id_hex, len(data), 0,
                                parts[1].hex(), encode_proof(leaves, 0))
        assert_raises_rpc_error(-8, "Chunk refused (bad-proof)", node.putblobchunk, id_hex, len(data), 0,
                                parts[0].hex(), encode_proof(leaves, 1))
        assert_raises_rpc_error(-8, "Chunk refused (bad-length)", node.putblobchunk, id_hex, len(data), 0,
                                parts[0][:-1].hex(), encode_proof(leaves, 0))
        assert_raises_rpc_error(-8, "is being downloaded with", node.putblobchunk, id_hex, len(data) + 1, 0,
                                parts[0].hex(), encode_proof(leaves, 0))
        assert_raises_rpc_error(-22, "proof decode failed", node.putblobchunk, id_hex, len(data), 0,
                                parts[0].hex(), "ff")
        assert_raises_rpc_error(-8, "size must be between 0 and 268435456", node.putblobchunk, id_hex,
                                MAX_BLOB_SIZE + 1, 0, parts[0].hex(), encode_proof(leaves, 0))
        assert_equal(node.getblobinfo(id_hex)["received"], 1)
        node.putblobchunk(id_hex, len(data), 0, parts[0].hex(), encode_proof(leaves, 0))
        info = node.putblobchunk(id_hex, len(data), 1, parts[1].hex(), encode_proof(leaves, 1))
        assert_equal((info["complete"], info["received"], info["pinned"]), (True, 3, True))
        self.check_served(node, data)

    def test_list(self):
        node = self.nodes[0]
        listed = node.listblobs()
        ids = [b["id"] for b in listed]
        assert_equal(len(ids), len(set(ids)))
        assert blob_id(b"abc") in ids
        assert all(b["complete"] for b in listed), listed
        for entry in listed:
            assert_equal(node.getblobinfo(entry["id"]), entry)

    def test_quota(self):
        node = self.nodes[1]
        assert_equal(node.putblob(path=self.write("q2.bin", os.urandom(2 * CHUNK)))["size"], 2 * CHUNK)
        # Exactly up to the quota...
        assert_equal(node.cli.putblob(self.write("q1.bin", os.urandom(CHUNK)))["size"], CHUNK)
        # ...and one byte more is refused by every door, leaving nothing behind.
        one = os.urandom(1)
        assert_raises_rpc_error(-1, "Blob quota exceeded", node.putblob, one.hex())
        assert_raises_rpc_error(-1, "Blob quota exceeded", node.putblob, path=self.write("q0.bin", one))
        code, out, err = node.cli_run("putblob", os.path.join(self.files, "q0.bin"))
        assert_equal(code, 1)
        assert_in("Blob quota exceeded", err)
        assert_equal(len(node.listblobs()), 2)
        assert_equal(os.listdir(os.path.join(node.net_dir, "blobs", "tmp")), [])
        # Removing one makes room.
        node.removeblob(blob_id(open(os.path.join(self.files, "q1.bin"), "rb").read()))
        assert_equal(node.putblob(one.hex())["size"], 1)

    def test_restart(self):
        node = self.nodes[0]
        before = node.listblobs()
        chunk_before = node.getblobchunk(blob_id(b"abc"), 0)
        node.restart()
        assert_equal(node.listblobs(), before)
        assert_equal(node.getblobchunk(blob_id(b"abc"), 0), chunk_before)
        with open(os.path.join(self.files, "two_and_a_half.bin"), "rb") as f:
            self.check_served(node, f.read())
        assert_in("Blob store: ", node.debug_log())

    def test_kill_mid_upload(self):
        node = self.nodes[0]
        before = node.listblobs()
        data = os.urandom(CHUNK + 10)
        parts = chunks_of(data)
        leaves = [tagged("HPIPS/blob-leaf", c) for c in parts]
        id_hex = blob_id(data)
        node.putblobchunk(id_hex, len(data), 0, parts[0].hex(), encode_proof(leaves, 0))
        assert_equal(node.getblobinfo(id_hex)["complete"], False)
        assert_equal(len(os.listdir(os.path.join(node.net_dir, "blobs", "tmp"))), 1)
        node.kill()
        node.start()
        assert_raises_rpc_error(-5, "Blob not found", node.getblobinfo, id_hex)
        assert_equal(node.listblobs(), before)
        assert_equal(os.listdir(os.path.join(node.net_dir, "blobs", "tmp")), [])
        assert_in("1 unfinished temp files removed", node.debug_log())

    def test_corrupt_meta(self):
        node = self.nodes[0]
        data = b"soon corrupt"
        id_hex = node.putblob(data.hex())["id"]
        others = [b for b in node.listblobs() if b["id"] != id_hex]
        node.stop()
        meta = os.path.join(node.net_dir, "blobs", id_hex + ".meta")
        with open(meta, "r+b") as f:
            f.seek(20)
            byte = f.read(1)
            f.seek(20)
            f.write(bytes([byte[0] ^ 0x40]))
        node.start()
        assert_equal(node.listblobs(), others)
        assert_raises_rpc_error(-5, "Blob not found", node.getblobinfo, id_hex)
        assert_in(f"Warning: blob store: {id_hex}.meta: corrupt metadata (checksum mismatch); blob removed",
                  node.debug_log())
        assert not os.path.exists(os.path.join(node.net_dir, "blobs", id_hex + ".blob"))
        # The same data can be stored again.
        assert_equal(node.putblob(data.hex())["id"], id_hex)

    def test_remove(self):
        node = self.nodes[0]
        id_hex = blob_id(b"abc")
        assert_equal(node.removeblob(id_hex), None)
        assert_raises_rpc_error(-5, "Blob not found", node.getblobinfo, id_hex)
        assert_raises_rpc_error(-5, "Blob not found", node.removeblob, id_hex)
        assert not os.path.exists(os.path.join(node.net_dir, "blobs", id_hex + ".blob"))

    def test_bad_option(self):
        node = self.nodes[1]
        node.stop()
        node.assert_start_raises_init_error(["-blobquota=-1"], "Invalid value for -blobquota")
        node.assert_start_raises_init_error(["-blobquota=abc"], "blobquota")
        node.start()


if __name__ == "__main__":
    raise SystemExit(BlobsTest().main())
