#!/usr/bin/env python3
# Copyright (c) The HPIPS developers. Distributed under the MIT software license.
"""Headers-first sync and block relay between real nodes on loopback.

- A 2,100-block chain mined on node 0 syncs from genesis to node 1 and, in
  a line 0 - 1 - 2, to node 2; the UTXO sets hash the same everywhere and
  getpeerinfo shows the sync fields.
- A block mined on node 0 reaches node 2 through node 1 (the latency is
  printed, never asserted).
- A partition (node 2 cut off with disconnectnode) where both sides mine,
  then reconnection: every node ends on the side with more work, with
  identical gettxoutsetinfo; the other side's blocks are a valid fork.
- A restarted node comes back to its peers and catches up.
"""
import time

from test_framework.key import Key
from test_framework.test_framework import HpipsTestFramework
from test_framework.util import assert_equal, wait_until

CHAIN_LENGTH = 2_100
UTXO_FIELDS = ("height", "bestblock", "txouts", "hash_serialized", "total_amount")


def utxo(node):
    info = node.gettxoutsetinfo()
    return {field: info[field] for field in UTXO_FIELDS}


class SyncTest(HpipsTestFramework):
    def set_test_params(self):
        self.num_nodes = 0

    def run_test(self):
        self.key = Key()
        self.n0 = self.add_node(["-connect=0"])
        self.n1 = self.add_node()
        self.n2 = self.add_node()
        self.n0.start()
        self.subtest(f"node 0 mines {CHAIN_LENGTH} blocks", self.test_mine)
        self.subtest("node 1 syncs them from genesis", self.test_initial_sync)
        self.subtest("node 2 syncs through node 1 (a line)", self.test_line)
        self.subtest("a new block crosses the line", self.test_propagation)
        self.subtest("a partition heals to the side with more work", self.test_partition)
        self.subtest("a restarted node rejoins and catches up", self.test_restart)

    def wait_synced(self, nodes, timeout=600):
        def same_tip():
            return len({n.getbestblockhash() for n in nodes}) == 1
        wait_until(same_tip, timeout=timeout, what="the nodes to share a tip")

    def test_mine(self):
        start = time.time()
        left = CHAIN_LENGTH
        while left > 0:
            left -= len(self.n0.generatetoaddress(min(left, 500), self.key.address))
        assert_equal(self.n0.getblockcount(), CHAIN_LENGTH)
        self.log(f"  mined {CHAIN_LENGTH} blocks in {time.time() - start:.1f} s")

    def test_initial_sync(self):
        start = time.time()
        self.n1.start([f"-addnode=127.0.0.1:{self.n0.p2p_port}"])
        assert_equal(self.n1.getblockchaininfo()["initialblockdownload"], True)
        self.wait_synced([self.n0, self.n1])
        elapsed = time.time() - start
        self.log(f"  node 1 synced {CHAIN_LENGTH} blocks in {elapsed:.1f} s ({CHAIN_LENGTH / elapsed:.0f} blocks/s)")
        assert_equal(utxo(self.n0), utxo(self.n1))
        info = self.n1.getblockchaininfo()
        assert_equal(info["initialblockdownload"], False)
        assert_equal(info["headers"], CHAIN_LENGTH)
        peer = self.n1.getpeerinfo()[0]
        assert_equal(peer["synced_headers"], CHAIN_LENGTH)
        assert_equal(peer["synced_blocks"], CHAIN_LENGTH)
        assert_equal(peer["inflight"], [])
        assert_equal(peer["unverified_headers"], 0)

    def test_line(self):
        self.n2.start(["-connect=0"])
        self.n2.addnode(f"127.0.0.1:{self.n1.p2p_port}", "add")
        self.wait_synced([self.n0, self.n1, self.n2])
        assert_equal(utxo(self.n0), utxo(self.n2))

    def test_propagation(self):
        latencies = []
        for _ in range(5):
            start = time.time()
            tip = self.n0.generatetoaddress(1, self.key.address)[0]
            mined = time.time()
            wait_until(lambda: self.n2.getbestblockhash() == tip, timeout=60, what="the block at node 2")
            latencies.append(time.time() - mined)
            assert start <= mined
        self.log("  node 0 -> node 2 (two hops) latency: " +
                 ", ".join(f"{1000 * l:.0f} ms" for l in latencies))
        self.wait_synced([self.n0, self.n1, self.n2])

    def test_partition(self):
        # Cut node 2 off: forget it as an added node first so nothing reconnects.
        self.n2.addnode(f"127.0.0.1:{self.n1.p2p_port}", "remove")
        self.n2.disconnectnode(f"127.0.0.1:{self.n1.p2p_port}")
        wait_until(lambda: self.n2.getconnectioncount() == 0, what="node 2 to be alone")
        wait_until(lambda: self.n1.getconnectioncount() == 1, what="node 1 to see only node 0")
        fork_height = self.n0.getblockcount()
        short_side = self.n0.generatetoaddress(3, Key().address)
        self.wait_synced([self.n0, self.n1])
        long_side = self.n2.generatetoaddress(5, Key().address)
        assert_equal(self.n2.getblockcount(), fork_height + 5)
        assert_equal(self.n1.getbestblockhash(), short_side[-1])
        # Heal: node 2 connects to node 1 again; everyone reorganises to node 2's side.
        self.n2.addnode(f"127.0.0.1:{self.n1.p2p_port}", "add")
        self.wait_synced([self.n0, self.n1, self.n2])
        for node in (self.n0, self.n1, self.n2):
            assert_equal(node.getbestblockhash(), long_side[-1])
        assert_equal(utxo(self.n0), utxo(self.n2))
        assert_equal(utxo(self.n1), utxo(self.n2))
        tips = {t["hash"]: t for t in self.n0.getchaintips()}
        assert_equal(tips[short_side[-1]]["status"], "valid-fork")
        assert_equal(tips[short_side[-1]]["branchlen"], 3)

    def test_restart(self):
        self.n1.stop()
        more = self.n0.generatetoaddress(4, self.key.address)
        self.n1.start([f"-addnode=127.0.0.1:{self.n0.p2p_port}"])
        self.wait_synced([self.n0, self.n1, self.n2])
        assert_equal(self.n2.getbestblockhash(), more[-1])


if __name__ == "__main__":
    SyncTest().main()
