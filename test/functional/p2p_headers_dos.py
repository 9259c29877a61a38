#!/usr/bin/env python3
# Copyright (c) The HPIPS developers. Distributed under the MIT software license.
"""Forged-ticket headers cannot fill an honest node or move it off its chain.

The cheap header check can be forged with hashing alone (on regtest every
ticket wins, so these headers cost nothing at all). Test peers send long
chains of such headers built on the honest tip:
- one peer gets exactly MAX_UNVERIFIED_HEADERS_PER_PEER (4,000) stored: a
  third full `headers` message adds nothing; the tip never moves (headers
  are not work); the node asks the peer for the blocks, and the peer's
  answer (a block whose body does not match its header) gets it
  disconnected and discouraged, while an honest peer stays connected;
- many peers from different addresses together cannot make the node keep
  more than MAX_HEADERS_ONLY (20,000) headers without blocks;
- non-continuous headers and too many unconnecting headers messages are
  violations;
- an unrequested block whose opening was altered gets its sender
  disconnected and discouraged without marking the block invalid: the real
  block, sent next by an honest peer, becomes the tip; an unrequested invalid
  block (time before the median of the last 11) gets its sender
  disconnected and discouraged too;
- the honest node keeps serving its chain throughout.
"""
import os
import struct

from test_framework.key import Key
from test_framework.p2p import (connect_peer, msg_block, msg_getheaders, msg_headers, ser_compact_size,
                                sha256d)
from test_framework.test_framework import HpipsTestFramework
from test_framework.util import assert_equal, wait_until

PER_PEER = 4_000
HEADERS_ONLY_CAP = 20_000
HEADERS_PER_MESSAGE = 2_000


class ForgedChain:
    """Headers on top of `prev_hex` whose tickets pass the cheap check."""

    def __init__(self, prev_hex, start_time, bits):
        self.prev = bytes.fromhex(prev_hex)[::-1]
        self.time = start_time
        self.bits = bits
        self.key = Key()
        self.count = 0
        self.by_hash = {}

    def next(self):
        self.count += 1
        # Median time past must rise: a second more every fifth header.
        time = self.time + self.count // 5
        header = (struct.pack("<i", 1) + self.prev + os.urandom(32) + struct.pack("<II", time, self.bits) +
                  self.key.xonly + struct.pack("<Q", self.count) + os.urandom(32) + struct.pack("<I", 0) +
                  os.urandom(32))
        self.prev = sha256d(header)
        self.by_hash[self.prev] = header
        return header

    def message(self, count=HEADERS_PER_MESSAGE):
        return msg_headers([self.next() for _ in range(count)])


def headers_only(node):
    return sum(t["branchlen"] for t in node.getchaintips() if t["status"] == "headers-only")


