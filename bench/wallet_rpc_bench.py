#!/usr/bin/env python3
# Copyright (c) The HPIPS developers. Distributed under the MIT software license.
"""getbalance, getbalances, listunspent and listtransactions through RPC on a
large wallet (issue 10, section 4), on a real hpipsd.

The node creates the wallet from the BIP-39 test mnemonic; then (no mining)
its file gets TRANSACTIONS real transactions each paying one of its receive
keys, the first SPENT of them spent, all confirmed at height 0 of a fresh
regtest chain. The node loads it with -wallet= and
the script times each call end to end (HTTP, JSON), median of --repeat runs.

Usage: bench/wallet_rpc_bench.py --bindir build/bin [--transactions N] [--spent N] [--repeat N]
"""
import argparse
import hashlib
import struct
import os
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "functional"))
from test_framework.test_node import TestNode  # noqa: E402
import json  # noqa: E402

from test_framework.util import basic_auth, get_free_port, http_post  # noqa: E402

# BIP-39's first test vector: valid, well known, never to hold real coins.
MNEMONIC = "abandon " * 11 + "about"


def compact(n):
    return bytes([n]) if n < 253 else b"\xfd" + struct.pack("<H", n)


def raw_transaction(i, xonly, amount):
    """A real HPIPS transaction (doc/transactions.md): one input, one KEY
    output, a 64-byte witness. Returns (txid bytes, wire form)."""
    prevout = hashlib.sha256(struct.pack("<Q", i)).digest() + struct.pack("<I", 0)
    body = (struct.pack("<I", 1) + compact(1) + prevout + struct.pack("<I", 0xFFFFFFFF) + compact(1) +
            struct.pack("<q", amount) + b"\x01" + compact(32) + xonly + struct.pack("<I", 0))
    txid = hashlib.sha256(hashlib.sha256(body).digest()).digest()
    return txid, body + compact(64) + bytes(64)


def fill(path, transactions, spent):
    """Adds `transactions` confirmed transactions at height 0 to the wallet
    file, each paying one of its receive keys, the first `spent` of them
    spent; the node is stopped meanwhile."""
    db = sqlite3.connect(path)
    keys = [row[0] for row in db.execute("SELECT xonly FROM keys WHERE branch = 0 ORDER BY idx")]
    block = bytes(32)
    rows_tx, rows_out = [], []
    for i in range(transactions):
        index = i % len(keys)
        amount = 100_000_000 + i
        txid, raw = raw_transaction(i, keys[index], amount)
        rows_tx.append((txid, raw, 1_700_000_000 + i, block, 0, 0, 0, 0, 0, None))
        spender = (i.to_bytes(8, "little") + bytes(23) + b"\x03") if i < spent else None
        rows_out.append((txid, 0, amount, keys[index], 0, index, 0, 0, 0, 0, spender))
    db.executemany("INSERT INTO transactions (txid, raw, time, block_hash, block_height, block_time, in_mempool, "
                   "from_me, coinbase, fee) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows_tx)
    db.executemany("INSERT INTO outputs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows_out)
    db.execute("UPDATE keys SET issued = 1 WHERE branch = 0")
    db.commit()
    db.close()


def timed(fn, repeat):
    times = []
    result = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), result


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bindir", required=True)
    parser.add_argument("--transactions", type=int, default=100_000)
    parser.add_argument("--spent", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="hpips_wallet_bench_")
    node = None
    try:
        node = TestNode(0, tmp, os.path.abspath(args.bindir), get_free_port(), ["-connect=0"])
        # The node creates the wallet (its keys come from the mnemonic), then
        # the transactions are written into its file directly.
        node.start()
        node.createwallet(wallet_name="big", mnemonic=MNEMONIC)
        node.stop()
        start = time.perf_counter()
        fill(os.path.join(node.net_dir, "wallets", "big", "wallet.dat"), args.transactions, args.spent)
        print(f"generated {args.transactions} transactions, {args.transactions - args.spent} unspent outputs "
              f"in {time.perf_counter() - start:.1f} s")
        start = time.perf_counter()
        node.start(["-wallet=big"])
        print(f"node started with the wallet loaded in {time.perf_counter() - start:.1f} s")
        # Raw HTTP: the time includes the request and the JSON reply on the
        # wire, not the client's parsing of it.
        auth = basic_auth(*node.read_cookie())

        def raw_call(method):
            body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": method, "params": []})
            status, _, data = http_post(node.rpc_port, body, auth=auth)
            assert status == 200, (status, data[:200])
            return data

        print(f"{'call':<34} {'median ms':>10}")
        for method in ("getbalance", "getbalances", "listunspent", "listtransactions", "getnewaddress"):
            ms, data = timed(lambda: raw_call(method), args.repeat)
            result = json.loads(data)["result"]
            extra = f"  ({len(result)} entries, {len(data)} bytes)" if isinstance(result, list) else ""
            print(f"{method:<34} {ms:>10.1f}{extra}")
        node.stop()
    finally:
        if node is not None and node.running():
            node.kill()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
