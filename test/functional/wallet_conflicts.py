#!/usr/bin/env python3
# Copyright (c) The HPIPS developers. Distributed under the MIT software license.
"""Conflicted wallet transactions (doc/wallet.md, "Conflicts"): gettransaction
and listtransactions show Core's negative confirmations and walletconflicts.

Two unconnected nodes share a chain (blocks carried by getblock 0 +
submitblock). Wallet "w" on node 0 holds one coin; node 1 holds a copy of
"w" restored from its mnemonic. Node 0's "w" spends the coin (tx1, left in
node 0's mempool); node 1's copy spends the same coin differently (tx2) and
mines it plus one block. Carried to node 0, the blocks confirm tx2 and push
tx1 out of the mempool: tx1 has confirmations -2 (the depth of tx2's block,
negated) and walletconflicts [tx2], tx2 has 2 and [tx1], in gettransaction
and listtransactions alike; the balance is what tx2 left. invalidateblock
of tx2's block forgets the conflict (tx1 back at 0 confirmations, the
conflict list stays); reconsiderblock brings -2 back; a restart keeps it."""
import sys
from decimal import Decimal

from test_framework.test_framework import HpipsTestFramework
from test_framework.util import assert_equal

ARGS = ["-keypool=20", "-connect=0"]


class WalletConflictsTest(HpipsTestFramework):
    def set_test_params(self):
        self.num_nodes = 0

    def wallet(self, node, name):
        user, password = node.read_cookie()
        return node.make_proxy(user, password, path=f"/wallet/{name}")

    def feed(self, source, target, hashes):
        for h in hashes:
            assert target.submitblock(source.getblock(h, 0)) in (None, "duplicate"), h

    def run_test(self):
        self.n0 = self.add_node(ARGS)
        self.n1 = self.add_node(ARGS)
        self.n0.start()
        self.n1.start()
        self.subtest("a coin double spent on another node: negative confirmations, walletconflicts",
                     self.test_conflict)
        self.subtest("invalidateblock forgets the conflict, reconsiderblock restores it", self.test_reorg)
        self.subtest("a restart keeps conflicts", self.test_restart)

    def test_conflict(self):
        n0, n1 = self.n0, self.n1
        n0.createwallet("miner")
        n0.createwallet("w")
        miner, w = self.wallet(n0, "miner"), self.wallet(n0, "w")
        blocks = n0.generatetoaddress(101, miner.getnewaddress())
        coin_addr = w.getnewaddress()
        miner.sendtoaddress(coin_addr, 10)
        blocks += n0.generatetoaddress(1, miner.getnewaddress())
        self.feed(n0, n1, blocks)
        assert_equal(n1.getbestblockhash(), n0.getbestblockhash())
        assert_equal(w.getbalance(), 10)

        n1.createwallet("copy", False, False, "", False, True, None, False, w.getmnemonic())
        copy = self.wallet(n1, "copy")
        copy.rescanblockchain()
        assert_equal(copy.getbalance(), 10)

        self.tx1 = w.sendtoaddress(miner.getnewaddress(), 5)
        self.tx2 = copy.sendtoaddress(copy.getnewaddress(), 3)
        assert self.tx1 != self.tx2
        n1.createwallet("other")
        other_addr = self.wallet(n1, "other").getnewaddress()
        self.conflict_blocks = n1.generatetoaddress(2, other_addr)
        assert self.tx2 in n1.getblock(self.conflict_blocks[0])["tx"]
        self.feed(n1, n0, self.conflict_blocks)
        assert_equal(n0.getbestblockhash(), self.conflict_blocks[1])
        assert self.tx1 not in n0.getrawmempool()
        self.check_conflicted(w, -2)
        # What is left: tx2's change (10 - 3 - fee) and its output to the copy's own key.
        tx2 = w.gettransaction(self.tx2)
        assert_equal(w.getbalance(), Decimal(10) + tx2["fee"])

    def check_conflicted(self, w, depth):
        tx1 = w.gettransaction(self.tx1)
        tx2 = w.gettransaction(self.tx2)
        assert_equal(tx1["confirmations"], depth)
        assert_equal(tx1["walletconflicts"], [self.tx2])
        assert_equal(tx1["trusted"], False)
        assert "blockhash" not in tx1
        assert_equal(tx2["confirmations"], 2)
        assert_equal(tx2["walletconflicts"], [self.tx1])
        assert_equal(tx2["blockhash"], self.conflict_blocks[0])
        listed = {(e["txid"], e["confirmations"]) for e in w.listtransactions("*", 100)
                  if e["txid"] in (self.tx1, self.tx2)}
        assert_equal(listed, {(self.tx1, depth), (self.tx2, 2)})
        for entry in w.listtransactions("*", 100):
            if entry["txid"] == self.tx1:
                assert_equal(entry["walletconflicts"], [self.tx2])

    def test_reorg(self):
        n0 = self.n0
        w = self.wallet(n0, "w")
        n0.invalidateblock(self.conflict_blocks[0])
        tx1 = w.gettransaction(self.tx1)
        assert_equal(tx1["confirmations"], 0)
        assert_equal(tx1["walletconflicts"], [self.tx2])
        assert_equal(w.gettransaction(self.tx2)["confirmations"], 0)
        n0.reconsiderblock(self.conflict_blocks[0])
        assert_equal(n0.getbestblockhash(), self.conflict_blocks[1])
        self.check_conflicted(w, -2)

    def test_restart(self):
        n0 = self.n0
        n0.generatetoaddress(1, self.wallet(n0, "miner").getnewaddress())
        n0.stop()
        n0.start(["-wallet=miner", "-wallet=w"])
        self.check_conflicted_after_block(self.wallet(n0, "w"))

    def check_conflicted_after_block(self, w):
        tx1 = w.gettransaction(self.tx1)
        assert_equal(tx1["confirmations"], -3)
        assert_equal(tx1["walletconflicts"], [self.tx2])
        assert_equal(w.gettransaction(self.tx2)["confirmations"], 3)


if __name__ == "__main__":
    sys.exit(WalletConflictsTest().main())
