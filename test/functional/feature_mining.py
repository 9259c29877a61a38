#!/usr/bin/env python3
# Copyright (c) The HPIPS developers. Distributed under the MIT software license.
"""Mining on regtest: generatetoaddress builds a 200-block chain paying a key
the test derived itself (test_framework/key.py, cross-checked with
validateaddress); getblockchaininfo, getblockhash, getblockheader (with the
pouw object), getblock at every verbosity, gettxoutsetinfo and getmininginfo
describe it consistently; the built-in miner (-mine) extends the chain, stops
cleanly, and the chain persists over a restart without -mine."""
import os
import sys
import time
from decimal import Decimal

from test_framework.key import Key
from test_framework.test_framework import HpipsTestFramework
from test_framework.util import assert_equal, assert_greater_than_or_equal, assert_in, wait_until

CHAIN_LENGTH = 200
SUBSIDY = Decimal("50.00000000")
HEADER_SIZE = 184
MEDIAN_TIME_SPAN = 11
MINE_TARGET_HEIGHT = 5


def is_hex(text, length=None):
    try:
        bytes.fromhex(text)
    except (TypeError, ValueError):
        return False
    return text == text.lower() and (length is None or len(text) == length)


class MiningTest(HpipsTestFramework):
    def set_test_params(self):
        self.num_nodes = 1

    def run_test(self):
        self.key = Key()
        self.hashes = []
        self.subtest("validateaddress accepts the test's own address", self.test_validateaddress)
        self.subtest("generatetoaddress 200", self.test_generate)
        self.subtest("getblockhash and getbestblockhash", self.test_blockhash)
        self.subtest("getblockchaininfo", self.test_blockchaininfo)
        self.subtest("getblockheader with the pouw object", self.test_blockheader)
        self.subtest("getblock verbosity 0, 1 and 2 agree", self.test_getblock)
        self.subtest("gettxoutsetinfo", self.test_txoutsetinfo)
        self.subtest("getmininginfo", self.test_mininginfo)
        self.subtest("-mine extends the chain; the chain persists without -mine", self.test_builtin_miner)
        self.subtest("-mine without -mineraddress keeps its key in the data directory", self.test_miner_key_file)

    def test_validateaddress(self):
        info = self.nodes[0].validateaddress(self.key.address)
        assert_equal(info["isvalid"], True)
        assert_equal(info["address"], self.key.address)
        assert_equal(info["witness_version"], 1)
        assert_equal(info["witness_program"], self.key.xonly.hex())
        # Destination hex: kind 1 (key), length 32, the key.
        assert_equal(info["scriptPubKey"], "0120" + self.key.xonly.hex())
        # One changed character breaks the checksum.
        last = self.key.address[-1]
        typo = self.key.address[:-1] + ("q" if last != "q" else "p")
        assert_equal(self.nodes[0].validateaddress(typo)["isvalid"], False)

    def test_generate(self):
        node = self.nodes[0]
        assert_equal(node.getblockcount(), 0)
        started = time.time()
        self.hashes = node.generatetoaddress(CHAIN_LENGTH, self.key.address)
        self.log(f"  generated {CHAIN_LENGTH} blocks in {time.time() - started:.1f} s")
        assert_equal(len(self.hashes), CHAIN_LENGTH)
        assert_equal(len(set(self.hashes)), CHAIN_LENGTH)
        assert all(is_hex(h, 64) for h in self.hashes)
        assert_equal(node.getblockcount(), CHAIN_LENGTH)
        assert_equal(node.generatetoaddress(0, self.key.address), [])

    def test_blockhash(self):
        node = self.nodes[0]
        assert_equal(node.getbestblockhash(), self.hashes[-1])
        for height in (1, 2, 100, CHAIN_LENGTH):
            assert_equal(node.getblockhash(height), self.hashes[height - 1])
        genesis = node.getblockhash(0)
        assert genesis not in self.hashes
        assert_equal(node.getblockheader(self.hashes[0])["previousblockhash"], genesis)
        assert "previousblockhash" not in node.getblockheader(genesis)

    def test_blockchaininfo(self):
        node = self.nodes[0]
        info = node.getblockchaininfo()
        assert_equal(info["chain"], "regtest")
        assert_equal(info["blocks"], CHAIN_LENGTH)
        assert_equal(info["headers"], CHAIN_LENGTH)
        assert_equal(info["bestblockhash"], self.hashes[-1])
        assert_equal(info["difficulty"], 1)
        assert_equal(info["initialblockdownload"], False)
        assert_equal(info["verificationprogress"], 1)
        assert_equal(info["pruned"], False)
        assert_equal(info["warnings"], "")
        assert is_hex(info["chainwork"]) and len(info["chainwork"]) >= 64
        # Regtest work is one unit per block, genesis included.
        assert_equal(int(info["chainwork"], 16), CHAIN_LENGTH + 1)
        tip = node.getblockheader(self.hashes[-1])
        assert_equal(info["time"], tip["time"])
        assert_equal(info["mediantime"], tip["mediantime"])
        times = sorted(node.getblockheader(h)["time"] for h in self.hashes[-MEDIAN_TIME_SPAN:])
        assert_equal(tip["mediantime"], times[MEDIAN_TIME_SPAN // 2])
        assert_equal(tip["chainwork"], info["chainwork"])

    def test_blockheader(self):
        node = self.nodes[0]
        for height in (1, 150, CHAIN_LENGTH):
            block_hash = self.hashes[height - 1]
            header = node.getblockheader(block_hash)
            assert_equal(header, node.getblockheader(block_hash, True))
            assert_equal(header["hash"], block_hash)
            assert_equal(header["height"], height)
            assert_equal(header["confirmations"], CHAIN_LENGTH - height + 1)
            assert_equal(header["versionHex"], "%08x" % header["version"])
            assert_equal(header["bits"], "2100ffff")
            assert_equal(header["nTx"], 1)
            assert is_hex(header["merkleroot"], 64)
            if height < CHAIN_LENGTH:
                assert_equal(header["nextblockhash"], self.hashes[height])
            else:
                assert "nextblockhash" not in header
            if height > 1:
                assert_equal(header["previousblockhash"], self.hashes[height - 2])
            pouw = header["pouw"]
            assert_equal(sorted(pouw), ["miner_key", "nonce", "state", "tile_index", "unit_id"])
            # Blocks are proven with the payout key: generatetoaddress mines with it.
            assert_equal(pouw["miner_key"], self.key.xonly.hex())
            assert_equal(pouw["nonce"], header["nonce"])
            assert is_hex(pouw["unit_id"], 64) and is_hex(pouw["state"], 64)
            assert isinstance(pouw["tile_index"], int) and pouw["tile_index"] >= 0
            raw = node.getblockheader(block_hash, False)
            assert is_hex(raw, 2 * HEADER_SIZE)
        # Distinct blocks have distinct proofs.
        states = {node.getblockheader(h)["pouw"]["state"] for h in self.hashes[:20]}
        assert_equal(len(states), 20)

    def test_getblock(self):
        node = self.nodes[0]
        for height in (1, 101, CHAIN_LENGTH):
            block_hash = self.hashes[height - 1]
            raw = node.getblock(block_hash, 0)
            assert is_hex(raw)
            assert_equal(raw, node.getblock(block_hash, False))
            assert raw.startswith(node.getblockheader(block_hash, False))
            v1 = node.getblock(block_hash)
            assert_equal(v1, node.getblock(block_hash, 1), node.getblock(block_hash, True))
            v2 = node.getblock(block_hash, 2)
            assert_equal(v2, node.getblock(block_hash, 3))
            header = node.getblockheader(block_hash)
            for field, value in header.items():
                assert_equal(v1[field], value)
                assert_equal(v2[field], value)
            assert_equal(v1["size"], len(raw) // 2)
            assert_equal(v1["weight"], v1["size"])
            assert v1["strippedsize"] < v1["size"]
            assert v1["opening_size"] > 0
            assert_equal(len(v1["tx"]), header["nTx"])
            assert_equal(v1["tx"], [tx["txid"] for tx in v2["tx"]])
            for field in ("size", "strippedsize", "weight", "opening_size"):
                assert_equal(v2[field], v1[field])
            coinbase = v2["tx"][0]
            assert_in("coinbase", coinbase["vin"][0])
            assert_equal(len(coinbase["vout"]), 1)
            assert_equal(coinbase["vout"][0]["value"], SUBSIDY)
            assert_equal(coinbase["vout"][0]["scriptPubKey"]["address"], self.key.address)
            assert_equal(coinbase["vout"][0]["scriptPubKey"]["type"], "witness_v1_taproot")
            # The transaction hex sits inside the block hex; decoding it gives the same object.
            assert_in(coinbase["hex"], raw)
            decoded = node.decoderawtransaction(coinbase["hex"])
            for field, value in decoded.items():
                assert_equal(coinbase[field], value)

    def test_txoutsetinfo(self):
        node = self.nodes[0]
        info = node.gettxoutsetinfo()
        assert_equal(info["height"], CHAIN_LENGTH)
        assert_equal(info["bestblock"], self.hashes[-1])
        # The genesis coinbase is not spendable, so not in the set.
        assert_equal(info["txouts"], CHAIN_LENGTH)
        assert_equal(info["transactions"], CHAIN_LENGTH)
        assert_equal(info["total_amount"], Decimal("10000.00000000"))
        assert_equal(str(info["total_amount"]), "10000.00000000")
        assert is_hex(info["hash_serialized"], 64)
        assert_equal(node.gettxoutsetinfo(), info)
        # Every coinbase output is in the set; the genesis one is not.
        coinbase = node.getblock(self.hashes[41], 1)["tx"][0]
        out = node.gettxout(coinbase, 0)
        assert_equal(out["value"], SUBSIDY)
        assert_equal(out["coinbase"], True)
        assert_equal(out["confirmations"], CHAIN_LENGTH - 42 + 1)
        genesis_coinbase = node.getblock(node.getblockhash(0), 1)["tx"][0]
        assert_equal(node.gettxout(genesis_coinbase, 0), None)

    def test_mininginfo(self):
        node = self.nodes[0]
        info = node.getmininginfo()
        assert_equal(info["blocks"], CHAIN_LENGTH)
        assert_equal(info["difficulty"], 1)
        assert_equal(info["chain"], "regtest")
        assert_equal(info["pooledtx"], 0)
        assert_equal(info["warnings"], "")
        assert isinstance(info["networkhashps"], int) and info["networkhashps"] > 0
        assert_equal(info["networkmacps"], info["networkhashps"] * 64 * 64 * 4096)
        assert "miner" not in info  # no built-in miner on this node

    def test_builtin_miner(self):
        key = Key()
        node = self.add_node(["-mine", "-minerthreads=1", f"-mineraddress={key.address}"])
        node.start()
        wait_until(lambda: node.getblockcount() > MINE_TARGET_HEIGHT, timeout=60, what="the miner")
        info = node.getmininginfo()
        assert_equal(info["miner"]["running"], True)
        assert_greater_than_or_equal(info["miner"]["blocks_found"], 1)
        first = node.getblock(node.getblockhash(1), 2)
        assert_equal(first["tx"][0]["vout"][0]["scriptPubKey"]["address"], key.address)
        assert_equal(first["pouw"]["miner_key"], key.xonly.hex())
        node.stop()
        log = node.debug_log()
        assert log.rstrip().endswith("Shutdown: done"), log[-300:]
        node.extra_args = []  # the same data directory, now without -mine
        node.start()
        height = node.getblockcount()
        best = node.getbestblockhash()
        assert height > MINE_TARGET_HEIGHT, height
        assert "miner" not in node.getmininginfo()
        assert_equal(node.getblock(node.getblockhash(1), 2)["tx"][0]["vout"][0]["scriptPubKey"]["address"],
                     key.address)
        time.sleep(1)
        assert_equal(node.getblockcount(), height)
        assert_equal(node.getbestblockhash(), best)
        assert_equal(node.gettxoutsetinfo()["txouts"], height)
        node.stop()

    def test_miner_key_file(self):
        node = self.add_node(["-mine", "-minerthreads=1"])
        node.start()
        wait_until(lambda: node.getblockcount() >= 1, timeout=60, what="the first block")
        key_file = os.path.join(node.net_dir, "miner_key")
        assert os.path.exists(key_file)
        assert_equal(os.stat(key_file).st_mode & 0o777, 0o600)
        address = node.getblock(node.getblockhash(1), 2)["tx"][0]["vout"][0]["scriptPubKey"]["address"]
        assert_equal(node.validateaddress(address)["isvalid"], True)
        with open(key_file, encoding="ascii") as f:
            wif = f.read().strip()
        node.stop()
        node.start()
        height = node.getblockcount()
        wait_until(lambda: node.getblockcount() > height, timeout=60, what="a block after the restart")
        tip = node.getblock(node.getbestblockhash(), 2)
        assert_equal(tip["tx"][0]["vout"][0]["scriptPubKey"]["address"], address)
        with open(key_file, encoding="ascii") as f:
            assert_equal(f.read().strip(), wif)
        node.stop()


if __name__ == "__main__":
    sys.exit(MiningTest().main())
