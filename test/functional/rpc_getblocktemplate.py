#!/usr/bin/env python3
# Copyright (c) The HPIPS developers. Distributed under the MIT software license.
"""getblocktemplate (BIP 22/23 with HPIPS's pouw object) on a real regtest
node: the template's shape, mempool transactions with their fees and
depends, coinbasevalue = subsidy + fees, coinbasetxn for coinbase_address,
proposal mode on a valid and a mutated block, a long poll that returns when
a block arrives, and the errors for bad requests."""
import threading
import time
from decimal import Decimal

from test_framework.key import Key
from test_framework.test_framework import HpipsTestFramework
from test_framework.util import assert_equal, assert_in, assert_raises_rpc_error

COIN = 100_000_000
SUBSIDY = 50 * COIN
FEE = Decimal("0.00010000")
FIELDS = ("capabilities", "version", "rules", "vbavailable", "vbrequired", "previousblockhash", "transactions",
          "coinbaseaux", "coinbasevalue", "longpollid", "target", "mintime", "mutable", "noncerange",
          "sigoplimit", "sizelimit", "weightlimit", "curtime", "bits", "height", "pouw")


class GetBlockTemplateTest(HpipsTestFramework):
    def set_test_params(self):
        self.num_nodes = 1

    def run_test(self):
        self.node = self.nodes[0]
        self.key = Key()
        self.other = Key()
        self.node.generatetoaddress(101, self.key.address)
        self.subtest("the template's shape", self.test_shape)
        self.subtest("mempool transactions with fees and depends", self.test_transactions)
        self.subtest("proposal mode", self.test_proposal)
        self.subtest("a long poll returns when a block arrives", self.test_longpoll)
        self.subtest("bad requests", self.test_errors)

    def test_shape(self):
        tmpl = self.node.getblocktemplate()
        for field in FIELDS:
            assert_in(field, tmpl)
        assert_equal(tmpl["previousblockhash"], self.node.getbestblockhash())
        assert_equal(tmpl["height"], self.node.getblockcount() + 1)
        assert_equal(tmpl["transactions"], [])
        assert_equal(tmpl["coinbasevalue"], SUBSIDY)
        assert_equal(tmpl["longpollid"][:64], self.node.getbestblockhash())
        assert "coinbasetxn" not in tmpl
        assert_equal(len(tmpl["target"]), 64)
        assert_equal(tmpl["noncerange"], "0000000000000000ffffffffffffffff")
        pouw = tmpl["pouw"]
        for field in ("rules_version", "max_tile_count", "miner_key_rule", "coinbase_rule", "filler", "job_units"):
            assert_in(field, pouw)
        assert_equal(pouw["job_units"], [])
        for field in ("m", "n", "k", "tile", "tile_count", "noise_rank", "k_ref", "key_rule", "unit_id_rule"):
            assert_in(field, pouw["filler"])
        with_coinbase = self.node.getblocktemplate({"coinbase_address": self.key.address})
        coinbase = with_coinbase["coinbasetxn"]
        decoded = self.node.decoderawtransaction(coinbase["data"])
        assert_equal(decoded["txid"], coinbase["txid"])
        assert_equal(decoded["locktime"], with_coinbase["height"])

    def spend(self, txid, vout, amount, key):
        raw = self.node.createrawtransaction([{"txid": txid, "vout": vout}], [{self.other.address: amount}])
        signed = self.node.signrawtransactionwithkey(raw, [key.wif])
        return self.node.sendrawtransaction(signed["hex"])

    def test_transactions(self):
        coinbase = self.node.getblock(self.node.getblockhash(1))["tx"][0]
        parent = self.spend(coinbase, 0, Decimal(50) - FEE, self.key)
        child = self.spend(parent, 0, Decimal(50) - 2 * FEE, self.other)
        tmpl = self.node.getblocktemplate()
        txs = tmpl["transactions"]
        assert_equal([t["txid"] for t in txs], [parent, child])
        fee = int(FEE * COIN)
        assert_equal([t["fee"] for t in txs], [fee, fee])
        assert_equal(txs[0]["depends"], [])
        assert_equal(txs[1]["depends"], [1])
        for t in txs:
            assert_equal(self.node.decoderawtransaction(t["data"])["txid"], t["txid"])
        assert_equal(tmpl["coinbasevalue"], SUBSIDY + 2 * fee)
        self.node.generatetoaddress(1, self.key.address)
        assert_equal(self.node.getblocktemplate()["transactions"], [])

    def test_proposal(self):
        block = self.node.generateblock(self.key.address, [], False)
        assert_equal(self.node.getblocktemplate({"mode": "proposal", "data": block["hex"]}), None)
        # The Merkle root (header bytes 36..67) changed: the body no longer matches.
        raw = bytearray.fromhex(block["hex"])
        raw[40] ^= 1
        reason = self.node.getblocktemplate({"mode": "proposal", "data": raw.hex()})
        assert isinstance(reason, str) and reason, reason
        # A block already in the chain.
        tip = self.node.getblock(self.node.getbestblockhash(), 0)
        assert_equal(self.node.getblocktemplate({"mode": "proposal", "data": tip}), "duplicate")
        assert_raises_rpc_error(-22, "Block decode failed", self.node.getblocktemplate,
                                {"mode": "proposal", "data": "00"})

    def test_longpoll(self):
        tmpl = self.node.getblocktemplate()
        result = {}
        # A second RPC connection: the framework's proxy is not shared across threads.
        proxy = self.node.make_proxy(*self.node.read_cookie())
        waiter = threading.Thread(target=lambda: result.update(
            template=proxy.getblocktemplate({"longpollid": tmpl["longpollid"]})))
        waiter.start()
        time.sleep(0.5)
        assert waiter.is_alive(), "the long poll returned before anything changed"
        new_tip = self.node.generatetoaddress(1, self.key.address)[0]
        waiter.join(timeout=30)
        assert not waiter.is_alive()
        assert_equal(result["template"]["previousblockhash"], new_tip)
        # A stale longpollid answers at once.
        assert_equal(self.node.getblocktemplate({"longpollid": tmpl["longpollid"]})["previousblockhash"], new_tip)

    def test_errors(self):
        assert_raises_rpc_error(-8, "Invalid mode", self.node.getblocktemplate, {"mode": "nonsense"})
        assert_raises_rpc_error(-8, "Invalid longpollid", self.node.getblocktemplate, {"longpollid": "00"})
        assert_raises_rpc_error(-8, "Invalid longpollid", self.node.getblocktemplate,
                                {"longpollid": "0" * 64 + "x"})
        assert_raises_rpc_error(-8, "Invalid longpollid", self.node.getblocktemplate,
                                {"longpollid": "0" * (64 + 21)})
        assert_raises_rpc_error(-3, None, self.node.getblocktemplate, "x")  # the server's type check or ours
        assert_raises_rpc_error(-5, "Invalid coinbase_address", self.node.getblocktemplate,
                                {"coinbase_address": "nonsense"})
        assert_raises_rpc_error(-3, "Missing data String key for proposal", self.node.getblocktemplate,
                                {"mode": "proposal"})


if __name__ == "__main__":
    GetBlockTemplateTest().main()
