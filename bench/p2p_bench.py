#!/usr/bin/env python3
# Copyright (c) The HPIPS developers. Distributed under the MIT software license.
"""P2P benchmark: real hpipsd processes on loopback (run by contrib/bench.sh).

1. Initial sync of a BLOCKS-block regtest chain from one node to a fresh one
   over P2P, against the baseline: `-reindex` of the same chain on the same
   machine, in the same run. Prints blocks/s of each and the ratio (goal of
   issue 9: P2P >= 0.8x reindex).
2. Propagation latency of one block across 5 nodes in a line (4 hops):
   median and maximum of LATENCY_ROUNDS blocks.
3. Memory of a node with 125 connected idle peers: resident set size
   before and after, and per peer.

Figures are printed, never asserted. Usage:
  bench/p2p_bench.py --bindir build-bench/bin [--blocks 10000]
"""
import argparse
import os
import statistics
import sys
import tempfile
import shutil
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "functional"))
from test_framework.key import Key  # noqa: E402
from test_framework.p2p import connect_peer  # noqa: E402
from test_framework.test_node import TestNode  # noqa: E402
from test_framework.util import get_free_port, wait_until  # noqa: E402

LATENCY_ROUNDS = 20
IDLE_PEERS = 125


def rss_kib(node):
    with open(f"/proc/{node.process.pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


class Bench:
    def __init__(self, bindir, tmpdir, blocks):
        self.bindir = bindir
        self.tmpdir = tmpdir
        self.blocks = blocks
        self.nodes = []
        self.key = Key()

    def node(self, extra_args=None):
        node = TestNode(len(self.nodes), self.tmpdir, self.bindir, get_free_port(), extra_args)
        self.nodes.append(node)
        return node

    def mine(self, node, count, follow_tip=False):
        while count > 0:
            if follow_tip:
                # The clock follows the tip, so the next 500 are never too far ahead.
                node.setmocktime(node.getblockheader(node.getbestblockhash())["time"])
            count -= len(node.generatetoaddress(min(count, 500), self.key.address))

    def sync_vs_reindex(self):
        source = self.node(["-connect=0"])
        source.start()
        # Mined faster than one a second, block times run ahead of the real
        # clock (a second apart at least) and would end up too far in the
        # future: the source's clock starts at genesis and follows the tip, so
        # the chain lies in the past for every node.
        genesis_time = source.getblockheader(source.getblockhash(0))["time"]
        source.setmocktime(genesis_time + 1)
        start = time.time()
        self.mine(source, self.blocks, follow_tip=True)
        print(f"mined {self.blocks} blocks in {time.time() - start:.1f} s", flush=True)
        tip = source.getbestblockhash()

        fresh = self.node()
        start = time.time()
        fresh.start([f"-connect=127.0.0.1:{source.p2p_port}"])
        wait_until(lambda: fresh.getbestblockhash() == tip, timeout=3600, what="the P2P sync")
        p2p_seconds = time.time() - start
        fresh.stop()

        source.stop()
        start = time.time()
        source.start(["-reindex"])
        wait_until(lambda: source.getbestblockhash() == tip, timeout=3600, what="the reindex")
        reindex_seconds = time.time() - start
        source.stop()

        p2p_rate = self.blocks / p2p_seconds
        reindex_rate = self.blocks / reindex_seconds
        print(f"initial sync over P2P:  {p2p_seconds:7.2f} s  {p2p_rate:8.0f} blocks/s")
        print(f"-reindex (baseline):    {reindex_seconds:7.2f} s  {reindex_rate:8.0f} blocks/s")
        print(f"ratio P2P / reindex:    {p2p_rate / reindex_rate:.2f}x (goal >= 0.8x)", flush=True)

    def propagation(self):
        line = [self.node(["-connect=0"]) for _ in range(5)]
        for node in line:
            node.start()
        for left, right in zip(line, line[1:]):
            right.addnode(f"127.0.0.1:{left.p2p_port}", "onetry")
        wait_until(lambda: all(n.getconnectioncount() >= (1 if i in (0, 4) else 2) for i, n in enumerate(line)),
                   what="the line to connect")
        latencies = []
        for _ in range(LATENCY_ROUNDS):
            tip = line[0].generatetoaddress(1, self.key.address)[0]
            mined = time.time()
            wait_until(lambda: line[4].getbestblockhash() == tip, timeout=60, interval=0.005,
                       what="the block at the end")
            latencies.append(time.time() - mined)
        print(f"propagation across 5 nodes (4 hops), {LATENCY_ROUNDS} blocks: "
              f"median {1000 * statistics.median(latencies):.0f} ms, max {1000 * max(latencies):.0f} ms "
              f"(includes RPC polling at the last node)", flush=True)
        for node in line:
            node.stop()

    def idle_peers(self):
        node = self.node(["-connect=0", f"-maxconnections={IDLE_PEERS + 10}"])
        node.start()
        time.sleep(1)
        before = rss_kib(node)
        peers = [connect_peer(node, source_ip=f"127.0.{1 + i // 200}.{1 + i % 200}") for i in range(IDLE_PEERS)]
        wait_until(lambda: node.getconnectioncount() == IDLE_PEERS, what="every peer")
        time.sleep(2)
        after = rss_kib(node)
        print(f"memory with {IDLE_PEERS} idle peers: {after / 1024:.1f} MiB resident "
              f"(+{(after - before) / 1024:.1f} MiB, {(after - before) / IDLE_PEERS:.0f} KiB per peer; "
              f"{before / 1024:.1f} MiB before)", flush=True)
        for peer in peers:
            peer.close()
        node.stop()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bindir", required=True)
    parser.add_argument("--blocks", type=int, default=10_000)
    options = parser.parse_args()
    tmpdir = tempfile.mkdtemp(prefix="hpips_p2p_bench_")
    bench = Bench(os.path.abspath(options.bindir), tmpdir, options.blocks)
    try:
        bench.sync_vs_reindex()
        bench.propagation()
        bench.idle_peers()
    finally:
        for node in bench.nodes:
            if node.running():
                node.kill()
        shutil.rmtree(tmpdir, ignore_errors=True)


if __name__ == "__main__":
    main()
