#!/usr/bin/env python3
# Copyright (c) The HPIPS developers. Distributed under the MIT software license.
"""-walletnotify (doc/wallet.md, "Notifications"), in the style of
feature_notify.py: the command runs exactly once per wallet transaction
event — when the transaction enters the wallet (%b "unconfirmed", %h -1,
or its block when it arrives in one, as a coinbase does) and when a block
confirms it — with %s the txid, %w the wallet name (shell-quoted: a name
with a space arrives whole) and %b / %h the block's hash and height.
Blocks without wallet transactions notify nothing; a restart (which
rescans from the wallet's best block and resubmits its pending
transaction) and rescanblockchain over known blocks notify nothing again, and the pending transaction's
confirmation after the restart is notified once."""
import os
import sys
import time

from test_framework.key import Key
from test_framework.test_framework import HpipsTestFramework
from test_framework.util import assert_equal, wait_until

WALLET = "my wallet"


def read_lines(path):
    try:
        with open(path, encoding="utf-8") as f:
            return f.read().splitlines()
    except FileNotFoundError:
        return []


class WalletNotifyTest(HpipsTestFramework):
    def set_test_params(self):
        self.num_nodes = 0

    def wallet(self, name):
        user, password = self.node.read_cookie()
        return self.node.make_proxy(user, password, path="/wallet/" + name.replace(" ", "%20"))

    def run_test(self):
        self.file = os.path.join(self.tmpdir, "wallet_notify.txt")
        self.args = ["-keypool=20", f"-walletnotify=echo %s %w %b %h >> {self.file}"]
        self.node = self.add_node(self.args)
        self.node.start()
        self.expected = []
        self.subtest("coinbases: one event each, with their block", self.test_coinbases)
        self.subtest("a payment: unconfirmed, then confirmed, once each, in both wallets", self.test_payment)
        self.subtest("a restart notifies nothing again; a pending transaction confirms once", self.test_restart)

    def check(self, what):
        wait_until(lambda: len(read_lines(self.file)) >= len(self.expected), what=what)
        # Exactly these: a pause after the last event gives late extras time to show.
        time.sleep(0.5)
        assert_equal(read_lines(self.file), self.expected)

    def test_coinbases(self):
        n = self.node
        n.createwallet(WALLET)
        n.createwallet("b")
        self.w, self.b = self.wallet(WALLET), self.wallet("b")
        hashes = n.generatetoaddress(101, self.w.getnewaddress())
        for height, block in enumerate(hashes, start=1):
            txid = n.getblock(block)["tx"][0]
            self.expected.append(f"{txid} {WALLET} {block} {height}")
        # A block paying no wallet notifies nothing.
        n.generatetoaddress(1, Key().address)
        self.check("coinbase notifications")

    def test_payment(self):
        n = self.node
        txid = self.w.sendtoaddress(self.b.getnewaddress(), 7)
        # The sender's wallet and the receiver's, each once, unconfirmed.
        self.expected_unordered_check(
            [f"{txid} {WALLET} unconfirmed -1", f"{txid} b unconfirmed -1"], "unconfirmed notifications")
        [block] = n.generatetoaddress(1, Key().address)
        height = n.getblockcount()
        self.expected_unordered_check(
            [f"{txid} {WALLET} {block} {height}", f"{txid} b {block} {height}"], "confirmed notifications")
        # A reorg: leaving the block (back to the mempool) notifies nothing;
        # the confirmation in the new block is one event per wallet.
        n.invalidateblock(block)
        assert txid in n.getrawmempool()
        [block2] = n.generatetoaddress(1, Key().address)
        self.expected_unordered_check(
            [f"{txid} {WALLET} {block2} {height}", f"{txid} b {block2} {height}"], "re-confirmed notifications")

    def expected_unordered_check(self, lines, what):
        start = len(self.expected)
        self.expected += lines
        wait_until(lambda: len(read_lines(self.file)) >= len(self.expected), what=what)
        time.sleep(0.5)
        got = read_lines(self.file)
        assert_equal(len(got), len(self.expected))
        assert_equal(got[:start], self.expected[:start])
        assert_equal(sorted(got[start:]), sorted(lines))
        self.expected = got

    def test_restart(self):
        n = self.node
        pending = self.w.sendtoaddress(Key().address, 1)
        self.expected_unordered_check([f"{pending} {WALLET} unconfirmed -1"], "the pending send")
        n.stop()
        n.start(self.args + [f"-wallet={WALLET}", "-wallet=b"])
        self.w, self.b = self.wallet(WALLET), self.wallet("b")
        wait_until(lambda: pending in n.getrawmempool(), what="the pending send resubmitted")
        # Nothing new from loading, rescanning (also a full rescanblockchain)
        # or resubmitting.
        self.w.rescanblockchain()
        self.b.rescanblockchain()
        n.generatetoaddress(1, Key().address)
        block = n.getbestblockhash()
        height = n.getblockcount()
        self.expected_unordered_check([f"{pending} {WALLET} {block} {height}"], "the pending send confirmed")


if __name__ == "__main__":
    sys.exit(WalletNotifyTest().main())
