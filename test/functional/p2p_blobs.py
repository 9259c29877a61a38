#!/usr/bin/env python3
# Copyright (c) The HPIPS developers. Distributed under the MIT software license.
"""Job data (blobs) between real hpipsd over P2P (doc/p2p.md, "Job data").

Three nodes: n1 and n2 connect to n0, n2 also to n1. A 2.5 MiB blob (three
chunks) put on n0 is fetched by n1 with fetchblob, then by n2 from n1 only
(peer_id); getblobinfo and every chunk match on all three. A blob nobody has
fails with "not found". A Python test peer that serves a blob correctly (chunks
and proofs taken from n0's getblobchunk) gets it fetched; one that answers with
a chunk not matching its proof is disconnected and discouraged while the
honest peers stay connected and n1 still fetches from them. A getblob for one
chunk more than MAX_GETBLOB_CHUNKS, a blob message one byte over its limit,
and an unrequested chunk each disconnect and discourage the sender."""
import os

from test_framework.p2p import (
    MAX_BLOB_PAYLOAD, MSG_BLOB, NODE_BLOBS, NODE_NETWORK, P2PInterface, build_frame, msg_blob,
    msg_getblob, msg_version)
from test_framework.test_framework import HpipsTestFramework
from test_framework.util import assert_equal, assert_in, wait_until

CHUNK = 1 << 20
MAX_GETBLOB_CHUNKS = 16


def id_bytes(id_hex):
    """The id as it travels (uint256 bytes: the display hex reversed)."""
    return bytes.fromhex(id_hex)[::-1]


def read_compact(buf, pos):
    first = buf[pos]
    if first < 0xfd:
        return first, pos + 1
    width = {0xfd: 2, 0xfe: 4, 0xff: 8}[first]
    return int.from_bytes(buf[pos + 1:pos + 1 + width], "little"), pos + 1 + width


def blob_message(node, id_hex, size, index):
    """The blob message for chunk `index`, from the node's getblobchunk (the
    RPC's proof is the MerkleProof encoding: count, index, siblings)."""
    chunk = node.getblobchunk(id_hex, index)
    proof = bytes.fromhex(chunk["proof"])
    count, pos = read_compact(proof, 0)
    leaf_index, pos = read_compact(proof, pos)
    n, pos = read_compact(proof, pos)
    assert_equal(leaf_index, index)
    siblings = [proof[pos + 32 * i:pos + 32 * (i + 1)] for i in range(n)]
    return msg_blob(id_bytes(id_hex), index, count, size, bytes.fromhex(chunk["data"]), siblings)


class BlobPeer(P2PInterface):
    """A test peer that announces NODE_BLOBS."""

    def blob_handshake(self):
        version = msg_version()
        version.services = NODE_NETWORK | NODE_BLOBS
        return self.handshake(version)

    def getblobs(self):
        with self.lock:
            return [m for m in self.received if isinstance(m, msg_getblob)]


