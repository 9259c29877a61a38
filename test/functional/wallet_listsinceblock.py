#!/usr/bin/env python3
# Copyright (c) The HPIPS developers. Distributed under the MIT software license.
"""listsinceblock across reorgs (doc/wallet.md, "listsinceblock").

One node, three wallets: "miner" holds mature coins (mined deep, so no
reorg here makes them immature), "other" receives the blocks mined
afterwards, "ex" is an exchange that receives deposits. A deposit confirmed
in a block is listed since the block before; invalidateblock puts it in
"removed" of a call with the old cursor (and back among the unconfirmed
transactions, since the mempool took it back); reconsiderblock confirms it
again. Then an exchange-style poller (cursor = lastblock, removed
debited, confirmed receives credited) follows deposits through 5 random
reorgs, polling at random moments: at the end its credits equal the
confirmed deposits, each credited once. Errors: an unknown block -5, a
malformed hash -8, target_confirmations 0 -8."""
import random
import sys

from test_framework.test_framework import HpipsTestFramework
from test_framework.util import assert_equal, assert_raises_rpc_error


class WalletListSinceBlockTest(HpipsTestFramework):
    def set_test_params(self):
        self.num_nodes = 0

    def rpc(self, name):
        user, password = self.node.read_cookie()
        return self.node.make_proxy(user, password, path=f"/wallet/{name}")

    def run_test(self):
        self.node = self.add_node(["-keypool=20"])
        self.node.start()
        n = self.node
        for name in ("miner", "other", "ex"):
            n.createwallet(name)
        self.miner, self.other, self.ex = self.rpc("miner"), self.rpc("other"), self.rpc("ex")
        n.generatetoaddress(20, self.miner.getnewaddress())
        n.generatetoaddress(100, self.other.getnewaddress())
        self.subtest("shape, cursor and errors", self.test_basic)
        self.subtest("invalidateblock moves a deposit to removed, reconsiderblock brings it back", self.test_reorg)
        self.subtest("an exchange poller through 5 random reorgs", self.test_poller)

    def mine(self, count=1):
        return self.node.generatetoaddress(count, self.other.getnewaddress())

    def test_basic(self):
        n, ex = self.node, self.ex
        listed = ex.listsinceblock()
        assert_equal(listed, {"transactions": [], "removed": [], "lastblock": n.getbestblockhash()})
        assert_equal(ex.listsinceblock("", 3)["lastblock"], n.getblockhash(n.getblockcount() - 2))
        # Clamped at genesis, as Core.
        assert_equal(ex.listsinceblock("", 10**6)["lastblock"], n.getblockhash(0))
        assert_raises_rpc_error(-8, "Invalid parameter", ex.listsinceblock, "", 0)
        assert_raises_rpc_error(-5, "Block not found", ex.listsinceblock, "11" * 32)
        assert_raises_rpc_error(-8, "blockhash must be", ex.listsinceblock, "zz")
        assert "removed" not in ex.listsinceblock("", 1, False, False)
        # The miner's coinbases are all listed without a cursor, none after the tip.
        assert_equal(len(self.miner.listsinceblock()["transactions"]), 20)
        assert_equal(self.miner.listsinceblock(n.getbestblockhash())["transactions"], [])

    def test_reorg(self):
        n, ex = self.node, self.ex
        cursor = n.getbestblockhash()
        addr = ex.getnewaddress("deposits")
        txid = self.miner.sendtoaddress(addr, 3)
        pending = ex.listsinceblock(cursor)
        assert_equal([(e["txid"], e["confirmations"]) for e in pending["transactions"]], [(txid, 0)])
        [block] = self.mine()
        listed = ex.listsinceblock(cursor)
        [entry] = listed["transactions"]
        assert_equal((entry["txid"], entry["category"], entry["amount"], entry["address"], entry["label"]),
                     (txid, "receive", 3, addr, "deposits"))
        assert_equal((entry["confirmations"], entry["blockhash"]), (1, block))
        assert_equal(listed["removed"], [])
        assert_equal(listed["lastblock"], block)

        n.invalidateblock(block)
        after = ex.listsinceblock(block)
        assert_equal([e["txid"] for e in after["removed"]], [txid])
        assert_equal([(e["txid"], e["confirmations"]) for e in after["transactions"]], [(txid, 0)])
        assert_equal(after["lastblock"], cursor)
        assert_equal(ex.listsinceblock(block, 1, False, False).get("removed"), None)

        n.reconsiderblock(block)
        assert_equal(n.getbestblockhash(), block)
        back = ex.listsinceblock(cursor)
        assert_equal([(e["txid"], e["confirmations"], e["blockhash"]) for e in back["transactions"]],
                     [(txid, 1, block)])
        assert_equal(ex.listsinceblock(block)["transactions"], [])

    def test_poller(self):
        n, ex = self.node, self.ex
        rng = random.Random(20261208)
        credited = {}  # txid -> blockhash it was credited in
        credits = 0
        debits = 0
        sent = set()
        cursor = n.getbestblockhash()
        # Everything up to here is already booked.
        for entry in ex.listsinceblock()["transactions"]:
            if entry["category"] == "receive" and entry["confirmations"] > 0:
                credited[entry["txid"]] = entry["blockhash"]

        def poll():
            nonlocal cursor, credits, debits
            listed = ex.listsinceblock(cursor)
            for entry in listed["removed"]:
                if credited.pop(entry["txid"], None) is not None:
                    debits += 1
            for entry in listed["transactions"]:
                if entry["category"] != "receive" or entry["confirmations"] < 1:
                    continue
                assert entry["txid"] not in credited, f"duplicate credit of {entry['txid']}"
                credited[entry["txid"]] = entry["blockhash"]
                credits += 1
            cursor = listed["lastblock"]

        def deposit():
            sent.add(self.miner.sendtoaddress(ex.getnewaddress(), rng.randint(1, 20) / 10))

        for _ in range(5):
            for _ in range(rng.randint(1, 2)):
                deposit()
                if rng.random() < 0.5:
                    self.mine()
                if rng.random() < 0.5:
                    poll()
            self.mine()
            poll()
            depth = rng.randint(1, 3)
            n.invalidateblock(n.getblockhash(n.getblockcount() - depth + 1))
            if rng.random() < 0.5:
                poll()
            if rng.random() < 0.5:
                deposit()
            self.mine(depth + 1)
            if rng.random() < 0.5:
                poll()
        self.mine()
        poll()
        # Every deposit is confirmed on the final chain, credited exactly once
        # and in the block that holds it now.
        confirmed = {}
        for txid in sent:
            tx = ex.gettransaction(txid)
            assert tx["confirmations"] > 0, txid
            confirmed[txid] = tx["blockhash"]
        mine = {t: h for t, h in credited.items() if t in sent}
        assert_equal(mine, confirmed)
        # Reorgs did take credited deposits away (and they came back).
        assert debits > 0, debits
        assert_equal(credits - debits, len(sent))
        self.log(f"{len(sent)} deposits, {credits} credits, {debits} debits")


if __name__ == "__main__":
    sys.exit(WalletListSinceBlockTest().main())
