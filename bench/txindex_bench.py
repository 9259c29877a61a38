#!/usr/bin/env python3
# Copyright (c) The HPIPS developers. Distributed under the MIT software license.
"""-txindex build benchmark (run by contrib/bench.sh): a real hpipsd mines a
BLOCKS-block regtest chain without the index, restarts with -txindex, and
the time the index takes to catch up is read from the node's own log line
("txindex is enabled at height N (K blocks indexed in M ms)"), so process
start and RPC polling are not counted. Prints blocks/s and transactions/s.

The blocks hold only their coinbase (mining spends would take far longer
than the measurement), so the figure is dominated by per-block work: reading
the block back from the block files, one LevelDB put per transaction, and a
batch write per 1,000 blocks. Figures are printed, never asserted. Usage:
  bench/txindex_bench.py --bindir build-bench/bin [--blocks 10000]
"""
import argparse
import os
import re
import shutil
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "functional"))
from test_framework.key import Key  # noqa: E402
from test_framework.test_node import TestNode  # noqa: E402
from test_framework.util import get_free_port, wait_until  # noqa: E402

ENABLED = re.compile(r"txindex is enabled at height (\d+) \((\d+) blocks indexed in (\d+) ms\)")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bindir", required=True)
    parser.add_argument("--blocks", type=int, default=10_000)
    options = parser.parse_args()
    tmpdir = tempfile.mkdtemp(prefix="hpips_txindex_bench_")
    key = Key()
    node = TestNode(0, tmpdir, os.path.abspath(options.bindir), get_free_port(), ["-connect=0"])
    try:
        node.start()
        # Block times would run ahead of the real clock: follow the tip (as p2p_bench.py).
        node.setmocktime(node.getblockheader(node.getblockhash(0))["time"] + 1)
        start = time.time()
        count = options.blocks
        while count > 0:
            node.setmocktime(node.getblockheader(node.getbestblockhash())["time"])
            count -= len(node.generatetoaddress(min(count, 500), key.address))
        print(f"mined {options.blocks} blocks in {time.time() - start:.1f} s", flush=True)
        # Every block holds only its coinbase.
        txs = node.getblockheader(node.getbestblockhash())["nTx"]
        node.stop()
        node.start(["-txindex"])
        wait_until(lambda: node.getindexinfo().get("txindex", {}).get("synced"), timeout=3600,
                   what="the index to catch up")
        match = ENABLED.search(node.debug_log())
        node.stop()
        assert match, "no 'txindex is enabled' line in debug.log"
        blocks, millis = int(match.group(2)), max(1, int(match.group(3)))
        print(f"-txindex build over {blocks} blocks ({txs} tx per block): {millis / 1000:.2f} s, "
              f"{blocks * 1000 / millis:.0f} blocks/s, {blocks * txs * 1000 / millis:.0f} tx/s", flush=True)
    finally:
        if node.running():
            node.kill()
        shutil.rmtree(tmpdir, ignore_errors=True)


if __name__ == "__main__":
    main()