class BlobsTest(HpipsTestFramework):
    def set_test_params(self):
        self.num_nodes = 0
        self.next_ip = 1

    def fresh_ip(self):
        self.next_ip += 1
        return f"127.0.1.{self.next_ip}"

    def run_test(self):
        self.n0 = self.add_node()
        self.n1 = self.add_node()
        self.n2 = self.add_node()
        self.n0.start(["-debug=net"])
        self.n1.start(["-debug=net", f"-addnode=127.0.0.1:{self.n0.p2p_port}"])
        self.n2.start(["-debug=net", f"-addnode=127.0.0.1:{self.n0.p2p_port}",
                       f"-addnode=127.0.0.1:{self.n1.p2p_port}"])
        wait_until(lambda: self.n0.getconnectioncount() == 2 and self.n1.getconnectioncount() == 2 and
                   self.n2.getconnectioncount() == 2, what="three nodes connected")
        for node in (self.n0, self.n1, self.n2):
            wait_until(lambda n=node: all("BLOBS" in p["servicesnames"] for p in n.getpeerinfo()),
                       what="peers announce NODE_BLOBS")
        self.subtest("a 2.5 MiB blob goes n0 -> n1 -> n2", self.test_fetch_between_nodes)
        self.subtest("a blob nobody has fails with not found", self.test_not_found)
        self.subtest("a test peer serves a blob", self.test_python_source)
        self.subtest("a chunk not matching its proof: disconnect, discourage", self.test_bad_proof)
        self.subtest("getblob one chunk over MAX_GETBLOB_CHUNKS", self.test_getblob_too_many)
        self.subtest("blob message one byte over its limit", self.test_blob_oversized)
        self.subtest("an unrequested chunk", self.test_unrequested)
        self.subtest("honest peers unaffected", self.test_honest_unaffected)

    # --- helpers -----------------------------------------------------------
    def put(self, node, data):
        path = os.path.join(self.tmpdir, f"blob{len(data)}_{data[:4].hex()}.bin")
        with open(path, "wb") as f:
            f.write(data)
        return node.putblob(path=path)

    def peer_id(self, node, port):
        for p in node.getpeerinfo():
            if p["addr"].endswith(f":{port}"):
                return p["id"]
        raise AssertionError(f"no peer on port {port}")

    def wait_fetched(self, node, id_hex):
        wait_until(lambda: node.getblobfetch(id_hex)["state"] in ("complete", "failed"), what=f"fetch of {id_hex}")
        status = node.getblobfetch(id_hex)
        assert_equal(status["state"], "complete")
        return status

    def assert_same_blob(self, a, b, id_hex):
        info_a = a.getblobinfo(id_hex)
        info_b = b.getblobinfo(id_hex)
        for key in ("id", "size", "chunks", "complete", "received"):
            assert_equal(info_a[key], info_b[key])
        assert_equal(info_b["complete"], True)
        for i in range(info_a["chunks"]):
            assert_equal(a.getblobchunk(id_hex, i), b.getblobchunk(id_hex, i))

    def assert_discouraged(self, node, ip):
        """A new connection from `ip` is closed before any version."""
        peer = P2PInterface().connect(node.p2p_port, source_ip=ip)
        peer.try_send_raw(build_frame("version", msg_version().serialize()))
        peer.wait_for_disconnect()
        assert_equal(peer.count("version"), 0)

    def misbehaving_peer(self, node, send, reason):
        ip = self.fresh_ip()
        peer = BlobPeer().connect(node.p2p_port, source_ip=ip).blob_handshake()
        send(peer)
        peer.wait_for_disconnect()
        wait_until(lambda: any(f" {ip}:" in line and reason in line for line in node.debug_log().splitlines()
                               if "Disconnecting and discouraging" in line), what=f"'{reason}' for {ip}")
        self.assert_discouraged(node, ip)

    # --- subtests ----------------------------------------------------------
    def test_fetch_between_nodes(self):
        data = os.urandom(2 * CHUNK + CHUNK // 2)
        put = self.put(self.n0, data)
        self.blob = put["id"]
        self.size = len(data)
        assert_equal(put["chunks"], 3)
        first = self.n1.fetchblob(self.blob)
        assert_in(first["state"], ("searching", "downloading", "complete"))
        status = self.wait_fetched(self.n1, self.blob)
        assert_equal(status["size"], len(data))
        assert_equal(status["chunks"], 3)
        assert_equal(status["received"], 3)
        self.assert_same_blob(self.n0, self.n1, self.blob)
        assert_equal(self.n1.getblobinfo(self.blob)["pinned"], False)
        # n2 fetches from n1 only: n1 serves what it fetched.
        n1_id = self.peer_id(self.n2, self.n1.p2p_port)
        started = self.n2.fetchblob(self.blob, n1_id)
        assert_equal(started["peer_id"], n1_id)
        status = self.wait_fetched(self.n2, self.blob)
        assert_equal(status["sources"], [n1_id])
        self.assert_same_blob(self.n0, self.n2, self.blob)
        # Fetching a stored blob returns at once.
        assert_equal(self.n2.fetchblob(self.blob)["state"], "complete")

    def test_not_found(self):
        missing = "ab" * 32
        self.n1.fetchblob(missing)
        wait_until(lambda: self.n1.getblobfetch(missing)["state"] == "failed", what="fetch fails")
        status = self.n1.getblobfetch(missing)
        assert_in("not found", status["error"])
        # A failed fetch left nothing in the store.
        assert all(b["id"] != missing for b in self.n1.listblobs())
        for method, args, code in ((self.n1.fetchblob, ["zz"], -8), (self.n1.fetchblob, [missing, 99999], -8),
                                   (self.n1.getblobfetch, ["cd" * 32], -5)):
            try:
                method(*args)
            except Exception as e:  # JSONRPCException
                assert_equal(e.error["code"], code)
            else:
                raise AssertionError(f"{args} accepted")

    def test_python_source(self):
        """The node fetches from a Python peer that serves a blob correctly
        (checked by the node against the id: an independent proof source)."""
        data = os.urandom(CHUNK + 12345)
        id_hex = self.put(self.n0, data)["id"]
        messages = [blob_message(self.n0, id_hex, len(data), i) for i in range(2)]
        ip = self.fresh_ip()
        peer = BlobPeer().connect(self.n2.p2p_port, source_ip=ip).blob_handshake()
        peer.sync_with_ping()
        peer_id = self.peer_id(self.n2, peer.sock.getsockname()[1])
        self.n2.fetchblob(id_hex, peer_id)
        answered = 0
        while answered < 2:
            peer.wait_until(lambda: len([m for m in peer.received if isinstance(m, msg_getblob)]) > answered,
                            what="getblob")
            request = peer.getblobs()[answered]
            assert_equal(request.blob_id, id_bytes(id_hex))
            for i in range(request.first_chunk, request.first_chunk + request.chunk_count):
                peer.send_message(messages[i])
            answered += 1
            if self.n2.getblobfetch(id_hex)["state"] == "complete":
                break
        self.wait_fetched(self.n2, id_hex)
        self.assert_same_blob(self.n0, self.n2, id_hex)
        assert peer.is_connected()
        peer.close()

    def test_bad_proof(self):
        data = os.urandom(CHUNK + 777)
        id_hex = self.put(self.n0, data)["id"]
        self.bad_blob = id_hex
        good = blob_message(self.n0, id_hex, len(data), 0)
        ip = self.fresh_ip()
        peer = BlobPeer().connect(self.n1.p2p_port, source_ip=ip).blob_handshake()
        peer.sync_with_ping()
        peer_id = self.peer_id(self.n1, peer.sock.getsockname()[1])
        self.n1.fetchblob(id_hex, peer_id)
        peer.wait_until(lambda: any(isinstance(m, msg_getblob) for m in peer.received), what="getblob")
        request = peer.getblobs()[0]
        assert_equal((request.first_chunk, request.chunk_count), (0, 1))
        bad = bytearray(good.data)
        bad[1000] ^= 1
        peer.send_message(msg_blob(good.blob_id, 0, good.chunk_count, good.blob_size, bytes(bad), good.proof))
        peer.wait_for_disconnect()
        wait_until(lambda: any(f" {ip}:" in line and "does not match its proof" in line
                               for line in self.n1.debug_log().splitlines()
                               if "Disconnecting and discouraging" in line), what="bad proof logged")
        self.assert_discouraged(self.n1, ip)
        assert all(p["id"] != peer_id for p in self.n1.getpeerinfo())
        # Nothing was stored, and the fetch limited to that peer failed.
        wait_until(lambda: self.n1.getblobfetch(id_hex)["state"] == "failed", what="the fetch fails")
        assert_in("not found", self.n1.getblobfetch(id_hex)["error"])
        assert all(b["id"] != id_hex or not b["complete"] for b in self.n1.listblobs())

    def test_getblob_too_many(self):
        blob = id_bytes(self.blob)
        # At the limit: answered, peer stays.
        peer = BlobPeer().connect(self.n0.p2p_port, source_ip=self.fresh_ip()).blob_handshake()
        peer.send_message(msg_getblob(blob, 0, MAX_GETBLOB_CHUNKS))
        peer.wait_until(lambda: peer.message_count.get(b"notfound", 0) == 1,
                        what="notfound for a range beyond the blob")
        assert_equal(peer.last_message[b"notfound"].items, [(MSG_BLOB, blob)])
        peer.send_message(msg_getblob(blob, 0, 3))
        peer.wait_until(lambda: peer.message_count.get(b"blob", 0) == 3, what="three chunks")
        peer.sync_with_ping()
        assert peer.is_connected()
        peer.close()
        # One over.
        self.misbehaving_peer(self.n0, lambda p: p.send_message(msg_getblob(blob, 0, MAX_GETBLOB_CHUNKS + 1)),
                              "malformed getblob")

    def test_blob_oversized(self):
        self.misbehaving_peer(self.n0, lambda p: p.try_send_raw(build_frame("blob", b"\x00" * (MAX_BLOB_PAYLOAD + 1))),
                              f"oversized: command 'blob' payload {MAX_BLOB_PAYLOAD + 1} > {MAX_BLOB_PAYLOAD}")

    def test_unrequested(self):
        message = blob_message(self.n0, self.blob, self.size, 1)
        self.misbehaving_peer(self.n2, lambda p: p.send_message(message), "unrequested blob chunk")

    def test_honest_unaffected(self):
        for node in (self.n0, self.n1, self.n2):
            assert_equal(len([p for p in node.getpeerinfo() if p["addr"].startswith("127.0.0.1:")]), 2)
        # n1 still fetches the blob the bad peer failed to deliver, from n0.
        status = self.n1.fetchblob(self.bad_blob)
        if status["state"] != "complete":
            self.wait_fetched(self.n1, self.bad_blob)
        self.assert_same_blob(self.n0, self.n1, self.bad_blob)


if __name__ == "__main__":
    BlobsTest().main()
