#!/usr/bin/env python3
# Copyright (c) The HPIPS developers. Distributed under the MIT software license.
"""A system failure stops the node cleanly instead of wedging it (Core's
AbortNode), and equal-work tips keep their order across restarts.

Three unconnected nodes; blocks are carried with getblock <hash> 0 +
submitblock. A mines 10 blocks, B mines 11 others from genesis.
- Equal work: A gets B's first 10 blocks (A's own tip stays, first seen), C
  gets B's 10 first and then A's 10 (B's stays); after restarts each keeps
  the tip it had (doc/chainstate.md, "Chain selection").
- Corrupt undo data: one byte of A's blocks/rev00000.dat is flipped; after a
  restart B's 11th block makes A reorganise, which needs that undo data. A
  must exit with status 1 and a message on stderr naming the file and
  -reindex, never go on failing every later block with an empty `warnings`.
  Nothing is marked invalid; after -reindex A follows B's chain.
"""
import os

from test_framework.key import Key
from test_framework.test_framework import HpipsTestFramework
from test_framework.util import assert_equal, assert_in

A_BLOCKS = 10
B_BLOCKS = 11


class AbortNodeTest(HpipsTestFramework):
    def set_test_params(self):
        self.num_nodes = 3

    def feed(self, source, target, hashes):
        return [target.submitblock(source.getblock(h, 0)) for h in hashes]

    def run_test(self):
        self.subtest("two chains mined apart", self.test_mine)
        self.subtest("equal-work tips keep their order across restarts", self.test_tie_across_restart)
        self.subtest("corrupt undo data stops the node with a clear message", self.test_corrupt_undo)
        self.subtest("-reindex repairs it and the node follows the longer chain", self.test_reindex)

    def test_mine(self):
        a, b, _ = self.nodes
        self.a_hashes = a.generatetoaddress(A_BLOCKS, Key().address)
        self.b_hashes = b.generatetoaddress(B_BLOCKS, Key().address)
        assert self.a_hashes[0] != self.b_hashes[0]

    def test_tie_across_restart(self):
        a, b, c = self.nodes
        # B's blocks are a side branch of at most equal work: stored, not the tip.
        assert_equal(self.feed(b, a, self.b_hashes[:A_BLOCKS]), ["inconclusive"] * A_BLOCKS)
        assert_equal(a.getbestblockhash(), self.a_hashes[-1])
        self.feed(b, c, self.b_hashes[:A_BLOCKS])
        self.feed(a, c, self.a_hashes)
        assert_equal(c.getbestblockhash(), self.b_hashes[A_BLOCKS - 1])
        for _ in range(2):
            a.restart()
            c.restart()
            assert_equal(a.getbestblockhash(), self.a_hashes[-1])
            assert_equal(c.getbestblockhash(), self.b_hashes[A_BLOCKS - 1])

    def test_corrupt_undo(self):
        a, b, _ = self.nodes
        a.stop()
        rev = os.path.join(a.net_dir, "blocks", "rev00000.dat")
        with open(rev, "r+b") as f:
            f.seek(-1, os.SEEK_END)
            last = f.read(1)
            f.seek(-1, os.SEEK_END)
            f.write(bytes([last[0] ^ 0x01]))
        a.start()
        assert_equal(a.getbestblockhash(), self.a_hashes[-1])
        # The reorg to B's 11th block must disconnect A's tip: its undo record is the damaged one.
        try:
            a.submitblock(b.getblock(self.b_hashes[-1], 0))
        except Exception:  # noqa: BLE001 - the node may close the connection as it stops
            pass
        code, stderr = a.wait_until_stopped(expected_ret_code=None)
        assert_equal(code, 1)
        assert_in("rev00000.dat", stderr)
        assert_in("-reindex", stderr)
        assert_in("Corrupt undo data", a.debug_log())

    def test_reindex(self):
        a, b, _ = self.nodes
        a.start(["-reindex"])
        assert_equal(a.getbestblockhash(), self.b_hashes[-1])
        assert_equal([t["status"] for t in a.getchaintips() if t["status"] == "invalid"], [])
        assert_equal(a.gettxoutsetinfo()["hash_serialized"], b.gettxoutsetinfo()["hash_serialized"])
        a.restart()  # without -reindex: the repaired state stays
        assert_equal(a.getbestblockhash(), self.b_hashes[-1])


if __name__ == "__main__":
    AbortNodeTest().main()