class HeadersDosTest(HpipsTestFramework):
    def set_test_params(self):
        self.num_nodes = 1
        self.extra_args = [["-connect=0"]]

    def run_test(self):
        node = self.nodes[0]
        self.tip_hashes = node.generatetoaddress(5, Key().address)
        tip = node.getblockheader(self.tip_hashes[-1])
        self.bits = int(tip["bits"], 16)
        self.start_time = tip["time"] + 1
        # Forged headers come far ahead of real time; let the node's clock follow.
        node.setmocktime(self.start_time + 100_000)
        self.subtest("one peer stores at most 4,000 unverified headers", self.test_per_peer_bound)
        self.subtest("its block does not match: disconnected and discouraged", self.test_bad_block)
        self.subtest("many peers cannot exceed the headers-only cap", self.test_total_bound)
        self.subtest("non-continuous headers are a violation", self.test_non_continuous)
        self.subtest("too many unconnecting headers messages are a violation", self.test_unconnecting)
        self.subtest("an unrequested block with a mutated opening: sender punished, block not marked invalid",
                     self.test_unrequested_mutated_opening)
        self.subtest("an unrequested invalid block: sender disconnected and discouraged",
                     self.test_unrequested_invalid_block)
        self.subtest("the node kept its chain and serves it", self.test_still_serving)

    def test_per_peer_bound(self):
        node = self.nodes[0]
        self.honest = connect_peer(node, source_ip="127.0.0.1")
        self.attacker = connect_peer(node, source_ip="127.0.0.2")
        chain = ForgedChain(self.tip_hashes[-1], self.start_time, self.bits)
        self.attacker_chain = chain
        for _ in range(3):
            self.attacker.send_message(chain.message())
            self.attacker.sync_with_ping()
        assert_equal(headers_only(node), PER_PEER)
        assert_equal(node.getblockchaininfo()["headers"], 5 + PER_PEER)
        assert_equal(node.getbestblockhash(), self.tip_hashes[-1])
        peer = [p for p in node.getpeerinfo() if p["addr"].startswith("127.0.0.2")][0]
        assert_equal(peer["unverified_headers"], PER_PEER)
        # The node wants the forged blocks: it asked this peer for some.
        self.attacker.wait_for_message("getdata")

    def test_bad_block(self):
        node = self.nodes[0]
        wanted = self.attacker.last_message[b"getdata"].items[0][1]
        header = self.attacker_chain.by_hash[wanted]
        # Its header with an empty body: the body does not match the header.
        self.attacker.send_message(msg_block(header + ser_compact_size(0) + ser_compact_size(0)))
        self.attacker.wait_for_disconnect()
        wait_until(lambda: not any(p["addr"].startswith("127.0.0.2") for p in node.getpeerinfo()),
                   what="the attacker to be gone")
        assert self.honest.is_connected()
        # Discouraged: a new connection from the same address is refused.
        again = connect_peer(node, source_ip="127.0.0.2", handshake=False)
        again.wait_for_disconnect()
        # The block hash was not marked invalid (its body did not match).
        tips = {t["hash"]: t["status"] for t in node.getchaintips()}
        assert "invalid" not in tips.values()

    def test_total_bound(self):
        node = self.nodes[0]
        for i in range(6):
            peer = connect_peer(node, source_ip=f"127.0.1.{i + 1}")
            chain = ForgedChain(self.tip_hashes[-1], self.start_time + 7 * (i + 1), self.bits)
            for _ in range(2):
                peer.send_message(chain.message())
                peer.sync_with_ping()
            peer.close()
            assert headers_only(node) <= HEADERS_ONLY_CAP, headers_only(node)
        assert_equal(node.getbestblockhash(), self.tip_hashes[-1])

    def test_non_continuous(self):
        node = self.nodes[0]
        peer = connect_peer(node, source_ip="127.0.2.1")
        chain = ForgedChain(self.tip_hashes[-1], self.start_time + 99, self.bits)
        first = chain.next()
        chain.next()
        third = chain.next()  # skips the second
        peer.send_message(msg_headers([first, third]))
        peer.wait_for_disconnect()

    def test_unconnecting(self):
        node = self.nodes[0]
        peer = connect_peer(node, source_ip="127.0.2.2")
        for _ in range(11):
            orphan = ForgedChain("ab" * 32, self.start_time + 123, self.bits)
            if not peer.is_connected():
                break
            peer.send_message(orphan.message(1))
            try:
                peer.sync_with_ping(timeout=10)
            except AssertionError:
                break
        peer.wait_for_disconnect()

    def competing_block(self):
        """A valid block on the node's tip that the node has not seen yet,
        mined by a second node kept apart (same first five blocks)."""
        if not hasattr(self, "rival"):
            other = self.add_node(["-connect=0"])
            other.start()
            for block_hash in self.tip_hashes:
                other.submitblock(self.nodes[0].getblock(block_hash, 0))
            assert_equal(other.getbestblockhash(), self.tip_hashes[-1])
            rival_hash = other.generatetoaddress(1, Key().address)[0]
            self.rival = (rival_hash, bytes.fromhex(other.getblock(rival_hash, 0)))
            other.stop()
        return self.rival

    def test_unrequested_mutated_opening(self):
        node = self.nodes[0]
        rival_hash, raw = self.competing_block()
        mutated = raw[:-1] + bytes([raw[-1] ^ 1])  # the opening is the block's last field
        peer = connect_peer(node, source_ip="127.0.3.1")
        peer.send_message(msg_block(mutated))
        peer.wait_for_disconnect()
        again = connect_peer(node, source_ip="127.0.3.1", handshake=False)
        again.wait_for_disconnect()
        statuses = {t["hash"]: t["status"] for t in node.getchaintips()}
        assert statuses.get(rival_hash) != "invalid", statuses.get(rival_hash)
        # Not marked invalid: the real block from an honest peer extends the
        # tip (unrequested, but with more work than the tip).
        self.honest.send_message(msg_block(raw))
        self.honest.sync_with_ping()
        assert_equal(node.getbestblockhash(), rival_hash)
        self.tip_hashes.append(rival_hash)
        assert self.honest.is_connected()

    def test_unrequested_invalid_block(self):
        node = self.nodes[0]
        _, raw = self.competing_block()
        # Time 1 (1970): before the median time past, a consensus failure.
        invalid = raw[:68] + struct.pack("<I", 1) + raw[72:]
        peer = connect_peer(node, source_ip="127.0.3.2")
        peer.send_message(msg_block(invalid))
        peer.wait_for_disconnect()
        again = connect_peer(node, source_ip="127.0.3.2", handshake=False)
        again.wait_for_disconnect()
        assert_equal(node.getbestblockhash(), self.tip_hashes[-1])
        assert self.honest.is_connected()

    def test_still_serving(self):
        node = self.nodes[0]
        assert_equal(node.getbestblockhash(), self.tip_hashes[-1])
        before = self.honest.count("headers")
        self.honest.send_message(msg_getheaders([bytes.fromhex(node.getblockhash(0))[::-1]]))
        # (wait_until holds the peer's lock: read the counter directly)
        self.honest.wait_until(lambda: self.honest.message_count.get(b"headers", 0) > before, what="headers")
        assert_equal(len(self.honest.last_message[b"headers"].headers), len(self.tip_hashes))


if __name__ == "__main__":
    HeadersDosTest().main()
