#!/usr/bin/env python3
# Copyright (c) The HPIPS developers. Distributed under the MIT software license.
"""The wallet's RPC calls on a large wallet (issue 10, section 4), on a real
hpipsd: getbalance, getbalances, listunspent, listtransactions,
getnewaddress, listsinceblock from 1,000 blocks back, and sendtoaddress.

The wallet (created by the node from the BIP-39 test mnemonic) gets
--unspent real, spendable coins: a test key mines coinbases, and
transactions of 2,000 outputs each pay the wallet's receive addresses in one
block (createrawtransaction, signrawtransactionwithkey, generateblock).
Then 1,000 blocks are mined and, with the node stopped, --history real
transactions (each paying one receive key, already spent) are written into
its file, spread over those 1,000 blocks: the history a long-lived wallet
has, without mining for hours. Each call is timed end to end (raw HTTP,
request to the last reply byte, no client-side parsing), median of --repeat.

Usage: bench/wallet_rpc_bench.py --bindir build/bin [--unspent N] [--history N] [--repeat N]
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
from test_framework.key import Key  # noqa: E402
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


def fill(path, transactions, blocks):
    """Adds `transactions` confirmed and already spent transactions to the
    wallet file, each paying one of its receive keys, spread evenly over
    `blocks` [(height, display hash)]; the node is stopped meanwhile."""
    db = sqlite3.connect(path)
    keys = [row[0] for row in db.execute("SELECT xonly FROM keys WHERE branch = 0 ORDER BY idx")]
    rows_tx, rows_out = [], []
    for i in range(transactions):
        index = i % len(keys)
        height, display_hash = blocks[i * len(blocks) // transactions]
        block = bytes.fromhex(display_hash)[::-1]  # stored in internal byte order
        amount = 100_000_000 + i
        txid, raw = raw_transaction(i, keys[index], amount)
        rows_tx.append((txid, raw, 1_700_000_000 + i, block, height, 0, 0, 0, 0, None))
        spender = i.to_bytes(8, "little") + bytes(23) + b"\x03"
        rows_out.append((txid, 0, amount, keys[index], 0, index, height, 0, 0, 0, spender))
    db.executemany("INSERT INTO transactions (txid, raw, time, block_hash, block_height, block_time, in_mempool, "
                   "from_me, coinbase, fee) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows_tx)
    db.executemany("INSERT INTO outputs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows_out)
    db.commit()
    db.close()


OUTPUTS_PER_FUNDING_TX = 2_000


def fund(node, key, unspent):
    """Pays `unspent` real outputs to distinct receive addresses of the
    node's wallet, in transactions of OUTPUTS_PER_FUNDING_TX outputs spending
    coinbases of `key`, all in one block. Returns that block's height."""
    funding_txs = (unspent + OUTPUTS_PER_FUNDING_TX - 1) // OUTPUTS_PER_FUNDING_TX
    hashes = node.generatetoaddress(funding_txs + 100, key.address)
    addresses = [node.getnewaddress() for _ in range(min(unspent, OUTPUTS_PER_FUNDING_TX))]
    signed = []
    left = unspent
    for j in range(funding_txs):
        count = min(left, OUTPUTS_PER_FUNDING_TX)
        left -= count
        coinbase = node.getblock(hashes[j])["tx"][0]
        outputs = [{addresses[i]: "0.01000000"} for i in range(count)]
        raw = node.createrawtransaction([{"txid": coinbase, "vout": 0}], outputs)
        result = node.signrawtransactionwithkey(raw, [key.wif])
        assert result["complete"], result
        signed.append(result["hex"])
    node.generateblock(key.address, signed)
    return node.getblockcount()
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
    parser.add_argument("--unspent", type=int, default=50_000)
    parser.add_argument("--history", type=int, default=50_000)
    parser.add_argument("--blocks", type=int, default=1_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="hpips_wallet_bench_")
    node = None
    try:
        node = TestNode(0, tmp, os.path.abspath(args.bindir), get_free_port(),
                        ["-connect=0", f"-keypool={OUTPUTS_PER_FUNDING_TX}"])
        key = Key()
        start = time.perf_counter()
        node.start()
        node.createwallet(wallet_name="big", mnemonic=MNEMONIC)
        funded_at = fund(node, key, args.unspent)
        hashes = node.generatetoaddress(args.blocks, key.address)
        since = node.getblockhash(funded_at)
        node.stop()
        blocks = [(funded_at + 1 + i, h) for i, h in enumerate(hashes)]
        fill(os.path.join(node.net_dir, "wallets", "big", "wallet.dat"), args.history, blocks)
        print(f"wallet of {args.unspent + args.history + 1} transactions, {args.unspent} unspent outputs, "
              f"built in {time.perf_counter() - start:.1f} s")
        start = time.perf_counter()
        node.start(["-wallet=big"])
        print(f"node started with the wallet loaded in {time.perf_counter() - start:.1f} s")
        auth = basic_auth(*node.read_cookie())

        def raw_call(method, params):
            body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": method, "params": params})
            status, _, data = http_post(node.rpc_port, body, auth=auth)
            assert status == 200, (status, data[:200])
            return data

        calls = [("getbalance", []), ("getbalances", []), ("listunspent", []), ("listtransactions", []),
                 ("getnewaddress", []), ("listsinceblock", [since]), ("sendtoaddress", [key.address, "0.5"])]
        print(f"{'call':<34} {'median ms':>10}")
        for method, params in calls:
            ms, data = timed(lambda: raw_call(method, params), args.repeat)
            result = json.loads(data)["result"]
            if isinstance(result, dict) and "transactions" in result:
                result = result["transactions"]
            extra = f"  ({len(result)} entries, {len(data)} bytes)" if isinstance(result, list) else ""
            print(f"{method:<34} {ms:>10.1f}{extra}")
        node.stop()
    finally:
        if node is not None and node.running():
            node.kill()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
