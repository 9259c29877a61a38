#!/usr/bin/env python3
# Copyright (c) The HPIPS developers. Distributed under the MIT software license.
"""prioritisetransaction (doc/mempool.md, "Fee deltas"): a delta re-ranks a
pool transaction at once (getrawmempool order, block template order) while
the fee it pays is unchanged; getmempoolentry shows fees.modified; a delta
set before the transaction arrives lets it in below the relay floor; the
delta survives a restart through mempool.dat; it is forgotten once the
transaction is mined; the dummy argument must be zero."""
import sys
from decimal import Decimal

from test_framework.key import Key
from test_framework.test_framework import HpipsTestFramework
from test_framework.util import assert_equal, assert_raises_rpc_error

SUBSIDY = Decimal("50.00000000")
COIN = 100_000_000


class MempoolPrioritiseTest(HpipsTestFramework):
    def set_test_params(self):
        self.num_nodes = 1

    def run_test(self):
        node = self.nodes[0]
        self.key = Key()
        self.other = Key()
        hashes = node.generatetoaddress(105, self.key.address)
        self.coinbase = [node.getblock(h)["tx"][0] for h in hashes[:5]]
        self.subtest("arguments", self.test_arguments)
        self.subtest("a delta re-ranks the pool and the template", self.test_rerank)
        self.subtest("a delta set before arrival", self.test_before_arrival)
        self.subtest("deltas survive a restart", self.test_restart)
        self.subtest("mining forgets the delta", self.test_mined)

    def spend(self, index, fee):
        node = self.nodes[0]
        raw = node.createrawtransaction([{"txid": self.coinbase[index], "vout": 0}],
                                        [{self.other.address: SUBSIDY - fee}])
        signed = node.signrawtransactionwithkey(raw, [self.key.wif])
        assert_equal(signed["complete"], True)
        return signed["hex"]

    def test_arguments(self):
        node = self.nodes[0]
        txid = "aa" * 32
        assert_raises_rpc_error(-8, "Priority is no longer supported", node.prioritisetransaction, txid, 1, 100)
        assert_raises_rpc_error(-8, "txid must be of length 64", node.prioritisetransaction, "aa", 0, 100)
        assert_equal(node.prioritisetransaction(txid, 0, 100), True)
        assert_equal(node.prioritisetransaction(txid, None, 50), True)
        assert_equal(node.getprioritisedtransactions(), {txid: {"fee_delta": 150, "in_mempool": False}})
        # A delta that sums to zero is forgotten.
        node.prioritisetransaction(txid, 0, -150)
        assert_equal(node.getprioritisedtransactions(), {})

    def test_rerank(self):
        node = self.nodes[0]
        self.high = node.sendrawtransaction(self.spend(0, Decimal("0.001")))
        self.low = node.sendrawtransaction(self.spend(1, Decimal("0.0001")))
        assert_equal(node.getrawmempool(), [self.high, self.low])
        assert_equal([t["txid"] for t in node.getblocktemplate()["transactions"]], [self.high, self.low])
        node.prioritisetransaction(self.low, 0, int(Decimal("0.01") * COIN))
        assert_equal(node.getrawmempool(), [self.low, self.high])
        entry = node.getmempoolentry(self.low)
        assert_equal(entry["fees"]["base"], Decimal("0.00010000"))
        assert_equal(entry["fees"]["modified"], Decimal("0.01010000"))
        assert_equal(entry["fees"]["ancestor"], Decimal("0.01010000"))
        tmpl = node.getblocktemplate()
        assert_equal([t["txid"] for t in tmpl["transactions"]], [self.low, self.high])
        # The template's fees (and so the coinbase) are the real fees.
        assert_equal(tmpl["transactions"][0]["fee"], 10_000)
        assert_equal(node.getprioritisedtransactions()[self.low], {"fee_delta": 1_000_000, "in_mempool": True})
        # A negative delta sends it back below.
        node.prioritisetransaction(self.low, 0, -2_000_000)
        assert_equal(node.getrawmempool(), [self.high, self.low])
        assert_equal(node.getmempoolentry(self.low)["fees"]["modified"], Decimal("-0.00990000"))

    def test_before_arrival(self):
        node = self.nodes[0]
        cheap = self.spend(2, Decimal("0.00000100"))  # below the 1000/kB floor
        assert_raises_rpc_error(-26, "min relay fee not met", node.sendrawtransaction, cheap)
        txid = node.decoderawtransaction(cheap)["txid"]
        node.prioritisetransaction(txid, 0, 100_000)
        assert_equal(node.sendrawtransaction(cheap), txid)
        self.cheap = txid
        assert_equal(node.getrawmempool()[0], txid)
        assert_equal(node.getmempoolentry(txid)["fees"]["modified"], Decimal("0.00100100"))

    def test_restart(self):
        node = self.nodes[0]
        before = node.getrawmempool()
        node.restart()
        # The file keeps each entry's delta; the deprioritised one (negative
        # modified fee) is below the relay floor on load and stays out, but
        # its delta is still known.
        assert_equal(node.getrawmempool(), [t for t in before if t != self.low])
        assert_equal(node.getmempoolentry(self.cheap)["fees"]["modified"], Decimal("0.00100100"))
        assert_equal(node.getprioritisedtransactions(), {
            self.cheap: {"fee_delta": 100_000, "in_mempool": True},
            self.low: {"fee_delta": -1_000_000, "in_mempool": False},
        })
        assert "mempool.dat: dropped " + self.low in node.debug_log()

    def test_mined(self):
        node = self.nodes[0]
        node.generatetoaddress(1, self.key.address)
        assert_equal(node.getrawmempool(), [])
        # Mined: the delta of the cheap one is gone; the other was never mined.
        assert_equal(node.getprioritisedtransactions(), {self.low: {"fee_delta": -1_000_000, "in_mempool": False}})

if __name__ == "__main__":
    sys.exit(MempoolPrioritiseTest().main())
